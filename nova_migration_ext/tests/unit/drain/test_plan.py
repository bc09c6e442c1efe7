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

"""Planning logic: which move each instance gets, and the placement
usage a plan's earlier placements hold.
"""

import testtools

from nova_migration_ext.drain import capacity
from nova_migration_ext.drain import plan
from nova_migration_ext.explain import report


def allocation(provider, **resources):
    return {'allocations': {provider: {'resources': resources}}}


class ClassifyTest(testtools.TestCase):

    def test_moves_by_status(self):
        self.assertEqual((plan.LIVE, ''),
                         plan.classify('ACTIVE', None, None, True))
        self.assertEqual((plan.LIVE, ''),
                         plan.classify('PAUSED', None, None, True))
        self.assertEqual((plan.COLD, ''),
                         plan.classify('SHUTOFF', None, None, True))

    def test_what_the_operator_must_do(self):
        for status, words in (('ERROR', 'was in ERROR before the drain'),
                              ('VERIFY_RESIZE', 'resize confirm|revert'),
                              ('SHELVED', 'shelve --offload'),
                              ('SUSPENDED', 'resume or stop it'),
                              ('RESCUE', 'unrescue'),
                              ('PAUSED', 'task_state rebooting')):
            move, reason = plan.classify(
                status, 'rebooting' if status == 'PAUSED' else None, None,
                True)
            self.assertIsNone(move, status)
            self.assertIn(words, reason)

    def test_an_earlier_runs_moves_are_resumed(self):
        self.assertEqual(plan.CONFIRM, plan.classify(
            'VERIFY_RESIZE', None, ('migration', 'finished'), False)[0])
        self.assertEqual((plan.WATCH, 'live migration under way (queued)'),
                         plan.classify('ACTIVE', 'migrating',
                                       ('live-migration', 'queued'), True))
        move, reason = plan.classify('VERIFY_RESIZE', None,
                                     ('resize', 'finished'), False)
        self.assertIsNone(move)
        self.assertIn('a resize is under way', reason)

    def test_host_can_be_emptied_only_when_everyone_has_a_way_out(self):
        placed = plan.Item('a', 'a', 'ACTIVE', 'm1', plan.LIVE, 'source',
                           'dest1')
        nowhere = plan.Item('b', 'b', 'ACTIVE', 'm1', plan.LIVE, 'source')
        error = plan.Item('c', 'c', 'ERROR', 'm1', None, 'source')
        self.assertTrue(plan.Plan('source', [placed]).can_empty)
        refused = plan.Plan('source', [placed, nowhere])
        self.assertEqual((False, False, [nowhere]), (
            refused.can_empty, refused.executable, refused.unplaced))
        blocked = plan.Plan('source', [placed, error])
        self.assertEqual((False, True, [error]), (
            blocked.can_empty, blocked.executable, blocked.needs_operator))


class PlannedUsageTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.asked = []
        self.usage = capacity.PlannedUsage(self.inventories)

    def inventories(self, provider):
        self.asked.append(provider)
        return {'MEMORY_MB': capacity.Inventory(
            total=4096, reserved=512, allocation_ratio=1.0, max_unit=4096,
            used=0)}

    def test_a_provider_is_dropped_once_planned_placements_fill_it(self):
        candidates = {'rp1': [allocation('rp1', MEMORY_MB=2048)],
                      'rp2': [allocation('rp2', MEMORY_MB=2048)]}
        self.assertEqual((candidates, {}), self.usage.trim(candidates))
        self.usage.add(allocation('rp1', MEMORY_MB=2048), 'vm-a')
        kept, reasons = self.usage.trim(candidates)
        self.assertEqual({'rp2': candidates['rp2']}, kept)
        self.assertEqual(
            {'rp1': "MEMORY_MB: 2048 requested, 1536 free of 3584 "
                    "(allocation ratio 1) once this plan's vm-a land there"},
            reasons)
        # Placement's inventory is read once per provider that receives a
        # planned placement, never for the others.
        self.usage.trim(candidates)
        self.assertEqual(['rp1'], self.asked)

    def test_a_smaller_request_still_fits_what_is_left(self):
        self.usage.add(allocation('rp1', MEMORY_MB=2048), 'vm-a')
        small = {'rp1': [allocation('rp1', MEMORY_MB=1024)]}
        self.assertEqual((small, {}), self.usage.trim(small))
        self.usage.add(allocation('rp1', MEMORY_MB=1024), 'vm-b')
        kept, reasons = self.usage.trim(small)
        self.assertEqual({}, kept)
        self.assertIn("once this plan's vm-a, vm-b land there",
                      reasons['rp1'])


class WhyNowhereTest(testtools.TestCase):

    def test_hosts_refused_alike_are_named_together(self):
        older = report.FilterResult('HypervisorVersionFilter', False,
                                    'QEMU 7.2.0 < source 8.2.0')
        hosts = [report.HostResult('source', 'source',
                                   skipped='source host (ignore_hosts)')]
        hosts += [report.HostResult('old%d' % i, 'old%d' % i,
                                    candidate=True, filters=[older])
                  for i in range(7)]
        hosts.append(report.HostResult(
            'full', 'full', placement_reason='MEMORY_MB: 2048 requested, '
            '0 free of 3584 (allocation ratio 1)'))
        explained = report.Report(
            server='vm', operation='live', source={}, flavor='m1',
            requested_host=None, filters=[], weighers=[], idle_filters={},
            hosts=hosts)
        self.assertEqual(
            'no host: old0, old1, old2, old3, old4 and 2 more: '
            'HypervisorVersionFilter: QEMU 7.2.0 < source 8.2.0 | full: '
            'placement: MEMORY_MB: 2048 requested, 0 free of 3584 '
            '(allocation ratio 1)', plan._why_nowhere(explained))


class SameAnswersTest(testtools.TestCase):

    def test_one_query_per_distinct_request(self):
        asked = []

        class Placement:
            def get_allocation_candidates(self, context, resources):
                asked.append(resources.to_querystring())
                return ['answer to %s' % resources.to_querystring()]

            def get_provider_traits(self, context, uuid):
                return 'traits of %s' % uuid

        class Resources:
            def __init__(self, query):
                self.query = query

            def to_querystring(self):
                return self.query

        placement = capacity.SameAnswers(Placement())
        small, large = Resources('MEMORY_MB:2048'), Resources('MEMORY_MB:4096')
        for resources in (small, large, small, small):
            self.assertEqual(['answer to %s' % resources.query],
                             placement.get_allocation_candidates(
                                 None, resources))
        self.assertEqual(['MEMORY_MB:2048', 'MEMORY_MB:4096'], asked)
        self.assertEqual('traits of rp1',
                         placement.get_provider_traits(None, 'rp1'))
