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

"""MigrationRamFilter's live-migration cap across moves still in flight,
inside real Nova: live migrations that take as long as a test lets them.
"""

import threading

import fixtures

from nova.scheduler.client import query

from nova_migration_ext.tests.functional import base
from nova_migration_ext.tests.functional import fakes

FLAVOR_MB = 1024


class SlowLiveMigrationDriver(fakes.MigrationFactsDriver):
    """Copies a guest until the test opens ``gate``, as a real live
    migration copies pages for seconds to minutes.
    """

    gate = threading.Event()

    def live_migration(self, context, instance, dest, post_method,
                       recover_method, block_migration=False,
                       migrate_data=None):
        self.gate.wait(timeout=60)
        super().live_migration(context, instance, dest, post_method,
                               recover_method, block_migration, migrate_data)


class _Fleet(base.MigrationTestCase):
    """tight has room for two 1 GiB instances under the live-migration cap
    (3072 MB, 512 reserved, ratio 1.0) and placement room for three (ratio
    1.5); roomy has room for all. The weigher prefers tight. Three
    instances on source are live-migrated with no host given.
    """

    compute_driver = 'fake.SlowLiveMigrationDriver'

    def setUp(self):
        self.useFixture(fixtures.MonkeyPatch(
            'nova.virt.fake.SlowLiveMigrationDriver', SlowLiveMigrationDriver))
        SlowLiveMigrationDriver.gate = threading.Event()
        self.addCleanup(lambda: SlowLiveMigrationDriver.gate.set())
        self.flags(ram_allocation_ratio=1.5)
        self.flags(max_concurrent_live_migrations=3)
        super().setUp()
        self.start_host('source', memory_mb=8192)
        self.start_host('tight', memory_mb=3072)
        self.start_host('roomy', memory_mb=8192)
        self.refresh_hosts()
        flavor = self._create_flavor(memory_mb=FLAVOR_MB, vcpu=1, disk=1)
        self.prefer('source')
        self.servers = [self.boot('source', flavor_id=flavor)
                        for _ in range(3)]
        self.prefer('tight', 'roomy')

    def start_live_migration(self, server):
        self.admin_api.post_server_action(
            server['id'], {'os-migrateLive': {'host': None,
                                              'block_migration': 'auto'}})

    def landed_on_tight(self):
        """Let every copy finish: how many instances tight received."""
        SlowLiveMigrationDriver.gate.set()
        hosts = [self._wait_for_state_change(server, 'ACTIVE')
                 for server in self.servers]
        for server in hosts:
            self._wait_for_server_parameter(
                server, {'OS-EXT-STS:task_state': None})
        return sum(self.host_of(server) == 'tight' for server in self.servers)


class InFlightRamTest(_Fleet):

    def test_back_to_back(self):
        # The operations guide's drain loop: each move once the previous
        # one completed, with no resource report from tight in between.
        SlowLiveMigrationDriver.gate.set()
        for server in self.servers:
            self._live_migrate(server)
        self.assertEqual(2, self.landed_on_tight())

    def test_back_to_back_while_copying(self):
        # Each move started while the previous ones still copy for seconds.
        for server in self.servers:
            self.start_live_migration(server)
            self._wait_for_migration_status(server, ['running'])
        self.assertEqual(2, self.landed_on_tight())
        self.assertIn('of which 2048 MB arriving by live migration',
                      self.stdlog.logger.output)

    def test_reports_between_moves_are_not_counted_twice(self):
        # tight's report counts the copies in progress to it: they are not
        # added again (two still fit, the third does not).
        for server in self.servers:
            self.start_live_migration(server)
            self._wait_for_migration_status(server, ['running'])
            self.refresh_hosts()
        self.assertEqual(2, self.landed_on_tight())


class ConcurrentInFlightRamTest(_Fleet):
    """Three live migrations started at once: their copies overlap.

    The conductor asks the scheduler for one of them at a time here, as
    happens whenever requests do not meet within the milliseconds between
    one's filtering and its placement claim; two filtered in that same
    instant both see the host as it was before either claim (a window
    Nova's own filters share, not covered).
    """

    def setUp(self):
        super().setUp()
        lock = threading.Lock()
        select = query.SchedulerQueryClient.select_destinations

        def one_at_a_time(*args, **kwargs):
            with lock:
                return select(*args, **kwargs)

        self.useFixture(fixtures.MonkeyPatch(
            'nova.scheduler.client.query.SchedulerQueryClient.'
            'select_destinations', one_at_a_time))

    def test_concurrent(self):
        for server in self.servers:
            self.start_live_migration(server)
        for server in self.servers:
            self._wait_for_migration_status(server, ['running'])
        self.assertEqual(2, self.landed_on_tight())
