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
"""extra_flags: [migration_ext] extra flags on top of Nova's sets.

Runs against nova_migration_ext.libvirt.flags, or its test stand-in until
the helper is merged.
"""

import types

import fixtures
import testtools

from nova_migration_ext.virt import extra_flags

LIVE = 1
PEER2PEER = 2
TUNNELLED = 4
PERSIST_DEST = 8
UNDEFINE_SOURCE = 16
NON_SHARED_INC = 128
COMPRESSED = 2048
AUTO_CONVERGE = 8192
POSTCOPY = 32768
TLS = 65536

# Nova's defaults: LIVE|PEER2PEER|UNDEFINE_SOURCE|PERSIST_DEST (+ block).
NOVA_LIVE = LIVE | PEER2PEER | UNDEFINE_SOURCE | PERSIST_DEST
NOVA_BLOCK = NOVA_LIVE | NON_SHARED_INC


def group(live=(), block=()):
    return types.SimpleNamespace(live_migration_extra_flags=list(live),
                                 block_migration_extra_flags=list(block))


class ExtraFlagsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.log = self.useFixture(fixtures.FakeLogger())

    def test_no_extra_flags_keeps_nova_sets(self):
        self.assertEqual((NOVA_LIVE, NOVA_BLOCK),
                         extra_flags.apply(NOVA_LIVE, NOVA_BLOCK, group()))

    def test_extra_flags_are_added_to_their_set_only(self):
        live, block = extra_flags.apply(
            NOVA_LIVE, NOVA_BLOCK,
            group(live=['VIR_MIGRATE_COMPRESSED'], block=['AUTO_CONVERGE']))
        self.assertEqual(NOVA_LIVE | COMPRESSED, live)
        self.assertEqual(NOVA_BLOCK | AUTO_CONVERGE, block)

    def test_unknown_flag_is_named(self):
        exc = self.assertRaises(
            extra_flags.InvalidMigrationFlags, extra_flags.apply,
            NOVA_LIVE, NOVA_BLOCK, group(live=['AUTO_CONVERGE', 'COMPRESS']))
        message = str(exc)
        self.assertTrue(message.startswith(
            'Invalid [migration_ext] live_migration_extra_flags = '
            'AUTO_CONVERGE,COMPRESS: '), message)
        self.assertIn('COMPRESS', message.split(': ', 1)[1])

    def test_invalid_combination_is_named(self):
        exc = self.assertRaises(
            extra_flags.InvalidMigrationFlags, extra_flags.apply,
            NOVA_LIVE | TLS, NOVA_BLOCK | TLS, group(block=['TUNNELLED']))
        message = str(exc)
        self.assertTrue(message.startswith(
            'Invalid [migration_ext] block_migration_extra_flags = '
            'TUNNELLED: block migration flags '), message)
        self.assertIn('TUNNELLED', message.split(': ', 2)[2])

    def test_warnings_are_logged_not_fatal(self):
        live, _block = extra_flags.apply(
            NOVA_LIVE | POSTCOPY, NOVA_BLOCK, group(live=['AUTO_CONVERGE']))
        self.assertEqual(NOVA_LIVE | POSTCOPY | AUTO_CONVERGE, live)
        self.assertIn('[migration_ext] live_migration_extra_flags = '
                      'AUTO_CONVERGE: live migration flags ', self.log.output)
