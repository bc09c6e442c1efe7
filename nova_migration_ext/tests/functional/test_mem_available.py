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
"""MigrationRamFilter with live_migration_check_mem_available.

Both candidates have the same placement capacity; busy2, which the weigher
prefers, has little MemAvailable left (page cache, unaccounted processes).
"""

from nova_migration_ext import facts
from nova_migration_ext.tests.functional import libvirt_fleet

NFS = '10.0.0.5:/export {instances_path} nfs4 rw 0 0\n'


class MemAvailableTest(libvirt_fleet.LibvirtFleetTestCase):

    def setUp(self):
        super().setUp()
        self.start_host('source1', mounts=NFS)
        self.start_host('busy2', mounts=NFS, mem_available_mb=700)
        self.start_host('idle3', mounts=NFS, mem_available_mb=12000)
        self.refresh_hosts()
        self.prefer('busy2', 'idle3')
        # m1.tiny: 512 MB.
        self.server = self.boot('source1')
        self.flags(ram_headroom_mb=256, group='migration_ext')

    def test_hosts_publish_mem_available(self):
        self.assertEqual(['8192', '700', '12000'],
                         [self.stats_of(host)[facts.MEM_AVAILABLE_STAT]
                          for host in ('source1', 'busy2', 'idle3')])

    def test_live_migration_needs_mem_available(self):
        self.flags(live_migration_check_mem_available=True,
                   group='migration_ext')
        server = self._live_migrate(self.server)
        self.assertEqual('idle3', self.host_of(server))

    def test_option_off_by_default(self):
        server = self._live_migrate(self.server)
        self.assertEqual('busy2', self.host_of(server))
