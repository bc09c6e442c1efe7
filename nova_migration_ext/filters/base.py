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

"""What every filter of this package shares: per-request state, policy for
facts that cannot be established, one log line per filter and request, and
no exception ever reaching the scheduler.
"""

from oslo_log import log as logging

from nova_migration_ext import conf
from nova_migration_ext import move as move_mod
from nova_migration_ext import rejections
from nova_migration_ext import verdict as verdict_mod

LOG = logging.getLogger(__name__)
CONF = conf.CONF


class VerdictFilterMixin:
    """Turns ``checker(view) -> check(host_state) -> Verdict`` into a Nova
    filter.

    Subclasses name the operations they check and write ``checker``, which
    reads what the request needs (its Move, options) once and returns the
    per-host check; the rule itself lives in ``nova_migration_ext.rules``.
    """

    RUN_ON_REBUILD = False

    # Whether check() needs the request's Move; when the Move could not be
    # looked up such a filter gives every host the on_lookup_error verdict.
    needs_move = True

    def operations(self):
        """Operations this filter checks; others pass untouched."""
        from nova_migration_ext import operations
        return operations.WITH_SOURCE

    def applies_to(self, move):
        return move.error is not None or move.operation in self.operations()

    def checker(self, view):
        """The check of one host for the request ``view`` (a move.Request).
        """
        raise NotImplementedError()

    def verdicts(self, host_states, spec_obj):
        """Yield ``(host_state, Verdict)`` for each host, policy applied.

        Shared by ``filter_all`` and the ``explain`` command so both give
        the same answer with the same words. Once the hosts are exhausted,
        logs what was rejected in one line: at INFO for a move, at DEBUG
        for a boot (which goes through MigrationAggregateFilter by the
        thousand), with each host's verdict at DEBUG.
        """
        from nova.scheduler import utils as scheduler_utils
        if (not self.RUN_ON_REBUILD
                and scheduler_utils.request_is_rebuild(spec_obj)):
            for host_state in host_states:
                yield host_state, verdict_mod.PASS
            return
        view = move_mod.request_of(spec_obj)
        move = view.move
        if not self.applies_to(move):
            for host_state in host_states:
                yield host_state, verdict_mod.PASS
            return
        name = type(self).__name__
        summary = rejections.Summary()
        check = self._checker(view, name)
        on_unknown = CONF.migration_ext.on_lookup_error
        resolved = {}
        debug = LOG.isEnabledFor(logging.DEBUG)
        crashed = False
        seen = 0
        for host_state in host_states:
            seen += 1
            try:
                result = check(host_state)
            except Exception as exc:  # never let a bad fact break scheduling
                if not crashed:
                    # Once per request: the same bug would say it per host.
                    LOG.exception('%s failed on host %s', name,
                                  getattr(host_state, 'host', host_state))
                    crashed = True
                result = verdict_mod.unknown('%s failed: %s: %s' % (
                    name, type(exc).__name__, exc))
            if result is verdict_mod.PASS:
                yield host_state, result
                continue
            if result.ok is None:
                unknown = result
                result = resolved.get(unknown)
                if result is None:
                    result = resolved[unknown] = verdict_mod.resolve(
                        unknown, on_unknown)
                if result.ok:
                    summary.let_through.add(host_state.host, result.reason)
            if not result.ok:
                summary.rejected.add(host_state.host, result.reason)
            if debug:
                LOG.debug('%s %s %s for %s of %s: %s', name,
                          'let through' if result.ok else 'rejected',
                          host_state.host, move.description,
                          move.instance_uuid, result.reason)
            yield host_state, result
        summary.seen = seen
        log = LOG.info if move.is_move else LOG.debug
        for line in summary.lines(name, move.description,
                                  move.instance_uuid):
            log(line)

    def _checker(self, view, name):
        if view.move.error is not None and self.needs_move:
            lookup_failed = verdict_mod.unknown(view.move.error)
            return lambda host_state: lookup_failed
        try:
            return self.checker(view)
        except Exception as exc:  # a malformed request must not either
            LOG.exception('%s cannot read the request for %s', name,
                          view.move.instance_uuid)
            failed = verdict_mod.unknown('%s failed: %s: %s' % (
                name, type(exc).__name__, exc))
            return lambda host_state: failed

    def filter_all(self, filter_obj_list, spec_obj):
        # A list, not a generator of a generator: one frame switch per host
        # less, and the summary is logged before Nova's next filter runs.
        return [host_state for host_state, result
                in self.verdicts(filter_obj_list, spec_obj) if result.ok]

    def host_passes(self, host_state, spec_obj):
        for _host, result in self.verdicts([host_state], spec_obj):
            return result.ok
        return True


def once_per_object(object_of, judge):
    """``check(host_state)`` judging each distinct object ``object_of``
    gives (hosts share them: a CPU model, aggregate metadata) once per
    request.

    Keyed by identity and holding the object, so an id is never reused
    within the request.
    """
    judged = {}

    def check(host_state):
        obj = object_of(host_state)
        try:
            return judged[id(obj)][1]
        except KeyError:
            result = judge(obj)
            judged[id(obj)] = (obj, result)
            return result
    return check
