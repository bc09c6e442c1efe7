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

"""What keeps the filters' cost and log volume independent of fleet size:
the per-request log summary, cpu_info parsed once per distinct CPU, the RAM
rule's arithmetic path agreeing with room_for, metadata parsed once per
aggregate.
"""

import json
import logging
import random

from hypothesis import given
from hypothesis import strategies as st
from oslo_config import fixture as config_fixture
import testtools

from nova import objects

from nova_migration_ext import facts
from nova_migration_ext.filters import base
from nova_migration_ext import operations
from nova_migration_ext import rejections
from nova_migration_ext.rules import cpu
from nova_migration_ext.rules import ram
from nova_migration_ext.tests.unit import test_filters as helpers

UUID = '8a3b9b1e-4a7e-4d0a-9a43-3a1c7a6e0c11'


class TallyTest(testtools.TestCase):

    def test_reasons_ranked_with_counts_and_a_few_hosts(self):
        tally = rejections.Tally()
        for i in range(5):
            tally.add('old%d' % i, 'QEMU 7.2.0 < source 8.2.0')
        tally.add('small', 'usable RAM 1024 MB < 2048 MB needed')
        self.assertEqual(
            'QEMU 7.2.0 < source 8.2.0 (5 hosts: old0, old1, old2, ...); '
            'usable RAM 1024 MB < 2048 MB needed (1 host: small)',
            tally.text())

    def test_reasons_beyond_the_limit_are_counted_not_listed(self):
        tally = rejections.Tally()
        for i in range(rejections.MAX_REASONS + 3):
            for j in range(i + 1):
                tally.add('h%d-%d' % (i, j), 'reason %d' % i)
        text = tally.text()
        self.assertTrue(text.startswith('reason 7 (8 hosts: '), text)
        self.assertIn('and 3 more reasons on 6 hosts', text)
        self.assertNotIn('reason 0 ', text)

    def test_summary_lines(self):
        summary = rejections.Summary()
        summary.seen = 3
        self.assertEqual([], summary.lines('F', 'live migration', UUID))
        summary.rejected.add('a', 'why')
        summary.let_through.add('b', 'unknown; on_lookup_error=pass')
        self.assertEqual(
            ['F rejected 1 of 3 hosts for live migration of %s: why '
             '(1 host: a)' % UUID,
             'F let 1 host through for live migration of %s: unknown; '
             'on_lookup_error=pass (1 host: b)' % UUID],
            summary.lines('F', 'live migration', UUID))


class LogVolumeTest(testtools.TestCase):
    """Log lines per request do not grow with the fleet."""

    def setUp(self):
        super().setUp()
        self.useFixture(config_fixture.Config())
        self.filters = helpers.by_name()

    def logged(self, n_hosts, operation, level=logging.INFO):
        hosts = [helpers.host_state('old%d' % i, version=7002000)
                 for i in range(n_hosts)]
        hosts += [helpers.host_state('new%d' % i) for i in range(n_hosts)]
        spec = helpers.request(operation, source=helpers.source())
        with self.assertLogs(base.LOG.logger, level=logging.DEBUG) as said:
            passed = list(self.filters['HypervisorVersionFilter'].filter_all(
                hosts, spec))
            base.LOG.logger.debug('end')
        self.assertEqual(n_hosts, len(passed))
        return [r.getMessage() for r in said.records
                if r.levelno >= level and r.getMessage() != 'end']

    def test_one_info_line_per_filter_and_request(self):
        small = self.logged(4, operations.LIVE)
        large = self.logged(400, operations.LIVE)
        self.assertEqual(1, len(small))
        self.assertEqual(1, len(large))
        self.assertEqual(
            'HypervisorVersionFilter rejected 400 of 800 hosts for live '
            'migration of %s: QEMU 7.2.0 < source 8.2.0 (400 hosts: old0, '
            'old1, old2, ...)' % UUID, large[0])

    def test_each_host_at_debug(self):
        lines = self.logged(3, operations.COLD, level=logging.DEBUG)
        self.assertEqual(4, len(lines))
        self.assertIn('HypervisorVersionFilter rejected old1 for cold '
                      'migration of %s: QEMU 7.2.0 < source 8.2.0' % UUID,
                      lines)

    def test_a_crashing_check_logs_one_traceback_per_request(self):
        hosts = [helpers.host_state('h%d' % i) for i in range(50)]
        for host in hosts:
            host.hypervisor_type = BrokenEquality()
        spec = helpers.request(operations.LIVE, source=helpers.source())
        with self.assertLogs(base.LOG.logger, level=logging.ERROR) as said:
            verdicts = list(self.filters['HypervisorVersionFilter'].verdicts(
                hosts, spec))
        self.assertEqual(1, len(said.records))
        self.assertEqual(50, len(verdicts))
        self.assertTrue(all(v.ok for _h, v in verdicts))  # pass by default
        self.assertEqual('HypervisorVersionFilter failed: RuntimeError: '
                         'cannot compare; on_lookup_error=pass',
                         verdicts[0][1].reason)


class BrokenEquality:
    def __eq__(self, other):
        raise RuntimeError('cannot compare')

    __hash__ = object.__hash__


def shuffled_cpu_info(seed, features):
    features = list(features)
    random.Random(seed).shuffle(features)
    return json.dumps({'arch': 'x86_64', 'vendor': 'Intel',
                       'model': 'Skylake', 'features': features})


class CpuModelTest(testtools.TestCase):

    FEATURES = ['avx2', 'avx512f', 'pku', 'sse4.2', 'vmx', 'aes', 'rdrand']

    def test_one_object_per_cpu_whatever_the_feature_order(self):
        texts = {shuffled_cpu_info(seed, self.FEATURES) for seed in range(20)}
        self.assertGreater(len(texts), 10)
        models = {id(cpu.cpu_model(text)) for text in texts}
        self.assertEqual(1, len(models))
        other = cpu.cpu_model(shuffled_cpu_info(0, self.FEATURES[:-1]))
        self.assertNotIn(id(other), models)

    def test_a_text_is_parsed_once(self):
        text = shuffled_cpu_info(99, self.FEATURES + ['x2apic'])
        before = cpu._model_of_text.cache_info()
        for _ in range(5):
            cpu.cpu_model(text)
        after = cpu._model_of_text.cache_info()
        self.assertEqual((1, 4), (after.misses - before.misses,
                                  after.hits - before.hits))

    def test_errors_are_values_not_exceptions(self):
        for junk in ('not json', '[]', None, 7, {'arch': 'x86_64',
                                                 'features': [[1]]}):
            self.assertIsInstance(cpu.cpu_model(junk), cpu.CpuInfoError)

    def test_filter_judges_each_distinct_cpu_once_per_request(self):
        self.useFixture(config_fixture.Config())
        source = facts.HostFacts(
            host='src', hypervisor_type='QEMU', hypervisor_version=8002000,
            cpu_info=shuffled_cpu_info(0, self.FEATURES),
            stats={facts.CPU_MODE_STAT: 'host-model'})
        hosts = []
        for i in range(40):
            state = helpers.host_state('h%d' % i)
            state.cpu_info = shuffled_cpu_info(
                i, self.FEATURES if i % 2 else self.FEATURES[1:])
            hosts.append(state)
        spec = helpers.request(operations.LIVE, source=source)
        calls = []
        real = cpu.guest_cpu_rule

        def counting(*args):
            judge = real(*args)

            def counted(model):
                calls.append(model)
                return judge(model)
            return counted
        self.patch(cpu, 'guest_cpu_rule', counting)
        verdicts = dict(
            (h.host, v) for h, v in
            helpers.by_name()['CpuCompatibilityFilter'].verdicts(hosts, spec))
        self.assertEqual(2, len(calls))
        self.assertEqual('CPU lacks features avx2 of source (host-model)',
                         verdicts['h0'].reason)
        self.assertTrue(verdicts['h1'].ok)


_numbers = st.one_of(
    st.integers(min_value=-2 ** 40, max_value=2 ** 40),
    st.floats(allow_nan=True, allow_infinity=True),
    st.none(), st.booleans(), st.text(max_size=5))


class RoomCheckerTest(testtools.TestCase):

    @given(requested=_numbers, total=_numbers, free=_numbers, ratio=_numbers,
           cap=st.one_of(st.none(), st.floats(min_value=0, max_value=4)),
           headroom=st.integers(min_value=0, max_value=4096))
    def test_same_verdict_as_room_for(self, requested, total, free, ratio,
                                      cap, headroom):
        expected = ram.room_for(requested, total, free, ratio,
                                ratio_cap=cap, headroom_mb=headroom)
        check = ram.room_checker(requested, ratio_cap=cap,
                                 headroom_mb=headroom)
        self.assertEqual(expected, check(total, free, ratio))


class AggregateMetadataTest(testtools.TestCase):

    def test_parsed_once_per_aggregate_and_shared_by_content(self):
        one = objects.Aggregate(id=1, name='a', metadata={'k': 'x,y'})
        two = objects.Aggregate(id=2, name='b', metadata={'k': 'y, x'})
        parsed = facts.aggregate_metadata([one])
        self.assertEqual({'k': frozenset({'x', 'y'})}, parsed)
        self.assertIs(parsed, facts.aggregate_metadata([one]))
        self.assertIs(parsed, facts.aggregate_metadata([two]))
        self.assertEqual({'k': frozenset({'x', 'y', 'z'})},
                         facts.aggregate_metadata([one, objects.Aggregate(
                             id=3, name='c', metadata={'k': 'z'})]))

    def test_a_new_object_is_parsed_anew(self):
        # HostManager replaces an updated aggregate with a new object.
        old = objects.Aggregate(id=1, name='a', metadata={'k': 'x'})
        self.assertEqual({'k': frozenset({'x'})},
                         facts.aggregate_metadata([old]))
        del old
        new = objects.Aggregate(id=1, name='a', metadata={'k': 'z'})
        self.assertEqual({'k': frozenset({'z'})},
                         facts.aggregate_metadata([new]))
