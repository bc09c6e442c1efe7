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

"""Dry-run the scheduler for one move: every enabled filter on every host.

Unlike Nova's HostFilterHandler, which stops at the first filter that
leaves no host, explain runs each filter on each host so that every
reason shows; the weighers then order the hosts that passed them all.
"""

import contextlib

from nova_migration_ext.explain import candidates as candidates_mod
from nova_migration_ext.explain import errors
from nova_migration_ext.explain import logcapture
from nova_migration_ext.explain import report
from nova_migration_ext.explain import request as request_mod
from nova_migration_ext.filters import base
from nova_migration_ext import operations
from nova_migration_ext.rules import hypervisor


def explain(server_uuid, operation=operations.LIVE, flavor=None, host=None,
            enabled_filters=None):
    """What nova-scheduler would answer for one move of one server.

    Uses the configuration already loaded in this process (nova.conf).
    ``enabled_filters`` replaces ``[filter_scheduler] enabled_filters``
    (e.g. to compare with stock Nova). Returns a ``report.Report``;
    raises ``errors.Refused`` or ``errors.Unavailable``. Read-only: no
    allocation, migration record or instance change.
    """
    from nova import context as nova_context
    from nova.scheduler.client import report as placement_client

    ctx = nova_context.get_admin_context()
    with _environment_errors():
        # The server and its state are checked before placement's
        # configuration is: a wrong UUID is the likelier mistake.
        request = request_mod.build(ctx, server_uuid, operation, flavor,
                                    host,
                                    placement_client.SchedulerReportClient)
        placement = placement_client.SchedulerReportClient()
        manager = candidates_mod.host_manager()
        filters = _filters(manager, enabled_filters)
        found = candidates_mod.allocation_candidates(
            ctx, request.spec, manager, placement)
        states = candidates_mod.host_states(ctx, manager, request.spec,
                                            found)
        results, considered = _host_results(ctx, placement, request.spec,
                                            states, found)
        _run_filters(filters, considered, request, results)
        weighed = _weigh(manager, request.spec, considered, results)
    return _report(request, filters, manager, results, weighed, found)


def _host_results(ctx, placement, spec, states, found):
    """A HostResult per host the request may go to, and the HostStates the
    filters will see (all but the skipped ones).
    """
    results = {}
    considered = []
    for state in sorted(states, key=lambda s: (s.host, s.nodename)):
        skipped = _skipped(spec, state)
        if skipped is None:
            continue
        results[state] = report.HostResult(
            state.host, state.nodename, candidate=found.has(state),
            skipped=skipped)
        if not skipped:
            considered.append(state)
    reasons = candidates_mod.why_not_candidates(
        ctx, placement, found,
        [state for state in considered if not results[state].candidate])
    for state, reason in ((s, reasons.get(s.uuid)) for s in considered):
        if reason:
            results[state].placement_reason = reason
    return results, considered


def _filters(manager, names):
    """Filter objects in ``enabled_filters`` order, as Nova loads them."""
    if names is None:
        return list(manager.enabled_filters)
    unknown = [name for name in names if name not in manager.filter_cls_map]
    if unknown:
        raise errors.Refused('filter %s is not in [filter_scheduler] '
                             'available_filters' % ', '.join(unknown))
    return [manager.filter_cls_map[name]() for name in names]


def _skipped(spec, state):
    """Why Nova's HostManager drops a host before any filter runs: text, ''
    when it does not, None for hosts other than a requested destination
    (left out of the report).
    """
    destination = spec.requested_destination
    ignored = {name.lower() for name in spec.ignore_hosts or ()}
    if state.host.lower() in ignored:
        return 'source host (ignore_hosts)'
    if destination is not None and 'host' in destination:
        if state.host != destination.host:
            return None
        if 'node' in destination and state.nodename != destination.node:
            return None
    return ''


def _idle_filters(filters, move):
    """Our filters configured not to check this kind of move."""
    return {type(f).__name__: 'does not check %s' % move.description
            for f in filters
            if isinstance(f, base.VerdictFilterMixin)
            and not f.applies_to(move)}


def _run_filters(filters, states, request, results):
    for filter_obj in filters:
        name = type(filter_obj).__name__
        if isinstance(filter_obj, base.VerdictFilterMixin):
            for state, verdict in filter_obj.verdicts(states, request.spec):
                results[state].filters.append(report.FilterResult(
                    name, bool(verdict.ok), verdict.reason))
        else:
            for state, result in _run_nova_filter(filter_obj, name, states,
                                                  request.spec):
                results[state].filters.append(result)


def _run_nova_filter(filter_obj, name, states, spec):
    """Pass or fail from one of Nova's filters for each host, with the line
    it logs.
    """
    # One capture for all hosts: setting a logger's level clears the cache
    # of every logger in the process, which per host dominated explain.
    with logcapture.captured('nova.scheduler.filters') as said:
        for state in states:
            before = len(said)
            try:
                passed = bool(list(filter_obj.filter_all([state], spec)))
            except Exception as exc:
                yield state, report.FilterResult(
                    name, False, 'raised %s (in nova-scheduler this fails '
                                 'the whole request)' % errors.one_line(exc))
                continue
            if passed:
                yield state, report.FilterResult(name, True)
                continue
            # Nova's filters name the host by its HostState's repr.
            lines = [line.replace(repr(state), state.host)
                     for line in said[before:]]
            yield state, report.FilterResult(name, False,
                                             lines[-1] if lines else '')


def _weigh(manager, spec, states, results):
    survivors = [state for state in states if results[state].passed]
    if not survivors:
        return []
    weighed = manager.get_weighed_hosts(survivors, spec)
    for rank, weighed_host in enumerate(weighed, 1):
        result = results[weighed_host.obj]
        result.weight = weighed_host.weight
        result.rank = rank
    return weighed


def _pick(weighed):
    """The hosts Nova may pick (first the one explain names) and why it
    may be more than one, as in SchedulerManager._get_sorted_hosts.
    """
    import nova.conf

    if not weighed:
        return [], ''
    conf = nova.conf.CONF.filter_scheduler
    tied = [w for w in weighed if w.weight == weighed[0].weight]
    subset = min(conf.host_subset_size, len(weighed))
    if conf.shuffle_best_same_weighed_hosts and len(tied) > subset:
        among = tied
        note = ('Nova picks at random among the %d hosts tied at the top '
                'weight (shuffle_best_same_weighed_hosts)' % len(tied))
    elif subset > 1:
        among = weighed[:subset]
        note = ('Nova picks at random among the top %d (host_subset_size = '
                '%d)' % (subset, conf.host_subset_size))
    elif len(tied) > 1:
        among = tied
        note = ('%d hosts tie at the top weight: Nova takes the first its '
                'host list yields, in no fixed order' % len(tied))
    else:
        among = weighed[:1]
        note = ''
    return [w.obj.host for w in among], note


def _report(request, filters, manager, results, weighed, found):
    def order(result):
        if result.rank is not None:
            return (0, result.rank, '')
        return (2 if result.skipped else 1, 0, result.host)

    source = request.move.source
    pick_among, pick_note = _pick(weighed)
    notes = []
    if found.refused:
        notes.append('a request filter refused the request: %s'
                     % found.refused)
    return report.Report(
        server=request.instance.uuid,
        operation=request.move.operation,
        source={
            'host': source.host,
            'node': source.nodename,
            'hypervisor': _hypervisor(source),
            'storage_domains': sorted(source.storage_domains),
            'migration_domains': sorted(source.migration_domains),
        },
        flavor=request.flavor_name,
        requested_host=_requested_host(request.spec),
        filters=[type(f).__name__ for f in filters],
        idle_filters=_idle_filters(filters, request.move),
        weighers=[type(w).__name__ for w in manager.weighers],
        hosts=sorted(results.values(), key=order),
        pick=pick_among[0] if pick_among else None,
        pick_among=pick_among,
        pick_note=pick_note,
        notes=notes)


def _requested_host(spec):
    destination = spec.requested_destination
    if destination is not None and 'host' in destination:
        return destination.host
    return None


def _hypervisor(source):
    try:
        version = hypervisor.as_text(source.hypervisor_version)
    except (TypeError, ValueError):
        version = 'version %r' % (source.hypervisor_version,)
    return '%s %s' % (source.hypervisor_type, version)


@contextlib.contextmanager
def _environment_errors():
    """Turn an unreachable database or placement into one line."""
    from keystoneauth1 import exceptions as ks_exc
    from nova import exception
    from oslo_db import exception as db_exc

    try:
        yield
    except errors.ExplainError:
        raise
    except (db_exc.DBError, db_exc.CantStartEngineError) as exc:
        raise errors.Unavailable('cannot read the Nova databases: %s'
                                 % errors.one_line(exc))
    except ModuleNotFoundError as exc:
        raise errors.Unavailable('Python module %s is missing (a database '
                                 'driver named in nova.conf?)' % exc.name)
    except (ks_exc.ClientException,
            exception.ResourceProviderTraitRetrievalFailed) as exc:
        raise errors.Unavailable('cannot reach placement: %s'
                                 % errors.one_line(exc))
    except exception.NovaException as exc:
        # E.g. enabled_filters naming a filter available_filters lacks.
        raise errors.Unavailable('Nova: %s' % exc.format_message())
