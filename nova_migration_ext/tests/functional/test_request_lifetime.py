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

"""Scheduling requests leave nothing of themselves alive (real Nova 34)."""

import gc

from nova import objects

from nova_migration_ext import move
from nova_migration_ext.tests.functional import base

REQUESTS = 6


def alive(cls):
    gc.collect()
    return sum(1 for obj in gc.get_objects() if isinstance(obj, cls))


class _Scheduling(base.MigrationTestCase):
    """Boots and live migrations through the scheduler, then a count of the
    RequestSpecs and Requests still in memory.
    """

    def setUp(self):
        super().setUp()
        for host in ('cmp1', 'cmp2'):
            self.start_host(host)
        self.refresh_hosts()
        self.flavor = self._create_flavor(
            memory_mb=256, vcpu=1, disk=1,
            extra_spec={'aggregate_instance_extra_specs:tier': 'gold'})
        self.aggregate('gold', ['cmp1', 'cmp2'], {'tier': 'gold'})

    def schedule_many(self):
        """REQUESTS boots and as many live migrations: objects alive after."""
        before = alive(objects.RequestSpec)
        for _ in range(REQUESTS // 2):
            server = self._create_server(flavor_id=self.flavor,
                                         networks='none')
            self._live_migrate(server)
        return alive(objects.RequestSpec) - before, alive(move.Request)


class RequestLifetimeTest(_Scheduling):

    def test_no_request_spec_outlives_its_request(self):
        specs, requests = self.schedule_many()
        # Stock Nova keeps none (StockNovaRequestLifetimeTest).
        self.assertEqual((0, 0), (specs, requests))


class StockNovaRequestLifetimeTest(_Scheduling):

    use_our_filters = False

    def test_no_request_spec_outlives_its_request(self):
        specs, _requests = self.schedule_many()
        self.assertEqual(0, specs)
