#    Licensed under the Apache License, Version 2.0 (the "License"); you may
#    not use this file except in compliance with the License. You may obtain
#    a copy of the License at
#
#         http://www.apache.org/licenses/LICENSE-2.0
#
#    Unless required by applicable law or agreed to in writing, software
#    distributed under the License is distributed on an "AS IS" BASIS, WITHOUT
#    WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied. See the
#    License for the specific language governing permissions and limitations
#    under the License.
"""Flag expressions: ``"LIVE|PEER2PEER"`` and friends to a bitmask and back.

An expression is what operators wrote in nova.conf before Nova 14.0.0: flag
names with or without the ``VIR_MIGRATE_`` prefix, in any case, separated by
commas, pipes or whitespace, optionally quoted; or an integer, decimal or
``0x`` hexadecimal. Every token must name a known flag: a typo that is
silently dropped would change how guests migrate.
"""

import difflib
import re

from nova_migration_ext.libvirt import flag_table

_SEPARATORS = re.compile(r'[\s,|]+')
_INTEGER = re.compile(r'(0x[0-9a-f]+|[0-9]+)\Z', re.IGNORECASE)
_QUOTES = '"\''

# virsh spells some flags differently; they are not accepted, only suggested.
_VIRSH_NAMES = {
    'P2P': 'PEER2PEER',
    'PERSISTENT': 'PERSIST_DEST',
    'UNDEFINESOURCE': 'UNDEFINE_SOURCE',
    'SUSPEND': 'PAUSED',
    'COPY-STORAGE-ALL': 'NON_SHARED_DISK',
    'COPY-STORAGE-INC': 'NON_SHARED_INC',
}


class FlagError(ValueError):
    """A flag expression or mask that is not a valid ``VIR_MIGRATE_*`` set.

    ``token`` is the offending piece of input and ``suggestion`` the closest
    valid flag name, when there is one.
    """

    def __init__(self, message, token=None, suggestion=None):
        super().__init__(message)
        self.token = token
        self.suggestion = suggestion


def parse(expr):
    """Return the bitmask that ``expr`` (a string or an int) stands for.

    :raises FlagError: empty expression, unknown name (quoted, with the
        closest valid name) or bits that are no ``VIR_MIGRATE_*`` flag.
    """
    if isinstance(expr, int) and not isinstance(expr, bool):
        return _checked(expr, str(expr))
    if not isinstance(expr, str):
        raise FlagError('a flag expression is a string or an integer, not %s'
                        % type(expr).__name__)
    tokens = [_unquote(token)
              for token in _SEPARATORS.split(_unquote(expr.strip()))]
    tokens = [token for token in tokens if token]
    if not tokens:
        raise FlagError('empty flag expression %r: give VIR_MIGRATE_* names '
                        '(e.g. "LIVE,PEER2PEER") or an integer' % expr,
                        token=expr)
    mask = 0
    for token in tokens:
        mask |= _token_bits(token)
    return mask


def names(mask):
    """Return the full ``VIR_MIGRATE_*`` names set in ``mask``, in bit order.

    :raises FlagError: ``mask`` has bits that are no known flag.
    """
    mask = _checked(mask, str(mask))
    return [name for bit, name in flag_table.NAMES.items() if mask & bit]


def describe(mask):
    """Return ``mask`` as ``NAME|NAME (0x..)``, the way it reads in logs."""
    return '%s (%#x)' % ('|'.join(names(mask)) or 'no flags', mask)


def summary(mask):
    """Return ``mask`` as a JSON-ready dict: mask, hex and names."""
    return {'mask': mask, 'hex': '%#x' % mask, 'names': names(mask)}


def _unquote(text):
    if len(text) >= 2 and text[0] == text[-1] and text[0] in _QUOTES:
        return text[1:-1].strip()
    return text.strip(_QUOTES)


def _token_bits(token):
    if _INTEGER.match(token):
        return _checked(int(token, 0), token)
    name = token.upper()
    if not name.startswith(flag_table.PREFIX):
        name = flag_table.PREFIX + name
    try:
        return flag_table.FLAGS[name]
    except KeyError:
        raise _unknown_name(token) from None


def _unknown_name(token):
    short = token.upper()
    if short.startswith(flag_table.PREFIX):
        short = short[len(flag_table.PREFIX):]
    shorts = [name[len(flag_table.PREFIX):] for name in flag_table.FLAGS]
    close = ([_VIRSH_NAMES[short.lstrip('-')]]
             if short.lstrip('-') in _VIRSH_NAMES
             else difflib.get_close_matches(short, shorts, n=1, cutoff=0.6))
    if close:
        suggestion = flag_table.PREFIX + close[0]
        return FlagError('unknown migration flag %r: did you mean %s?'
                         % (token, suggestion),
                         token=token, suggestion=suggestion)
    return FlagError('unknown migration flag %r: valid flags are %s (with or '
                     'without the VIR_MIGRATE_ prefix)'
                     % (token, ', '.join(shorts)), token=token)


def _checked(mask, token):
    if isinstance(mask, bool) or not isinstance(mask, int):
        raise FlagError('a flag mask is an integer, not %s'
                        % type(mask).__name__, token=token)
    if mask < 0:
        raise FlagError('negative flag mask %s' % token, token=token)
    unknown = mask & ~flag_table.KNOWN_BITS
    if unknown:
        raise FlagError('%s sets bit(s) %#x, which are no VIR_MIGRATE_* flag '
                        '(known flags: %#x)'
                        % (token, unknown, flag_table.KNOWN_BITS),
                        token=token)
    return mask
