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

"""The state machine of one move, against a scripted compute API."""

import testtools

from nova_migration_ext.drain import moves
from nova_migration_ext.drain import plan
from nova_migration_ext.tests.unit.drain import fake_nova


def item(move=plan.LIVE, uuid='vm1', migration=None):
    return plan.Item(uuid=uuid, name=uuid, status='ACTIVE', flavor='m1',
                     move=move, source='source', destination='dest1',
                     migration=migration)


class LiveMoveTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.nova = fake_nova.FakeNova()
        self.nova.add_server('vm1')
        self.clock = fake_nova.Clock()

    def move(self, **kwargs):
        move = moves.Move(item(), self.nova, clock=self.clock, **kwargs)
        move.start()
        return move

    def test_done_only_when_completed_and_on_another_host(self):
        move = self.move()
        self.assertEqual([('live_migrate', 'vm1')], self.nova.calls)
        move.poll()
        self.assertEqual(('accepted', None), (move.status, move.result))
        self.nova.set('vm1', 'running', task_state='migrating')
        self.nova.progress['vm1'] = (4096, 1024)
        move.poll()
        self.assertEqual(('running', 25), (move.status, move.progress))
        # Completed, but Nova has not moved the server yet: not done.
        self.nova.set('vm1', 'completed')
        move.poll()
        self.assertIsNone(move.result)
        self.nova.set('vm1', 'completed', task_state=None, host='dest2')
        self.clock.sleep(7)
        move.poll()
        self.assertEqual((moves.MOVED, 'dest2', 7), (
            move.result, move.destination, move.duration))

    def test_completed_but_still_on_the_source_is_a_failure(self):
        move = self.move()
        self.nova.set('vm1', 'completed')
        move.poll()
        self.assertEqual(moves.FAILED, move.result)
        self.assertEqual('migration 1 says completed but the server is '
                         'still on source', move.reason)

    def test_failure_carries_the_record_and_novas_fault(self):
        move = self.move()
        self.nova.faults['vm1'] = 'compute_pre_live_migration: disk full'
        self.nova.set('vm1', 'error')
        move.poll()
        self.assertEqual((moves.FAILED, 'migration 1 error: '
                          'compute_pre_live_migration: disk full'),
                         (move.result, move.reason))

    def test_timeout_counts_running_time_and_aborts_once(self):
        move = self.move(timeout=60)
        self.nova.set('vm1', 'queued')
        self.clock.sleep(300)
        move.poll()
        self.assertEqual([('live_migrate', 'vm1')], self.nova.calls)
        self.nova.set('vm1', 'running')
        move.poll()
        self.clock.sleep(61)
        move.poll()
        move.poll()
        self.assertEqual(('abort', 'vm1', 1), self.nova.calls[-1])
        self.assertEqual(2, len(self.nova.calls))
        self.nova.set('vm1', 'cancelled')
        move.poll()
        self.assertEqual((moves.ABORTED, 'ran past --timeout 60s; aborted'),
                         (move.result, move.reason))

    def test_timeout_force_completes_and_the_move_still_ends_moved(self):
        move = self.move(timeout=60, on_timeout=moves.FORCE_COMPLETE)
        self.nova.set('vm1', 'running')
        move.poll()
        self.clock.sleep(61)
        move.poll()
        move.poll()
        self.assertEqual([('live_migrate', 'vm1'),
                          ('force_complete', 'vm1', 1)], self.nova.calls)
        self.nova.set('vm1', 'completed', host='dest1')
        move.poll()
        self.assertEqual((moves.MOVED, 'ran past --timeout 60s; '
                          'force-completed'), (move.result, move.reason))

    def test_refused_abort_is_said_and_the_move_goes_on(self):
        move = self.move(timeout=1)
        self.nova.refuse['abort'] = 'migration 1 is post-migrating'
        self.nova.set('vm1', 'running')
        move.poll()
        self.clock.sleep(2)
        move.poll()
        self.assertIsNone(move.result)
        self.assertEqual('ran past --timeout 1s; abort refused: migration 1 '
                         'is post-migrating', move.reason)

    def test_interrupt_aborts_queued_and_running_only_when_asked(self):
        move = self.move()
        self.nova.set('vm1', 'queued')
        move.poll()
        self.assertTrue(move.interrupt())
        self.assertEqual(('abort', 'vm1', 1), self.nova.calls[-1])

        self.nova.calls.clear()
        self.nova.add_server('vm2')
        other = moves.Move(item(uuid='vm2'), self.nova, clock=self.clock)
        other.start()
        self.nova.set('vm2', 'running')
        other.poll()
        self.assertFalse(other.interrupt())
        self.assertTrue(other.interrupt(abort_running=True))
        self.assertEqual(('abort', 'vm2', 2), self.nova.calls[-1])

    def test_request_refused_by_nova_ends_the_move(self):
        self.nova.refuse['live_migrate'] = 'Conflict: instance is locked'
        move = self.move()
        self.assertEqual((moves.FAILED, 'Nova refused the request: '
                          'Conflict: instance is locked'),
                         (move.result, move.reason))

    def test_no_record_after_the_grace_is_a_failure_with_the_fault(self):
        move = moves.Move(item(), self.nova, clock=self.clock)
        move.start()
        self.nova.records.clear()
        self.nova.faults['vm1'] = 'No valid host was found.'
        move.poll()
        self.assertIsNone(move.result)
        self.clock.sleep(61)
        move.poll()
        self.assertEqual((moves.FAILED, 'Nova accepted the request but made '
                          'no migration: No valid host was found.'),
                         (move.result, move.reason))

    def test_resume_watches_an_earlier_runs_live_migration(self):
        record = self.nova.add_record('vm1', 'live-migration', 'queued')
        move = moves.Move(item(plan.WATCH, migration=record.id), self.nova,
                          timeout=60, clock=self.clock)
        move.start()
        self.assertTrue(move.interrupt())
        self.assertEqual([('abort', 'vm1', record.id)], self.nova.calls)
        self.nova.set('vm1', 'completed', host='dest1')
        move.poll()
        self.assertEqual(moves.MOVED, move.result)

    def test_an_earlier_records_are_not_this_moves(self):
        old = self.nova.add_record('vm1', 'live-migration', 'failed')
        move = self.move()
        move.poll()
        self.assertNotEqual(old.id, move.migration.id)
        self.assertEqual('accepted', move.status)


class ColdMoveTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.nova = fake_nova.FakeNova()
        self.nova.add_server('vm1', status='SHUTOFF')
        self.clock = fake_nova.Clock()

    def test_confirmed_once_on_the_destination(self):
        move = moves.Move(item(plan.COLD), self.nova, clock=self.clock)
        move.start()
        self.nova.set('vm1', 'migrating', task_state='resize_migrating')
        move.poll()
        self.nova.set('vm1', 'finished', task_state=None,
                      status='VERIFY_RESIZE', host='dest1')
        move.poll()
        move.poll()
        confirms = [c for c in self.nova.calls if c[0] == 'confirm']
        self.assertEqual([('confirm', 'vm1')], confirms)
        self.assertEqual('confirming', move.status)
        # Nova saves the record before the server's new state.
        self.nova.set('vm1', 'confirmed')
        move.poll()
        self.assertIsNone(move.result)
        self.nova.set('vm1', 'confirmed', status='SHUTOFF')
        move.poll()
        self.assertEqual((moves.MOVED, 'dest1'),
                         (move.result, move.destination))

    def test_not_confirmed_while_nova_is_still_at_it(self):
        move = moves.Move(item(plan.COLD), self.nova, clock=self.clock)
        move.start()
        self.nova.set('vm1', 'finished', task_state='resize_finish',
                      host='dest1')
        move.poll()
        self.assertEqual([], [c for c in self.nova.calls
                              if c[0] == 'confirm'])

    def test_cold_migration_is_never_aborted(self):
        move = moves.Move(item(plan.COLD), self.nova, timeout=1,
                          clock=self.clock)
        move.start()
        self.nova.set('vm1', 'migrating')
        self.clock.sleep(10)
        move.poll()
        self.assertFalse(move.interrupt(abort_running=True))
        self.assertEqual([('cold_migrate', 'vm1')], self.nova.calls)

    def test_resume_confirms_an_earlier_runs_migration(self):
        record = self.nova.add_record('vm1', 'migration', 'finished')
        self.nova.set('vm1', 'finished', status='VERIFY_RESIZE',
                      host='dest1')
        move = moves.Move(item(plan.CONFIRM, migration=record.id),
                          self.nova, clock=self.clock)
        move.start()
        move.poll()
        self.assertEqual([('confirm', 'vm1')], self.nova.calls)

    def test_reverted_is_a_failure(self):
        move = moves.Move(item(plan.COLD), self.nova, clock=self.clock)
        move.start()
        self.nova.set('vm1', 'reverted')
        move.poll()
        self.assertEqual((moves.FAILED, 'the migration was reverted'),
                         (move.result, move.reason))
