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

import dataclasses

import ddt
import testtools

from nova_migration_ext.libvirt import flags

# Nova 34's sets with its default [libvirt] options.
NOVA_LIVE = 'LIVE|PEER2PEER|PERSIST_DEST|UNDEFINE_SOURCE'
NOVA_BLOCK = NOVA_LIVE + '|NON_SHARED_INC'


def codes(findings):
    return [finding.code for finding in findings]


@ddt.ddt
class TestValidate(testtools.TestCase):

    def test_nova_default_sets_are_clean(self):
        self.assertEqual([], flags.validate(NOVA_LIVE))
        self.assertEqual([], flags.validate(NOVA_BLOCK, block=True))

    def test_nova_sets_for_every_option_are_clean_but_for_tunnelled(self):
        for native_tls in (False, True):
            for post_copy in (False, True):
                for auto_converge in (False, True):
                    for connections in (1, 2):
                        live, block = flags.nova_flags(
                            native_tls=native_tls,
                            permit_post_copy=post_copy,
                            permit_auto_converge=auto_converge,
                            parallel_connections=connections)
                        self.assertEqual([], flags.validate(live))
                        self.assertEqual([], flags.validate(block, True))

    @ddt.unpack
    @ddt.data(
        # (set, block, codes expected, in order: errors first)
        ('PEER2PEER|PERSIST_DEST|UNDEFINE_SOURCE', False, ['missing-live']),
        ('LIVE|PERSIST_DEST|UNDEFINE_SOURCE', False, ['missing-peer2peer']),
        ('LIVE|TUNNELLED|PERSIST_DEST|UNDEFINE_SOURCE', False,
         ['missing-peer2peer', 'tunnelled-without-peer2peer',
          'tunnelled-deprecated']),
        (NOVA_LIVE + '|TLS|TUNNELLED', False,
         ['tls-with-tunnelled', 'tunnelled-deprecated']),
        (NOVA_BLOCK + '|NON_SHARED_DISK', True,
         ['non-shared-disk-with-inc']),
        (NOVA_LIVE + '|NON_SHARED_INC', False, ['storage-in-live-set']),
        (NOVA_LIVE + '|NON_SHARED_SYNCHRONOUS_WRITES', False,
         ['storage-in-live-set']),
        (NOVA_BLOCK + '|TUNNELLED', True,
         ['tunnelled-with-storage', 'tunnelled-deprecated']),
        (NOVA_LIVE, True, ['block-without-storage']),
        (NOVA_LIVE + '|NON_SHARED_SYNCHRONOUS_WRITES', True,
         ['block-without-storage']),
        ('LIVE|PEER2PEER|UNDEFINE_SOURCE', False, ['missing-persist-dest']),
        ('LIVE|PEER2PEER|PERSIST_DEST', False, ['missing-undefine-source']),
        (NOVA_LIVE + '|TUNNELLED', False, ['tunnelled-deprecated']),
        (NOVA_LIVE + '|AUTO_CONVERGE|POSTCOPY', False,
         ['auto-converge-with-postcopy']),
        (NOVA_LIVE + '|UNSAFE', False, ['unsafe']),
        ('LIVE', False,
         ['missing-peer2peer', 'missing-persist-dest',
          'missing-undefine-source']),
    )
    def test_rule(self, expr, block, expected):
        self.assertEqual(expected, codes(flags.validate(expr, block=block)))

    def test_errors_come_before_warnings(self):
        findings = flags.validate('LIVE|TUNNELLED|NON_SHARED_DISK')
        severities = [finding.severity for finding in findings]
        self.assertEqual(sorted(severities), severities)
        self.assertEqual(['error', 'warning'], sorted(set(severities)))

    def test_messages_name_the_set_and_the_flags(self):
        live, = flags.validate(NOVA_LIVE + '|NON_SHARED_INC')
        self.assertEqual('error', live.severity)
        self.assertEqual('the live set carries VIR_MIGRATE_NON_SHARED_INC',
                         live.message)
        self.assertIn('Nova adds storage flags only to block migrations',
                      live.reason)
        findings = flags.validate(NOVA_BLOCK + '|TUNNELLED', block=True)
        self.assertEqual('the block set has VIR_MIGRATE_TUNNELLED with '
                         'VIR_MIGRATE_NON_SHARED_INC', findings[0].message)

    def test_missing_peer2peer_quotes_libvirt(self):
        finding, = flags.validate('LIVE|PERSIST_DEST|UNDEFINE_SOURCE')
        self.assertIn('direct migration is not supported by the source host',
                      finding.reason)

    def test_finding_is_immutable(self):
        finding, = flags.validate(NOVA_LIVE + '|UNSAFE')
        self.assertRaises(dataclasses.FrozenInstanceError, setattr,
                          finding, 'severity', 'error')
        self.assertTrue(str(finding).startswith('warning unsafe: '))

    def test_errors_and_warnings_helpers(self):
        findings = flags.validate('LIVE|TUNNELLED')
        self.assertEqual(['missing-peer2peer', 'tunnelled-without-peer2peer'],
                         codes(flags.errors(findings)))
        self.assertEqual(['missing-persist-dest', 'missing-undefine-source',
                          'tunnelled-deprecated'],
                         codes(flags.warnings(findings)))

    def test_bad_expression(self):
        self.assertRaises(flags.FlagError, flags.validate, 'LIVE|BOGUS')
