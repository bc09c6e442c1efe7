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
"""MigrationAggregateFilter: every move stays in the source's domain."""

from tempest.lib import decorators

from nova_migration_ext.tests.tempest.api import base
from nova_migration_ext.tests.tempest import fleet


class MigrationDomainTest(base.MoveTest):

    def setUp(self):
        super().setUp()
        self.source, self.good, self.bad = (
            h.host for h in self.pick(fleet.same_facts,
                                      'has three alike hosts'))
        self.domain([self.source, self.good])
        self.shared_storage([self.source, self.good, self.bad])

    @decorators.idempotent_id('b3d5e9a2-6f0c-4a7e-8f2d-1c9b7a6e5d43')
    def test_live_migration_lands_inside_the_domain(self):
        server = self.boot_on(self.source)
        self.live(server)
        self.assert_lands(server, self.good)

    @decorators.idempotent_id('0c7b1f7e-8a57-4f61-9d3e-5d8e0f2f6c41')
    def test_live_migration_outside_the_domain_refused(self):
        server = self.boot_on(self.source)
        self.assert_refused(self.live, server, self.source, self.bad)

    @decorators.idempotent_id('2e3df0d2-bbf2-4a11-9dc3-e3bfb7276eb6')
    def test_cold_migration_outside_the_domain_refused(self):
        server = self.boot_on(self.source)
        self.assert_refused(self.cold, server, self.source, self.bad)

    @decorators.idempotent_id('58f7fa18-d71a-43cf-9188-6e8bcb90c906')
    def test_resize_lands_inside_the_domain(self):
        server = self.boot_on(self.source)
        self.resize(server, self.flavor(256))
        self.assert_lands(server, self.good, confirm=True)
