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
"""A fake compute driver whose host facts come from its nova.conf.

It reports ``[loopback_host]``'s hypervisor version, CPU and RAM where the
libvirt driver reports the real ones, and publishes the migration facts
through our driver extension's own code
(``nova_migration_ext.virt.driver.LibvirtDriver._migration_facts``), fed
with the same inputs libvirt and /proc would give it: the scheduler sees
what a host running the extension sends.
"""

import collections

from oslo_config import cfg
from oslo_serialization import jsonutils
from oslo_utils import versionutils

import nova.conf
from nova.virt import fake
from nova.virt import node

from nova_migration_ext.virt import driver as extension
from nova_migration_ext.virt import provider_traits

CONF = nova.conf.CONF

GROUP = cfg.OptGroup('loopback_host',
                     title='Facts the loopback cloud gives this fake host')
OPTS = [
    cfg.StrOpt('qemu_version', default='8.2.0'),
    cfg.StrOpt('libvirt_version', default='10.0.0'),
    cfg.StrOpt('storage_id', help='Identity of the instances storage.'),
    cfg.StrOpt('cpu_info', default='{}',
               help="JSON: arch, vendor, model, features."),
    cfg.IntOpt('memory_mb', default=16384),
    cfg.IntOpt('mem_available_mb', default=15000),
]
CONF.register_group(GROUP)
CONF.register_opts(OPTS, group=GROUP)


class _Connection:
    """The one call the extension makes on a libvirt connection."""

    def __init__(self, version):
        self._version = version

    def getLibVersion(self):
        return self._version


class _HostName(str):
    """FakeDriver's ``_host`` (the host name) that also answers the
    extension's ``self._host.get_connection()`` as libvirt's Host does.
    """

    def __new__(cls, name, connection):
        host = super().__new__(cls, name)
        host.connection = connection
        return host

    def get_connection(self):
        return self.connection


class _System:
    """/proc as the extension reads it."""

    def __init__(self, mem_available_mb):
        self._meminfo = 'MemAvailable:   %d kB\n' % (mem_available_mb * 1024)

    def read_meminfo(self):
        return self._meminfo


class FactsDriver(fake.FakeDriver):
    """FakeDriver reporting a QEMU host with the configured facts."""

    def __init__(self, virtapi, read_only=False):
        facts = CONF.loopback_host
        self.memory_mb = facts.memory_mb
        super().__init__(virtapi, read_only)
        self.host_status_base['hypervisor_type'] = 'QEMU'
        self.host_status_base['hypervisor_version'] = (
            versionutils.convert_version_to_int(facts.qemu_version))
        self._cpu_info = jsonutils.loads(facts.cpu_info)
        # What _migration_facts reads, as the libvirt driver would have it.
        self._connection = _Connection(
            versionutils.convert_version_to_int(facts.libvirt_version))
        self.host_system = _System(facts.mem_available_mb)

    def init_host(self, host):
        super().init_host(host)
        self._host = _HostName(host, self._connection)

    def get_available_resource(self, nodename):
        resources = super().get_available_resource(nodename)
        if not resources:
            return resources
        cpu_info = collections.OrderedDict(self._cpu_info)
        cpu_info.setdefault('topology',
                            {'cores': 1, 'threads': 1, 'sockets': 4})
        resources['cpu_info'] = jsonutils.dumps(cpu_info)
        # Nova's FakeDriver makes up a node uuid per process; a restarted
        # compute must find the identity it wrote in state_path.
        resources['uuid'] = node.get_local_node_uuid()
        resources['stats'] = self._migration_facts(resources)
        return resources

    def get_nodenames_by_uuid(self, refresh=False):
        # FakeDriver's differ per process; a restarted compute must find
        # its node by the identity it reports.
        return {node.get_local_node_uuid(): self.get_available_nodes()[0]}

    def update_provider_tree(self, provider_tree, nodename,
                             allocations=None):
        super().update_provider_tree(provider_tree, nodename,
                                     allocations=allocations)
        # As the driver extension does: a trait per published storage
        # identity, for the placement prefilter.
        provider_traits.update_provider_tree(
            provider_tree, nodename, self._storage_identity())

    _migration_facts = extension.LibvirtDriver._migration_facts

    def _storage_identity(self):
        return CONF.loopback_host.storage_id
