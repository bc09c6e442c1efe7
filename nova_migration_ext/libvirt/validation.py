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
"""Rules a live- or block-migration flag set must follow.

Each rule states what libvirt, QEMU or Nova does with the set, so that a
finding can say why it matters. Errors make migrations fail or go wrong;
warnings are legal but differ from what Nova does or recommends.
"""

import collections
import dataclasses

from nova_migration_ext.libvirt import expression
from nova_migration_ext.libvirt import flag_table as bits

ERROR = 'error'
WARNING = 'warning'


@dataclasses.dataclass(frozen=True)
class Finding:
    """One broken rule.

    ``severity`` is 'error' or 'warning', ``code`` a short stable id such
    as 'missing-peer2peer'.
    """

    severity: str
    code: str
    message: str
    reason: str

    def __str__(self):
        return '%s %s: %s (%s)' % (self.severity, self.code, self.message,
                                   self.reason)


_Rule = collections.namedtuple(
    '_Rule', 'severity code applies message reason')


def _has(mask, flags):
    return mask & flags == flags


_RULES = (
    _Rule(ERROR, 'missing-live',
          lambda mask, block: not mask & bits.LIVE,
          'the {set} lacks VIR_MIGRATE_LIVE',
          'without it libvirt pauses the guest for the whole memory copy '
          'instead of migrating it while it runs; Nova always sets it'),
    _Rule(ERROR, 'missing-peer2peer',
          lambda mask, block: not mask & bits.PEER2PEER,
          'the {set} lacks VIR_MIGRATE_PEER2PEER',
          'Nova migrates with virDomainMigrateToURI3, which QEMU supports '
          'only peer to peer: libvirt refuses with "direct migration is not '
          'supported by the source host"'),
    _Rule(ERROR, 'tunnelled-without-peer2peer',
          lambda mask, block: (mask & bits.TUNNELLED
                               and not mask & bits.PEER2PEER),
          'the {set} has VIR_MIGRATE_TUNNELLED without '
          'VIR_MIGRATE_PEER2PEER',
          'the tunnel is the connection between the two libvirt daemons, '
          'which exists only in a peer-to-peer migration'),
    _Rule(ERROR, 'tls-with-tunnelled',
          lambda mask, block: _has(mask, bits.TLS | bits.TUNNELLED),
          'the {set} has both VIR_MIGRATE_TLS and VIR_MIGRATE_TUNNELLED',
          'they are alternative transports (QEMU-native TLS or a tunnel '
          'through libvirtd); Nova refuses to start with both '
          'live_migration_with_native_tls and live_migration_tunnelled'),
    _Rule(ERROR, 'non-shared-disk-with-inc',
          lambda mask, block: _has(mask, bits.DISK_COPY),
          'the {set} has both VIR_MIGRATE_NON_SHARED_DISK and '
          'VIR_MIGRATE_NON_SHARED_INC',
          'libvirt rejects them as mutually exclusive: a migration copies '
          'either whole disks or only their top image'),
    _Rule(ERROR, 'storage-in-live-set',
          lambda mask, block: not block and mask & bits.STORAGE,
          'the {set} carries {storage}',
          'Nova adds storage flags only to block migrations, which it '
          'refuses on shared storage; in a live set they make every '
          'migration copy disks, even onto the very files the source guest '
          'is using'),
    _Rule(ERROR, 'tunnelled-with-storage',
          lambda mask, block: (mask & bits.TUNNELLED
                               and mask & bits.DISK_COPY),
          'the {set} has VIR_MIGRATE_TUNNELLED with {copy}',
          'the libvirtd tunnel carries memory but not the disk (NBD) '
          'stream: libvirt 9.0 fails with an internal error, newer libvirt '
          'rejects the combination, and Nova documents '
          'live_migration_tunnelled as incompatible with block migration'),
    _Rule(ERROR, 'block-without-storage',
          lambda mask, block: block and not mask & bits.DISK_COPY,
          'the {set} has neither VIR_MIGRATE_NON_SHARED_INC nor '
          'VIR_MIGRATE_NON_SHARED_DISK',
          'without one the local disks are not copied: libvirt refuses a '
          'guest with local disks as "Migration without shared storage is '
          'unsafe"; Nova block-migrates with VIR_MIGRATE_NON_SHARED_INC'),
    _Rule(WARNING, 'missing-persist-dest',
          lambda mask, block: not mask & bits.PERSIST_DEST,
          'the {set} lacks VIR_MIGRATE_PERSIST_DEST',
          'the guest then runs on the destination without being defined '
          'there and vanishes from libvirt once it stops; Nova always sets '
          'it'),
    _Rule(WARNING, 'missing-undefine-source',
          lambda mask, block: not mask & bits.UNDEFINE_SOURCE,
          'the {set} lacks VIR_MIGRATE_UNDEFINE_SOURCE',
          'the guest then stays defined on the source after it left, so two '
          'hosts hold the same domain; Nova always sets it'),
    _Rule(WARNING, 'tunnelled-deprecated',
          lambda mask, block: mask & bits.TUNNELLED,
          'the {set} has VIR_MIGRATE_TUNNELLED, which Nova deprecated',
          '[libvirt] live_migration_tunnelled is deprecated for removal since '
          'Nova 23.0.0: tunnelling is slow and cannot carry block '
          'migrations; use live_migration_with_native_tls'),
    _Rule(WARNING, 'auto-converge-with-postcopy',
          lambda mask, block: _has(mask, bits.AUTO_CONVERGE | bits.POSTCOPY),
          'the {set} has VIR_MIGRATE_AUTO_CONVERGE beside '
          'VIR_MIGRATE_POSTCOPY',
          'Nova ignores live_migration_permit_auto_converge whenever '
          'live_migration_permit_post_copy is True, so it never sends both'),
    _Rule(WARNING, 'unsafe',
          lambda mask, block: mask & bits.UNSAFE,
          'the {set} has VIR_MIGRATE_UNSAFE',
          'it overrides the checks by which libvirt refuses migrations that '
          'can corrupt guest disks (unsafe cache modes, unshared storage); '
          'Nova never sets it'),
)


def validate(mask, block=False):
    """Return the findings for a live (or, with ``block``, block) set.

    Errors come first, each rule at most once.

    :param mask: an int or an expression accepted by ``parse``.
    :raises FlagError: ``mask`` is not a valid flag expression.
    """
    mask = expression.parse(mask)
    label = 'block set' if block else 'live set'
    storage = '|'.join(expression.names(mask & bits.STORAGE))
    copy = '|'.join(expression.names(mask & bits.DISK_COPY))
    # _RULES lists the errors before the warnings.
    return [
        Finding(rule.severity, rule.code,
                rule.message.format(set=label, storage=storage, copy=copy),
                rule.reason)
        for rule in _RULES if rule.applies(mask, block)
    ]


def errors(findings):
    """Return the findings that are errors."""
    return [finding for finding in findings if finding.severity == ERROR]


def warnings(findings):
    """Return the findings that are warnings."""
    return [finding for finding in findings if finding.severity == WARNING]
