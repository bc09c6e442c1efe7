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
"""HypervisorVersionFilter: no move lands on an older hypervisor.

Nova's conductor already keeps live migrations off older hosts; cold
migration, resize and evacuate have only our filter.
"""

from tempest.lib import decorators

from nova_migration_ext.tests.tempest.api import base
from nova_migration_ext.tests.tempest import fleet


class HypervisorVersionTest(base.MoveTest):

    def setUp(self):
        super().setUp()
        self.source, self.good, self.bad = (
            h.host for h in self.pick(fleet.older,
                                      'runs an older hypervisor'))
        self.domain([self.source, self.good, self.bad])
        self.shared_storage([self.source, self.good, self.bad])

    @decorators.idempotent_id('550e84b2-285f-464b-982a-2a0796fda1d6')
    def test_cold_migration_lands_on_same_version(self):
        server = self.boot_on(self.source)
        self.cold(server)
        self.assert_lands(server, self.good, confirm=True)

    @decorators.idempotent_id('87dc7f97-aa62-461b-bdd6-9a1555146b04')
    def test_cold_migration_to_older_host_refused(self):
        server = self.boot_on(self.source)
        self.assert_refused(self.cold, server, self.source, self.bad)

    @decorators.idempotent_id('79a5e412-195f-4fd1-8bd3-044eddd4d411')
    def test_resize_lands_on_same_version(self):
        server = self.boot_on(self.source)
        self.resize(server, self.flavor(256))
        self.assert_lands(server, self.good, confirm=True)

    @decorators.idempotent_id('7653faee-d67d-4f0d-ba77-0c62dde77b5d')
    def test_evacuate_lands_on_same_version(self):
        server = self.boot_on(self.source)
        self.evacuate(server, self.source)
        self.assert_lands(server, self.good)

    @decorators.idempotent_id('c01b957c-5fb7-4fd7-98d2-74e4cfe22dd6')
    def test_live_migration_lands_on_same_version(self):
        server = self.boot_on(self.source)
        self.live(server)
        self.assert_lands(server, self.good)
