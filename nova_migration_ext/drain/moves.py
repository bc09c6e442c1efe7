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

"""One instance's move, watched to its end through its migration record.

A live migration ends when its record says ``completed`` and the server
is on another host (not when Nova accepts the request); past
``--timeout`` of running it is aborted or force-completed, once. A cold
migration ends when its record is ``finished``, the server waits in
VERIFY_RESIZE on the destination and the drain has confirmed it (once),
and the record says ``confirmed``. ``poll`` advances the move by what
Nova says now; it never sleeps.
"""

import time

from nova_migration_ext.drain import client as client_mod
from nova_migration_ext.drain import plan as plan_mod

ABORT = 'abort'
FORCE_COMPLETE = 'force-complete'

# Results.
MOVED = 'moved'
FAILED = 'failed'
ABORTED = 'aborted'

_LIVE_WAITING = ('accepted', 'queued', 'preparing')
# Live migrations Nova can abort at microversion 2.65.
_ABORTABLE = ('queued', 'preparing', 'running')
_FAILED = ('failed', 'error')
# Server statuses of a move Nova has not finished saving.
_IN_BETWEEN = ('VERIFY_RESIZE', 'MIGRATING')
# A request Nova accepted but that left no migration record after this
# long (seconds) failed before the conductor made one.
_NO_RECORD_GRACE = 60


class Move:
    """The move of one plan item through ``client`` (a NovaClient)."""

    def __init__(self, item, client, timeout=None, on_timeout=ABORT,
                 clock=time.monotonic):
        self.item = item
        self.client = client
        self.timeout = timeout
        self.on_timeout = on_timeout
        self.clock = clock
        self.kind = (plan_mod.LIVE if item.move == plan_mod.LIVE
                     else plan_mod.COLD)
        self.status = 'not started'
        self.result = None
        self.reason = ''
        # The last poll's failure to get an answer, cleared by the next
        # answer.
        self.trouble = ''
        self.destination = item.destination if item.migration else None
        self.migration = None
        self.progress = None
        self.started_at = None
        self.ended_at = None
        self._known = set()
        self._running_since = None
        self._timed_out = False
        self._confirmed = False
        self._aborting = False

    # -- what the runner asks ----------------------------------------------

    @property
    def finished(self):
        return self.result is not None

    @property
    def duration(self):
        if self.started_at is None:
            return None
        return (self.ended_at or self.clock()) - self.started_at

    @property
    def queued(self):
        """Waiting its turn in Nova: abortable, not yet copying."""
        return self.migration is not None and self.migration.status in (
            'queued', 'preparing')

    def start(self):
        """Send the move's request (or attach to an earlier run's)."""
        self.started_at = self.clock()
        uuid = self.item.uuid
        try:
            if self.item.migration is not None:
                self._known = set()
                self._attach(self.item.migration)
                return
            self._known = {m.id for m in self.client.migrations(uuid)}
            if self.item.move == plan_mod.LIVE:
                self.client.live_migrate(uuid)
            else:
                self.client.cold_migrate(uuid)
        except client_mod.ClientError as exc:
            self._end(FAILED, 'Nova refused the request: %s' % exc)
            return
        self.status = 'requested'

    def poll(self):
        """Advance by what Nova says now."""
        if self.finished:
            return
        try:
            record = self._record()
            if record is None:
                self._no_record()
            elif self.kind == plan_mod.LIVE:
                self._poll_live(record)
            else:
                self._poll_cold(record)
            self.trouble = ''
        except client_mod.ClientError as exc:
            # Nova not answering once does not end the move.
            self.trouble = 'Nova did not answer: %s' % exc

    def interrupt(self, abort_running=False):
        """Ctrl-C: abort this move if it is queued in Nova (or running
        and ``abort_running``); a cold migration runs to its end.
        """
        if self.finished or self.kind != plan_mod.LIVE:
            return False
        if self.queued or (abort_running and self.migration is not None
                           and self.migration.status == 'running'):
            return self._abort('interrupted')
        return False

    # -- live ----------------------------------------------------------------

    def _poll_live(self, record):
        self.status = record.status
        if record.status in _LIVE_WAITING:
            return
        if record.status in ('running', 'post-migrating'):
            if self._running_since is None:
                self._running_since = self.clock()
            try:
                total, done = self.client.live_progress(self.item.uuid,
                                                        record.id)
            except client_mod.ClientError:
                # Progress is for show: the record says how the move goes.
                total = None
            if total:
                record.memory_total, record.memory_processed = total, done
                self.progress = record.progress
            self._check_timeout(record)
            return
        if record.status == 'completed':
            self._arrived(record, expect=('ACTIVE', 'PAUSED'))
        elif record.status == 'cancelled':
            self._end(ABORTED, self.reason or 'migration cancelled')
        elif record.status in _FAILED:
            self._failed(record)

    def _check_timeout(self, record):
        if (self.timeout is None or self._timed_out
                or self.clock() - self._running_since <= self.timeout):
            return
        self._timed_out = True
        if self.on_timeout == FORCE_COMPLETE:
            try:
                self.client.force_complete(self.item.uuid, record.id)
            except client_mod.ClientError as exc:
                self.reason = ('ran past --timeout %ds; force-complete '
                               'refused: %s' % (self.timeout, exc))
                return
            self.reason = ('ran past --timeout %ds; force-completed'
                           % self.timeout)
        else:
            self._abort('ran past --timeout %ds' % self.timeout)

    def _abort(self, why):
        if self._aborting:
            return False
        try:
            self.client.abort(self.item.uuid, self.migration.id)
        except client_mod.ClientError as exc:
            self.reason = '%s; abort refused: %s' % (why, exc)
            return False
        self._aborting = True
        self.reason = '%s; aborted' % why
        return True

    # -- cold ----------------------------------------------------------------

    def _poll_cold(self, record):
        self.status = record.status
        if record.status == 'finished':
            server = self.client.server(self.item.uuid)
            if server.status != 'VERIFY_RESIZE' or server.task_state:
                return
            if server.host == self.item.source:
                self._end(FAILED, 'migration finished but the server is '
                                  'still on %s' % self.item.source)
                return
            if not self._confirmed:
                self.client.confirm(self.item.uuid)
                self._confirmed = True
                self.status = 'confirming'
        elif record.status == 'confirmed':
            self._arrived(record, expect=('SHUTOFF', 'ACTIVE'))
        elif record.status == 'reverted':
            self._end(FAILED, 'the migration was reverted')
        elif record.status in _FAILED:
            self._failed(record)

    # -- both ----------------------------------------------------------------

    def _record(self):
        """This move's migration record, once Nova has made it."""
        if self.migration is not None:
            wanted = self.migration.id
            for record in self.client.migrations(self.item.uuid):
                if record.id == wanted:
                    self.migration = record
                    return record
            return None
        kind = 'live-migration' if self.kind == plan_mod.LIVE else 'migration'
        for record in self.client.migrations(self.item.uuid):
            if record.id not in self._known and record.type == kind:
                self.migration = record
                self.destination = record.dest or self.destination
                return record
        return None

    def _attach(self, migration_id):
        for record in self.client.migrations(self.item.uuid):
            if record.id == migration_id:
                self.migration = record
                self.kind = (plan_mod.LIVE if record.type == 'live-migration'
                             else plan_mod.COLD)
                self.destination = record.dest or self.destination
                self.status = record.status
                return
        self._end(FAILED, 'migration %s of an earlier run is gone'
                  % migration_id)

    def _no_record(self):
        if self.clock() - self.started_at < _NO_RECORD_GRACE:
            return
        server = self.client.server(self.item.uuid)
        if server.task_state is None:
            self._end(FAILED, 'Nova accepted the request but made no '
                              'migration: %s' % (
                                  self.client.failure(self.item.uuid)
                                  or 'no fault recorded'))

    def _arrived(self, record, expect):
        server = self.client.server(self.item.uuid)
        # Nova saves the record before the server's new state.
        if server.task_state or server.status in _IN_BETWEEN:
            return
        self.destination = server.host
        if server.host == self.item.source:
            self._end(FAILED, 'migration %s says %s but the server is still '
                              'on %s' % (record.id, record.status,
                                         self.item.source))
        elif server.status not in expect:
            self._end(FAILED, 'on %s but %s: %s' % (
                server.host, server.status,
                server.fault or 'no fault recorded'))
        else:
            self.progress = 100 if self.kind == plan_mod.LIVE else None
            self._end(MOVED, self.reason)

    def _failed(self, record):
        message = self.client.failure(self.item.uuid)
        self._end(FAILED, 'migration %s %s%s' % (
            record.id, record.status, ': %s' % message if message else ''))

    def _end(self, result, reason):
        self.result = result
        self.reason = reason
        self.ended_at = self.clock()
