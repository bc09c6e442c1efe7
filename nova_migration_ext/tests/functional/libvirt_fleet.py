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
"""Real Nova 34 with migration_ext.LibvirtDriver over fakelibvirt.

Every host runs our driver subclass, loaded by nova-compute as
``compute_driver = migration_ext.LibvirtDriver``; the scheduler runs our
filters and a weigher that prefers the host a filter must refuse. Tests
give each host its own /proc/mounts and /proc/meminfo and its own CPU.
"""

import functools
import os
import re
from urllib import parse

import fixtures
from oslo_utils import versionutils

from nova import conf
from nova import context as nova_context
from nova import objects
from nova.tests.functional.libvirt import base as libvirt_base

from nova_migration_ext.tests.functional import base
from nova_migration_ext.virt import system

QEMU_8_2 = versionutils.convert_version_to_int('8.2.0')
LIBVIRT_10_0 = versionutils.convert_version_to_int('10.0.0')
CONF = conf.CONF

OUR_FILTERS = base.OUR_FILTERS + ['CpuCompatibilityFilter']

MEMINFO = """\
MemTotal:       16777216 kB
MemFree:         8388608 kB
MemAvailable:   %d kB
"""


def _without(pattern, method, *args):
    return pattern.sub('', method(*args))


class LibvirtFleetTestCase(base.FleetMixin, libvirt_base.ServersTestBase):

    ADMIN_API = True
    # Casts stay casts, as between real services: a move the scheduler
    # refuses ends as an error migration, not as an API error.
    CAST_AS_CALL = False
    microversion = 'latest'
    compute_driver = 'migration_ext.LibvirtDriver'
    use_our_filters = True

    def setUp(self):
        base.configure_scheduler(self, base.STOCK_FILTERS + (
            OUR_FILTERS if self.use_our_filters else []))
        self.missing_cpu_features = {}
        # Flags each live migration was started with, by destination.
        self.migration_flags = {}
        super().setUp()
        self.useFixture(fixtures.MonkeyPatch(
            'nova.tests.fixtures.libvirt.Domain.migrateToURI3',
            self._migrate_stub))
        self.useFixture(fixtures.MockPatch(
            'nova.virt.libvirt.driver.LibvirtDriver.'
            'migrate_disk_and_power_off', return_value='{}'))

    def _setup_compute_service(self):
        # Hosts are started by the tests, through Nova's own loader.
        self.flags(compute_driver=self.compute_driver)

    def _get_connection(self, host_info=None, pci_info=None, mdev_info=None,
                        vdpa_info=None, libvirt_version=None,
                        qemu_version=None, hostname=None):
        connection = super()._get_connection(
            host_info, pci_info, mdev_info, vdpa_info, libvirt_version,
            qemu_version, hostname)
        missing = self.missing_cpu_features.get(hostname)
        if missing:
            # Nova reads the host CPU from the capabilities, then its
            # features from baselineCPU: take the features out of both.
            pattern = re.compile(r"<feature [^>]*name='(%s)'/>"
                                 % '|'.join(map(re.escape, missing)))
            for method in ('getCapabilities', 'baselineCPU'):
                real = getattr(connection, method)
                setattr(connection, method, functools.partial(
                    _without, pattern, real))
        return connection

    def _migrate_stub(self, domain, destination, params, flags):
        """Complete a live migration as libvirt would, to any host."""
        host = parse.urlsplit(destination).hostname
        self.migration_flags[host] = flags
        self.computes[host].driver._host.get_connection().createXML(
            params['destination_xml'],
            'fake-createXML-doesnt-care-about-flags')
        domain.complete_job()

    # -- fleet ---------------------------------------------------------------

    def start_host(self, host, mounts=None, mem_available_mb=8192,
                   missing_cpu_features=(), qemu_version=QEMU_8_2,
                   libvirt_version=LIBVIRT_10_0):
        """Start nova-compute on ``host`` with its own /proc and CPU.

        ``mounts`` is the host's /proc/mounts text, where
        ``{instances_path}`` stands for [DEFAULT] instances_path, and
        ``{instances_parent}``, ``{instances_name}`` for its parts.
        """
        self.missing_cpu_features[host] = tuple(missing_cpu_features)
        self.start_compute(host, qemu_version=qemu_version,
                           libvirt_version=libvirt_version)
        self.set_proc(host, mounts=mounts, mem_available_mb=mem_available_mb)
        return self.computes[host]

    def set_proc(self, host, mounts=None, mem_available_mb=8192):
        parent, _, name = self.instances_path.rpartition('/')
        mounts = (mounts or '').format(instances_path=self.instances_path,
                                       instances_parent=parent or '/',
                                       instances_name=name)
        meminfo = MEMINFO % (mem_available_mb * 1024)
        self.computes[host].driver.host_system = system.System(
            read_mounts=lambda: mounts, read_meminfo=lambda: meminfo)

    @property
    def instances_path(self):
        return os.path.realpath(CONF.instances_path)

    def stats_of(self, host):
        ctxt = nova_context.get_admin_context()
        node, = objects.ComputeNodeList.get_all_by_host(ctxt, host)
        return node.stats

    def boot(self, host):
        return self._create_server(host=host, networks='none')
