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

"""Recognising the move a request stands for, once per request."""

from unittest import mock

import testtools

from nova import objects

from nova_migration_ext import move
from nova_migration_ext import operations

objects.register_all()


class ClassifyTest(testtools.TestCase):
    """The task_state the API sets before it calls the scheduler."""

    def test_table(self):
        cases = [('migrating', 'f1', 'f1', operations.LIVE),
                 ('resize_prep', 'f1', 'f1', operations.COLD),
                 ('resize_prep', 'f2', 'f1', operations.RESIZE),
                 ('rebuilding', 'f1', 'f1', operations.EVACUATE),
                 ('unshelving', 'f1', 'f1', operations.UNSHELVE),
                 (None, 'f1', 'f1', operations.BOOT),
                 ('scheduling', 'f1', 'f1', operations.BOOT),
                 ('something-new', 'f1', 'f1', operations.BOOT)]
        for task_state, requested, current, expected in cases:
            self.assertEqual(expected,
                             move.classify(task_state, requested, current),
                             task_state)


class MoveOfTest(testtools.TestCase):

    def spec(self, uuid='5d0c1c6e-0d5b-4f54-9d7c-5a5d6f6a7b01'):
        return objects.RequestSpec(instance_uuid=uuid)

    def test_looked_up_once_per_request(self):
        spec = self.spec()
        found = move.Move(operations.LIVE, spec.instance_uuid)
        with mock.patch.object(move, '_load', return_value=found) as load:
            self.assertIs(found, move.move_of(spec))
            self.assertIs(found, move.move_of(spec))
        self.assertEqual(1, load.call_count)

    def test_each_request_gets_its_own(self):
        one, two = self.spec(), self.spec()
        with mock.patch.object(move, '_load',
                               side_effect=lambda s: move.Move(
                                   operations.BOOT, s.instance_uuid)) as load:
            move.move_of(one)
            move.move_of(two)
        self.assertEqual(2, load.call_count)

    def test_multi_create_looks_up_each_instance(self):
        spec = self.spec()
        with mock.patch.object(move, '_load',
                               side_effect=lambda s: move.Move(
                                   operations.BOOT, s.instance_uuid)):
            first = move.move_of(spec)
            spec.instance_uuid = '5d0c1c6e-0d5b-4f54-9d7c-5a5d6f6a7b02'
            second = move.move_of(spec)
        self.assertNotEqual(first.instance_uuid, second.instance_uuid)

    def test_a_failing_lookup_becomes_an_error_move(self):
        spec = self.spec()
        with mock.patch.object(move, '_load',
                               side_effect=RuntimeError('cell db down')):
            with mock.patch.object(move.LOG, 'warning') as warning:
                result = move.move_of(spec)
                move.move_of(spec)
        self.assertEqual('cannot look up the request: RuntimeError: '
                         'cell db down', result.error)
        self.assertIsNone(result.operation)
        # One log line per request, not per filter or host.
        self.assertEqual(1, warning.call_count)
