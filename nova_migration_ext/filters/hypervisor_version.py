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

"""HypervisorVersionFilter."""

import nova.conf
from nova.scheduler import filters

from nova_migration_ext import conf  # noqa: F401 - registers [migration_ext]
from nova_migration_ext.filters import base
from nova_migration_ext import operations
from nova_migration_ext.rules import hypervisor

CONF = nova.conf.CONF


class HypervisorVersionFilter(base.VerdictFilterMixin,
                              filters.BaseHostFilter):
    """A moved instance lands on its source's hypervisor type at the same or
    a newer version (Nova's live-migration rule, applied to every move).
    """

    def operations(self):
        ops = set(CONF.migration_ext.hypervisor_version_operations)
        if CONF.workarounds.skip_hypervisor_version_check_on_lm:
            ops.discard(operations.LIVE)
        return ops

    def checker(self, view):
        source = view.move.source
        not_older = hypervisor.not_older
        # A fleet runs a handful of versions: judge each once per request.
        judged = {}

        def check(host_state):
            key = (host_state.hypervisor_type, host_state.hypervisor_version)
            try:
                return judged[key]
            except KeyError:
                result = judged[key] = not_older(
                    source.hypervisor_type, source.hypervisor_version, *key)
                return result
            except TypeError:   # an unhashable version: judge it as it is
                return not_older(source.hypervisor_type,
                                 source.hypervisor_version, *key)
        return check
