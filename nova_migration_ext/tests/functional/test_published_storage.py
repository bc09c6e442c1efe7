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
"""Hosts name their own storage: no aggregate metadata at all.

nfs1 and nfs2 mount one NFS export (the first through a mount of its
parent directory, the second directly) under [DEFAULT] instances_path;
local3 keeps instances on its own disk and is the host the weigher
prefers. SharedStorageFilter must keep instances on the export.
"""

from nova_migration_ext import facts
from nova_migration_ext.tests.functional import libvirt_fleet

NFS_PARENT = ('/dev/vda1 / ext4 rw 0 0\n'
              '10.0.0.5:/export {instances_parent} nfs4 rw,vers=4.2 0 0\n')
NFS_DIRECT = ('/dev/vda1 / ext4 rw 0 0\n'
              '10.0.0.5:/export/{instances_name} {instances_path} nfs '
              'rw,vers=3 0 0\n')
LOCAL_DISK = ('/dev/vda1 / ext4 rw 0 0\n'
              '/dev/vdb {instances_path} xfs rw 0 0\n')


class _Fleet(libvirt_fleet.LibvirtFleetTestCase):

    def setUp(self):
        super().setUp()
        self.start_host('nfs1', mounts=NFS_PARENT)
        self.start_host('nfs2', mounts=NFS_DIRECT)
        self.start_host('local3', mounts=LOCAL_DISK)
        self.refresh_hosts()
        self.export = ('nfs:10.0.0.5:/export/'
                       + self.instances_path.rpartition('/')[2])
        self.prefer('local3', 'nfs2', 'nfs1')


class PublishedStorageTest(_Fleet):

    def test_hosts_publish_their_storage(self):
        self.assertEqual(
            [self.export, self.export, 'local:local3:/dev/vdb'],
            [self.stats_of(host).get(facts.STORAGE_ID_STAT)
             for host in ('nfs1', 'nfs2', 'local3')])

    def test_live_migration_stays_on_the_export(self):
        server = self.boot('nfs1')
        self.flags(migrate_max_retries=0)
        server = self._live_migrate(server)
        self.assertEqual('nfs2', self.host_of(server))
        self.assertIn('nfs2', self.migration_flags)

    def test_evacuate_stays_on_the_export(self):
        server = self.boot('nfs1')
        self.force_down('nfs1')
        server = self._evacuate_server(server, expected_host='nfs2')
        self.assertEqual('nfs2', self.host_of(server))

    def test_no_host_on_the_export_leaves_the_instance(self):
        server = self.boot('nfs1')
        self.disable('nfs2')
        self._live_migrate(server, migration_expected_state='error')
        server = self._wait_for_server_parameter(
            server, {'OS-EXT-SRV-ATTR:host': 'nfs1', 'status': 'ACTIVE',
                     'OS-EXT-STS:task_state': None})
        self.assertEqual({}, self.migration_flags)

    def test_instance_on_local_disk_may_move_anywhere(self):
        # A local disk is in no shared-storage domain: block migration,
        # as in stock Nova, to the host the weigher prefers.
        server = self.boot('local3')
        self.prefer('nfs2', 'nfs1')
        server = self._live_migrate(server)
        self.assertEqual('nfs2', self.host_of(server))


class StockNovaPublishedStorageTest(_Fleet):
    """What the filter prevents: stock Nova leaves the export."""

    use_our_filters = False

    def test_live_migration_leaves_the_export(self):
        server = self.boot('nfs1')
        server = self._live_migrate(server)
        self.assertEqual('local3', self.host_of(server))
