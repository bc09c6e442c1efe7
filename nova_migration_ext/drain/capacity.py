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

"""Placement's view of a plan: what its earlier placements will hold.

Placement answers each request as if the plan's other instances stayed
where they are. ``PlannedUsage`` adds the allocations the plan has given
out so far to each provider's usage and drops the allocation candidates
that no longer fit, with the numbers compared, before the filters run.
"""

import collections
import dataclasses


@dataclasses.dataclass
class Inventory:
    """One resource class of one provider, as placement reports it."""

    total: int
    reserved: int
    allocation_ratio: float
    max_unit: int
    used: int

    @property
    def capacity(self):
        return (self.total - self.reserved) * self.allocation_ratio


class PlannedUsage:
    """Allocations planned per provider, checked against placement.

    ``inventories(provider_uuid)`` returns {resource class: Inventory}; it
    is called once per provider that receives a planned placement.
    """

    def __init__(self, inventories):
        self._inventories = inventories
        self._known = {}
        self._planned = collections.defaultdict(collections.Counter)
        self._holders = collections.defaultdict(list)

    def add(self, allocation_request, holder):
        """Count ``allocation_request`` (placement's JSON) as planned for
        ``holder`` (a name for the reasons).
        """
        for provider, allocation in allocation_request['allocations'].items():
            self._planned[provider].update(allocation['resources'])
            self._holders[provider].append(holder)

    def trim(self, by_provider):
        """``by_provider`` without the allocation requests that no longer
        fit, and why each provider left was dropped: (kept, reasons).
        """
        kept = dict(by_provider)
        reasons = {}
        for provider in set(by_provider) & set(self._planned):
            fitting = []
            why = ''
            for request in by_provider[provider]:
                why = self._overflow(request)
                if not why:
                    fitting.append(request)
            if fitting:
                kept[provider] = fitting
            else:
                del kept[provider]
                reasons[provider] = why
        return kept, reasons

    def _overflow(self, allocation_request):
        for provider, allocation in sorted(
                allocation_request['allocations'].items()):
            planned = self._planned.get(provider)
            if not planned:
                continue
            inventories = self._inventory(provider)
            for rc, amount in sorted(allocation['resources'].items()):
                inventory = inventories.get(rc)
                if inventory is None:
                    continue
                free = inventory.capacity - inventory.used - planned[rc]
                if amount > free:
                    return ('%s: %d requested, %g free of %g (allocation '
                            'ratio %g) once this plan\'s %s land there' % (
                                rc, amount, free, inventory.capacity,
                                inventory.allocation_ratio,
                                ', '.join(self._holders[provider])))
        return ''

    def _inventory(self, provider):
        if provider not in self._known:
            self._known[provider] = self._inventories(provider)
        return self._known[provider]


class SameAnswers:
    """A SchedulerReportClient that asks placement for allocation
    candidates once per distinct query of a plan.

    A plan writes nothing, so placement answers the same query the same way
    while it runs; what the plan's own placements take is PlannedUsage's
    business. Instances of one flavor and image make one query, not one
    each. The answer is shared, not copied: nothing here changes it.
    """

    def __init__(self, client):
        self._client = client
        self._answers = {}

    def get_allocation_candidates(self, context, resources):
        query = resources.to_querystring()
        if query not in self._answers:
            self._answers[query] = self._client.get_allocation_candidates(
                context, resources)
        return self._answers[query]

    def __getattr__(self, name):
        return getattr(self._client, name)
