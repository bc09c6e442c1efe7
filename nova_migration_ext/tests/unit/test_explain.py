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

"""explain's pure parts: the report's table and JSON, and log capture."""

import json
import logging
import threading
import types

import nova.conf
from oslo_config import fixture as config_fixture
import testtools

from nova_migration_ext.explain import engine
from nova_migration_ext.explain import logcapture
from nova_migration_ext.explain import render
from nova_migration_ext.explain import report


def _report(**changes):
    def passed(*names):
        return [report.FilterResult(name, True) for name in names]

    hosts = [
        report.HostResult('good', 'good', candidate=True, weight=1.0, rank=1,
                          filters=passed('ComputeFilter', 'RamF')),
        report.HostResult('spare', 'spare', candidate=True, weight=0.25,
                          rank=2, filters=passed('ComputeFilter', 'RamF')),
        report.HostResult(
            'full', 'full', candidate=False,
            placement_reason='MEMORY_MB: 2048 requested, 0 free of 8192',
            filters=passed('ComputeFilter') + [
                report.FilterResult('RamF', False, 'usable RAM 0 MB')]),
        report.HostResult('src', 'src', skipped='source host (ignore_hosts)'),
    ]
    values = dict(
        server='uuid-1', operation='cold',
        source={'host': 'src', 'node': 'src', 'hypervisor': 'QEMU 8.2.0',
                'storage_domains': ['ceph-a'], 'migration_domains': []},
        flavor='m1.small', requested_host=None,
        filters=['ComputeFilter', 'RamF'], weighers=['RAMWeigher'],
        idle_filters={'RamF': 'does not check cold migration'},
        hosts=hosts, pick='good')
    values.update(changes)
    return report.Report(**values)


class TableTest(testtools.TestCase):

    def test_rows_marks_weights_and_reasons(self):
        table = render.as_table(_report())
        self.assertEqual([
            'Cold migration of server uuid-1 (flavor m1.small)',
            'from src: QEMU 8.2.0, storage ceph-a',
            '',
            'Filters ([filter_scheduler] enabled_filters; . passes, X '
            'rejects):',
            '   1 ComputeFilter',
            '   2 RamF (does not check cold migration)',
            '',
            'HOST   PLACEMENT  1 2   WEIGHT  RESULT',
            'good   yes        . .    1.000  pick',
            'spare  yes        . .    0.250  #2',
            'full   no         . X        -  rejected',
            'src    -                     -  skipped: source host '
            '(ignore_hosts)',
            '',
            'Why:',
            '  full   placement: MEMORY_MB: 2048 requested, 0 free of 8192',
            '         2 RamF: usable RAM 0 MB',
            '',
            'Nova would pick: good',
        ], table.splitlines())

    def test_no_pick_and_a_random_one(self):
        self.assertIn('Nova would pick: no host (NoValidHost)',
                      render.as_table(_report(pick=None)))
        table = render.as_table(_report(pick_among=['good', 'spare'],
                                        pick_note='Nova picks at random'))
        self.assertIn('Nova would pick: good\n'
                      '  (Nova picks at random: good, spare)', table)

    def test_json_has_every_fact_and_whether_each_host_passed(self):
        data = json.loads(render.as_json(_report()))
        self.assertEqual('good', data['pick'])
        self.assertEqual([True, True, False, False],
                         [host['passed'] for host in data['hosts']])
        self.assertEqual({'name': 'RamF', 'passed': False,
                          'reason': 'usable RAM 0 MB'},
                         data['hosts'][2]['filters'][1])


def _weighed(*weights):
    return [types.SimpleNamespace(weight=weight,
                                  obj=types.SimpleNamespace(host='h%d' % i))
            for i, weight in enumerate(weights, 1)]


class PickTest(testtools.TestCase):
    """Which hosts Nova may pick after weighing, and why more than one."""

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(nova.conf.CONF))

    def test_one_best_host(self):
        self.assertEqual((['h1'], ''), engine._pick(_weighed(2.0, 1.0, 1.0)))

    def test_a_tie_at_the_top_leaves_the_order_open(self):
        among, note = engine._pick(_weighed(2.0, 2.0, 1.0))
        self.assertEqual(['h1', 'h2'], among)
        self.assertEqual('2 hosts tie at the top weight: Nova takes the '
                         'first its host list yields, in no fixed order',
                         note)

    def test_host_subset_size_and_shuffle(self):
        self.conf.config(host_subset_size=2, group='filter_scheduler')
        self.assertEqual(['h1', 'h2'], engine._pick(_weighed(3, 2, 1))[0])
        self.conf.config(shuffle_best_same_weighed_hosts=True,
                         group='filter_scheduler')
        among, note = engine._pick(_weighed(3, 3, 3, 1))
        self.assertEqual(['h1', 'h2', 'h3'], among)
        self.assertIn('(shuffle_best_same_weighed_hosts)', note)

    def test_nothing_to_pick(self):
        self.assertEqual(([], ''), engine._pick([]))


class LogCaptureTest(testtools.TestCase):

    def test_this_threads_lines_are_kept_others_pass_through(self):
        logger = logging.getLogger('nova_migration_ext_test.capture')
        seen = []
        handler = logging.Handler()
        handler.emit = lambda record: seen.append(record.getMessage())
        parent = logging.getLogger('nova_migration_ext_test')
        parent.addHandler(handler)
        self.addCleanup(parent.removeHandler, handler)
        parent.setLevel(logging.INFO)
        self.addCleanup(parent.setLevel, logging.NOTSET)

        with logcapture.captured('nova_migration_ext_test.capture') as said:
            logger.debug('%s is disabled', 'host1')
            other = threading.Thread(
                target=logger.info, args=('from another thread',))
            other.start()
            other.join()
        logger.debug('after the block')

        self.assertEqual(['host1 is disabled'], said)
        self.assertEqual(['from another thread'], seen)
