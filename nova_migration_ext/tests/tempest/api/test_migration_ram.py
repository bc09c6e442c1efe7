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
"""MigrationRamFilter: a live migration needs the RAM without overcommit.

The flavor is sized just above the small host's free RAM: placement, which
counts RAM with the host's allocation ratio, may still have room there.
"""

from tempest.lib import decorators

from nova_migration_ext.tests.tempest.api import base
from nova_migration_ext.tests.tempest import fleet


class MigrationRamTest(base.MoveTest):

    def setUp(self):
        super().setUp()
        found = fleet.ram_pick(self.hosts())
        if not found:
            raise self.skipException(
                'no host of this cloud has less free RAM than two alike')
        source, good, bad, ram_mb = found
        self.source, self.good, self.bad = source.host, good.host, bad.host
        self.flavor_id = self.flavor(ram_mb)
        self.domain([self.source, self.good, self.bad])
        self.shared_storage([self.source, self.good, self.bad])

    @decorators.idempotent_id('af59c8b6-6b2d-43ad-80fc-a26d3dfeefa8')
    def test_live_migration_lands_where_ram_is_free(self):
        server = self.boot_on(self.source, flavor=self.flavor_id)
        self.live(server)
        self.assert_lands(server, self.good)

    @decorators.idempotent_id('ca5dfc31-5731-4bbe-8d5b-5bdc2d291a9d')
    def test_live_migration_to_small_host_refused(self):
        server = self.boot_on(self.source, flavor=self.flavor_id)
        self.assert_refused(self.live, server, self.source, self.bad)
