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

"""Candidate hosts, asked the way nova-scheduler asks.

Placement's allocation candidates come from Nova's own
SchedulerReportClient, queried with the ResourceRequest Nova's scheduler
builds; the HostStates from Nova's HostManager, reading the cell
databases. Only GET requests reach placement.
"""

import collections
import copy
import dataclasses
import typing

from nova_migration_ext.explain import errors
from nova_migration_ext.explain import logcapture


def host_manager():
    """Nova's HostManager, reading the fleet's instances in bulk.

    nova-scheduler learns each host's instances from nova-compute over RPC;
    without that feed HostManager asks the databases two questions per
    host (its HostMapping, its instances), which at a thousand hosts is
    most of explain's time. This one asks one question per cell instead,
    and starts no background thread.
    """
    from nova.scheduler import host_manager as nova_host_manager

    class OneShotHostManager(nova_host_manager.HostManager):

        def _init_instance_info(self, computes_by_cell=None):
            pass

        def _get_host_states(self, context, compute_nodes, services):
            self._instance_info = instances_by_host(context, self.cells,
                                                    compute_nodes)
            return super()._get_host_states(context, compute_nodes,
                                            services)

    return OneShotHostManager()


def instances_by_host(ctx, cells, compute_nodes):
    """HostManager's instance info for every host of ``compute_nodes`` (cell
    uuid -> ComputeNodes): one database query per cell.

    Marked "updated", as nova-compute's reports mark it, so HostManager
    uses it instead of asking per host. The Instance objects carry only
    their uuid, like HostManager's own, and load more lazily if a filter
    asks.
    """
    from nova import context as nova_context
    from nova import objects

    info = {}
    for cell_uuid, computes in compute_nodes.items():
        hosts = sorted({compute.host for compute in computes})
        cell = cells.get(cell_uuid)
        if not hosts or cell is None:
            continue
        with nova_context.target_cell(ctx, cell) as cctxt:
            uuids = objects.InstanceList.get_uuids_by_hosts(cctxt, hosts)
            for host in hosts:
                info[host] = {
                    'instances': {uuid: objects.Instance(cctxt, uuid=uuid)
                                  for uuid in uuids.get(host, ())},
                    'updated': True}
    return info


@dataclasses.dataclass
class Candidates:
    """Placement's answer: allocation requests by provider, and the
    ResourceRequest that was asked. ``refused`` is why Nova would answer
    NoValidHost before asking placement (a request filter).
    """

    resources: typing.Any = None
    by_provider: typing.Mapping = dataclasses.field(default_factory=dict)
    refused: str = ''
    required_traits: typing.AbstractSet = frozenset()
    forbidden_traits: typing.AbstractSet = frozenset()
    # Placement returned as many as Nova asks for: more may exist.
    limited: bool = False

    def has(self, host_state):
        return bool(self.by_provider.get(host_state.uuid))


def allocation_candidates(ctx, spec, manager, placement):
    """Run Nova's request filters, then ask placement for candidates."""
    import nova.conf
    from nova import exception
    from nova.scheduler import request_filter
    from nova.scheduler import utils as scheduler_utils

    try:
        request_filter.process_reqspec(ctx, spec)
    except exception.RequestFilterFailed as exc:
        return Candidates(refused=exc.message)
    resources = scheduler_utils.resources_from_request_spec(
        ctx, spec, manager, enable_pinning_translate=True)
    limit = nova.conf.CONF.scheduler.max_placement_results
    requests = _ask(ctx, placement, resources)
    limited = len(requests) >= limit
    if (resources.cpu_pinning_requested and
            not nova.conf.CONF.workarounds.disable_fallback_pcpu_query):
        # Nova asks again with VCPU for hosts not reporting PCPU yet.
        fallback = scheduler_utils.resources_from_request_spec(
            ctx, spec, manager, enable_pinning_translate=False)
        more = _ask(ctx, placement, fallback)
        limited = limited or len(more) >= limit
        requests.extend(more)
    by_provider = collections.defaultdict(list)
    for request in requests:
        for provider in request['allocations']:
            by_provider[provider].append(request)
    group = resources.get_request_group(None)
    return Candidates(
        resources, dict(by_provider),
        required_traits=resources.all_required_traits | spec.root_required,
        forbidden_traits=group.forbidden_traits | spec.root_forbidden,
        limited=limited)


def _ask(ctx, placement, resources):
    with logcapture.captured('nova.scheduler.client.report') as said:
        answer = placement.get_allocation_candidates(ctx, resources)
    requests = answer[0] if answer else None
    if requests is None:
        # Nova's client logs why and returns nothing; say it in one line.
        reason = said[-1].splitlines()[0] if said else 'no answer'
        raise errors.Unavailable('cannot get allocation candidates from '
                                 'placement: %s' % reason)
    return list(requests)


def host_states(ctx, manager, spec, candidates):
    """Every compute node of the cells the request may go to.

    Nova hands the filters only placement's candidates; explain keeps the
    others too, so that a host placement left out still shows why.
    """
    states = list(manager.get_host_states_by_uuids(ctx, None, spec))
    for state in states:
        state.allocation_candidates = copy.deepcopy(
            candidates.by_provider.get(state.uuid, []))
    return states


# Hosts short of room whose inventory and usage explain reads for the
# numbers; beyond them the reason names the request alone. Placement has no
# bulk usage query, and a full cloud may have thousands of such hosts.
MAX_DETAILED = 20


def why_not_candidates(ctx, placement, candidates, host_states):
    """Why placement did not return each of ``host_states``: uuid -> text.

    As far as root providers' traits, aggregates, inventory and usage tell,
    with one placement query per trait, aggregate group and resource class
    the request names, whatever the number of hosts; then the numbers for
    at most MAX_DETAILED hosts short of room.
    """
    import nova.conf

    states = list(host_states)
    if not states:
        return {}
    if candidates.refused:
        return {state.uuid: 'not asked: %s' % candidates.refused
                for state in states}
    group = candidates.resources.get_request_group(None)
    having = {trait: _providers(ctx, placement, 'required=%s' % trait)
              for trait in sorted(candidates.forbidden_traits
                                  | candidates.required_traits)}
    members = [(aggregates, _providers(ctx, placement, 'member_of=in:%s'
                                       % ','.join(sorted(aggregates))))
               for aggregates in group.aggregates or ()]
    room = {rc: _providers(ctx, placement, 'resources=%s:%d' % (rc, amount))
            for rc, amount in sorted(group.resources.items())}
    limit = nova.conf.CONF.scheduler.max_placement_results
    reasons = {}
    detailed = 0
    for state in states:
        uuid = state.uuid
        forbidden = [t for t in sorted(candidates.forbidden_traits)
                     if uuid in having[t]]
        if forbidden:
            reasons[uuid] = 'has forbidden trait %s%s' % (
                ','.join(forbidden), _TRAIT_MEANING.get(forbidden[0], ''))
            continue
        missing = [t for t in sorted(candidates.required_traits)
                   if uuid not in having[t]]
        if missing:
            reasons[uuid] = 'lacks required trait %s' % ','.join(missing)
            continue
        outside = [aggregates for aggregates, inside in members
                   if uuid not in inside]
        if outside:
            # Aggregate uuids are all placement knows; the request filter's
            # own log line names the domain it narrowed to.
            reasons[uuid] = ('in none of the aggregates a request filter '
                             'requires (member_of)')
            continue
        short = [rc for rc in room if uuid not in room[rc]]
        if short:
            rc = short[0]
            amount = group.resources[rc]
            if detailed < MAX_DETAILED:
                detailed += 1
                reasons[uuid] = _capacity(ctx, placement, uuid, rc, amount)
            else:
                reasons[uuid] = '%s: no room for %d requested' % (rc, amount)
            continue
        if candidates.limited:
            reasons[uuid] = ("not among the %d candidates placement returned "
                             "([scheduler] max_placement_results)" % limit)
        else:
            reasons[uuid] = ('not an allocation candidate (nested providers '
                             'or request groups)')
    return reasons


def _providers(ctx, placement, query):
    """The uuids of the resource providers matching ``query``."""
    found = _get(ctx, placement, '/resource_providers?%s' % query,
                 version='1.22')
    return frozenset(p['uuid'] for p in found['resource_providers'])


def _capacity(ctx, placement, uuid, rc, amount):
    inventories = _get(ctx, placement, '/resource_providers/%s/inventories'
                       % uuid)['inventories']
    usages = _get(ctx, placement, '/resource_providers/%s/usages'
                  % uuid)['usages']
    inventory = inventories.get(rc)
    if not inventory:
        return 'no %s inventory' % rc
    capacity = ((inventory['total'] - inventory['reserved'])
                * inventory['allocation_ratio'])
    free = capacity - usages.get(rc, 0)
    if amount > free:
        return '%s: %d requested, %g free of %g (allocation ratio %g)' % (
            rc, amount, free, capacity, inventory['allocation_ratio'])
    if amount > inventory['max_unit']:
        return '%s: %d requested > max_unit %d' % (
            rc, amount, inventory['max_unit'])
    return '%s: %d requested does not fit (min_unit %d, step_size %d)' % (
        rc, amount, inventory['min_unit'], inventory['step_size'])


_TRAIT_MEANING = {
    'COMPUTE_STATUS_DISABLED': ' (compute service disabled)',
}


def _get(ctx, placement, url, version='1.6'):
    response = placement.get(url, version=version,
                             global_request_id=ctx.global_id)
    if response.status_code != 200:
        raise errors.Unavailable('placement answered %d to GET %s'
                                 % (response.status_code, url))
    return response.json()
