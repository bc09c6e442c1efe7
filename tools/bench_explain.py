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
"""explain's time and SQL statements against fleet size, in real Nova.

    python tools/bench_explain.py [--hosts 50,500,1000]

Runs inside Nova 34's in-process functional cloud (API, conductor,
scheduler, placement, SQLite databases): two fake computes are started the
ordinary way and a server booted on one; the fleet then grows by compute
nodes, services and placement providers copied from the second, written
directly (starting a thousand compute services would take the benchmark's
time, not explain's). Every host has instances on it. For each size it
reports the wall time of a cold-migration explain and the SQL statements
it ran.
"""

import argparse
import logging
import sys
import time
import unittest

from nova import context as nova_context
from nova import objects
from oslo_utils import uuidutils

from nova_migration_ext.explain import run
from nova_migration_ext.tests.functional import base

SIZES = [50, 500, 1000]

_COPIED = ('vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used',
           'local_gb_used', 'hypervisor_type', 'hypervisor_version',
           'free_ram_mb', 'free_disk_gb', 'current_workload', 'running_vms',
           'cpu_info', 'disk_available_least', 'host_ip',
           'supported_hv_specs', 'stats', 'cpu_allocation_ratio',
           'ram_allocation_ratio', 'disk_allocation_ratio')


class ExplainScale(base.MigrationTestCase):

    results = []

    def add_hosts(self, ctx, template, inventories, traits, first, last):
        for i in range(first, last):
            host = 'bulk-%05d' % i
            objects.Service(ctx, host=host, binary='nova-compute',
                            topic='compute', report_count=0).create()
            node = objects.ComputeNode(
                ctx, host=host, hypervisor_hostname=host,
                uuid=uuidutils.generate_uuid(),
                **{field: getattr(template, field) for field in _COPIED})
            node.create()
            self.placement.post('/resource_providers', {
                'uuid': node.uuid, 'name': host}, version='1.20')
            self.placement.put(
                '/resource_providers/%s/inventories' % node.uuid,
                {'resource_provider_generation': 0,
                 'inventories': inventories}, version='1.20')
            self.placement.put(
                '/resource_providers/%s/traits' % node.uuid,
                {'resource_provider_generation': 1, 'traits': traits},
                version='1.20')
            # Instances on every host, as in a busy cloud: HostManager's
            # per-host instance look-up is what made explain grow.
            for _ in range(2):
                objects.Instance(ctx, host=host, node=host, compute_id=node.id,
                                 project_id='p', user_id='u').create()

    def statements(self, server):
        with base.sql_statements() as said:
            start = time.perf_counter()
            report = run.explain(server['id'], 'cold')
            elapsed = time.perf_counter() - start
        return report, elapsed, len(said)

    def test_scale(self):
        self.start_host('source')
        self.start_host('template')
        self.refresh_hosts()
        server = self.boot('source')
        # As the command line runs it: warnings only (cmd/explain.py).
        logging.getLogger().setLevel(logging.WARNING)
        ctx = nova_context.get_admin_context()
        cell = objects.CellMappingList.get_all(ctx)[1]
        template_uuid = None
        with nova_context.target_cell(ctx, cell) as cctxt:
            template = objects.ComputeNode.get_by_host_and_nodename(
                cctxt, 'template', 'template')
            template_uuid = template.uuid
            inventories = self.placement.get(
                '/resource_providers/%s/inventories' % template_uuid,
                version='1.20').body['inventories']
            traits = self.placement.get(
                '/resource_providers/%s/traits' % template_uuid,
                version='1.20').body['traits']
            have = 0
            for size in SIZES:
                self.add_hosts(cctxt, template, inventories, traits, have,
                               size)
                have = size
                report, elapsed, statements = self.statements(server)
                self.results.append((len(report.hosts), elapsed, statements,
                                     report.pick))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--hosts', default=','.join(map(str, SIZES)))
    args = parser.parse_args()
    SIZES[:] = [int(n) for n in args.hosts.split(',')]
    result = unittest.TextTestRunner(stream=sys.stderr, verbosity=0).run(
        ExplainScale('test_scale'))
    if not result.wasSuccessful():
        return 1
    print('%6s %9s %6s  %s' % ('hosts', 'seconds', 'SQL', 'pick'))
    for hosts, elapsed, statements, pick in ExplainScale.results:
        print('%6d %9.2f %6d  %s' % (hosts, elapsed, statements, pick))
    return 0


if __name__ == '__main__':
    sys.exit(main())
