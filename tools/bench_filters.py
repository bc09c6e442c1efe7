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
"""Cost per host of our filters, through Nova's own HostFilterHandler.

    python tools/bench_filters.py [--hosts 1000,10000,50000] [--rounds 7]

For each fleet size, aggregate layout (20 shared aggregates, or one
aggregate per host) and request (boot, live migration) it times, in turns
within one run, three filter chains over the same HostStates:

- a pass-through filter: the floor, Nova's handler and nothing else;
- Nova's AggregateInstanceExtraSpecsFilter alone;
- our five filters, in the order of the README's enabled_filters.

Nothing is set up to flatter: every host reports its own cpu_info text (the
same CPU, its features in another order, as libvirt hosts do), oslo.log
writes INFO to a watched file as nova-scheduler does, and only a quarter of
the hosts pass: the others each fail one rule (extra specs, migration
domain, shared storage, RAM, QEMU version, CPU features). The request's
Move is pinned as explain pins it: the once-per-request database lookup is
not part of the per-host cost. Reported: the median of the rounds, in
microseconds per host, the ratios to Nova's filter, and the log lines each
request wrote.
"""

import argparse
import json
import os
import random
import statistics
import tempfile
import time

import nova.conf
from nova import objects
from nova.scheduler import filters as nova_filters
from nova.scheduler.filters import aggregate_instance_extra_specs as nova_agg
from nova.scheduler import host_manager
from oslo_log import log as oslo_logging

from nova_migration_ext import facts
from nova_migration_ext import filters
from nova_migration_ext import move
from nova_migration_ext import operations

CONF = nova.conf.CONF

FEATURES = ['3dnowprefetch', 'abm', 'adx', 'aes', 'apic', 'arat', 'avx',
            'avx2', 'avx512bw', 'avx512cd', 'avx512dq', 'avx512f',
            'avx512vl', 'avx512vnni', 'bmi1', 'bmi2', 'clflush',
            'clflushopt', 'clwb', 'cmov', 'cx16', 'cx8', 'de', 'erms',
            'f16c', 'fma', 'fpu', 'fsgsbase', 'fxsr', 'hle', 'invpcid',
            'lahf_lm', 'lm', 'mca', 'mce', 'mmx', 'movbe', 'mpx', 'msr',
            'mtrr', 'nx', 'pae', 'pat', 'pcid', 'pclmuldq', 'pdpe1gb', 'pge',
            'pku', 'pni', 'popcnt', 'pse', 'pse36', 'rdrand', 'rdseed',
            'rdtscp', 'rtm', 'sep', 'smap', 'smep', 'spec-ctrl', 'ss',
            'ssbd', 'sse', 'sse2', 'sse4.1', 'sse4.2', 'ssse3', 'syscall',
            'tsc', 'tsc-deadline', 'tsc_adjust', 'umip', 'vme', 'vmx',
            'x2apic', 'xgetbv1', 'xsave', 'xsavec', 'xsaveopt', 'xsaves']

# Why each failing host fails; a quarter of the fleet passes.
FAILURES = ('extra_specs', 'migration_domain', 'shared_storage', 'ram',
            'qemu_version', 'cpu')
QEMU_8_2 = 8002000
QEMU_7_2 = 7002000


def cpu_info(rng, features):
    """A libvirt host's cpu_info: its features in the order its process's
    set iteration happened to give.
    """
    features = list(features)
    rng.shuffle(features)
    return json.dumps({'arch': 'x86_64', 'vendor': 'Intel',
                       'model': 'Cascadelake-Server', 'features': features,
                       'topology': {'sockets': 2, 'cores': 16,
                                    'threads': 2}})


def metadata(failure, i):
    """Aggregate metadata of a host failing ``failure`` (None: passing)."""
    return {
        'ssd': 'false' if failure == 'extra_specs' else 'true',
        'ram_mhz': '3200',
        facts.MIGRATION_DOMAIN_KEY: (
            'dc9' if failure == 'migration_domain' else 'dc%d' % (i % 2)),
        facts.SHARED_STORAGE_KEY: (
            'nfs-9' if failure == 'shared_storage' else 'nfs-0'),
    }


def failure_of(i):
    if i % 4 == 0:
        return None
    return FAILURES[(i // 4) % len(FAILURES)]


def fleet(n_hosts, layout, seed=1):
    """HostStates; ``layout`` 'shared' (20 aggregates) or 'own' (one each).
    """
    rng = random.Random(seed)
    shared = {}
    if layout == 'shared':
        # Three aggregates of each kind, the rest passing: 20 in all.
        for n in range(20):
            failure = (FAILURES[n % len(FAILURES)] if n < 3 * len(FAILURES)
                       else None)
            if failure in ('ram', 'qemu_version', 'cpu'):
                failure = None
            shared.setdefault(failure, []).append(objects.Aggregate(
                id=n, name='agg%d' % n, metadata=metadata(failure, n)))
    hosts = []
    for i in range(n_hosts):
        failure = failure_of(i)
        state = host_manager.HostState('h%d' % i, 'h%d' % i, 'cell1')
        state.uuid = '%08d-0000-4000-8000-000000000000' % i
        state.hypervisor_type = 'QEMU'
        state.hypervisor_version = (QEMU_7_2 if failure == 'qemu_version'
                                    else QEMU_8_2 + (i % 3) * 1000)
        state.total_usable_ram_mb = 262144
        # A live migration may use 262144 MB x 1.0: the RAM failures have
        # 2048 MB left, the others between 64 and 128 GiB.
        state.free_ram_mb = (2048 if failure == 'ram'
                             else 65536 + (i % 64) * 1024)
        state.ram_allocation_ratio = 1.5
        state.stats = {facts.QEMU_VERSION_STAT: '8.2.0'}
        state.cpu_info = cpu_info(rng, FEATURES[:-2] if failure == 'cpu'
                                  else FEATURES)
        if layout == 'shared':
            pool = shared.get(failure) or shared[None]
            state.aggregates = [pool[i % len(pool)]]
        else:
            state.aggregates = [objects.Aggregate(
                id=i, name='agg%d' % i, metadata=metadata(failure, i))]
        hosts.append(state)
    return hosts


def spec_for(operation):
    spec = objects.RequestSpec(
        instance_uuid='0f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f0',
        flavor=objects.Flavor(memory_mb=4096, flavorid='f', extra_specs={
            'ssd': 'true',
            'aggregate_instance_extra_specs:ram_mhz': '>= 3000'}),
        scheduler_hints={})
    source = facts.HostFacts(
        host='src', hypervisor_type='QEMU', hypervisor_version=QEMU_8_2,
        cpu_info=cpu_info(random.Random(0), FEATURES),
        metadata={facts.MIGRATION_DOMAIN_KEY: frozenset({'dc0', 'dc1'}),
                  facts.SHARED_STORAGE_KEY: frozenset({'nfs-0'})},
        stats={facts.CPU_MODE_STAT: 'host-model'})
    move.remember(spec, move.Move(
        operation, spec.instance_uuid,
        source=source if operation != operations.BOOT else None,
        requested_ram_mb=4096, current_ram_mb=4096, volume_backed=False))
    return spec


class PassThroughFilter(nova_filters.BaseHostFilter):
    """The floor: Nova's handler calling a filter that passes every host."""

    def filter_all(self, filter_obj_list, spec_obj):
        return filter_obj_list


class LineCounter:
    """Counts the lines the log file grows by."""

    def __init__(self, path):
        self.path = path

    def lines(self):
        with open(self.path, 'rb') as log_file:
            return log_file.read().count(b'\n')


def timed(handler, chain, hosts, operation):
    spec = spec_for(operation)
    start = time.perf_counter()
    passed = handler.get_filtered_objects(chain, hosts, spec)
    elapsed = time.perf_counter() - start
    return elapsed / len(hosts) * 1e6, len(passed or ())


def measure(handler, chains, hosts, operation, rounds, log):
    """Median µs/host of each chain, run in turns; log lines per request."""
    samples = {name: [] for name in chains}
    passed = {}
    lines = {}
    names = list(chains)
    for n in range(rounds):
        # Rotate who goes first so no chain always runs on a warm cache.
        for name in names[n % len(names):] + names[:n % len(names)]:
            before = log.lines()
            cost, passed[name] = timed(handler, chains[name], hosts,
                                       operation)
            samples[name].append(cost)
            lines[name] = log.lines() - before
    return ({name: statistics.median(values)
             for name, values in samples.items()}, passed, lines)


def setup_logging(path):
    """oslo.log as nova-scheduler runs it: INFO to a file (oslo.log uses
    a WatchedFileHandler, for logrotate).
    """
    oslo_logging.register_options(CONF)
    CONF([], project='nova')
    CONF.set_override('log_file', path)
    CONF.set_override('debug', False)
    oslo_logging.setup(CONF, 'nova')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--hosts', default='1000,10000,50000',
                        help='fleet sizes, comma-separated')
    parser.add_argument('--rounds', type=int, default=7)
    parser.add_argument('--layouts', default='shared,own')
    args = parser.parse_args()
    objects.register_all()
    log_dir = tempfile.mkdtemp(prefix='bench-filters-')
    log_path = os.path.join(log_dir, 'nova-scheduler.log')
    setup_logging(log_path)
    log = LineCounter(log_path)
    handler = nova_filters.HostFilterHandler()
    chains = {
        'floor': [PassThroughFilter()],
        'nova': [nova_agg.AggregateInstanceExtraSpecsFilter()],
        'ours': [cls() for cls in sorted(
            filters.all_filters(), key=lambda cls: [
                'MigrationAggregateFilter', 'MigrationRamFilter',
                'HypervisorVersionFilter', 'SharedStorageFilter',
                'CpuCompatibilityFilter'].index(cls.__name__))],
    }
    print('median of %d rounds, µs/host through HostFilterHandler; '
          'oslo.log INFO to %s' % (args.rounds, log_path))
    print('%7s %-6s %-5s %7s %7s %7s %6s %6s %9s %9s' % (
        'hosts', 'aggs', 'op', 'floor', 'nova', 'ours', 'ours/n',
        'n-floor', 'passed', 'log lines'))
    for size in [int(n) for n in args.hosts.split(',')]:
        for layout in args.layouts.split(','):
            hosts = fleet(size, layout)
            for operation in (operations.BOOT, operations.LIVE):
                cost, passed, lines = measure(handler, chains, hosts,
                                              operation, args.rounds, log)
                above_floor = ((cost['ours'] - cost['floor'])
                               / max(cost['nova'] - cost['floor'], 1e-9))
                print('%7d %-6s %-5s %7.2f %7.2f %7.2f %5.2fx %5.2fx '
                      '%4d/%-4d %4d/%-4d' % (
                          size, layout, operation, cost['floor'],
                          cost['nova'], cost['ours'],
                          cost['ours'] / cost['nova'], above_floor,
                          passed['nova'], passed['ours'],
                          lines['nova'], lines['ours']), flush=True)
    print('ours/n: our five filters / AggregateInstanceExtraSpecsFilter; '
          'n-floor: the same, each less the pass-through floor. passed: '
          'hosts left by Nova\'s filter / by ours. log lines: written per '
          'request by Nova\'s filter / by ours.')


if __name__ == '__main__':
    main()
