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

"""MigrationAggregateFilter."""

from nova.scheduler.filters import aggregate_instance_extra_specs as nova_agg

from nova_migration_ext import facts
from nova_migration_ext.filters import base
from nova_migration_ext import operations
from nova_migration_ext.rules import aggregate
from nova_migration_ext.rules import domains
from nova_migration_ext import verdict


class MigrationAggregateFilter(base.VerdictFilterMixin,
                               nova_agg.AggregateInstanceExtraSpecsFilter):
    """Flavor extra specs must match the host's aggregate metadata, as in
    AggregateInstanceExtraSpecsFilter, and a move must stay inside the
    source's ``migration_ext:migration_domain`` aggregates.
    """

    # The extra-spec match needs no Move: it still runs for a boot whose
    # lookup failed; only the domain check falls back to on_lookup_error.
    needs_move = False

    def applies_to(self, move):
        return True

    def check(self, host_state, view):
        # The verdict depends on the host's aggregates alone.
        aggregate_set = view.aggregate_set(host_state)
        return view.memo((type(self), aggregate_set), self._decide, view,
                         view.metadata(host_state, aggregate_set))

    def _decide(self, view, metadata):
        result = aggregate.match_extra_specs(view.extra_specs, metadata)
        if not result.ok:
            return result
        move = view.move
        if move.error:
            return verdict.unknown(move.error)
        if move.operation not in operations.WITH_SOURCE:
            return result
        return domains.must_share('migration domain',
                                  move.source.migration_domains,
                                  facts.migration_domains(metadata),
                                  facts.MIGRATION_DOMAIN_KEY)
