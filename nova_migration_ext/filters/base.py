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
facts that cannot be established, one log line per rejection, and no
exception ever reaching the scheduler.
"""

from oslo_log import log as logging

from nova_migration_ext import conf
from nova_migration_ext import move as move_mod
from nova_migration_ext import verdict as verdict_mod

LOG = logging.getLogger(__name__)
CONF = conf.CONF


class VerdictFilterMixin:
    """Turns ``check(host_state, view) -> Verdict`` into a Nova filter.

    Subclasses name the operations they check and write ``check``; the
    rule itself lives in ``nova_migration_ext.rules``.
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

    def check(self, host_state, view):
        raise NotImplementedError()

    def verdicts(self, host_states, spec_obj):
        """Yield ``(host_state, Verdict)`` for each host, policy applied.

        Shared by ``filter_all`` and the ``explain`` command so both give
        the same answer with the same words.
        """
        from nova.scheduler import utils as scheduler_utils
        if (not self.RUN_ON_REBUILD
                and scheduler_utils.request_is_rebuild(spec_obj)):
            for host_state in host_states:
                yield host_state, verdict_mod.PASS
            return
        view = move_mod.request_of(spec_obj)
        on_unknown = CONF.migration_ext.on_lookup_error
        applies = self.applies_to(view.move)
        lookup_failed = view.move.error is not None and self.needs_move
        for host_state in host_states:
            if not applies:
                yield host_state, verdict_mod.PASS
                continue
            if lookup_failed:
                result = verdict_mod.unknown(view.move.error)
            else:
                result = self._safe_check(host_state, view)
            if result is verdict_mod.PASS:
                yield host_state, result
                continue
            result = verdict_mod.resolve(result, on_unknown)
            if not result.ok:
                self._log_rejection(host_state, view.move, result)
            elif result.reason:
                LOG.info('%s let %s through for %s of %s: %s',
                         type(self).__name__, host_state.host,
                         view.move.description, view.move.instance_uuid,
                         result.reason)
            yield host_state, result

    def filter_all(self, filter_obj_list, spec_obj):
        for host_state, result in self.verdicts(filter_obj_list, spec_obj):
            if result.ok:
                yield host_state

    def host_passes(self, host_state, spec_obj):
        for _host, result in self.verdicts([host_state], spec_obj):
            return result.ok
        return True

    def _safe_check(self, host_state, view):
        try:
            return self.check(host_state, view)
        except Exception as exc:  # never let a bad fact break scheduling
            LOG.exception('%s failed on host %s', type(self).__name__,
                          getattr(host_state, 'host', host_state))
            return verdict_mod.unknown('%s failed: %s: %s' % (
                type(self).__name__, type(exc).__name__, exc))

    def _log_rejection(self, host_state, move, result):
        # Boots go through MigrationAggregateFilter by the thousand: keep
        # their rejections at debug, like Nova's own filters.
        log = LOG.info if move.is_move else LOG.debug
        log('%(filter)s rejected %(host)s for %(op)s of %(uuid)s: %(why)s',
            {'filter': type(self).__name__, 'host': host_state.host,
             'op': move.description, 'uuid': move.instance_uuid,
             'why': result.reason})
