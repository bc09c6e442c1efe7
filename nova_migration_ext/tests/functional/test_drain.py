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
"""``nova-migration-ext drain`` against real Nova 34 in-process.

The plan reads the databases and placement as explain does; the moves go
through openstacksdk to Nova's API (see ``sdk``), its conductor,
scheduler with our filters, and fake computes.
"""

import json
from unittest import mock

import fixtures
from nova import exception

from nova_migration_ext.explain import candidates
from nova_migration_ext.tests.functional import base
from nova_migration_ext.tests.functional import fakes
from nova_migration_ext.tests.functional import sdk
from nova_migration_ext.tests.functional import test_explain

QEMU_7_2 = 7002000
TINY = '1'      # m1.tiny: 512 MB
SMALL = '2'     # m1.small: 2048 MB
REASON = 'nova-migration-ext drain of source'


def result_rows(out):
    """NAME -> (move, from, to, result) from the final report's table."""
    lines = out.splitlines()
    start = max(i for i, line in enumerate(lines)
                if line.startswith('INSTANCE ') and 'RESULT' in line)
    rows = {}
    for line in lines[start + 1:]:
        if not line.strip():
            break
        fields = line.split()
        rows[fields[1]] = tuple(fields[2:6])
    return rows


class _DrainCase(base.MigrationTestCase):
    """A source host and destinations in one migration and storage
    domain.
    """

    def setUp(self):
        super().setUp()
        self.connect = self.useFixture(sdk.ConnectTo(self.admin_api))

    def fleet(self, *hosts, versions=None, storage=None):
        """'source' and ``hosts``, QEMU 8.2.0 unless ``versions`` says,
        in storage domain ceph-a unless ``storage`` says.
        """
        versions, storage = versions or {}, storage or {}
        everyone = ('source',) + hosts
        for host in everyone:
            self.start_host(host, version=versions.get(host, fakes.QEMU_8_2))
        self.aggregate('rack-1', everyone,
                       {'migration_ext:migration_domain': 'rack-1'})
        domains = {}
        for host in everyone:
            domains.setdefault(storage.get(host, 'ceph-a'), []).append(host)
        for domain, members in sorted(domains.items()):
            self.aggregate(domain, members,
                           {'migration_ext:shared_storage': domain})
        self.refresh_hosts()

    def boot_named(self, name, host='source', flavor_id=SMALL):
        server = self._create_server(name=name, host=host,
                                     flavor_id=flavor_id, networks='none')
        return server

    def drain(self, *argv):
        return base.cli('drain', 'source', '--poll-interval', '0.1', *argv)

    def service(self, host='source'):
        return self.admin_api.get_services(host=host,
                                           binary='nova-compute')[0]

    def assert_untouched(self, servers):
        for server in servers:
            self.assertEqual('source', self.host_of(server))
        self.assertEqual([], self.admin_api.get_migrations())
        self.assertEqual('enabled', self.service()['status'])


class DrainTest(_DrainCase):

    def test_host_in_several_states_drains_completely(self):
        self.fleet('dest1', 'dest2')
        active = self.boot_named('active', flavor_id=TINY)
        paused = self.boot_named('paused', flavor_id=TINY)
        self.admin_api.post_server_action(paused['id'], {'pause': None})
        self._wait_for_state_change(paused, 'PAUSED')
        stopped = self.boot_named('stopped', flavor_id=TINY)
        self._stop_server(stopped)
        # A cold migration an earlier run left waiting for its confirm.
        earlier = self.boot_named('earlier', flavor_id=TINY)
        self._stop_server(earlier)
        self.admin_api.post_server_action(earlier['id'], {'migrate': None})
        self._wait_for_state_change(earlier, 'VERIFY_RESIZE')

        status, out, err = self.drain()

        self.assertEqual((0, ''), (status, err), out)
        self.assertIn('The host can be emptied', out)
        rows = result_rows(out)
        self.assertEqual({'active', 'paused', 'stopped', 'earlier'},
                         set(rows))
        self.assertEqual(('live', 'source'), rows['active'][:2])
        self.assertEqual(('live', 'source'), rows['paused'][:2])
        self.assertEqual(('cold', 'source'), rows['stopped'][:2])
        self.assertEqual(('confirm', 'source'), rows['earlier'][:2])
        for server, state in ((active, 'ACTIVE'), (paused, 'PAUSED'),
                              (stopped, 'SHUTOFF'), (earlier, 'SHUTOFF')):
            name = server['name']
            host = self.host_of(server)
            self.assertIn(host, ('dest1', 'dest2'), name)
            self.assertEqual((host, 'moved'), rows[name][2:], name)
            self.assert_stays_on(server, host, state)
        # Every cold migration confirmed: the source holds nothing.
        for migration in self.admin_api.get_migrations():
            self.assertIn(migration['status'], ('completed', 'confirmed'),
                          migration)
        self.assertEqual({'VCPU': 0, 'MEMORY_MB': 0, 'DISK_GB': 0},
                         self._get_provider_usages(
                             self._get_provider_uuid_by_host('source')))
        service = self.service()
        self.assertEqual(('disabled', REASON),
                         (service['status'], service['disabled_reason']))
        self.assertIn('source is empty.', out)
        self.assertEqual([None], self.connect.clouds)

        # Draining an empty host again is a no-op that says so.
        status, out, _err = self.drain('--format', 'json')
        self.assertEqual(0, status)
        data = json.loads(out)
        self.assertEqual(([], True, True),
                         (data['plan']['instances'], data['plan']['can_empty'],
                          data['emptied']))

        status, out, err = base.cli('undrain', 'source')
        self.assertEqual((0, ''), (status, err))
        self.assertEqual('enabled', self.service()['status'])

    def test_undrain_leaves_a_service_someone_else_disabled(self):
        self.fleet('dest1')
        self.disable('source', 'disk replacement')
        status, out, err = base.cli('undrain', 'source')
        self.assertEqual(2, status)
        self.assertEqual(
            ['nova-migration-ext undrain: error: the compute service of '
             'source was disabled by someone else (reason: disk '
             'replacement); use --force to enable it anyway'],
            err.splitlines())
        self.assertEqual('disabled', self.service()['status'])
        status, out, err = base.cli('undrain', 'source', '--force')
        self.assertEqual((0, ''), (status, err))
        self.assertEqual('enabled', self.service()['status'])

    def test_instances_fit_one_by_one_but_not_together(self):
        self.fleet('dest1')
        # 4096 MB - 512 MB reserved: room for one m1.small, not two.
        self.computes['dest1'].driver.set_memory_mb(4096)
        self.refresh_hosts()
        first = self.boot_named('vm-a')
        second = self.boot_named('vm-b')

        status, out, err = self.drain()

        self.assertEqual((1, ''), (status, err), out)
        self.assertIn('Refused: 1 instance(s) would have no destination '
                      'once the others are placed: vm-b. Nothing was moved '
                      'or disabled.', out)
        plan = {line.split()[1]: line for line in out.splitlines()
                if line.startswith((first['id'], second['id']))}
        self.assertIn('live  dest1', plan['vm-a'])
        self.assertIn("no host: dest1: placement: MEMORY_MB: 2048 requested, "
                      "1536 free of 3584 (allocation ratio 1) once this "
                      "plan's vm-a land there", plan['vm-b'])
        self.assert_untouched([first, second])

        # Either alone fits: explain, one at a time, says dest1.
        for server in (first, second):
            status, out, _err = base.cli('explain', server['id'])
            self.assertIn('Nova would pick: dest1', out)

    def test_our_filters_name_why_no_host_takes_an_instance(self):
        self.fleet('older', 'other-storage', versions={'older': QEMU_7_2},
                   storage={'other-storage': 'nfs-b'})
        server = self.boot_named('db-1')

        status, out, err = self.drain()

        self.assertEqual((1, ''), (status, err), out)
        line = next(line for line in out.splitlines()
                    if line.startswith(server['id']))
        self.assertIn('older: HypervisorVersionFilter: QEMU 7.2.0 < source '
                      '8.2.0', line)
        # Placement narrowing leaves it out first; the filter says why.
        self.assertIn('other-storage: placement: in none of the aggregates a '
                      'request filter requires (member_of); '
                      'SharedStorageFilter: shared storage nfs-b, source in '
                      'ceph-a', line)
        self.assert_untouched([server])

    def test_bad_input_is_one_line(self):
        self.fleet('dest1')
        status, out, err = base.cli('drain', 'nowhere')
        self.assertEqual((2, ''), (status, out))
        self.assertEqual(
            ["nova-migration-ext drain: error: no compute host 'nowhere' in "
             "this deployment (see `openstack compute service list "
             "--service nova-compute`)"], err.splitlines())
        for argv, message in (
                (['--parallel', '0'], "--parallel '0': give a whole number "
                                      "of 1 or more"),
                (['--timeout', 'soon'], "--timeout 'soon': give a whole "
                                        "number of 1 or more"),
                (['--poll-interval', '-1'], "--poll-interval '-1': give a "
                                            "number of seconds above 0")):
            status, out, err = base.cli('drain', 'source', *argv)
            self.assertEqual((2, ''), (status, out))
            self.assertEqual(['nova-migration-ext drain: error: ' + message],
                             err.splitlines())
        self.assertEqual('enabled', self.service()['status'])


class DrainFailureTest(_DrainCase):

    def test_failed_move_is_reported_and_the_next_run_moves_it(self):
        self.fleet('dest1', 'dest2')
        self.prefer('dest1')
        servers = [self.boot_named(name) for name in ('vm-a', 'vm-b')]
        broken = self.boot_named('broken')
        self.admin_api.post_server_action(
            broken['id'], {'os-resetState': {'state': 'error'}})
        self.flags(migrate_max_retries=0)
        dest1 = self.computes['dest1']
        original = dest1.driver.pre_live_migration
        calls = []

        def fail_first(*args, **kwargs):
            calls.append(args)
            if len(calls) == 1:
                raise exception.MigrationError(reason='disk full on dest1')
            return original(*args, **kwargs)

        with mock.patch.object(dest1.driver, 'pre_live_migration',
                               side_effect=fail_first):
            status, out, err = self.drain()

        self.assertEqual((1, ''), (status, err), out)
        rows = result_rows(out)
        self.assertEqual('skipped', rows['broken'][3])
        self.assertIn('was in ERROR before the drain',
                      next(line for line in out.splitlines()
                           if line.startswith(broken['id']) and 'skipped'
                           in line))
        failed = [name for name, row in rows.items() if row[3] == 'failed']
        moved = [name for name, row in rows.items() if row[3] == 'moved']
        self.assertEqual((1, 1), (len(failed), len(moved)), out)
        failed_line = next(line for line in out.splitlines()
                           if ' %s ' % failed[0] in line and 'failed' in line)
        self.assertIn('disk full on dest1', failed_line)
        self.assertRegex(failed_line, r'migration \d+ (error|failed)')
        self.assertEqual('source', self.host_of(
            next(s for s in servers if s['name'] == failed[0])))
        self.assertIn('source is not empty.', out)

        status, out, err = self.drain()
        self.assertEqual((1, ''), (status, err), out)
        rows = result_rows(out)
        self.assertEqual({failed[0], 'broken'}, set(rows))
        self.assertEqual('moved', rows[failed[0]][3])
        self.assertEqual('skipped', rows['broken'][3])
        for server in servers:
            self.assertNotEqual('source', self.host_of(server))
        self.assertEqual('source', self.host_of(broken))


class DrainDryRunTest(_DrainCase):

    snapshot = test_explain.ExplainIsReadOnlyTest.snapshot
    placement_state = test_explain.ExplainIsReadOnlyTest.placement_state

    def test_dry_run_writes_nothing(self):
        self.fleet('dest1', 'dest2')
        running = self.boot_named('running')
        stopped = self.boot_named('stopped')
        self._stop_server(stopped)
        before = self.snapshot()
        loads = []
        load_host_states = candidates.host_states

        def counted(*args):
            loads.append(args)
            return load_host_states(*args)

        self.useFixture(fixtures.MonkeyPatch(
            'nova_migration_ext.explain.candidates.host_states', counted))

        status, out, err = self.drain('--dry-run')
        # The fleet is read once per plan, not once per instance.
        self.assertEqual(1, len(loads))
        self.assertEqual((0, ''), (status, err), out)
        self.assertIn('The host can be emptied', out)
        status, out, err = self.drain('--dry-run', '--format', 'json')
        self.assertEqual((0, ''), (status, err), out)
        moves = {i['name']: (i['move'], i['to'] is not None)
                 for i in json.loads(out)['plan']['instances']}
        self.assertEqual({'running': ('live', True),
                          'stopped': ('cold', True)}, moves)

        self.assertEqual(before, self.snapshot())
        self.assertEqual([], self.connect.clouds)
        self.assert_untouched([running, stopped])
