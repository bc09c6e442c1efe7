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

"""A stand-in for ``nova_migration_ext.libvirt.flags``, for these tests only.

The real helper is written in a parallel branch; the audit codes against
its published API (``translate_legacy``, ``FlagError``). This double
implements just enough of it, with libvirt-python's bit values, for the
audit's own behaviour to be tested: how it presents a translation and how
it reports a value the helper rejects.
"""

import collections

BITS = collections.OrderedDict((
    ('VIR_MIGRATE_LIVE', 1),
    ('VIR_MIGRATE_PEER2PEER', 2),
    ('VIR_MIGRATE_TUNNELLED', 4),
    ('VIR_MIGRATE_PERSIST_DEST', 8),
    ('VIR_MIGRATE_UNDEFINE_SOURCE', 16),
    ('VIR_MIGRATE_NON_SHARED_INC', 128),
    ('VIR_MIGRATE_COMPRESSED', 2048),
    ('VIR_MIGRATE_AUTO_CONVERGE', 8192),
))
BASE = 1 | 2 | 8 | 16


class FlagError(ValueError):
    pass


class Translation:

    def __init__(self, options, notes, inexpressible):
        self.options = options
        self.notes = notes
        self.inexpressible = inexpressible

    def as_ini(self):
        return '\n'.join(['[libvirt]'] + [
            '%s = %s' % (k, str(v).lower()) for k, v in self.options.items()])


def parse(expr):
    mask = 0
    for token in expr.replace('|', ',').split(','):
        token = token.strip()
        if token not in BITS:
            raise FlagError('unknown flag %r; valid flags look like '
                            'VIR_MIGRATE_LIVE' % token)
        mask |= BITS[token]
    return mask


def translate_legacy(live_expr, block_expr=None):
    mask = parse(live_expr) if live_expr is not None else BASE
    if block_expr is not None:
        mask |= parse(block_expr) & ~BITS['VIR_MIGRATE_NON_SHARED_INC']
    options = collections.OrderedDict()
    notes = []
    if mask & BITS['VIR_MIGRATE_TUNNELLED']:
        options['live_migration_tunnelled'] = True
    if mask & BITS['VIR_MIGRATE_AUTO_CONVERGE']:
        options['live_migration_permit_auto_converge'] = True
    if mask & BASE == BASE:
        notes.append('LIVE, PEER2PEER, PERSIST_DEST and UNDEFINE_SOURCE '
                     'are what Nova always sets.')
    inexpressible = []
    if mask & BITS['VIR_MIGRATE_COMPRESSED']:
        inexpressible.append('VIR_MIGRATE_COMPRESSED')
    return Translation(options, notes, inexpressible)
