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

"""Real Nova 34 in-process with our filters enabled."""

import contextlib
import io
import os
import sys

import fixtures

from nova.tests.functional import integrated_helpers
from nova.virt import fake as nova_fake

from nova_migration_ext.cmd import main
from nova_migration_ext.tests.functional import fakes

OUR_FILTERS = ['MigrationAggregateFilter', 'MigrationRamFilter',
               'HypervisorVersionFilter', 'SharedStorageFilter']
STOCK_FILTERS = ['ComputeFilter', 'ComputeCapabilitiesFilter',
                 'ImagePropertiesFilter']


def cli(*argv):
    """Run the console script in-process: (exit status, stdout, stderr)."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main.main(list(argv))
        except SystemExit as exc:  # argparse's own usage errors
            status = exc.code
    return status, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def sql_statements():
    """A list that receives each SQL statement this thread runs in the
    block: the in-process services heartbeat from other threads.
    """
    import threading

    import sqlalchemy

    said = []
    me = threading.get_ident()

    def count(conn, cursor, statement, *args):
        if threading.get_ident() == me:
            said.append(statement)

    sqlalchemy.event.listen(sqlalchemy.engine.Engine,
                            'before_cursor_execute', count)
    try:
        yield said
    finally:
        sqlalchemy.event.remove(sqlalchemy.engine.Engine,
                                'before_cursor_execute', count)


def api_paste_config():
    """Where the nova wheel installs api-paste.ini: <prefix>/etc/nova."""
    return os.path.join(sys.prefix, 'etc', 'nova', 'api-paste.ini')


PREFERRED_HOST_WEIGHER = ('nova_migration_ext.tests.functional.fakes.'
                          'PreferredHostWeigher')


def configure_scheduler(test, enabled_filters,
                        weight_classes=(PREFERRED_HOST_WEIGHER,)):
    """Nova's and our filters available, the test's enabled, its weighers,
    and a weigher preference reset for every test.
    """
    test.flags(api_paste_config=api_paste_config(), group='wsgi')
    test.flags(available_filters=['nova.scheduler.filters.all_filters',
                                  'nova_migration_ext.filters.all_filters'],
               enabled_filters=list(enabled_filters),
               weight_classes=list(weight_classes),
               group='filter_scheduler')
    test.useFixture(fixtures.MonkeyPatch(
        PREFERRED_HOST_WEIGHER + '.preference', []))


class FleetMixin:
    """What an operator does to the fleet, and what a user sees of it.

    For test cases of Nova's functional harness (``self.admin_api``,
    ``self.computes``).
    """

    def refresh_hosts(self):
        """Every host reports its facts, as its periodic task would, and the
        scheduler's HostManager sees them.
        """
        self._run_periodics()

    def prefer(self, *hosts):
        """Make the weigher rank ``hosts`` first, in that order."""
        fakes.PreferredHostWeigher.preference[:] = hosts

    def disable(self, host, reason='maintenance'):
        """Disable a compute service through the API, as an operator does."""
        service = self.admin_api.get_services(
            host=host, binary='nova-compute')[0]
        self.admin_api.put_service(
            service['id'], {'status': 'disabled', 'disabled_reason': reason})

    def force_down(self, host):
        """The host dies: its compute service stops and is forced down."""
        self.computes[host].stop()
        service = self.admin_api.get_services(
            host=host, binary='nova-compute')[0]
        self.admin_api.put_service(service['id'], {'forced_down': 'true'})

    def host_of(self, server):
        return self._show_server(server)['OS-EXT-SRV-ATTR:host']


class MigrationTestCase(FleetMixin,
                        integrated_helpers.ProviderUsageBaseTestCase):
    """API, conductor, scheduler, placement; fake computes started by tests.

    ``enabled_filters`` defaults to Nova's stock filters plus ours; a class
    may set ``use_our_filters = False`` to see what stock Nova would do.
    """

    compute_driver = 'fake.MigrationFactsDriver'
    use_our_filters = True
    # Nova's filters enabled before ours, ours, and the weighers.
    stock_filters = STOCK_FILTERS
    our_filters = OUR_FILTERS
    weight_classes = [PREFERRED_HOST_WEIGHER]

    def setUp(self):
        # Nova loads compute drivers from the nova.virt package only.
        self.useFixture(fixtures.MonkeyPatch(
            'nova.virt.fake.MigrationFactsDriver',
            fakes.MigrationFactsDriver))
        self.assertTrue(hasattr(nova_fake, 'MigrationFactsDriver'))
        configure_scheduler(
            self, self.stock_filters + (
                self.our_filters if self.use_our_filters
                else ['AggregateInstanceExtraSpecsFilter']),
            self.weight_classes)
        super().setUp()
        self.admin_api.microversion = 'latest'

    # -- fleet ---------------------------------------------------------------

    def start_host(self, host, version=fakes.QEMU_8_2, memory_mb=None,
                   stats=None, cpu_info=None, hypervisor_type='QEMU'):
        compute = self._start_compute(host)
        driver = compute.driver
        driver.hypervisor_type = hypervisor_type
        driver.hypervisor_version = version
        if memory_mb is not None:
            driver.set_memory_mb(memory_mb)
        driver.extra_stats = dict(stats or {})
        driver.cpu_info = cpu_info
        return compute

    def aggregate(self, name, hosts, metadata):
        agg_id = self._create_aggregate(name)
        for host in hosts:
            self.admin_api.add_host_to_aggregate(agg_id, host)
        self.admin_api.post_aggregate_action(
            agg_id, {'set_metadata': {'metadata': metadata}})
        return agg_id

    # -- what a user sees --------------------------------------------------

    def boot(self, host, flavor_id=None):
        return self._create_server(host=host, flavor_id=flavor_id,
                                   networks='none')

    def assert_stays_on(self, server, host, status='ACTIVE'):
        server = self._wait_for_server_parameter(
            server, {'OS-EXT-SRV-ATTR:host': host, 'status': status,
                     'OS-EXT-STS:task_state': None})
        self.assertIn(server['id'],
                      self.computes[host].driver.list_instance_uuids())
        return server

    def cold_migrate_refused(self, server):
        """Cold migration with no host given fails in scheduling."""
        self.admin_api.post_server_action(server['id'], {'migrate': None})
        event = self._wait_for_action_fail_completion(
            server, 'migrate', 'conductor_migrate_server')
        self.assertIn('NoValidHost', event['traceback'])

    def evacuate_refused(self, server, source):
        """Evacuate with no host given fails: Nova marks the instance ERROR
        but leaves it, and its disk, on the failed source host.
        """
        server = self._evacuate_server(
            server, expected_state='ERROR', expected_host=source,
            expected_migration_status='error')
        self.assertIn('No valid host', server['fault']['message'])
        return server
