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

"""What a scheduling request is: a boot or a move, and where it comes from.

Looked up once per request (the first of our filters to run pays for it,
the others reuse it) and cached on nothing but the request itself, so
concurrent requests never see each other's state.
"""

import collections
import dataclasses
import datetime
import itertools
import threading
import typing
import weakref

from oslo_log import log as logging

from nova_migration_ext import arrivals
from nova_migration_ext import facts
from nova_migration_ext import operations

LOG = logging.getLogger(__name__)

# task_state the API sets on the instance before it asks the scheduler.
_TASK_STATES = {
    'migrating': operations.LIVE,
    'rebuilding': operations.EVACUATE,
    'unshelving': operations.UNSHELVE,
}


@dataclasses.dataclass(frozen=True)
class Move:
    """One request, as the rules see it.

    ``error`` is set when the request could not be classified or its source
    could not be read; the filters then apply ``on_lookup_error``.
    """

    operation: typing.Optional[str]
    instance_uuid: typing.Optional[str] = None
    source: typing.Optional[facts.HostFacts] = None
    requested_ram_mb: typing.Any = None
    current_ram_mb: typing.Any = None
    volume_backed: typing.Optional[bool] = None
    error: typing.Optional[str] = None
    # Live migration only: the cell's other live migrations, for the RAM
    # hosts' reports do not count yet.
    arriving: arrivals.Arrivals = arrivals.NONE

    @property
    def is_move(self):
        return self.operation in operations.WITH_SOURCE

    @property
    def description(self):
        return operations.DESCRIPTION.get(self.operation, 'request')


def classify(task_state, requested_flavorid, current_flavorid):
    """The operation an existing instance's request stands for.

    ``resize_prep`` is shared by cold migration and resize: a resize asks
    for another flavor (Nova refuses a resize to the same flavor).
    """
    if task_state == 'resize_prep':
        if requested_flavorid == current_flavorid:
            return operations.COLD
        return operations.RESIZE
    # Anything else (a rescheduled boot, a state we do not know) places the
    # instance anew: treat it as a boot, to which no move rule applies.
    return _TASK_STATES.get(task_state, operations.BOOT)


class Request:
    """One scheduling request as every filter of ours sees it: its Move
    and a memo they share.

    Many hosts share one set of aggregates, so whatever depends on the set
    alone (merged metadata, a decision made from it) is worked out once per
    set per request, not once per host.
    """

    __slots__ = ('extra_specs', 'move', '_memo')

    def __init__(self, spec_obj, move):
        # Keep what the filters read of the spec, never the spec: _Cache
        # holds this Request for as long as the spec lives, so a reference
        # back to the spec would keep both alive forever.
        self.extra_specs = _extra_specs(spec_obj)
        self.move = move
        self._memo = {}

    def memo(self, key, compute, *args):
        try:
            return self._memo[key]
        except KeyError:
            value = self._memo[key] = compute(*args)
            return value

    def metadata(self, host_state):
        """Merged aggregate metadata of the host: key -> set of values.

        The same object for hosts whose aggregates say the same.
        """
        aggregates = host_state.aggregates
        if not aggregates or len(aggregates) == 1:
            return facts.aggregate_metadata(aggregates)
        # The HostManager hands every host the same Aggregate objects, alive
        # for the whole request, so their identities name the set.
        return self.memo(('metadata', frozenset(map(id, aggregates))),
                         facts.aggregate_metadata, aggregates)


class _Cache:
    """Requests keyed by the RequestSpec object, dropped with it."""

    def __init__(self):
        self._lock = threading.Lock()
        self._requests = weakref.WeakKeyDictionary()

    def get(self, spec_obj):
        with self._lock:
            request = self._requests.get(spec_obj)
        # A multi-create request reuses the spec for each instance.
        if request and request.move.instance_uuid == _get(spec_obj,
                                                          'instance_uuid'):
            return request
        return None

    def put(self, spec_obj, move):
        request = Request(spec_obj, move)
        with self._lock:
            self._requests[spec_obj] = request
        return request


_CACHE = _Cache()


def request_of(spec_obj):
    """The Request of a RequestSpec, looked up once. Never raises."""
    request = _CACHE.get(spec_obj)
    if request is None:
        try:
            move = _load(spec_obj)
        except Exception as exc:  # a filter must never break scheduling
            move = Move(operation=None,
                        instance_uuid=_get(spec_obj, 'instance_uuid'),
                        error='cannot look up the request: %s: %s'
                              % (type(exc).__name__, exc))
        if move.error:
            LOG.warning('Instance %s: %s', move.instance_uuid, move.error)
        request = _CACHE.put(spec_obj, move)
    return request


def move_of(spec_obj):
    """The Move of a RequestSpec, looked up once per request."""
    return request_of(spec_obj).move


def remember(spec_obj, move):
    """Pin the Move of a request built by ``explain`` (no task_state yet)."""
    _CACHE.put(spec_obj, move)


def _get(obj, field, default=None):
    try:
        return getattr(obj, field) if field in obj else default
    except Exception:
        return default


def _extra_specs(spec_obj):
    return _get(_get(spec_obj, 'flavor'), 'extra_specs')


def _load(spec_obj):
    # Nova is imported here, not at module level, so the pure parts of the
    # package stay importable without a configured Nova.
    from nova.compute import utils as compute_utils
    from nova import context as nova_context
    from nova import exception
    from nova import objects

    uuid = spec_obj.instance_uuid
    flavor = _get(spec_obj, 'flavor')
    requested_ram = getattr(flavor, 'memory_mb', None)
    ctx = nova_context.get_admin_context()
    try:
        mapping = objects.InstanceMapping.get_by_instance_uuid(ctx, uuid)
    except exception.InstanceMappingNotFound:
        mapping = None
    if mapping is None or not mapping.cell_mapping:
        # Still a build request: nothing exists in a cell yet.
        return Move(operations.BOOT, uuid, requested_ram_mb=requested_ram)

    with nova_context.target_cell(ctx, mapping.cell_mapping) as cctxt:
        try:
            instance = objects.Instance.get_by_uuid(
                cctxt, uuid, expected_attrs=['flavor'])
        except exception.InstanceNotFound:
            return Move(operations.BOOT, uuid, requested_ram_mb=requested_ram)
        operation = classify(instance.task_state,
                             getattr(flavor, 'flavorid', None),
                             instance.flavor.flavorid)
        if operation not in operations.WITH_SOURCE:
            return Move(operation, uuid, requested_ram_mb=requested_ram)
        if not instance.host:
            return Move(operation, uuid, requested_ram_mb=requested_ram,
                        error='%s of an instance with no host'
                              % operations.DESCRIPTION[operation])
        if 'is_bfv' in spec_obj:
            volume_backed = spec_obj.is_bfv
        else:
            volume_backed = compute_utils.is_volume_backed_instance(
                cctxt, instance)
        node = objects.ComputeNode.get_by_host_and_nodename(
            cctxt, instance.host, instance.node)
        # A live migration stays in its cell: its cell's migrations are all
        # that can arrive at its candidates.
        arriving = arrivals_for(cctxt, operation, uuid)
    source = source_facts(ctx, node)
    return Move(operation, uuid, source=source,
                requested_ram_mb=requested_ram,
                current_ram_mb=instance.flavor.memory_mb,
                volume_backed=volume_backed, arriving=arriving)


def source_facts(ctx, node):
    """HostFacts of the compute node an instance is on and of its host's
    aggregates (API database).
    """
    from nova import objects
    aggregates = objects.AggregateList.get_by_host(ctx, node.host)
    return facts.from_compute_node(node, aggregates)


# Live-migration statuses of a move whose instance will be on its
# destination; failed, error and cancelled ones left nothing there.
_IN_FLIGHT = ('accepted', 'queued', 'preparing', 'running', 'post-migrating')


def arrivals_for(cctxt, operation, instance_uuid):
    """What MigrationRamFilter needs to know of other moves: for a live
    migration, the cell's live migrations arriving at hosts.
    """
    if operation != operations.LIVE:
        return arrivals.NONE
    return arriving_live_migrations(cctxt, instance_uuid)


def arriving_live_migrations(cctxt, instance_uuid):
    """The cell's live migrations, other than the instance's own, whose RAM
    a destination's report may not count yet (arrivals.Arrivals).

    Why count migrations rather than read placement's usage: placement
    holds a destination's allocation from scheduling on, but Nova 34 hands
    its usage (provider_summaries) to no filter, only each host's
    allocation requests, and asking placement per candidate host would
    cost a call per host. Nova 34 also builds HostStates afresh for every
    request (host_manager._get_host_states), so consume_from_request never
    carries one request's choice into the next one's free_ram_mb: nothing
    counted here was already subtracted.

    Cost per live-migration request, whatever the fleet size: two queries
    for the cell's live migrations (in flight, and completed recently), one
    for their flavors, and one placement GET per live migration whose
    destination is being chosen at this very moment.
    """
    from nova import objects
    from nova.scheduler.client import report
    from oslo_utils import timeutils

    since = timeutils.utcnow() - _arrivals_window()
    # In flight: by status alone (a migration just accepted has no
    # updated_at for changes-since to compare).
    live = {'migration_type': 'live-migration'}
    migrations = [
        migration for migration in itertools.chain(
            objects.MigrationList.get_by_filters(
                cctxt, dict(live, status=list(_IN_FLIGHT))),
            objects.MigrationList.get_by_filters(
                cctxt, dict(live, status='completed',
                            **{'changes-since': since})))
        if migration.instance_uuid != instance_uuid]
    recorded = [m for m in migrations if m.dest_compute and m.dest_node]
    by_node = collections.defaultdict(list)
    if recorded:
        instances = objects.InstanceList.get_by_filters(
            cctxt, {'uuid': sorted({m.instance_uuid for m in recorded})},
            expected_attrs=['flavor'])
        ram = {instance.uuid: instance.flavor.memory_mb
               for instance in instances}
        for migration in recorded:
            if migration.instance_uuid in ram:
                by_node[migration.dest_compute, migration.dest_node].append(
                    arrivals.Arrival(ram[migration.instance_uuid],
                                     migration.created_at))
    # Being scheduled or checked: the scheduler's claim in placement is
    # the only trace of the destination it chose. The instance holds
    # nothing else (its source allocation moved to the migration).
    by_provider = collections.defaultdict(list)
    client = None
    for migration in migrations:
        if (migration.dest_compute or migration.status == 'completed'
                or arrivals.utc(migration.created_at) < since):
            # Recorded, done, or stuck since before any report we compare.
            continue
        client = client or report.report_client_singleton()
        allocations = client.get_allocs_for_consumer(
            cctxt, migration.instance_uuid).get('allocations') or {}
        for provider, allocation in allocations.items():
            ram_mb = allocation.get('resources', {}).get('MEMORY_MB')
            if ram_mb:
                by_provider[provider].append(arrivals.Arrival(
                    ram_mb, source_host=migration.source_compute))
    return arrivals.Arrivals(
        {key: tuple(value) for key, value in by_node.items()},
        {key: tuple(value) for key, value in by_provider.items()})


def _arrivals_window():
    """How far back to look: three of the hosts' reporting periods.

    What arrived at a host before its last report is in that report; a
    host silent for longer than this has stopped reporting.
    """
    import nova.conf
    interval = nova.conf.CONF.update_resources_interval
    return datetime.timedelta(seconds=3 * max(interval, 60))
