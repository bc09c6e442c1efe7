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

"""The demo's cloud: hosts that differ in one way each.

Nova's default filters run before ours and Nova's default weighers rank
the hosts, so what the demo shows is what a stock deployment with this
package enabled would do.
"""

import dataclasses

from oslo_utils import versionutils

from nova_migration_ext import facts
from nova_migration_ext.tests.functional import base

# Every compute host overcommits RAM like this; a live migration is held to
# [migration_ext] live_migration_ram_allocation_ratio (1.0 by default).
RAM_ALLOCATION_RATIO = 1.5

# All of ours, in the order README.md's nova.conf enables them.
OUR_FILTERS = ['MigrationAggregateFilter', 'MigrationRamFilter',
               'HypervisorVersionFilter', 'SharedStorageFilter',
               'CpuCompatibilityFilter']

# What each host's CPU offers a host-model guest, as the libvirt driver
# extension publishes it.
CPU_FEATURES = ('avx2', 'monitor', 'sse4.2', 'vmx', 'xsave')


def nova_default(option):
    """The default of a [filter_scheduler] option, from Nova's own code."""
    from nova.conf import scheduler
    for opt in scheduler.filter_scheduler_opts:
        if opt.name == option:
            return list(opt.default)
    raise LookupError(option)


@dataclasses.dataclass(frozen=True)
class Host:
    name: str
    qemu: str
    ram_gb: int
    storage: str
    domain: str
    note: str = ''
    disabled: bool = False
    missing_cpu_features: tuple = ()

    @property
    def cpu_info(self):
        return {'arch': 'x86_64', 'vendor': 'Intel', 'model': 'Cascadelake',
                'features': [f for f in CPU_FEATURES
                             if f not in self.missing_cpu_features]}


FLEET = (
    Host('source', '8.2.0', 16, 'ceph-a', 'rack-1',
         'where the demo servers start'),
    Host('old-qemu', '7.2.0', 8, 'ceph-a', 'rack-1', 'older QEMU'),
    Host('old-cpu', '8.2.0', 6, 'ceph-a', 'rack-1',
         'CPU without avx2 and vmx', missing_cpu_features=('avx2', 'vmx')),
    Host('other-storage', '9.0.0', 24, 'nfs-b', 'rack-1',
         'biggest and newest, but another storage domain'),
    Host('other-domain', '9.0.0', 12, 'ceph-a', 'rack-2',
         'another migration domain'),
    Host('small-ram', '8.2.0', 2, 'ceph-a', 'rack-1',
         'room for a 2 GB server only with overcommit'),
    Host('disabled', '8.2.0', 16, 'ceph-a', 'rack-1',
         'compute service disabled', disabled=True),
    Host('good', '8.2.0', 8, 'ceph-a', 'rack-1'),
)


class DemoCloud(base.MigrationTestCase):
    """The fleet above, in one in-process Nova.

    ``play`` is the demo: the test machinery sets the cloud up around it
    and tears it down after, Nova's logs captured by its fixtures.
    """

    stock_filters = nova_default('enabled_filters')
    our_filters = OUR_FILTERS
    weight_classes = nova_default('weight_classes')
    # Where the demo writes; set by the caller.
    out = None

    def setUp(self):
        super().setUp()
        self.flags(ram_allocation_ratio=RAM_ALLOCATION_RATIO)
        for host in FLEET:
            self.start_host(
                host.name,
                version=versionutils.convert_version_to_int(host.qemu),
                memory_mb=host.ram_gb * 1024, cpu_info=host.cpu_info,
                stats={facts.CPU_MODE_STAT: 'host-model'})
        for key, attribute in ((facts.SHARED_STORAGE_KEY, 'storage'),
                               (facts.MIGRATION_DOMAIN_KEY, 'domain')):
            for name in sorted({getattr(h, attribute) for h in FLEET}):
                members = [h.name for h in FLEET
                           if getattr(h, attribute) == name]
                self.aggregate(name, members, {key: name})
        for host in FLEET:
            if host.disabled:
                self.disable(host.name, 'maintenance')
        self.refresh_hosts()

    def play(self):
        from nova_migration_ext.demo import moves
        moves.play(self, self.out)
