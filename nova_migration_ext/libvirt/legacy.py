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
"""Translate the removed ``live_migration_flag``/``block_migration_flag``
into the ``[libvirt]`` options that make Nova 34 use the same sets.

Nova now builds both sets from five options (see ``nova_config``), so the
options follow the option flags of the legacy live set. Every bit the options
cannot reproduce is named with the reason, never silently dropped.
"""

import collections
import dataclasses
import textwrap
import typing

from nova_migration_ext.libvirt import expression
from nova_migration_ext.libvirt import flag_table as bits
from nova_migration_ext.libvirt import nova_config
from nova_migration_ext.libvirt import validation

#: Flags that follow a ``[libvirt]`` option, the same for both sets.
_OPTION_FLAGS = (bits.TUNNELLED | bits.TLS | bits.POSTCOPY
                 | bits.AUTO_CONVERGE | bits.PARALLEL)

_NO_OPTION = {
    'VIR_MIGRATE_PAUSED':
        'Nova always leaves the guest running on the destination',
    'VIR_MIGRATE_CHANGE_PROTECTION':
        'libvirt applies change protection by itself whenever both hosts '
        'support it',
    'VIR_MIGRATE_UNSAFE':
        "Nova never overrides libvirt's migration safety checks",
    'VIR_MIGRATE_OFFLINE':
        'Nova live-migrates running guests only (cold migration copies '
        'files instead)',
    'VIR_MIGRATE_COMPRESSED':
        'Nova 34 has no option for migration compression',
    'VIR_MIGRATE_RDMA_PIN_ALL':
        'Nova does not migrate over RDMA',
    'VIR_MIGRATE_POSTCOPY_RESUME':
        'it resumes a failed post-copy migration; it is no configuration',
}

#: What an operator must know about an option the translation sets.
_NOTES = (
    (bits.TUNNELLED,
     'live_migration_tunnelled is deprecated for removal since Nova 23.0.0 '
     'and cannot carry block migrations: once QEMU-native TLS is set up on '
     'every compute host, replace it with live_migration_with_native_tls = '
     'True.'),
    (bits.TLS,
     'live_migration_with_native_tls needs QEMU TLS certificates on every '
     "compute host (libvirt's migrate_tls_x509_cert_dir, by default "
     '/etc/pki/qemu), or every migration fails.'),
    (bits.POSTCOPY,
     'Nova only permits post-copy: it switches to it on the force-complete '
     'API or, with live_migration_timeout_action = force_complete, when '
     'live_migration_completion_timeout expires.'),
    (bits.PARALLEL,
     'VIR_MIGRATE_PARALLEL never said how many connections: 2 is the '
     'smallest live_migration_parallel_connections that sets it; each '
     'connection can use a CPU.'),
)


class Inexpressible(str):
    """A legacy flag that no ``[libvirt]`` option makes Nova set.

    It reads as ``'VIR_MIGRATE_X (live set): why'``; ``flag``, ``flag_set``
    ('live' or 'block') and ``reason`` hold the parts.
    """

    def __new__(cls, flag, flag_set, reason):
        self = super().__new__(cls, '%s (%s set): %s'
                               % (flag, flag_set, reason))
        self.flag = flag
        self.flag_set = flag_set
        self.reason = reason
        return self

    def as_dict(self):
        return {'flag': self.flag, 'flag_set': self.flag_set,
                'reason': self.reason}


@dataclasses.dataclass(frozen=True)
class Translation:
    """The ``[libvirt]`` options reproducing a legacy flag pair.

    ``live``/``block`` are the legacy sets (None when not given),
    ``options`` maps option name to value, ``nova_live``/``nova_block`` are
    the sets Nova 34 computes from them, ``findings`` maps 'live' and/or
    'block' to the validation of the legacy sets.
    """

    live: typing.Optional[int]
    block: typing.Optional[int]
    options: collections.OrderedDict
    nova_live: int
    nova_block: int
    notes: list
    inexpressible: list
    findings: collections.OrderedDict

    @property
    def errors(self):
        """The error findings of the legacy sets."""
        return [finding for findings in self.findings.values()
                for finding in validation.errors(findings)]

    def as_dict(self):
        """Return the translation as JSON-ready data."""
        return {
            'legacy': {
                label: None if mask is None else expression.summary(mask)
                for label, mask in (('live', self.live),
                                    ('block', self.block))
            },
            'options': dict(self.options),
            'nova': {
                'live': expression.summary(self.nova_live),
                'block': expression.summary(self.nova_block),
            },
            'notes': list(self.notes),
            'inexpressible': [item.as_dict() for item in self.inexpressible],
            'findings': {label: [dataclasses.asdict(f) for f in findings]
                         for label, findings in self.findings.items()},
        }

    def as_ini(self):
        """Return a ``[libvirt]`` snippet, commented, ready to paste."""
        lines = ['[libvirt]']
        lines += _comment('From nova-migration-ext flags translate. With '
                          'these options Nova 34 uses')
        lines += _comment('live: %s' % _listed(self.nova_live), indent=2)
        lines += _comment('block: %s' % _listed(self.nova_block), indent=2)
        lines += _comment('in place of the legacy')
        if self.live is not None:
            lines += _comment('live_migration_flag: %s' % _listed(self.live),
                              indent=2)
        if self.block is not None:
            lines += _comment('block_migration_flag: %s'
                              % _listed(self.block), indent=2)
        for note in self.notes:
            lines += _comment('Note: ' + note)
        if self.inexpressible:
            lines += _comment('Not expressible in Nova 34, left out:')
            for item in self.inexpressible:
                lines += _comment(str(item), indent=2)
        for label, findings in self.findings.items():
            for finding in validation.errors(findings):
                lines += _comment('Error in the legacy %s set: %s.'
                                  % (label, finding.message))
        lines += ['%s = %s' % item for item in self.options.items()]
        return '\n'.join(lines) + '\n'


def translate_legacy(live_expr, block_expr=None):
    """Translate a legacy ``live_migration_flag`` (and block) value.

    Either expression may be None, not both. The options follow the live
    set, or the block set when it is the only one given.

    :raises FlagError: an expression is not a valid flag set, or neither
        is given.
    """
    if live_expr is None and block_expr is None:
        raise expression.FlagError('nothing to translate: give '
                                   'live_migration_flag, block_migration_flag'
                                   ' or both')
    live = None if live_expr is None else expression.parse(live_expr)
    block = None if block_expr is None else expression.parse(block_expr)
    leading = live if live is not None else block
    options = _options_for(leading)
    nova_live, nova_block = nova_config.flags_for_options(options)

    findings = collections.OrderedDict()
    legacy_sets = []
    if live is not None:
        findings['live'] = validation.validate(live)
        legacy_sets.append(('live', live, nova_live))
    if block is not None:
        findings['block'] = validation.validate(block, block=True)
        legacy_sets.append(('block', block, nova_block))
    notes = [note for flag, note in _NOTES if leading & flag]
    inexpressible = [item for label, legacy, nova in legacy_sets
                     for item in _dropped(legacy, nova, label)]
    notes += _added(legacy_sets)
    for label, mask in (('live', nova_live), ('block', nova_block)):
        for finding in validation.errors(
                validation.validate(mask, block=label == 'block')):
            notes.append('These options give Nova an invalid %s set, so '
                         'those migrations fail: %s (%s).'
                         % (label, finding.message, finding.reason))
    notes.append('Remove live_migration_flag and block_migration_flag: '
                 'Nova ignores them since 14.0.0.')
    return Translation(live, block, options, nova_live, nova_block, notes,
                       inexpressible, findings)


def _options_for(live):
    options = collections.OrderedDict()
    # Setting a deprecated-for-removal option, even to False, makes
    # nova-compute log a deprecation warning: name it only when needed.
    if live & bits.TUNNELLED:
        options['live_migration_tunnelled'] = True
    options['live_migration_with_native_tls'] = bool(live & bits.TLS)
    options['live_migration_permit_post_copy'] = bool(live & bits.POSTCOPY)
    options['live_migration_permit_auto_converge'] = bool(
        live & bits.AUTO_CONVERGE and not live & bits.POSTCOPY)
    options['live_migration_parallel_connections'] = (
        2 if live & bits.PARALLEL else 1)
    return options


def _dropped(legacy, nova, label):
    return [Inexpressible(expression.names(bit)[0], label,
                          _dropped_reason(bit, legacy, label))
            for bit in _bits(legacy & ~nova)]


def _dropped_reason(bit, legacy, label):
    if label == 'live' and bit & bits.STORAGE:
        return ('Nova adds storage flags only to block migrations, which it '
                'chooses per migration')
    if bit == bits.NON_SHARED_DISK:
        return ('Nova block-migrates with VIR_MIGRATE_NON_SHARED_INC only: '
                'it prepares the backing files on the destination and '
                'copies the top image')
    if bit == bits.AUTO_CONVERGE and legacy & bits.POSTCOPY:
        return ('Nova drops auto-converge whenever '
                'live_migration_permit_post_copy = True; keep post-copy (as '
                'here) or set live_migration_permit_post_copy = False and '
                'live_migration_permit_auto_converge = True')
    if bit & _OPTION_FLAGS:
        return ('Nova applies the [libvirt] options to live and block '
                'migrations alike; they follow the live set, which lacks it')
    return _NO_OPTION.get(expression.names(bit)[0],
                          'no [libvirt] option of Nova 34 sets it')


def _added(legacy_sets):
    """Notes for the bits Nova sets that the legacy sets lacked.

    :param legacy_sets: (label, legacy mask, Nova's mask) triples.
    """
    notes = []
    for bit in bits.NAMES:
        lacking = [label for label, legacy, nova in legacy_sets
                   if nova & ~legacy & bit]
        if not lacking:
            continue
        if bit & nova_config.BASE:
            why = 'Nova always sets it'
        elif bit == bits.NON_SHARED_INC:
            why = 'Nova block-migrates with it'
        else:
            why = ('the [libvirt] options apply to live and block migrations '
                   'alike and follow the live set')
        notes.append('Nova 34 adds %s, which the legacy %s set%s lacked: %s.'
                     % (expression.names(bit)[0], ' and '.join(lacking),
                        's' if len(lacking) > 1 else '', why))
    return notes


def _bits(mask):
    return [bit for bit in bits.NAMES if mask & bit]


def _listed(mask):
    return ', '.join(expression.names(mask)) or 'no flags'


def _comment(text, indent=0):
    prefix = '# ' + ' ' * indent
    return textwrap.wrap(text, width=79, initial_indent=prefix,
                         subsequent_indent=prefix + '  ',
                         break_on_hyphens=False)
