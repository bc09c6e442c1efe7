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

"""Memory of nova-scheduler's filter calls over a long run.

    python tools/soak_filters.py [--calls 100000] [--every 10000]

Runs ``filter_all`` of each of our filters for one new request after
another (live migrations and boots alternating, over a small fleet) and
prints, every ``--every`` calls, the process's resident memory and how many
RequestSpec and move.Request objects are still alive after a full garbage
collection. Both stay flat when nothing outlives its request (the one
request in progress at a checkpoint counts as 1).
"""

import argparse
import gc
import os

from nova import objects

from nova_migration_ext import filters
from nova_migration_ext import move
from nova_migration_ext import operations

import bench_filters


def rss_mb():
    """Resident set size now (not the peak), from /proc."""
    with open('/proc/self/statm') as statm:
        pages = int(statm.read().split()[1])
    return pages * os.sysconf('SC_PAGE_SIZE') / 2 ** 20


def alive(cls):
    return sum(1 for obj in gc.get_objects() if isinstance(obj, cls))


def checkpoint(calls):
    gc.collect()
    print('%8d calls  RSS %7.1f MB  RequestSpec %6d  Request %6d'
          % (calls, rss_mb(), alive(objects.RequestSpec),
             alive(move.Request)), flush=True)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--calls', type=int, default=100000,
                        help='filter_all calls in all (default 100000)')
    parser.add_argument('--every', type=int, default=10000)
    parser.add_argument('--hosts', type=int, default=20)
    args = parser.parse_args()
    objects.register_all()
    hosts = bench_filters.fleet(args.hosts, 4)
    ours = [cls() for cls in filters.all_filters()]
    cycle = (operations.LIVE, operations.BOOT)
    print('%d hosts, %d filters, one new request per %d filter_all calls'
          % (args.hosts, len(ours), len(ours)))
    checkpoint(0)
    calls = 0
    request = 0
    while calls < args.calls:
        spec = bench_filters.spec_for(cycle[request % len(cycle)])
        request += 1
        for host_filter in ours:
            list(host_filter.filter_all(hosts, spec))
            calls += 1
            if calls % args.every == 0:
                checkpoint(calls)
        del spec


if __name__ == '__main__':
    main()
