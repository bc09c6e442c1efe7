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

"""A drain's plan: every instance of the host, its move and destination.

Read-only, where explain runs (nova.conf's databases and placement). The
instances are scheduled one after the other, largest first, through
explain's engine with the configured filters and weighers; each pick
consumes its destination's resources, in the HostState the filters see
(``HostState.consume_from_request``, as nova-scheduler does between the
instances of one multi-instance request) and against placement's
candidates (``capacity.PlannedUsage``), so the plan refuses a host whose
instances fit one by one but not together.
"""

import dataclasses
import typing

from nova_migration_ext.drain import capacity
from nova_migration_ext.explain import engine as engine_mod
from nova_migration_ext.explain import errors
from nova_migration_ext.explain import request as request_mod
from nova_migration_ext import operations

LIVE = operations.LIVE
COLD = operations.COLD
# A cold migration of an earlier drain run waiting in VERIFY_RESIZE.
CONFIRM = 'confirm'
# A move already under way (started by an earlier run): watched to its end.
WATCH = 'watch'

# Migration statuses Nova has not finished with (Nova 34).
IN_PROGRESS = ('accepted', 'queued', 'preparing', 'running',
               'post-migrating', 'pre-migrating', 'migrating', 'finished',
               'confirming')

# Hosts named per reason when no host takes an instance.
_HOSTS_NAMED = 5

_STATUS_ADVICE = {
    'ERROR': 'was in ERROR before the drain: not moved; repair it (see its '
             'fault), then run the drain again',
    'VERIFY_RESIZE': 'waits for its resize or migration to be confirmed or '
                     'reverted (`openstack server resize confirm|revert`); '
                     'then run the drain again',
    'SHELVED': 'is shelved but not offloaded: offload it (`openstack '
               'server shelve --offload`) to free the host',
    'SUSPENDED': 'is SUSPENDED and Nova migrates only ACTIVE, PAUSED or '
                 'SHUTOFF servers: resume or stop it, then run the drain '
                 'again',
    'RESCUE': 'is in rescue mode: unrescue it, then run the drain again',
}


@dataclasses.dataclass
class Item:
    """One instance of the host and what the drain does with it.

    ``move`` is None when the operator must act first (``reason`` says
    what); a live or cold move without ``destination`` has no host to go
    to (``reason`` says why each host refused).
    """

    uuid: str
    name: str
    status: str
    flavor: str
    move: typing.Optional[str]
    source: str
    destination: typing.Optional[str] = None
    reason: str = ''
    migration: typing.Optional[int] = None

    @property
    def placed(self):
        return self.move in (CONFIRM, WATCH) or (
            self.move is not None and self.destination is not None)


@dataclasses.dataclass
class Plan:
    host: str
    items: typing.List[Item]
    service_disabled_reason: typing.Optional[str] = None

    @property
    def unplaced(self):
        """Instances Nova could move but that have nowhere to go."""
        return [item for item in self.items
                if item.move in (LIVE, COLD) and item.destination is None]

    @property
    def needs_operator(self):
        return [item for item in self.items if item.move is None]

    @property
    def can_empty(self):
        return all(item.placed for item in self.items)

    @property
    def executable(self):
        """Whether to start: nothing movable is left without a host."""
        return not self.unplaced

    def to_dict(self):
        return {
            'host': self.host,
            'can_empty': self.can_empty,
            'instances': [{
                'instance': item.uuid, 'name': item.name,
                'status': item.status, 'flavor': item.flavor,
                'move': item.move, 'from': item.source,
                'to': item.destination, 'reason': item.reason,
            } for item in self.items],
        }


def classify(status, task_state, migration, on_host):
    """(move, reason) for an instance with API ``status`` and
    ``task_state``, ``migration`` its newest in-progress migration from
    the host (a ``(type, status)`` pair) or None, ``on_host`` whether
    Nova already places it on the host.
    """
    if migration is not None:
        kind, state = migration
        if kind == 'migration' and state == 'finished':
            return CONFIRM, 'cold migration of an earlier run to confirm'
        if kind in ('migration', 'live-migration'):
            return WATCH, '%s under way (%s)' % (
                'live migration' if kind == 'live-migration'
                else 'cold migration', state)
        return None, 'a %s is under way (%s): finish it, then run the ' \
                     'drain again' % (kind, state)
    if not on_host:
        return None, 'is no longer on the host'
    if task_state:
        return None, ('is busy (task_state %s): wait for it, then run the '
                      'drain again' % task_state)
    if status in ('ACTIVE', 'PAUSED'):
        return LIVE, ''
    if status == 'SHUTOFF':
        return COLD, ''
    return None, _STATUS_ADVICE.get(
        status, 'is %s, which Nova cannot migrate: make it ACTIVE or '
                'SHUTOFF, then run the drain again' % status)


def build(host, enabled_filters=None):
    """The plan to empty compute host ``host``.

    Raises ``errors.Refused`` for an unknown host, ``errors.Unavailable``
    when a database or placement cannot answer. Writes nothing.
    """
    from nova import context as nova_context

    ctx = nova_context.get_admin_context()
    with engine_mod.environment_errors():
        cell, service_reason = _host_cell(ctx, host)
        items = _inventory(ctx, cell, host)
        movable = [item for item in items if item.move in (LIVE, COLD)]
        if movable:
            _schedule(ctx, movable, enabled_filters)
    return Plan(host, items, service_reason)


def _host_cell(ctx, host):
    from nova import context as nova_context
    from nova import exception
    from nova import objects

    try:
        mapping = objects.HostMapping.get_by_host(ctx, host)
    except exception.HostMappingNotFound:
        raise errors.Refused(
            'no compute host %r in this deployment (see `openstack compute '
            'service list --service nova-compute`)' % host)
    with nova_context.target_cell(ctx, mapping.cell_mapping) as cctxt:
        try:
            service = objects.Service.get_by_compute_host(cctxt, host)
        except exception.ComputeHostNotFound:
            raise errors.Refused('no nova-compute service on host %r'
                                 % host)
    reason = service.disabled_reason if service.disabled else None
    return mapping.cell_mapping, reason


def _inventory(ctx, cell, host):
    """An Item per instance on ``host`` or migrating away from it."""
    from nova.api.openstack import common
    from nova import context as nova_context
    from nova import exception
    from nova import objects

    with nova_context.target_cell(ctx, cell) as cctxt:
        on_host = {inst.uuid: inst
                   for inst in objects.InstanceList.get_by_host(
                       cctxt, host, expected_attrs=['flavor'])}
        migrations = {}
        for record in objects.MigrationList.get_by_filters(
                cctxt, {'source_compute': host, 'status': list(IN_PROGRESS)}):
            newest = migrations.get(record.instance_uuid)
            if newest is None or record.created_at > newest.created_at:
                migrations[record.instance_uuid] = record
        instances = dict(on_host)
        for uuid in set(migrations) - set(on_host):
            try:
                instances[uuid] = objects.Instance.get_by_uuid(
                    cctxt, uuid, expected_attrs=['flavor'])
            except exception.InstanceNotFound:
                # Deleted while migrating: nothing left to move.
                continue
    items = []
    sizes = {}
    for uuid, inst in instances.items():
        status = common.status_from_state(inst.vm_state, inst.task_state)
        record = migrations.get(uuid)
        move, reason = classify(
            status, inst.task_state,
            (record.migration_type, record.status) if record else None,
            uuid in on_host)
        items.append(Item(
            uuid=uuid, name=inst.display_name or '', status=status,
            flavor=inst.flavor.name, move=move, source=host,
            destination=record.dest_compute if record else None,
            reason=reason, migration=record.id if record else None))
        sizes[uuid] = (inst.flavor.memory_mb, inst.flavor.vcpus,
                       inst.flavor.root_gb)
    # Largest first, as one packs boxes; then by name for a stable plan.
    items.sort(key=lambda i: (tuple(-n for n in sizes[i.uuid]), i.name,
                              i.uuid))
    return items


def _schedule(ctx, movable, enabled_filters):
    """Give each movable item the destination the scheduler would pick,
    consuming it before the next item is scheduled.
    """
    from nova.scheduler.client import report as placement_client

    engine = engine_mod.Engine(ctx, enabled_filters)
    engine.placement = capacity.SameAnswers(engine.placement)
    usage = capacity.PlannedUsage(
        lambda provider: _inventories(ctx, engine.placement, provider))
    for item in movable:
        try:
            request = request_mod.build(
                ctx, item.uuid, item.move, None, None,
                placement_client.SchedulerReportClient)
        except errors.Refused as exc:
            item.move, item.reason = None, str(exc)
            continue
        found = engine.candidates(request.spec)
        by_provider, dropped = usage.trim(found.by_provider)
        found = dataclasses.replace(found, by_provider=by_provider)
        explained, state = engine.place(request, found, dropped)
        if state is None:
            item.reason = _why_nowhere(explained)
            continue
        item.destination = state.host
        state.consume_from_request(request.spec)
        usage.add(found.by_provider[state.uuid][0], item.name or item.uuid)


def _why_nowhere(explained):
    """Every host's reasons in one line, as explain's table says them;
    hosts refused for the same reasons together.
    """
    hosts_by_reasons = {}
    for host in explained.hosts:
        if host.skipped:
            continue
        reasons = []
        if not host.candidate:
            reasons.append('placement: %s' % host.placement_reason)
        reasons.extend('%s: %s' % (result.name, result.reason or 'rejected')
                       for result in host.rejections)
        hosts_by_reasons.setdefault('; '.join(reasons), []).append(host.host)
    said = list(explained.notes)
    for reasons, hosts in hosts_by_reasons.items():
        named = ', '.join(hosts[:_HOSTS_NAMED])
        if len(hosts) > _HOSTS_NAMED:
            named += ' and %d more' % (len(hosts) - _HOSTS_NAMED)
        said.append('%s: %s' % (named, reasons))
    return 'no host: ' + (' | '.join(said) if said else 'no other compute '
                          'host')


def _inventories(ctx, placement, provider):
    url = '/resource_providers/%s' % provider
    inventories = _get(ctx, placement, url + '/inventories')['inventories']
    usages = _get(ctx, placement, url + '/usages')['usages']
    return {rc: capacity.Inventory(
        total=inv['total'], reserved=inv['reserved'],
        allocation_ratio=inv['allocation_ratio'], max_unit=inv['max_unit'],
        used=usages.get(rc, 0)) for rc, inv in inventories.items()}


def _get(ctx, placement, url):
    response = placement.get(url, version='1.6',
                             global_request_id=ctx.global_id)
    if response.status_code != 200:
        raise errors.Unavailable('placement answered %d to GET %s'
                                 % (response.status_code, url))
    return response.json()
