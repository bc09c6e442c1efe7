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

"""The scheduler dry run shared by ``explain`` and ``drain``.

Unlike Nova's HostFilterHandler, which stops at the first filter that
leaves no host, the engine runs each filter on each host so that every
reason shows; the weighers then order the hosts that passed them all.

One ``Engine`` serves one command run: Nova's HostManager, the enabled
filters and the placement client are made once, and the fleet's
HostStates are loaded on the first request only, so a drain plan that
schedules many instances reads the cell databases once (and sees the
resources its earlier placements consumed).
"""

import contextlib

from nova_migration_ext.explain import candidates as candidates_mod
from nova_migration_ext.explain import errors
from nova_migration_ext.explain import logcapture
from nova_migration_ext.explain import report
from nova_migration_ext.filters import base
from nova_migration_ext.rules import hypervisor


class Engine:
    """Schedules move requests as nova-scheduler would, read-only.

    ``enabled_filters`` replaces ``[filter_scheduler] enabled_filters``
    (e.g. to compare with stock Nova).
    """

    def __init__(self, ctx, enabled_filters=None):
        from nova.scheduler.client import report as placement_client

        self.ctx = ctx
        self.placement = placement_client.SchedulerReportClient()
        self.manager = candidates_mod.host_manager()
        self.filters = _filters(self.manager, enabled_filters)
        self._states = None

    def candidates(self, spec):
        """Placement's allocation candidates for ``spec``, as Nova asks."""
        return candidates_mod.allocation_candidates(
            self.ctx, spec, self.manager, self.placement)

    def host_states(self, spec, found):
        """The fleet's HostStates, loaded once per engine, each holding
        ``found``'s allocation candidates for this request.
        """
        import copy

        if self._states is None:
            self._states = candidates_mod.host_states(
                self.ctx, self.manager, spec, found)
        else:
            for state in self._states:
                state.allocation_candidates = copy.deepcopy(
                    found.by_provider.get(state.uuid, []))
        return self._states

    def schedule(self, request):
        """The ``report.Report`` for one ``request.MoveRequest``."""
        return self.place(request, self.candidates(request.spec))[0]

    def place(self, request, found, placement_reasons=None):
        """The ``report.Report`` for one ``request.MoveRequest`` with
        allocation candidates ``found``, and the HostState of its pick
        (None when no host passes).

        ``placement_reasons`` says, by provider UUID, why a host is not
        among ``found`` when the caller took it out.
        """
        states = self.host_states(request.spec, found)
        results, considered = self._host_results(
            request.spec, states, found, placement_reasons or {})
        _run_filters(self.filters, considered, request, results)
        weighed = _weigh(self.manager, request.spec, considered, results)
        return (_report(request, self.filters, self.manager, results,
                        weighed, found),
                weighed[0].obj if weighed else None)

    def _host_results(self, spec, states, found, placement_reasons):
        """A HostResult per host the request may go to, and the HostStates
        the filters will see (all but the skipped ones).
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
        # Placement's reasons for all the others at once: a fixed number of
        # queries, whatever the number of hosts.
        left_out = [state for state in considered
                    if not results[state].candidate]
        reasons = candidates_mod.why_not_candidates(
            self.ctx, self.placement, found,
            [s for s in left_out if s.uuid not in placement_reasons])
        reasons.update(placement_reasons)
        for state in left_out:
            results[state].placement_reason = reasons.get(state.uuid, '')
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
    """Pass or fail from one of Nova's filters per host, with the line it
    logs: ``(state, FilterResult)``.
    """
    # One capture for all hosts: setting a logger's level up and back
    # costs more than the filter itself.
    with logcapture.captured('nova.scheduler.filters') as said:
        for state in states:
            said.clear()
            yield state, _nova_verdict(filter_obj, name, state, spec, said)


def _nova_verdict(filter_obj, name, state, spec, said):
    try:
        passed = bool(list(filter_obj.filter_all([state], spec)))
    except Exception as exc:
        return report.FilterResult(
            name, False, 'raised %s (in nova-scheduler this fails the '
                         'whole request)' % errors.one_line(exc))
    if passed:
        return report.FilterResult(name, True)
    # Nova's filters name the host by its HostState's repr.
    text = repr(state)
    lines = [line.replace(text, state.host) for line in said]
    return report.FilterResult(name, False, lines[-1] if lines else '')


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
def environment_errors():
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
