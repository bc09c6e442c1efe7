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

from unittest import mock

import libvirt
import testtools

from nova_migration_ext.libvirt import flags
from nova_migration_ext.libvirt import migrate

NOVA_LIVE, NOVA_BLOCK = flags.nova_flags()
DEST = 'qemu+tls://dest/system'


class TestMigrateLive(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.domain = mock.Mock(spec=libvirt.virDomain)
        self.domain.name.return_value = 'guest'

    def test_valid_set_reaches_libvirt(self):
        warnings = migrate.migrate_live(self.domain, DEST, NOVA_LIVE,
                                        params={'bandwidth': 10})
        self.assertEqual([], warnings)
        self.domain.migrateToURI3.assert_called_once_with(
            DEST, {'bandwidth': 10}, NOVA_LIVE)

    def test_warnings_are_returned(self):
        warnings = migrate.migrate_live(self.domain, DEST,
                                        'LIVE|PEER2PEER|PERSIST_DEST')
        self.assertEqual(['missing-undefine-source'],
                         [w.code for w in warnings])
        self.domain.migrateToURI3.assert_called_once_with(DEST, {}, 11)

    def test_invalid_set_never_reaches_libvirt(self):
        exc = self.assertRaises(migrate.FlagSetRejected,
                                migrate.migrate_live, self.domain, DEST,
                                NOVA_BLOCK)
        self.assertEqual([], self.domain.mock_calls)
        self.assertEqual(['storage-in-live-set'],
                         [f.code for f in exc.findings])
        self.assertTrue(str(exc).startswith(
            'refusing to migrate with VIR_MIGRATE_LIVE|VIR_MIGRATE_PEER2PEER|'
            'VIR_MIGRATE_PERSIST_DEST|VIR_MIGRATE_UNDEFINE_SOURCE|'
            'VIR_MIGRATE_NON_SHARED_INC (0x9b): the live set carries '
            'VIR_MIGRATE_NON_SHARED_INC ('), str(exc))

    def test_block_set_is_validated_as_such(self):
        migrate.migrate_live(self.domain, DEST, NOVA_BLOCK, block=True)
        self.domain.migrateToURI3.assert_called_once_with(
            DEST, {}, NOVA_BLOCK)

    def test_unknown_flag_name(self):
        self.assertRaises(flags.FlagError, migrate.migrate_live,
                          self.domain, DEST, 'LIVE|PEER2PEER|BOGUS')
        self.assertEqual([], self.domain.mock_calls)

    def test_libvirt_error_is_wrapped(self):
        error = libvirt.libvirtError('operation failed: no route')
        self.domain.migrateToURI3.side_effect = error
        exc = self.assertRaises(migrate.MigrationFailed,
                                migrate.migrate_live, self.domain, DEST,
                                NOVA_LIVE)
        self.assertEqual(
            "libvirt could not migrate guest 'guest' to %s with "
            "VIR_MIGRATE_LIVE|VIR_MIGRATE_PEER2PEER|VIR_MIGRATE_PERSIST_DEST|"
            "VIR_MIGRATE_UNDEFINE_SOURCE (0x1b): operation failed: no route"
            % DEST, str(exc))
        self.assertEqual('operation failed: no route', exc.libvirt_message)
        self.assertIs(error, exc.__cause__)
        self.assertEqual(NOVA_LIVE, exc.mask)
