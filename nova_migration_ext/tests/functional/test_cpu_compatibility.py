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
"""CpuCompatibilityFilter with CPUs reported by the real libvirt driver.

All hosts share one NFS export. old2 lacks two CPU features of source1
and is the host the weigher prefers; new3 has them all. Guests use Nova's
default CPU mode for KVM, host-model, which every host publishes.
"""

from nova_migration_ext import facts
from nova_migration_ext.tests.functional import libvirt_fleet

NFS = '10.0.0.5:/export {instances_path} nfs4 rw 0 0\n'


class CpuCompatibilityTest(libvirt_fleet.LibvirtFleetTestCase):

    def setUp(self):
        super().setUp()
        self.start_host('source1', mounts=NFS)
        self.start_host('old2', mounts=NFS,
                        missing_cpu_features=('vmx', 'monitor'))
        self.start_host('new3', mounts=NFS)
        self.refresh_hosts()
        self.prefer('old2', 'new3')
        self.server = self.boot('source1')

    def test_hosts_publish_cpu_facts(self):
        stats = self.stats_of('source1')
        self.assertEqual(('Intel', 'Penryn', 'host-model'),
                         (stats[facts.CPU_VENDOR_STAT],
                          stats[facts.CPU_MODEL_STAT],
                          stats[facts.CPU_MODE_STAT]))

    def test_live_migration_skips_host_lacking_features(self):
        self.flags(migrate_max_retries=0)
        server = self._live_migrate(self.server)
        self.assertEqual('new3', self.host_of(server))

    def test_cold_migration_accepts_host_lacking_features(self):
        server = self._migrate_server(self.server)
        self.assertEqual('old2', self.host_of(server))
        server = self._confirm_resize(server)
        self.assertEqual('old2', self.host_of(server))

    def test_custom_cpu_mode_is_not_checked(self):
        self.flags(cpu_mode='custom', cpu_models=['Penryn'], group='libvirt')
        self.refresh_hosts()
        self.assertEqual('custom',
                         self.stats_of('source1')[facts.CPU_MODE_STAT])
        server = self._live_migrate(self.server)
        self.assertEqual('old2', self.host_of(server))
