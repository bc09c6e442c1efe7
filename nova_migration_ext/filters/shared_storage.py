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

    def checker(self, view):
        move = view.move
        source_domains = move.source.storage_domains
        if move.volume_backed or not source_domains:
            return lambda host_state: verdict.PASS
        metadata_of = view.metadata
        # A host's storage domains are its aggregates' declaration, else
        # what it publishes: judge each distinct one once per request.
        judged = {}

        def judge(metadata, stats):
            return domains.must_share(
                'shared storage', source_domains,
                facts.storage_domains(metadata, stats),
                facts.SHARED_STORAGE_KEY)

        def check(host_state):
            metadata = metadata_of(host_state)
            stats = host_state.stats
            key = metadata.get(facts.SHARED_STORAGE_KEY) or (
                stats.get(facts.STORAGE_ID_STAT) if stats else None)
            try:
                return judged[key]
            except KeyError:
                result = judged[key] = judge(metadata, stats)
                return result
            except TypeError:   # a published value that is not text
                return judge(metadata, stats)
        return check
