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

"""The runner's order of moves, parallelism, failures and Ctrl-C, with a
scripted compute API.
"""

import io

import testtools

from nova_migration_ext.drain import client as client_mod
from nova_migration_ext.drain import display
from nova_migration_ext.drain import moves
from nova_migration_ext.drain import plan
from nova_migration_ext.drain import runner
from nova_migration_ext.tests.unit.drain import fake_nova


class Script:
    """Moves Nova along at each sleep of the runner."""

    def __init__(self, nova, clock, steps):
        self.nova = nova
        self.clock = clock
        self.steps = list(steps)

    def __call__(self, seconds):
        self.clock.sleep(seconds)
        if self.steps:
            self.steps.pop(0)(self.nova)


def complete(uuid, host='dest1'):
    def step(nova):
        nova.set(uuid, 'completed', host=host)
    return step


class RunnerTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.nova = fake_nova.FakeNova()
        self.nova.services['source'] = client_mod.Service(
            's1', 'source', 'enabled', 'up', None)
        self.clock = fake_nova.Clock()
        self.out = io.StringIO()

    def plan(self, *names, error=()):
        items = []
        for name in names:
            self.nova.add_server(name)
            items.append(plan.Item(name, name, 'ACTIVE', 'm1', plan.LIVE,
                                   'source', 'dest1'))
        for name in error:
            self.nova.add_server(name, status='ERROR')
            items.append(plan.Item(name, name, 'ERROR', 'm1', None,
                                   'source', reason='was in ERROR'))
        return plan.Plan('source', items)

    def run_plan(self, drain_plan, steps, **options):
        drain = runner.Runner(
            drain_plan, self.nova, display.LineDisplay(self.out),
            runner.Options(interval=1, **options), clock=self.clock,
            sleep=Script(self.nova, self.clock, steps))
        return drain, drain.run()

    def test_parallel_bounds_the_moves_in_flight_and_failures_go_on(self):
        def fail_a(nova):
            nova.set('a', 'error')
            nova.faults['a'] = 'disk full'

        drain, outcomes = self.run_plan(
            self.plan('a', 'b', 'c', error=['e']),
            [lambda nova: None, fail_a, complete('b'), complete('c')],
            parallel=2)
        started = [c[1] for c in self.nova.calls if c[0] == 'live_migrate']
        self.assertEqual(['a', 'b', 'c'], started)
        self.assertEqual(('disable', 'source',
                          'nova-migration-ext drain of source'),
                         self.nova.calls[0])
        self.assertEqual(
            {'a': ('failed', 'migration 1 error: disk full'),
             'b': ('moved', ''), 'c': ('moved', ''),
             'e': ('skipped', 'was in ERROR')},
            {o.instance: (o.result, o.reason) for o in outcomes})
        self.assertFalse(runner.emptied(outcomes))
        # c started only once a finished: two in flight at most.
        self.assertLess(self.out.getvalue().index('a: failed'),
                        self.out.getvalue().index('c: live requested'))

    def test_stop_on_error_starts_nothing_more(self):
        def fail_a(nova):
            nova.set('a', 'failed')

        _drain, outcomes = self.run_plan(self.plan('a', 'b'), [fail_a],
                                         stop_on_error=True)
        self.assertEqual(['failed', 'not started'],
                         [o.result for o in outcomes])
        self.assertEqual('stopped after a failure (--stop-on-error)',
                         outcomes[1].reason)

    def test_ctrl_c_aborts_queued_moves_and_waits_for_running_ones(self):
        def queue_and_interrupt(nova):
            nova.set('a', 'running')
            nova.set('b', 'queued')
            raise KeyboardInterrupt()

        drain, outcomes = self.run_plan(
            self.plan('a', 'b', 'c'),
            [lambda nova: None, queue_and_interrupt,
             lambda nova: nova.set('b', 'cancelled'), complete('a')],
            parallel=2)
        self.assertTrue(drain.interrupted)
        self.assertEqual([('abort', 'b', 2)],
                         [c for c in self.nova.calls if c[0] == 'abort'])
        self.assertEqual(
            {'a': 'moved', 'b': 'aborted', 'c': 'not started'},
            {o.instance: o.result for o in outcomes})
        self.assertEqual(('source', 'ACTIVE'),
                         (outcomes[2].now_on, outcomes[2].status))

    def test_abort_running_on_ctrl_c(self):
        def interrupt(nova):
            nova.set('a', 'running')
            raise KeyboardInterrupt()

        self.run_plan(self.plan('a'), [lambda nova: None, interrupt,
                                       lambda nova: nova.set('a',
                                                             'cancelled')],
                      abort_running=True)
        self.assertEqual([('abort', 'a', 1)],
                         [c for c in self.nova.calls if c[0] == 'abort'])

    def test_a_service_disabled_by_someone_else_is_left_as_it_is(self):
        self.nova.services['source'].status = 'disabled'
        self.nova.services['source'].disabled_reason = 'RMA 1234'
        drain, _outcomes = self.run_plan(self.plan('a'), [complete('a')])
        self.assertNotIn('disable', [c[0] for c in self.nova.calls])
        self.assertEqual('compute service already disabled: RMA 1234',
                         drain.service_note)


class DisplayTest(testtools.TestCase):

    def test_bar_and_description(self):
        self.assertEqual('[' + '#' * 15 + '-' * 15 + ']', display.bar(50))
        move = moves.Move(plan.Item('a', 'a', 'ACTIVE', 'm1', plan.LIVE,
                                    'source', 'dest1'), None)
        move.status, move.progress, move.destination = 'running', 42, 'd2'
        self.assertEqual('live to d2: running 42%', display.describe(move))

    def test_terminal_redraws_in_place(self):
        out = io.StringIO()
        out.isatty = lambda: True
        shown = display.for_stream(out)
        self.assertIsInstance(shown, display.TerminalDisplay)
        fake = type('R', (), {'moves': [], 'active': [], 'stopping': '',
                              'plan': plan.Plan('source', [])})()
        shown.show(fake)
        shown.show(fake)
        self.assertEqual('source: 0/0 moved, 0 running, 0 failed or aborted'
                         '\n\x1b[1F\x1b[Jsource: 0/0 moved, 0 running, 0 '
                         'failed or aborted\n', out.getvalue())
