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

"""Execute a plan: disable the host's compute service, then move its
instances a bounded number at a time, each watched to its end.

Ctrl-C stops starting new moves, aborts the live migrations Nova still
queues (and, with ``abort_running``, those running) and waits for the
rest; a second Ctrl-C stops waiting. What the runner knows it reads from
Nova, so running the drain again resumes it.
"""

import dataclasses
import time
import typing

from nova_migration_ext.drain import client as client_mod
from nova_migration_ext.drain import moves as moves_mod

# The disabled_reason a drain leaves, which undrain recognises.
REASON_PREFIX = 'nova-migration-ext drain'

NOT_STARTED = 'not started'
SKIPPED = 'skipped'
STILL_RUNNING = 'still running'


def disabled_reason(host):
    return '%s of %s' % (REASON_PREFIX, host)


def is_drain_reason(reason):
    return bool(reason) and reason.startswith(REASON_PREFIX)


@dataclasses.dataclass
class Outcome:
    """Where one instance ended, for the report."""

    instance: str
    name: str
    move: typing.Optional[str]
    source: str
    destination: typing.Optional[str]
    result: str
    duration: typing.Optional[float]
    reason: str
    migration: typing.Optional[int] = None
    migration_status: typing.Optional[str] = None
    # Where Nova has the server when the drain ends, and its status.
    now_on: typing.Optional[str] = None
    status: typing.Optional[str] = None


@dataclasses.dataclass
class Options:
    parallel: int = 1
    timeout: typing.Optional[float] = None
    on_timeout: str = moves_mod.ABORT
    stop_on_error: bool = False
    abort_running: bool = False
    interval: float = 2.0


class Runner:
    """Runs one plan through ``client``; ``display`` is told as it goes."""

    def __init__(self, plan, client, display, options,
                 clock=time.monotonic, sleep=time.sleep):
        self.plan = plan
        self.client = client
        self.display = display
        self.options = options
        self.clock = clock
        self.sleep = sleep
        self.moves = [moves_mod.Move(item, client, options.timeout,
                                     options.on_timeout, clock)
                      for item in plan.items if item.placed]
        self.waiting = list(self.moves)
        self.active = []
        self.interrupted = False
        self.stopping = ''
        self.service_note = ''

    def run(self):
        """Move everything; the outcomes, one per instance of the plan."""
        self._disable_service()
        try:
            self._loop()
        except KeyboardInterrupt:
            self.interrupted = True
            self._stop('interrupted')
            try:
                self._loop()
            except KeyboardInterrupt:
                # Stop waiting: the moves go on in Nova.
                pass
        return self.outcomes()

    def _disable_service(self):
        service = self.client.service(self.plan.host)
        if service is None:
            raise client_mod.ClientError('no nova-compute service on %s in '
                                         'the compute API' % self.plan.host)
        if service.status == 'disabled':
            if not is_drain_reason(service.disabled_reason):
                self.service_note = ('compute service already disabled: %s'
                                     % (service.disabled_reason or
                                        'no reason given'))
            return
        self.client.disable(service, disabled_reason(self.plan.host))
        self.display.event('disabled the compute service of %s (reason: %s)'
                           % (self.plan.host,
                              disabled_reason(self.plan.host)))

    def _loop(self):
        while self.waiting or self.active:
            self._start_more()
            for move in list(self.active):
                before = (move.status, move.progress, move.trouble)
                move.poll()
                if move.finished:
                    self.active.remove(move)
                    self.display.finished(move)
                    if (move.result != moves_mod.MOVED
                            and self.options.stop_on_error):
                        self._stop('stopped after a failure '
                                   '(--stop-on-error)')
                elif (move.status, move.progress, move.trouble) != before:
                    self.display.changed(move)
            self.display.show(self)
            if self.active:
                self.sleep(self.options.interval)

    def _start_more(self):
        while (self.waiting and not self.stopping
               and len(self.active) < self.options.parallel):
            move = self.waiting.pop(0)
            move.start()
            self.display.started(move)
            if move.finished:
                self.display.finished(move)
            else:
                self.active.append(move)

    def _stop(self, why):
        self.stopping = why
        self.display.event('%s: starting no more moves' % why)
        for move in self.waiting:
            move.reason = why
        self.waiting = []
        for move in self.active:
            if move.interrupt(self.options.abort_running and
                              self.interrupted):
                self.display.event('aborting %s (%s)'
                                   % (label(move.item), move.status))

    def outcomes(self):
        by_uuid = {move.item.uuid: move for move in self.moves}
        outcomes = []
        for item in self.plan.items:
            move = by_uuid.get(item.uuid)
            if move is None:
                outcomes.append(Outcome(
                    item.uuid, item.name, item.move, item.source, None,
                    SKIPPED, None, item.reason))
                continue
            if move.finished:
                result = move.result
            elif move.started_at is None:
                result = NOT_STARTED
            else:
                result = STILL_RUNNING
            outcomes.append(Outcome(
                item.uuid, item.name, item.move, item.source,
                move.destination, result, move.duration, move.reason,
                move.migration.id if move.migration else None,
                move.migration.status if move.migration else None))
        for outcome in outcomes:
            self._locate(outcome)
        return outcomes

    def _locate(self, outcome):
        try:
            server = self.client.server(outcome.instance)
        except client_mod.ClientError as exc:
            outcome.status = 'unknown (%s)' % exc
            return
        outcome.now_on, outcome.status = server.host, server.status
        if outcome.result == moves_mod.MOVED:
            outcome.destination = server.host


def label(item):
    return item.name or item.uuid


def emptied(outcomes):
    return all(o.result == moves_mod.MOVED for o in outcomes)
