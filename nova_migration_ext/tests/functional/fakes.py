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

"""A fake compute driver and a weigher whose facts each test sets."""

from oslo_serialization import jsonutils
from oslo_utils import versionutils

from nova.scheduler import weights
from nova.virt import fake

from nova_migration_ext import facts
from nova_migration_ext.virt import provider_traits

QEMU_8_2 = versionutils.convert_version_to_int('8.2.0')


class MigrationFactsDriver(fake.MediumFakeDriver):
    """MediumFakeDriver reporting a libvirt-like hypervisor whose version,
    RAM, stats and cpu_info a test sets per host (then runs periodics).
    """

    def __init__(self, virtapi, read_only=False):
        super().__init__(virtapi, read_only)
        self.hypervisor_type = 'QEMU'
        self.hypervisor_version = QEMU_8_2
        self.extra_stats = {}
        self.cpu_info = None

    def set_memory_mb(self, memory_mb):
        self.memory_mb = memory_mb
        self.resources.memory_mb = memory_mb

    def get_available_resource(self, nodename):
        resources = super().get_available_resource(nodename)
        resources['hypervisor_type'] = self.hypervisor_type
        resources['hypervisor_version'] = self.hypervisor_version
        if self.extra_stats:
            resources['stats'] = dict(self.extra_stats)
        if self.cpu_info is not None:
            resources['cpu_info'] = jsonutils.dumps(self.cpu_info)
        return resources


class StorageTraitsDriver(MigrationFactsDriver):
    """MigrationFactsDriver that also reports the storage traits of the
    storage identity it publishes, with the driver extension's code.
    """

    def update_provider_tree(self, provider_tree, nodename,
                             allocations=None):
        super().update_provider_tree(provider_tree, nodename,
                                     allocations=allocations)
        provider_traits.update_provider_tree(
            provider_tree, nodename,
            self.extra_stats.get(facts.STORAGE_ID_STAT))


class PreferredHostWeigher(weights.BaseHostWeigher):
    """Weighs hosts by the order a test puts in ``preference``.

    The tests make it prefer the host our filters must refuse, so a test
    passes only when a filter, not a weigher, kept the move off that host.
    """

    preference = []

    def _weigh_object(self, host_state, weight_properties):
        if host_state.host in self.preference:
            return len(self.preference) - self.preference.index(
                host_state.host)
        return 0
