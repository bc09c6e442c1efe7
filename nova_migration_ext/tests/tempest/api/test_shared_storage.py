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
"""SharedStorageFilter: live migration and evacuate stay on the storage.

The storage domains are declared with aggregates (which win over what
hosts publish), so the test runs on any cloud.
"""

from tempest.lib import decorators

from nova_migration_ext.tests.tempest.api import base
from nova_migration_ext.tests.tempest import fleet


class SharedStorageTest(base.MoveTest):

    def setUp(self):
        super().setUp()
        self.source, self.good, self.bad = (
            h.host for h in self.pick(fleet.same_facts,
                                      'has three alike hosts'))
        self.domain([self.source, self.good, self.bad])
        self.shared_storage([self.source, self.good])
        self.shared_storage([self.bad])

    @decorators.idempotent_id('d7e9ba73-9945-4b29-9d54-6421d2cf4a4b')
    def test_live_migration_lands_on_shared_storage(self):
        server = self.boot_on(self.source)
        self.live(server)
        self.assert_lands(server, self.good)

    @decorators.idempotent_id('e3f07e9b-5070-413b-9bc9-046a77077525')
    def test_live_migration_to_other_storage_refused(self):
        server = self.boot_on(self.source)
        self.assert_refused(self.live, server, self.source, self.bad)

    @decorators.idempotent_id('8118253d-4457-45e3-a1a1-08622a8556ae')
    def test_evacuate_lands_on_shared_storage(self):
        server = self.boot_on(self.source)
        self.evacuate(server, self.source)
        self.assert_lands(server, self.good)

    @decorators.idempotent_id('94805d2a-1b68-4f21-a730-bd26161d4134')
    def test_evacuate_to_other_storage_refused(self):
        server = self.boot_on(self.source)
        self.assert_refused(
            lambda server_id, host: self.evacuate(server_id, self.source,
                                                  host),
            server, self.source, self.bad, status='ERROR')
