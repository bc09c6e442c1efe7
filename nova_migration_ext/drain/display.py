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

"""What a drain shows while it runs.

On a terminal, a block redrawn in place (plain ANSI): overall n/m, then
one bar per running move. Elsewhere (a log file, a pipe), one
timestamped line per event and per tenth of a live migration's progress.
"""

import datetime
import sys

from nova_migration_ext.drain import moves as moves_mod
from nova_migration_ext.drain import runner as runner_mod

BAR_WIDTH = 30


def for_stream(stream):
    isatty = getattr(stream, 'isatty', None)
    if isatty is not None and isatty():
        return TerminalDisplay(stream)
    return LineDisplay(stream)


def describe(move):
    """'live to host2: running 45%' and the like."""
    where = ' to %s' % move.destination if move.destination else ''
    done = ' %d%%' % move.progress if move.progress is not None else ''
    trouble = ' (%s)' % move.trouble if move.trouble else ''
    return '%s%s: %s%s%s' % (move.item.move, where, move.status, done,
                             trouble)


def bar(percent, width=BAR_WIDTH):
    if percent is None:
        return '[' + '?' * 3 + ' ' * (width - 3) + ']'
    filled = width * percent // 100
    return '[' + '#' * filled + '-' * (width - filled) + ']'


def overall(runner):
    moves = runner.moves
    done = sum(1 for m in moves if m.result == moves_mod.MOVED)
    failed = sum(1 for m in moves if m.finished and
                 m.result != moves_mod.MOVED)
    text = '%s: %d/%d moved, %d running, %d failed or aborted' % (
        runner.plan.host, done, len(moves), len(runner.active), failed)
    if runner.stopping:
        text += ' (%s)' % runner.stopping
    return text


class LineDisplay:
    """Timestamped lines, for logs."""

    def __init__(self, stream=None, now=None):
        self.stream = stream or sys.stdout
        self.now = now or (lambda: datetime.datetime.now(
            datetime.timezone.utc))
        self._tenths = {}

    def _line(self, text):
        stamp = self.now().strftime('%Y-%m-%dT%H:%M:%SZ')
        print('%s %s' % (stamp, text), file=self.stream, flush=True)

    def event(self, text):
        self._line(text)

    def started(self, move):
        self._line('%s: %s requested' % (runner_mod.label(move.item),
                                         move.item.move))

    def changed(self, move):
        tenth = None if move.progress is None else move.progress // 10
        key = (move.status, tenth)
        if self._tenths.get(move.item.uuid) != key:
            self._tenths[move.item.uuid] = key
            self._line('%s: %s' % (runner_mod.label(move.item),
                                   describe(move)))

    def finished(self, move):
        reason = ' (%s)' % move.reason if move.reason else ''
        self._line('%s: %s%s%s' % (
            runner_mod.label(move.item), move.result,
            ' to %s' % move.destination if move.destination else '',
            reason))

    def show(self, runner):
        """Lines are written as things happen: nothing to redraw."""

    def close(self):
        """Nothing left on screen to clean up."""


class TerminalDisplay(LineDisplay):
    """Events scroll above a block redrawn in place."""

    def __init__(self, stream):
        super().__init__(stream)
        self._drawn = 0

    def _clear(self):
        if self._drawn:
            # Up to the block's first line, then clear to the end.
            self.stream.write('\x1b[%dF\x1b[J' % self._drawn)
            self._drawn = 0

    def _line(self, text):
        self._clear()
        super()._line(text)

    def changed(self, move):
        """The bars show it."""

    def show(self, runner):
        self._clear()
        lines = [overall(runner)]
        width = max([len(runner_mod.label(m.item)) for m in runner.active]
                    + [0])
        for move in runner.active:
            lines.append('  %s %s %s' % (
                runner_mod.label(move.item).ljust(width),
                bar(move.progress), describe(move)))
        self.stream.write('\n'.join(lines) + '\n')
        self.stream.flush()
        self._drawn = len(lines)

    def close(self):
        self._drawn = 0
