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

"""CpuCompatibilityFilter."""

from nova.scheduler import filters

from nova_migration_ext import facts
from nova_migration_ext.filters import base
from nova_migration_ext import operations
from nova_migration_ext.rules import cpu

_LIVE = frozenset((operations.LIVE,))


class CpuCompatibilityFilter(base.VerdictFilterMixin, filters.BaseHostFilter):
    """A live-migrated guest keeps a host-derived CPU.

    When guests get a host-derived CPU (the source publishes cpu_mode
    host-model or host-passthrough, or publishes none and runs KVM/QEMU with
    Nova's default), the destination's CPU has the source's arch and vendor
    and all of its features.
    """

    def operations(self):
        return _LIVE

    def checker(self, view):
        source = view.move.source
        judge = cpu.guest_cpu_rule(source.stats.get(facts.CPU_MODE_STAT),
                                   source.cpu_info, source.hypervisor_type)
        cpu_model = cpu.cpu_model
        # cpu_model() returns one object per distinct CPU, whatever order
        # its text lists the features in: each is judged once per request.
        return base.once_per_object(
            lambda host_state: cpu_model(host_state.cpu_info), judge)
