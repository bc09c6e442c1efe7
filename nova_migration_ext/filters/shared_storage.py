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

"""SharedStorageFilter."""

from nova.scheduler import filters

from nova_migration_ext import conf
from nova_migration_ext import facts
from nova_migration_ext.filters import base
from nova_migration_ext.rules import domains
from nova_migration_ext import verdict

CONF = conf.CONF


class SharedStorageFilter(base.VerdictFilterMixin, filters.BaseHostFilter):
    """An instance whose disk is on shared storage stays on hosts that share
    it: volume-backed instances and sources in no storage domain pass.
    """

    def operations(self):
        return CONF.migration_ext.shared_storage_operations

    def check(self, host_state, view):
        move = view.move
        if move.volume_backed:
            return verdict.PASS
        destination = facts.storage_domains(view.metadata(host_state),
                                            host_state.stats)
        return domains.must_share('shared storage',
                                  move.source.storage_domains, destination,
                                  facts.SHARED_STORAGE_KEY)
