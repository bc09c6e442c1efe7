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

"""HypervisorVersionFilter inside real Nova."""

from nova_migration_ext.tests.functional import base

QEMU_7_2 = 7002000
QEMU_8_2 = 8002000
QEMU_9_0 = 9000000


class _Fleet(base.MigrationTestCase):
    """source (QEMU 8.2), older (7.2), newer (9.0); the weigher prefers the
    older host, the one a move must not go to.
    """

    def setUp(self):
        super().setUp()
        self.start_host('source', version=QEMU_8_2)
        self.start_host('older', version=QEMU_7_2)
        self.start_host('newer', version=QEMU_9_0)
        self.refresh_hosts()
        self.server = self.boot('source')
        self.prefer('older', 'newer')


class HypervisorVersionTest(_Fleet):

    def test_live_migration_skips_older_qemu_first_time(self):
        # No retry: Nova's conductor would reject the older host and give up.
        self.flags(migrate_max_retries=0)
        server = self._live_migrate(self.server)
        self.assertEqual('newer', self.host_of(server))

    def test_cold_migration_skips_older_qemu(self):
        server = self._migrate_server(self.server)
        self.assertEqual('newer', self.host_of(server))
        server = self._confirm_resize(server)
        self.assertEqual('newer', self.host_of(server))

    def test_evacuate_skips_older_qemu(self):
        self.force_down('source')
        server = self._evacuate_server(self.server, expected_host='newer')
        self.assertEqual('newer', self.host_of(server))

    def test_no_newer_host_leaves_instance_on_source(self):
        self.disable('newer')
        self._live_migrate(self.server, migration_expected_state='error')
        self.assert_stays_on(self.server, 'source')
        self.cold_migrate_refused(self.server)
        self.assert_stays_on(self.server, 'source')

    def test_boot_is_unaffected(self):
        server = self.boot(None)
        self.assertEqual('older', self.host_of(server))


class StockNovaHypervisorVersionTest(_Fleet):
    """What the filter prevents: stock Nova cold-migrates to older QEMU."""

    use_our_filters = False

    def test_cold_migration_lands_on_older_qemu(self):
        server = self._migrate_server(self.server)
        self.assertEqual('older', self.host_of(server))
