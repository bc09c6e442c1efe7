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

"""Time of a drain plan for many instances on a large fleet.

    python tools/bench_drain.py [--hosts 1000] [--instances 50]

Real Nova 34 in-process (its functional fixtures: databases, placement,
scheduler configuration with our filters): the host to drain is a real
fake-driver compute with ``--instances`` servers booted through the API;
the rest of the fleet are compute services, compute nodes, host mappings
and placement providers written straight into the databases and placement
(as many real computes would take hours to start). Every host is in the
source's migration and storage domain, so every host passes every filter
and each instance is weighed against the whole fleet. Prints the plan's
wall time, the part of it spent loading the fleet's host states (once per
plan), and its SQL statement count (placement's included).
"""

import argparse
import sys
import time

import fixtures
import sqlalchemy
from sqlalchemy import event

from nova_migration_ext.demo import play


def _bench_case(n_hosts, n_instances, out):
    from nova import context as nova_context
    from nova import objects

    from nova_migration_ext.drain import plan as plan_mod
    from nova_migration_ext.explain import candidates
    from nova_migration_ext.tests.functional import base

    class DrainPlanBench(base.MigrationTestCase):

        def bench(self):
            # Hosts written to the database never heartbeat.
            self.flags(service_down_time=7 * 24 * 3600)
            self.flags(driver='nova.quota.NoopQuotaDriver', group='quota')
            source = self.start_host('source', memory_mb=256 * 1024)
            source.driver.vcpus = 256
            self.refresh_hosts()
            ctx = nova_context.get_admin_context()
            cell = objects.CellMappingList.get_all(ctx)[1]
            started = time.perf_counter()
            names = ['h%05d' % i for i in range(n_hosts)]
            with nova_context.target_cell(ctx, cell) as cctxt:
                template = objects.ComputeNode.get_by_nodename(
                    cctxt, 'source')
                traits = self.placement.get(
                    '/resource_providers/%s/traits' % template.uuid,
                    version='1.6').body['traits']
                providers = [template.uuid] + [
                    self._add_host(cctxt, cell, template, traits, name)
                    for name in names]
            # Nova's aggregate (what our filters read) and placement's
            # mirror of it (what the placement prefilter asks for), as
            # nova-api writes both when a host is added.
            rack = objects.Aggregate(ctx, name='rack-1', metadata={
                'migration_ext:migration_domain': 'rack-1',
                'migration_ext:shared_storage': 'ceph-a'})
            rack.create()
            for name in ['source'] + names:
                rack.add_host(name)
            for uuid in providers:
                url = '/resource_providers/%s' % uuid
                generation = self.placement.get(
                    url, version='1.19').body['generation']
                self.placement.put(url + '/aggregates', {
                    'aggregates': [rack.uuid],
                    'resource_provider_generation': generation},
                    version='1.19')
            print('fleet of %d hosts written in %.0f s' % (
                n_hosts + 1, time.perf_counter() - started), file=out)
            for _ in range(n_instances):
                self.boot('source', flavor_id='1')
            loading = []
            load_host_states = candidates.host_states

            def timed(*args):
                start = time.perf_counter()
                try:
                    return load_host_states(*args)
                finally:
                    loading.append(time.perf_counter() - start)

            self.useFixture(fixtures.MonkeyPatch(
                'nova_migration_ext.explain.candidates.host_states', timed))
            statements = []
            listener = lambda *args: statements.append(1)  # noqa: E731
            event.listen(sqlalchemy.engine.Engine, 'before_cursor_execute',
                         listener)
            try:
                start = time.perf_counter()
                plan = plan_mod.build('source')
                elapsed = time.perf_counter() - start
            finally:
                event.remove(sqlalchemy.engine.Engine,
                             'before_cursor_execute', listener)
            placed = sum(1 for item in plan.items if item.destination)
            print('plan for %d instances on %d hosts: %.1f s, of which '
                  '%.1f s loading the host states (%d time(s)) and %.2f s '
                  'per instance; %d SQL statements; %d placed'
                  % (len(plan.items), n_hosts + 1, elapsed, sum(loading),
                     len(loading),
                     (elapsed - sum(loading)) / max(1, len(plan.items)),
                     len(statements), placed), file=out)
            for item in plan.items:
                if not item.destination:
                    print('not placed: %s: %s' % (item.name, item.reason),
                          file=out)
                    break
            self.assertEqual(n_instances, placed)

        def _add_host(self, cctxt, cell, template, traits, name):
            objects.Service(cctxt, host=name, binary='nova-compute',
                            topic='compute', report_count=1).create()
            fields = {field: getattr(template, field)
                      for field in template.fields
                      if template.obj_attr_is_set(field) and field not in (
                          'id', 'uuid', 'host', 'hypervisor_hostname',
                          'service_id', 'created_at', 'updated_at',
                          'deleted', 'deleted_at', 'mapped')}
            node = objects.ComputeNode(cctxt, host=name,
                                       hypervisor_hostname=name, **fields)
            node.create()
            objects.HostMapping(cctxt, host=name, cell_mapping=cell).create()
            self.placement.post('/resource_providers', {
                'name': name, 'uuid': node.uuid}, version='1.20')
            self.placement.put(
                '/resource_providers/%s/inventories' % node.uuid,
                {'resource_provider_generation': 0, 'inventories': {
                    'VCPU': {'total': 64},
                    'MEMORY_MB': {'total': 256 * 1024, 'reserved': 512},
                    'DISK_GB': {'total': 2000}}}, version='1.20')
            self.placement.put(
                '/resource_providers/%s/traits' % node.uuid,
                {'resource_provider_generation': 1, 'traits': traits},
                version='1.6')
            return node.uuid

    return DrainPlanBench('bench')


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--hosts', type=int, default=1000)
    parser.add_argument('--instances', type=int, default=50)
    args = parser.parse_args()
    failure = play.run_case(
        lambda: _bench_case(args.hosts, args.instances, sys.stdout))
    if failure:
        print('bench_drain: error: %s' % failure, file=sys.stderr)
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
