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

    def checker(self, view):
        # The verdict depends on the host's aggregate metadata alone, and
        # hosts whose aggregates say the same share one metadata object.
        return base.once_per_object(
            view.metadata, _decision(view.extra_specs, view.move))


def _decision(extra_specs, move):
    if move.error:
        lookup_failed = verdict.unknown(move.error)
    source_domains = (
        move.source.migration_domains
        if move.operation in operations.WITH_SOURCE and not move.error
        else None)

    def decide(metadata):
        result = aggregate.match_extra_specs(extra_specs, metadata)
        if not result.ok:
            return result
        if move.error:
            return lookup_failed
        if source_domains is None:
            return result
        return domains.must_share('migration domain', source_domains,
                                  facts.migration_domains(metadata),
                                  facts.MIGRATION_DOMAIN_KEY)
    return decide
