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

"""SharedStorageFilter inside real Nova: storage domains declared by
aggregate metadata ``migration_ext:shared_storage``.
"""

from nova_migration_ext.tests.functional import base


class _Fleet(base.MigrationTestCase):
    """source and peer mount nfs-a, other mounts nfs-b; the weigher
    prefers other, where the instance's disk does not exist.
    """

    def setUp(self):
        super().setUp()
        for host in ('source', 'peer', 'other'):
            self.start_host(host)
        self.refresh_hosts()
        self.aggregate('nfs-a', ['source', 'peer'],
                       {'migration_ext:shared_storage': 'nfs-a'})
        self.aggregate('nfs-b', ['other'],
                       {'migration_ext:shared_storage': 'nfs-b'})
        self.server = self.boot('source')
        self.prefer('other', 'peer')


class SharedStorageTest(_Fleet):

    def test_live_migration_stays_on_shared_storage(self):
        server = self._live_migrate(self.server)
        self.assertEqual('peer', self.host_of(server))

    def test_evacuate_stays_on_shared_storage(self):
        self.force_down('source')
        server = self._evacuate_server(self.server, expected_host='peer')
        self.assertEqual('peer', self.host_of(server))

    def test_evacuate_with_no_host_on_the_storage_is_refused(self):
        self.disable('peer')
        self.force_down('source')
        self.evacuate_refused(self.server, 'source')
        # Nothing was rebuilt from the image anywhere.
        self.assertNotIn(self.server['id'],
                         self.computes['other'].driver.list_instance_uuids())

    def test_cold_migration_may_leave_the_storage(self):
        # Cold migration copies the disk: not in shared_storage_operations.
        server = self._migrate_server(self.server)
        self.assertEqual('other', self.host_of(server))

    def test_volume_backed_instance_evacuates_anywhere(self):
        self.prefer('source')
        server = self._create_server_boot_from_volume(networks='none')
        self.assertEqual('source', self.host_of(server))
        self.prefer('other', 'peer')
        self.force_down('source')
        server = self._evacuate_server(server, expected_host='other')
        self.assertEqual('other', self.host_of(server))


class StockNovaSharedStorageTest(_Fleet):
    """What the filter prevents: stock Nova evacuates to the other storage,
    which rebuilds the instance from its image.
    """

    use_our_filters = False

    def test_evacuate_leaves_the_storage(self):
        self.force_down('source')
        server = self._evacuate_server(self.server, expected_host='other')
        self.assertEqual('other', self.host_of(server))
