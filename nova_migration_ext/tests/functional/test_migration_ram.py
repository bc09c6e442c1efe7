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

"""MigrationRamFilter inside real Nova."""

from nova_migration_ext.tests.functional import base


class _Fleet(base.MigrationTestCase):
    """Every host overcommits RAM 1.5x. tight (4 GiB) already runs a 2 GiB
    instance: placement still finds room for 2 GiB more, real memory does
    not. roomy (8 GiB) is empty. The weigher prefers tight.
    """

    def setUp(self):
        self.flags(ram_allocation_ratio=1.5)
        super().setUp()
        self.start_host('source')
        self.start_host('tight', memory_mb=4096)
        self.start_host('roomy', memory_mb=8192)
        self.refresh_hosts()
        self.flavor = self._create_flavor(memory_mb=2048, vcpu=1, disk=1)
        self.server = self.boot('source', flavor_id=self.flavor)
        self.boot('tight', flavor_id=self.flavor)
        self.prefer('tight', 'roomy')


class MigrationRamTest(_Fleet):

    def test_live_migration_needs_real_memory(self):
        server = self._live_migrate(self.server)
        self.assertEqual('roomy', self.host_of(server))

    def test_cold_migration_uses_the_host_ratio(self):
        server = self._migrate_server(self.server)
        self.assertEqual('tight', self.host_of(server))

    def test_headroom_is_required_on_live_migration(self):
        # roomy: 8192 MB - 512 reserved = 7680 free; 2048 + 6000 > 7680.
        self.flags(ram_headroom_mb=6000, group='migration_ext')
        self._live_migrate(self.server, migration_expected_state='error')
        self.assert_stays_on(self.server, 'source')


class StockNovaRamTest(_Fleet):
    """What the filter prevents: a live migration into overcommitted RAM."""

    use_our_filters = False

    def test_live_migration_lands_on_overcommitted_host(self):
        server = self._live_migrate(self.server)
        self.assertEqual('tight', self.host_of(server))
