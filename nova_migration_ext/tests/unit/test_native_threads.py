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

"""Our filters called from many OS threads at once, as nova-scheduler calls
them in native threading mode (the default since Nova 2026.2): every
verdict equals the one a single thread gets.

Real Nova HostState and RequestSpec objects, shared by every thread; each
request's Move is pinned with move.remember, as explain does.
"""

import json
import random
import sys
import threading

from oslo_config import fixture as config_fixture
import testtools

from nova_migration_ext import facts
from nova_migration_ext import filters
from nova_migration_ext import operations
from nova_migration_ext.tests.unit import test_filters

THREADS = 16
ROUNDS = 6
HOSTS = 120

CPUS = [json.dumps({'arch': 'x86_64', 'vendor': 'Intel', 'model': model,
                    'features': features})
        for model, features in (('Cascadelake-Server', ['avx2', 'vmx']),
                                ('Icelake-Server', ['avx2', 'gfni', 'vmx']))]


def fleet():
    """Hosts that differ in every fact some filter reads."""
    aggregates = [test_filters.aggregate(i, **{
        'ssd': ('true', 'false', '')[i % 3],
        facts.MIGRATION_DOMAIN_KEY: 'dc%d' % (i % 2),
        facts.SHARED_STORAGE_KEY: ('nfs-a', 'nfs-b', ',,')[i % 3]})
        for i in range(6)]
    hosts = []
    for i in range(HOSTS):
        host = test_filters.host_state(
            'h%d' % i, version=(7002000, 8002000, 9000000)[i % 3],
            total=8192, free=(1024, 4096, 8192)[i % 3], ratio=1.5,
            aggregates=[aggregates[i % 6], aggregates[(i // 6) % 6]],
            stats={facts.MEM_AVAILABLE_STAT: str((i * 997) % 9000)})
        host.cpu_info = CPUS[i % 2]
        hosts.append(host)
    return hosts


def _source(version, storage):
    return facts.HostFacts(
        host='h0', hypervisor_type='QEMU', hypervisor_version=version,
        cpu_info=CPUS[1], stats={facts.CPU_MODE_STAT: 'host-model'},
        metadata=facts.metadata_of([test_filters.aggregate(
            99, **{facts.MIGRATION_DOMAIN_KEY: 'dc1',
                   facts.SHARED_STORAGE_KEY: storage})]))


# (operation, RAM, extra specs, source facts): moves and boots.
SCENARIOS = [
    (operations.LIVE, 2048, {}, _source(8002000, 'nfs-a')),
    (operations.LIVE, 6144, {'ssd': 'true'}, _source(7002000, 'nfs-b')),
    (operations.LIVE, 1024, {}, _source(8002000, ',,')),
    (operations.COLD, 4096, {'ssd': '<in> tru'}, _source(8002000, 'nfs-a')),
    (operations.RESIZE, 8192, {}, _source(9000000, 'nfs-a')),
    (operations.EVACUATE, 2048, {'ssd': 's!= false'},
     _source(8002000, 'nfs-b')),
    (operations.BOOT, 2048, {'ssd': 'true'}, None),
    (operations.BOOT, 512, {'ssd': '= 1'}, None),
]


def spec_of(scenario):
    operation, ram, extra_specs, source = scenario
    return test_filters.request(operation, ram=ram, extra_specs=extra_specs,
                                source=source)


def verdicts(host_filter, hosts, spec):
    """What the scheduler sees (the hosts passing) and what explain and
    the logs say (every host's verdict and reason).
    """
    return ([host.host for host in host_filter.filter_all(hosts, spec)],
            [(host.host, result.ok, result.reason)
             for host, result in host_filter.verdicts(hosts, spec)])


class NativeThreadsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config())
        self.conf.config(live_migration_check_mem_available=True,
                         ram_headroom_mb=256, group='migration_ext')
        self.filters = [cls() for cls in filters.all_filters()]
        self.hosts = fleet()
        # Switch threads as often as the interpreter allows.
        interval = sys.getswitchinterval()
        sys.setswitchinterval(1e-6)
        self.addCleanup(sys.setswitchinterval, interval)

    def test_every_verdict_equals_the_single_threaded_one(self):
        expected = {
            (s, f): verdicts(self.filters[f], self.hosts,
                             spec_of(SCENARIOS[s]))
            for s in range(len(SCENARIOS)) for f in range(len(self.filters))}
        # The fleet is varied enough for every filter to pass and reject.
        for f in range(len(self.filters)):
            oks = {ok for s in range(len(SCENARIOS))
                   for _host, ok, _why in expected[s, f][1]}
            self.assertEqual({True, False}, oks, self.filters[f])

        start = threading.Barrier(THREADS)
        mismatches = []
        errors = []

        def schedule(seed):
            order = random.Random(seed)
            try:
                start.wait()
                for _ in range(ROUNDS):
                    # Several requests in flight in this thread at once,
                    # their filter calls interleaved, as other threads'.
                    specs = {s: spec_of(SCENARIOS[s])
                             for s in range(len(SCENARIOS))}
                    calls = [(s, f) for s in specs
                             for f in range(len(self.filters))]
                    order.shuffle(calls)
                    for s, f in calls:
                        got = verdicts(self.filters[f], self.hosts, specs[s])
                        if got != expected[s, f]:
                            mismatches.append((s, f))
            except Exception as exc:  # reported below, not lost
                errors.append(exc)

        threads = [threading.Thread(target=schedule, args=(seed,))
                   for seed in range(THREADS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        self.assertEqual([], errors)
        self.assertEqual([], mismatches)
