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
"""The compute hosts of the cloud under test, as its API shows them.

Pure functions over ``os-hypervisors`` details (microversion < 2.88, which
still shows versions, CPU and RAM): tests pick their hosts with them, and
skip when the cloud has no host that differs in the way a rule needs.
"""

import dataclasses
import json


@dataclasses.dataclass(frozen=True)
class Host:
    host: str
    hypervisor_type: str
    hypervisor_version: int
    cpu: tuple
    free_ram_mb: int

    @property
    def cpu_model(self):
        """arch, vendor and model: what a host-derived guest CPU needs."""
        return self.cpu[:3]

    @property
    def features(self):
        return self.cpu[3]


def _cpu(cpu_info):
    if isinstance(cpu_info, str):
        try:
            cpu_info = json.loads(cpu_info)
        except ValueError:
            cpu_info = {}
    cpu_info = cpu_info if isinstance(cpu_info, dict) else {}
    return (cpu_info.get('arch'), cpu_info.get('vendor'),
            cpu_info.get('model'), frozenset(cpu_info.get('features') or ()))


def hosts(hypervisors):
    """Hosts that are up and enabled, from hypervisor details."""
    return [Host(host=h['service']['host'],
                 hypervisor_type=h.get('hypervisor_type'),
                 hypervisor_version=h.get('hypervisor_version'),
                 cpu=_cpu(h.get('cpu_info')),
                 free_ram_mb=h.get('free_ram_mb') or 0)
            for h in hypervisors
            if h.get('state') == 'up' and h.get('status') == 'enabled']


def same_facts(a, b):
    """Same hypervisor, version and CPU: a move between them is legal."""
    return (a.hypervisor_type == b.hypervisor_type and
            a.hypervisor_version == b.hypervisor_version and a.cpu == b.cpu)


def pick(all_hosts, differs, fits=lambda host: True):
    """``(source, good, bad)`` or None: ``good`` has the source's facts,
    ``bad`` differs from the source as ``differs(source, bad)`` says, and
    source and good pass ``fits``.

    The good host with the least free RAM and the bad host with the most
    are chosen, so Nova's RAM weigher prefers the bad one: a move lands on
    ``good`` only because a filter refused ``bad``.
    """
    by_ram = sorted(all_hosts, key=lambda h: h.free_ram_mb)
    for source in all_hosts:
        if not fits(source):
            continue
        goods = [h for h in by_ram if h.host != source.host and
                 same_facts(source, h) and fits(h)]
        for good in goods:
            bads = [h for h in reversed(by_ram)
                    if h.host not in (source.host, good.host) and
                    differs(source, h)]
            if bads:
                return source, good, bads[0]
    return None


def older(source, host):
    """Same hypervisor type and CPU, older version."""
    return (host.hypervisor_type == source.hypervisor_type and
            host.cpu == source.cpu and
            host.hypervisor_version < source.hypervisor_version)


def other_cpu(source, host):
    """Same hypervisor, a CPU a host-derived guest CPU cannot move to."""
    return (host.hypervisor_type == source.hypervisor_type and
            host.hypervisor_version == source.hypervisor_version and
            (host.cpu[:2] != source.cpu[:2] or
             not source.features <= host.features))


def ram_pick(all_hosts, margin_mb=512):
    """``(source, good, bad, ram_mb)``: a flavor of ``ram_mb`` fits the
    source and good but not ``bad``'s free RAM, all three alike.
    """
    for bad in sorted(all_hosts, key=lambda h: h.free_ram_mb):
        ram_mb = bad.free_ram_mb + margin_mb
        found = pick(all_hosts,
                     lambda source, host: host.host == bad.host and
                     same_facts(source, host),
                     fits=lambda host: host.free_ram_mb >= ram_mb)
        if found:
            return found + (ram_mb,)
    return None
