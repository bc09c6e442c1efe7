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
"""compute_driver = migration_ext.LibvirtDriver inside real nova-compute."""

from unittest import mock

from oslo_utils import versionutils

from nova import test
from nova.tests import fixtures as nova_fixtures
from nova.virt import driver as virt_driver
from nova.virt.libvirt import driver as nova_libvirt

from nova_migration_ext import facts
from nova_migration_ext.tests.functional import libvirt_fleet
from nova_migration_ext.virt import driver as our_driver
from nova_migration_ext.virt import extra_flags

NFS = '10.0.0.5:/export {instances_path} nfs4 rw 0 0\n'
COMPRESSED = 2048


class LoadComputeDriverTest(test.NoDBTestCase):

    def test_nova_loads_our_driver(self):
        self.useFixture(nova_fixtures.LibvirtFixture())
        driver = virt_driver.load_compute_driver(
            mock.sentinel.virtapi, 'migration_ext.LibvirtDriver')
        self.assertIs(our_driver.LibvirtDriver, type(driver))
        self.assertIsInstance(driver, nova_libvirt.LibvirtDriver)


class PublishedFactsTest(libvirt_fleet.LibvirtFleetTestCase):

    def test_host_publishes_its_facts(self):
        compute = self.start_host(
            'host1', mounts=NFS, mem_available_mb=3000,
            qemu_version=versionutils.convert_version_to_int('9.1.2'),
            libvirt_version=versionutils.convert_version_to_int('10.5.0'))
        self.assertIs(our_driver.LibvirtDriver, type(compute.driver))
        self.refresh_hosts()
        stats = self.stats_of('host1')
        self.assertEqual({
            facts.STORAGE_ID_STAT: 'nfs:10.0.0.5:/export',
            facts.LIBVIRT_VERSION_STAT: '10.5.0',
            facts.QEMU_VERSION_STAT: '9.1.2',
            facts.MEM_AVAILABLE_STAT: '3000',
            facts.CPU_VENDOR_STAT: 'Intel',
            facts.CPU_MODEL_STAT: 'Penryn',
            facts.CPU_MODE_STAT: 'host-model',
        }, {key: value for key, value in stats.items()
            if key.startswith(facts.STAT_PREFIX)})

    def test_unreadable_proc_leaves_facts_out_not_the_host(self):
        compute = self.start_host('host1')

        def unreadable():
            raise PermissionError(13, 'Permission denied')

        compute.driver.host_system = compute.driver.host_system.__class__(
            read_mounts=unreadable, read_meminfo=unreadable)
        self.refresh_hosts()
        stats = self.stats_of('host1')
        self.assertNotIn(facts.STORAGE_ID_STAT, stats)
        self.assertNotIn(facts.MEM_AVAILABLE_STAT, stats)
        self.assertEqual('10.0.0', stats[facts.LIBVIRT_VERSION_STAT])
        # The host still takes instances.
        server = self.boot(None)
        self.assertEqual('host1', self.host_of(server))


class ExtraFlagsTest(libvirt_fleet.LibvirtFleetTestCase):

    def test_unknown_flag_stops_nova_compute(self):
        self.flags(live_migration_extra_flags=['COMPRESSED', 'COMPRES'],
                   group='migration_ext')
        exc = self.assertRaises(extra_flags.InvalidMigrationFlags,
                                self.start_compute, 'host1')
        message = str(exc)
        self.assertTrue(message.startswith(
            'Invalid [migration_ext] live_migration_extra_flags = '
            'COMPRESSED,COMPRES: '), message)
        self.assertIn('COMPRES', message.split(': ', 1)[1])
        # No compute node was reported: the host takes no instances.
        self.assertEqual(
            [], self.admin_api.api_get('/os-hypervisors').body['hypervisors'])

    def test_invalid_combination_stops_nova_compute(self):
        self.flags(live_migration_with_native_tls=True, group='libvirt')
        self.flags(block_migration_extra_flags=['VIR_MIGRATE_TUNNELLED'],
                   group='migration_ext')
        exc = self.assertRaises(extra_flags.InvalidMigrationFlags,
                                self.start_compute, 'host1')
        message = str(exc)
        self.assertTrue(message.startswith(
            'Invalid [migration_ext] block_migration_extra_flags = '
            'VIR_MIGRATE_TUNNELLED: block migration flags '), message)
        self.assertIn('TUNNELLED', message.split(': ', 2)[2])

    def test_extra_flag_reaches_libvirt(self):
        self.flags(live_migration_extra_flags=['COMPRESSED'],
                   group='migration_ext')
        self.start_host('host1', mounts=NFS)
        self.start_host('host2', mounts=NFS)
        self.refresh_hosts()
        for compute in self.computes.values():
            self.assertTrue(compute.driver._get_migration_flags(False)
                            & COMPRESSED)
            self.assertFalse(compute.driver._get_migration_flags(True)
                             & COMPRESSED)
        server = self._live_migrate(self.boot('host1'))
        self.assertEqual('host2', self.host_of(server))
        self.assertTrue(self.migration_flags['host2'] & COMPRESSED)
