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
"""What the loopback cloud runs: ports, services and the compute fleet.

The fleet is laid out so every rule of our filters has a host that breaks
it and only it, while ``pair-a`` and ``pair-b`` are identical: Nova's own
tempest tests migrate there and back between them (availability zone
``pair``). Hosts a rule refuses have more RAM than the pair, so Nova's RAM
weigher prefers them: a move lands on the pair only because a filter
refused the others.
"""

import dataclasses
import os

PAIR_ZONE = 'pair'
REGION = 'RegionOne'

INTEL = {'arch': 'x86_64', 'vendor': 'Intel', 'model': 'Skylake-Client-IBRS',
         'features': ['pge', 'clflush', 'sse4.2', 'avx2', 'vmx']}
AMD = {'arch': 'x86_64', 'vendor': 'AMD', 'model': 'EPYC-Rome',
       'features': ['pge', 'clflush', 'sse4.2', 'avx2', 'svm']}
SHARED_1 = 'nfs:nfs1.loopback:/export/instances'
SHARED_2 = 'nfs:nfs2.loopback:/export/instances'


@dataclasses.dataclass(frozen=True)
class Compute:
    """One nova-compute host and the facts its fake driver reports."""

    host: str
    qemu_version: str = '8.2.0'
    libvirt_version: str = '10.0.0'
    storage_id: str = SHARED_1
    cpu: dict = dataclasses.field(default_factory=lambda: dict(INTEL))
    memory_mb: int = 32768
    # What /proc/meminfo would say is free for a guest.
    mem_available_mb: int = 30000
    zone: str = None


FLEET = (
    Compute('pair-a', memory_mb=16384, mem_available_mb=15000,
            zone=PAIR_ZONE),
    Compute('pair-b', memory_mb=16384, mem_available_mb=15000,
            zone=PAIR_ZONE),
    # Same facts as the pair: outside a migration domain only.
    Compute('peer-c'),
    Compute('old-qemu', qemu_version='7.2.0', libvirt_version='9.0.0'),
    Compute('other-storage', storage_id=SHARED_2),
    Compute('amd-cpu', cpu=dict(AMD)),
    # Placement (ram_allocation_ratio 1.5) still has room; a live
    # migration (no overcommit) does not.
    Compute('small-ram', memory_mb=3072, mem_available_mb=2800),
)

# Service name -> port, all on 127.0.0.1; CLOUD_PORT_BASE moves them all.
_PORT_OFFSETS = {
    'mariadb': 6, 'rabbitmq': 72, 'rabbitmq-dist': 73, 'epmd': 69,
    'keystone': 0, 'placement': 78, 'glance': 92, 'neutron': 96,
    'nova-api': 74,
}


def port(service):
    return int(os.environ.get('CLOUD_PORT_BASE', '35000')) + \
        _PORT_OFFSETS[service]


def url(service, path=''):
    return 'http://127.0.0.1:%d%s' % (port(service), path)
