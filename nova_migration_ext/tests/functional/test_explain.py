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
"""``nova-migration-ext explain`` against real Nova 34 in-process."""

import json

import fixtures
from keystoneauth1 import exceptions as ks_exc
from nova import context as nova_context
from nova.db.api import api as api_db
from nova.db.main import api as main_db
from nova import objects
from oslo_db import exception as db_exc
import sqlalchemy

from nova_migration_ext.explain import run
from nova_migration_ext.tests.functional import base

QEMU_7_2 = 7002000
SMALL = '2'     # m1.small: 2048 MB
MEDIUM = '3'    # m1.medium: 4096 MB

NARROWED_OUT = ('placement: in none of the aggregates a request filter '
                'requires (member_of)')
# What the table must say about each host on a live migration from
# 'source' (QEMU 8.2.0, storage ceph-a, migration domain rack-1).
LIVE_REASONS = {
    'older': ['6 HypervisorVersionFilter: QEMU 7.2.0 < source 8.2.0'],
    # Placement narrowing (our prefilter) left these two out.
    'other-storage': [NARROWED_OUT,
                      '7 SharedStorageFilter: shared storage nfs-b, '
                      'source in ceph-a'],
    'other-domain': [NARROWED_OUT,
                     '4 MigrationAggregateFilter: migration domain rack-2, '
                     'source in rack-1'],
    'small-ram': ['5 MigrationRamFilter: usable RAM 1536 MB < 2048 MB needed '
                  '(2048 MB x ratio 1 - 512 MB used)'],
    'disabled': ['placement: has forbidden trait COMPUTE_STATUS_DISABLED '
                 '(compute service disabled)',
                 '1 ComputeFilter: disabled is disabled, reason: '
                 'maintenance'],
}


def table_rows(table):
    """HOST -> (placement, filter marks, weight, result) from the grid."""
    lines = table.splitlines()
    start = next(i for i, line in enumerate(lines)
                 if line.startswith('HOST '))
    rows = {}
    for line in lines[start + 1:]:
        if not line.strip():
            break
        host, placement, rest = line.split(None, 2)
        rows[host] = (placement, rest)
    return rows


def table_reasons(table):
    """HOST -> the lines of the "Why:" section about it."""
    lines = table.splitlines()
    reasons = {}
    host = None
    for line in lines[lines.index('Why:') + 1:]:
        if not line.strip():
            break
        name, text = line[2:].split('  ', 1)
        host = name.strip() or host
        reasons.setdefault(host, []).append(text.strip())
    return reasons


def json_reasons(data):
    """HOST -> the same reasons, from the JSON output."""
    reasons = {}
    for host in data['hosts']:
        said = []
        if not host['skipped'] and not host['candidate']:
            said.append('placement: %s' % host['placement_reason'])
        said.extend('%d %s: %s' % (number, result['name'], result['reason'])
                    for number, result in enumerate(host['filters'], 1)
                    if not result['passed'])
        if said:
            reasons[host['host']] = said
    return reasons


class _Fleet(base.MigrationTestCase):
    """Hosts that each fail a live migration from 'source' for one reason,
    and two that pass ('good', 'spare'). The weigher prefers the failing
    hosts, then 'good', then 'spare'.
    """

    def setUp(self):
        super().setUp()
        # Placement and the host let small-ram take the instance with
        # overcommit; a live migration does not ([migration_ext]
        # live_migration_ram_allocation_ratio = 1.0).
        self.flags(ram_allocation_ratio=1.5)
        for host in ('source', 'other-storage', 'other-domain', 'disabled',
                     'good', 'spare'):
            self.start_host(host)
        self.start_host('older', version=QEMU_7_2)
        self.start_host('small-ram', memory_mb=2048)
        rack_1 = ['source', 'older', 'other-storage', 'small-ram',
                  'disabled', 'good', 'spare']
        self.aggregate('rack-1', rack_1,
                       {'migration_ext:migration_domain': 'rack-1'})
        self.aggregate('rack-2', ['other-domain'],
                       {'migration_ext:migration_domain': 'rack-2'})
        ceph = [h for h in rack_1 if h != 'other-storage'] + ['other-domain']
        self.aggregate('ceph-a', ceph,
                       {'migration_ext:shared_storage': 'ceph-a'})
        self.aggregate('nfs-b', ['other-storage'],
                       {'migration_ext:shared_storage': 'nfs-b'})
        self.disable('disabled', 'maintenance')
        self.refresh_hosts()
        self.server = self.boot('source', flavor_id=SMALL)
        self.prefer('older', 'other-storage', 'other-domain', 'small-ram',
                    'disabled', 'good', 'spare')


class ExplainFleetTest(_Fleet):

    def test_table_names_each_reason_and_the_pick_live_migration_takes(self):
        status, out, err = base.cli('explain', self.server['id'])
        self.assertEqual((0, ''), (status, err))
        self.assertEqual(LIVE_REASONS, table_reasons(out))
        rows = table_rows(out)
        self.assertEqual('pick', rows['good'][1].split()[-1])
        self.assertEqual('#2', rows['spare'][1].split()[-1])
        for host in LIVE_REASONS:
            self.assertEqual('rejected', rows[host][1].split()[-1], host)
        self.assertEqual('no', rows['disabled'][0])
        self.assertIn('skipped: source host (ignore_hosts)',
                      rows['source'][1])
        self.assertIn('\nNova would pick: good\n', out + '\n')

        # No retry: the conductor must accept the first host, as explained.
        self.flags(migrate_max_retries=0)
        server = self._live_migrate(self.server)
        self.assertEqual('good', self.host_of(server))

    def test_json_carries_the_same_facts_as_the_table(self):
        status, table, _err = base.cli('explain', self.server['id'])
        self.assertEqual(0, status)
        status, out, err = base.cli('explain', self.server['id'],
                                    '--format', 'json')
        self.assertEqual((0, ''), (status, err))
        data = json.loads(out)
        self.assertEqual(table_reasons(table), json_reasons(data))
        self.assertEqual(LIVE_REASONS, json_reasons(data))
        self.assertEqual('good', data['pick'])
        self.assertEqual((self.server['id'], 'live', 'source', 'm1.small'),
                         (data['server'], data['operation'],
                          data['source']['host'], data['flavor']))
        hosts = {host['host']: host for host in data['hosts']}
        self.assertEqual([1, 2], [hosts['good']['rank'],
                                  hosts['spare']['rank']])
        self.assertGreater(hosts['good']['weight'], hosts['spare']['weight'])
        self.assertEqual([True, True, False],
                         [hosts['good']['passed'], hosts['spare']['passed'],
                          hosts['older']['passed']])
        self.assertEqual('source host (ignore_hosts)',
                         hosts['source']['skipped'])
        self.assertEqual(['ComputeFilter', 'ComputeCapabilitiesFilter',
                          'ImagePropertiesFilter'] + base.OUR_FILTERS,
                         data['filters'])

    def test_cold_migration_keeps_other_storage_and_takes_the_pick(self):
        report = run.explain(self.server['id'], 'cold')
        self.assertEqual({'SharedStorageFilter':
                          'does not check cold migration'},
                         report.idle_filters)
        # Cold migration copies the disk and allows overcommit: only the
        # QEMU version, the migration domain and the disabled host remain.
        rejected = {host.host for host in report.hosts
                    if not host.passed and not host.skipped}
        self.assertEqual({'older', 'other-domain', 'disabled'}, rejected)
        self.assertEqual('other-storage', report.pick)

        server = self._migrate_server(self.server)
        self.assertEqual(report.pick, self.host_of(server))

    def test_evacuate_pick_is_where_evacuate_lands(self):
        self.force_down('source')
        report = run.explain(self.server['id'], 'evacuate')
        # Evacuate keeps the storage domain but allows RAM overcommit.
        rejected = {host.host for host in report.hosts
                    if not host.passed and not host.skipped}
        self.assertEqual({'older', 'other-storage', 'other-domain',
                          'disabled'}, rejected)
        self.assertEqual('small-ram', report.pick)

        self._evacuate_server(self.server, expected_host=report.pick)

    def test_requested_host_and_resize(self):
        # A requested host is the only one checked.
        report = run.explain(self.server['id'], 'live', host='older')
        self.assertEqual('older', report.requested_host)
        self.assertEqual(['older', 'source'],
                         sorted(host.host for host in report.hosts))
        self.assertIsNone(report.pick)
        self.assertEqual(['QEMU 7.2.0 < source 8.2.0'],
                         [r.reason for r in report.host('older').rejections])

        # A resize asks for the new flavor's RAM.
        report = run.explain(self.server['id'], 'resize', flavor='m1.medium')
        self.assertEqual('m1.medium', report.flavor)
        small = report.host('small-ram')
        self.assertEqual(
            'MEMORY_MB: 4096 requested, 2304 free of 2304 (allocation ratio '
            '1.5)', small.placement_reason)
        self.assertEqual(
            ['usable RAM 2560 MB < 4096 MB needed (2048 MB x ratio 1.5 - '
             '512 MB used)'], [r.reason for r in small.rejections])
        self.assertEqual(('other-storage', ['other-storage'], ''),
                         (report.pick, report.pick_among, report.pick_note))

        # With a random choice among the best, explain says so.
        self.flags(host_subset_size=3, group='filter_scheduler')
        report = run.explain(self.server['id'], 'cold')
        self.assertEqual(['other-storage', 'small-ram', 'good'],
                         report.pick_among)
        self.assertEqual('Nova picks at random among the top 3 '
                         '(host_subset_size = 3)', report.pick_note)


class ExplainIsReadOnlyTest(_Fleet):

    def snapshot(self):
        """Every row of the API and cell databases but the services'
        heartbeats, and placement's providers, inventories, usages,
        traits, allocations and consumer generations.
        """
        ctx = nova_context.get_admin_context()
        state = {'api': _rows(api_db.context_manager, ctx)}
        for cell in objects.CellMappingList.get_all(ctx):
            with nova_context.target_cell(ctx, cell) as cctxt:
                state[cell.name] = _rows(main_db.get_context_manager(cctxt),
                                         cctxt)
        state['placement'] = self.placement_state()
        return state

    def placement_state(self):
        def get(url):
            return self.placement.get(url, version='1.38').body

        state = {}
        for provider in get('/resource_providers')['resource_providers']:
            url = '/resource_providers/%s' % provider['uuid']
            state[provider['uuid']] = {
                'generation': provider['generation'],
                'inventories': get(url + '/inventories'),
                'usages': get(url + '/usages'),
                'traits': get(url + '/traits'),
                'allocations': get(url + '/allocations'),
            }
            for consumer in state[provider['uuid']]['allocations'][
                    'allocations']:
                state[consumer] = get('/allocations/%s' % consumer)
        return state

    def test_explain_writes_nothing(self):
        before = self.snapshot()
        self.assertIn(self.server['id'], before['placement'])
        for argv in (['live'], ['cold'], ['resize', '--flavor', MEDIUM],
                     ['live', '--host', 'spare', '--format', 'json']):
            status, _out, err = base.cli('explain', self.server['id'],
                                         '--operation', *argv)
            self.assertEqual((0, ''), (status, err), argv)
        self.assertEqual(before, self.snapshot())

        # The same comparison sees a real move.
        self._migrate_server(self.server)
        self.assertNotEqual(before, self.snapshot())


def _database_gone(*args, **kwargs):
    raise db_exc.DBConnectionError(
        "(2003, \"Can't connect to MySQL server on 'controller'\")")


def _connection_refused(*args, **kwargs):
    raise ks_exc.ConnectFailure('Unable to establish connection to '
                                'http://controller:8778/allocation_candidates')


def _rows(context_manager, ctx):
    with context_manager.reader.using(ctx) as session:
        connection = session.connection()
        names = sqlalchemy.inspect(connection).get_table_names()
        return {name: sorted(map(repr, connection.execute(
                    sqlalchemy.text('SELECT * FROM %s' % name)).all()))
                for name in names
                # Compute services heartbeat on their own clock.
                if name != 'services'}


class ExplainErrorsTest(base.MigrationTestCase):
    """One line on stderr, exit status 2 for what the user asked, 1 for
    what the deployment cannot answer.
    """

    def setUp(self):
        super().setUp()
        self.start_host('source')
        self.start_host('other')
        self.refresh_hosts()
        self.server = self.boot('source')

    def assert_one_line(self, argv, status, message):
        code, out, err = base.cli('explain', *argv)
        self.assertEqual((status, ''), (code, out), err)
        self.assertEqual(['nova-migration-ext explain: error: ' + message],
                         err.splitlines())

    def test_unknown_server(self):
        self.assert_one_line(['not-a-uuid'], 2,
                             "'not-a-uuid' is not a server UUID")
        unknown = '6d4c9f0e-2a3c-4f6a-9d7e-0f3b1e2a4c5d'
        self.assert_one_line([unknown], 2,
                             'no server %s in this deployment' % unknown)

    def test_moves_nova_would_refuse(self):
        uuid = self.server['id']
        self.assert_one_line(
            [uuid, '--operation', 'resize'], 2,
            "a resize needs --flavor (the new flavor's name or id)")
        self.assert_one_line(
            [uuid, '--operation', 'resize', '--flavor', 'm1.huge'], 2,
            "no flavor with id or name 'm1.huge'")
        self.assert_one_line(
            [uuid, '--operation', 'evacuate'], 2,
            'evacuate of server %s: the compute service on source is up, '
            'and Nova evacuates only from a host whose compute service is '
            'down; use --operation live or cold' % uuid)
        self.assert_one_line(
            [uuid, '--host', 'nowhere'], 2,
            "--host nowhere: no compute host of that name in the server's "
            "cell")
        self._stop_server(self.server)
        self.assert_one_line(
            [uuid], 2,
            'live migration of server %s: the server is SHUTOFF and only a '
            'running server can be live-migrated; use --operation cold'
            % uuid)
        self.force_down('source')
        self.assert_one_line(
            [uuid, '--operation', 'cold'], 2,
            'cold migration of server %s: the compute service on source is '
            'down; use --operation evacuate' % uuid)

    def test_database_unreachable(self):
        self.useFixture(fixtures.MonkeyPatch(
            'nova.objects.InstanceMapping._get_by_instance_uuid_from_db',
            _database_gone))
        self.assert_one_line(
            [self.server['id']], 1,
            "cannot read the Nova databases: DBConnectionError: (2003, "
            "\"Can't connect to MySQL server on 'controller'\")")

    def test_placement_unreachable(self):
        # Where Nova's placement client meets the network.
        self.useFixture(fixtures.MonkeyPatch(
            'nova.scheduler.client.report.SchedulerReportClient.get',
            _connection_refused))
        self.assert_one_line(
            [self.server['id']], 1,
            'cannot get allocation candidates from placement: Placement API '
            'service is not responding.')


class ExplainSqlTest(base.MigrationTestCase):
    """explain's database questions do not grow with the fleet (Nova's
    databases and, in-process here, placement's).
    """

    def statements(self, server):
        # Once to load what a process loads once (its first request to
        # placement, say), then counted.
        run.explain(server['id'], 'cold')
        with base.sql_statements() as said:
            report = run.explain(server['id'], 'cold')
        return report, len(said)

    def test_statements_independent_of_fleet_size(self):
        self.start_host('source')
        self.start_host('host-0')
        self.refresh_hosts()
        server = self.boot('source')
        self.boot('host-0')
        small_report, small = self.statements(server)
        for i in range(1, 7):
            self.start_host('host-%d' % i)
            self.boot('host-%d' % i)
        self.refresh_hosts()
        large_report, large = self.statements(server)
        self.assertEqual((2, 8), (len(small_report.hosts),
                                  len(large_report.hosts)))
        self.assertEqual(small, large)

    def test_hosts_beyond_placements_limit_are_named_so(self):
        self.flags(max_placement_results=2, group='scheduler')
        for host in ('source', 'a', 'b', 'c', 'd'):
            self.start_host(host)
        self.refresh_hosts()
        server = self.boot('source')
        report = run.explain(server['id'], 'cold')
        left_out = [host for host in report.hosts
                    if not host.candidate and not host.skipped]
        # Placement returned 2 of 5 providers, the source's perhaps among
        # them: 2 or 3 of the 4 other hosts are left out.
        self.assertIn(len(left_out), (2, 3))
        for host in left_out:
            self.assertEqual('not among the 2 candidates placement returned '
                             '([scheduler] max_placement_results)',
                             host.placement_reason)
