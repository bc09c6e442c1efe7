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
"""``compute_driver = migration_ext.LibvirtDriver``.

Nova imports ``nova.virt.<compute_driver>``; the distribution ships
``nova/virt/migration_ext/__init__.py``, which re-exports this class.
"""

import functools

import nova.conf
from nova.virt.libvirt import driver as libvirt_driver

from nova_migration_ext import conf  # noqa: F401 - registers [migration_ext]
from nova_migration_ext import facts
from nova_migration_ext.rules import hypervisor
from nova_migration_ext.virt import extra_flags
from nova_migration_ext.virt import host_facts
from nova_migration_ext.virt import provider_traits
from nova_migration_ext.virt import storage_probes
from nova_migration_ext.virt import system

CONF = nova.conf.CONF


class LibvirtDriver(libvirt_driver.LibvirtDriver):
    """Nova's libvirt driver, plus migration facts and extra flags.

    Publishes this host's migration facts in its stats (``migration_ext_*``)
    and its shared storage as traits on its resource provider, and adds
    ``[migration_ext]`` extra flags to the migration flags Nova computes.
    """

    def __init__(self, virtapi, read_only=False):
        super().__init__(virtapi, read_only)
        # Tests give each in-process host its own /proc through this.
        self.host_system = system.System()
        self._storage_probes = storage_probes.load()
        self._compute_host = CONF.host
        # The storage identity each node last published in its stats: its
        # traits must say the same (update_provider_tree runs right after
        # get_available_resource in each resource report).
        self._published_storage = {}

    def init_host(self, host):
        self._compute_host = host
        super().init_host(host)

    def _parse_migration_flags(self):
        super()._parse_migration_flags()
        # _get_migration_flags() reads these two attributes, so every
        # migration uses the extended sets.
        self._live_migration_flags, self._block_migration_flags = (
            extra_flags.apply(self._live_migration_flags,
                              self._block_migration_flags,
                              CONF.migration_ext))

    def get_available_resource(self, nodename):
        resources = super().get_available_resource(nodename)
        stats = resources.setdefault('stats', {})
        stats.update(self._migration_facts(resources))
        self._published_storage[nodename] = stats.get(facts.STORAGE_ID_STAT)
        return resources

    def update_provider_tree(self, provider_tree, nodename,
                             allocations=None):
        super().update_provider_tree(provider_tree, nodename,
                                     allocations=allocations)
        if nodename in self._published_storage:
            provider_traits.update_provider_tree(
                provider_tree, nodename, self._published_storage[nodename])

    def _migration_facts(self, resources):
        # Decoded once for the three CPU facts; a failure is not cached, so
        # each fact still logs its own reason.
        cpu_info = functools.cache(
            lambda: host_facts.cpu_info_of(resources))

        def cpu(field):
            return lambda: cpu_info().get(field)

        return host_facts.collect({
            facts.STORAGE_ID_STAT: self._storage_identity,
            facts.LIBVIRT_VERSION_STAT: lambda: hypervisor.as_text(
                self._host.get_connection().getLibVersion()),
            facts.QEMU_VERSION_STAT: lambda: hypervisor.as_text(
                resources['hypervisor_version']),
            facts.MEM_AVAILABLE_STAT: lambda: host_facts.mem_available_mb(
                self.host_system.read_meminfo()),
            facts.CPU_VENDOR_STAT: cpu('vendor'),
            facts.CPU_MODEL_STAT: cpu('model'),
            facts.CPU_MODE_STAT: lambda: host_facts.cpu_mode(
                CONF.libvirt.cpu_mode, CONF.libvirt.virt_type,
                cpu_info().get('arch')),
        })

    def _storage_identity(self):
        return storage_probes.identify(
            storage_probes.HostStorage(
                host=self._compute_host,
                instances_path=CONF.instances_path,
                images_type=CONF.libvirt.images_type,
                rbd_pool=CONF.libvirt.images_rbd_pool,
                rbd_ceph_conf=CONF.libvirt.images_rbd_ceph_conf,
                system=self.host_system),
            self._storage_probes)
