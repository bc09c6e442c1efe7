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

"""The Nova request filter that narrows a move's placement query, and its
registration in Nova's fixed list of request filters.

Nova 34 has no entry point for request filters: ``process_reqspec`` runs
every function of ``nova.scheduler.request_filter.ALL_REQUEST_FILTERS``,
read at each call. nova-scheduler (and ``explain``) load our scheduler
filters through ``nova_migration_ext.filters.all_filters``, which appends
``narrow_move`` to that list.
"""

from urllib import parse

from oslo_log import log as logging
from oslo_utils import timeutils

from nova_migration_ext import conf
from nova_migration_ext import facts
from nova_migration_ext import move as move_mod
from nova_migration_ext.prefilter import narrowing as narrowing_mod

LOG = logging.getLogger(__name__)
CONF = conf.CONF

MIGRATION_AGGREGATE_FILTER = 'MigrationAggregateFilter'
SHARED_STORAGE_FILTER = 'SharedStorageFilter'
_DOMAIN_KEYS = (facts.MIGRATION_DOMAIN_KEY, facts.SHARED_STORAGE_KEY)
# ``required=in:`` needs placement 1.39, ``member_of=!in:`` 1.32.
_PLACEMENT_VERSION = '1.39'


def missing_hook():
    """What of Nova's request-filter hook the running Nova lacks.

    An empty list when ``process_reqspec`` runs the functions of the list
    ``ALL_REQUEST_FILTERS``, read at each call.
    """
    try:
        from nova.scheduler import request_filter
    except Exception as exc:
        return ['nova.scheduler.request_filter (%s: %s)'
                % (type(exc).__name__, exc)]
    missing = []
    if not isinstance(getattr(request_filter, 'ALL_REQUEST_FILTERS', None),
                      list):
        missing.append('the list nova.scheduler.request_filter.'
                       'ALL_REQUEST_FILTERS')
    process = getattr(request_filter, 'process_reqspec', None)
    code = getattr(process, '__code__', None)
    if 'ALL_REQUEST_FILTERS' not in getattr(code, 'co_names', ()):
        missing.append('nova.scheduler.request_filter.process_reqspec '
                       'running ALL_REQUEST_FILTERS')
    return missing


def register():
    """Add ``narrow_move`` to Nova's request filters, once.

    Never raises: a Nova without the hook keeps scheduling, unnarrowed,
    and the log says what is missing. Returns whether it is registered.
    """
    try:
        if not CONF.migration_ext.placement_prefilter:
            return False
        missing = missing_hook()
        if missing:
            LOG.error('[migration_ext] placement_prefilter is on, but this '
                      'Nova lacks %s: moves are not narrowed in placement',
                      ' and '.join(missing))
            return False
        from nova.scheduler import request_filter
        if narrow_move not in request_filter.ALL_REQUEST_FILTERS:
            request_filter.ALL_REQUEST_FILTERS.append(narrow_move)
            LOG.info('Registered the placement prefilter for moves as a '
                     'Nova request filter')
        return True
    except Exception as exc:  # never break nova-scheduler start-up
        LOG.error('Cannot register the placement prefilter: %s: %s',
                  type(exc).__name__, exc)
        return False


def rules_of(move):
    """(migration domain, shared storage): which narrowing applies.

    The same conditions as the filters' own: the filter is enabled, the
    rule checks this operation, and the source is in a domain of it.
    """
    if move.error or not move.is_move or move.source is None:
        return False, False
    enabled = CONF.filter_scheduler.enabled_filters
    migration_domain = (MIGRATION_AGGREGATE_FILTER in enabled
                        and bool(move.source.migration_domains))
    shared_storage = (
        SHARED_STORAGE_FILTER in enabled
        and move.operation in CONF.migration_ext.shared_storage_operations
        and not move.volume_backed
        and bool(move.source.storage_domains))
    return migration_domain, shared_storage


def narrow_move(ctxt, request_spec):
    """Nova request filter: a move whose source is in a migration or
    shared-storage domain only gets placement candidates that can pass
    MigrationAggregateFilter and SharedStorageFilter.

    Returns whether it ran, as Nova's request filters do. Never raises:
    on any error the query is left as it is and one line says why.
    """
    if not CONF.migration_ext.placement_prefilter:
        return False
    timer = timeutils.StopWatch()
    timer.start()
    move = None
    try:
        if not _worth_narrowing(request_spec):
            return False
        move = move_mod.move_of(request_spec)
        migration_domain, shared_storage = rules_of(move)
        if not (migration_domain or shared_storage):
            return False
        narrowing = narrowing_mod.plan(
            move, domain_aggregates(ctxt), migration_domain, shared_storage,
            lambda traits, outside: providers_publishing(
                ctxt, traits, outside))
        if narrowing.required_traits:
            drop_unknown_traits(narrowing, known_traits(
                ctxt, narrowing.required_traits))
        add_to_query(narrowing, request_spec)
    except Exception as exc:  # never break scheduling
        LOG.warning('Placement prefilter left the query of %s unnarrowed: '
                    '%s: %s', getattr(move, 'instance_uuid', None) or
                    _instance_uuid(request_spec), type(exc).__name__, exc)
        return False
    _log(move, narrowing, timer.elapsed())
    return True


def _worth_narrowing(request_spec):
    # Without either filter there is nothing to narrow to, and the move
    # need not be looked up. A requested host is asked of placement alone
    # (no limit applies), and the filter then says why it does not fit.
    enabled = CONF.filter_scheduler.enabled_filters
    if (MIGRATION_AGGREGATE_FILTER not in enabled
            and SHARED_STORAGE_FILTER not in enabled):
        return False
    destination = (request_spec.requested_destination
                   if 'requested_destination' in request_spec else None)
    return not (destination and 'host' in destination and destination.host)


def _log(move, narrowing, elapsed):
    # One line per move, like Nova's request filters and their timing.
    skipped = '; '.join(narrowing.skipped)
    if narrowing:
        LOG.info('Placement prefilter narrowed the %(op)s of %(uuid)s to '
                 '%(what)s%(skipped)s (%(ms).1f ms)',
                 {'op': move.description, 'uuid': move.instance_uuid,
                  'what': '; '.join(narrowing.narrowed),
                  'skipped': '; not narrowed: ' + skipped if skipped else '',
                  'ms': elapsed * 1000})
    else:
        LOG.info('Placement prefilter did not narrow the %(op)s of %(uuid)s: '
                 '%(skipped)s (%(ms).1f ms)',
                 {'op': move.description, 'uuid': move.instance_uuid,
                  'skipped': skipped, 'ms': elapsed * 1000})


def _instance_uuid(request_spec):
    try:
        return request_spec.instance_uuid
    except Exception:
        return None


def add_to_query(narrowing, request_spec):
    """Add a Narrowing to the request's placement query.

    Only to fields Nova never persists with the RequestSpec
    (``requested_destination``, ``request_level_params``), so it binds this
    request alone. Adding the same Narrowing twice changes nothing.
    """
    from nova import objects

    if narrowing.required_aggregates or narrowing.forbidden_aggregates:
        if ('requested_destination' not in request_spec
                or request_spec.requested_destination is None):
            request_spec.requested_destination = objects.Destination()
        destination = request_spec.requested_destination
        for uuids in narrowing.required_aggregates:
            if ','.join(uuids) not in (destination.aggregates or ()):
                destination.require_aggregates(uuids)
        if narrowing.forbidden_aggregates:
            destination.append_forbidden_aggregates(
                set(narrowing.forbidden_aggregates))
    for trait in sorted(narrowing.required_traits):
        request_spec.root_required.add(trait)


def domain_aggregates(ctxt):
    """Every aggregate carrying one of our domain keys: one SQL statement
    on the API database, whatever the number of aggregates and hosts.
    """
    return [narrowing_mod.DomainAggregate(
        uuid=uuid, name=name, key=key,
        values=frozenset(facts.split_values(value)))
        for uuid, name, key, value in _domain_aggregate_rows(ctxt)]


def _domain_aggregate_rows(ctxt):
    from nova.db.api import api as api_db_api
    from nova.db.api import models as api_models

    @api_db_api.context_manager.reader
    def rows(context):
        metadata = api_models.AggregateMetadata
        return context.session.query(
            api_models.Aggregate.uuid, api_models.Aggregate.name,
            metadata.key, metadata.value,
        ).join(
            metadata, api_models.Aggregate.id == metadata.aggregate_id,
        ).filter(metadata.key.in_(_DOMAIN_KEYS)).all()

    return rows(ctxt)


def known_traits(ctxt, traits):
    """Which of ``traits`` placement knows: one request."""
    from nova.scheduler.client import report

    client = report.report_client_singleton()
    return set(_placement_json(client, ctxt, '/traits?%s' % parse.urlencode(
        {'name': 'in:' + ','.join(sorted(traits))}))['traits'])


def drop_unknown_traits(narrowing, known):
    """Require no trait placement does not know.

    Placement refuses a query naming an unknown trait outright, and Nova
    then answers NoValidHost for the move: that happens until some compute
    node running this version's driver extension has reported the storage
    (schedulers upgraded before computes, say). Such a move is left to the
    filters, unnarrowed.
    """
    unknown = narrowing.required_traits - set(known)
    if not unknown:
        return
    narrowing.required_traits -= unknown
    narrowing.narrowed[:] = [text for text in narrowing.narrowed
                             if not any(t in text for t in unknown)]
    narrowing.skipped.append(
        'trait %s: no compute node reports it yet (driver extension not '
        'upgraded?)' % ','.join(sorted(unknown)))


def providers_publishing(ctxt, traits, outside_aggregates):
    """Names of the resource providers reporting one of ``traits`` and in
    none of ``outside_aggregates``: two placement requests at most.
    """
    from nova.scheduler.client import report

    client = report.report_client_singleton()
    existing = _placement_json(client, ctxt, '/traits?%s' % parse.urlencode(
        {'name': 'in:' + ','.join(sorted(traits))}))['traits']
    if not existing:
        # No host ever reported one: placement knows no such trait.
        return []
    query = {'required': 'in:' + ','.join(sorted(existing))}
    if outside_aggregates:
        query['member_of'] = '!in:' + ','.join(sorted(outside_aggregates))
    found = _placement_json(client, ctxt, '/resource_providers?%s'
                            % parse.urlencode(query))
    return [provider['name'] for provider in found['resource_providers']]


def _placement_json(client, ctxt, url):
    response = client.get(url, version=_PLACEMENT_VERSION,
                          global_request_id=getattr(ctxt, 'global_id', None))
    if response.status_code != 200:
        raise RuntimeError('placement answered %s to GET %s'
                           % (response.status_code, url))
    return response.json()
