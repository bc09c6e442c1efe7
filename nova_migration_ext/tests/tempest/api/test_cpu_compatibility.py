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
"""CpuCompatibilityFilter: a live migration keeps the guest's CPU."""

from tempest.lib import decorators

from nova_migration_ext.tests.tempest.api import base
from nova_migration_ext.tests.tempest import fleet


class CpuCompatibilityTest(base.MoveTest):

    def setUp(self):
        super().setUp()
        self.source, self.good, self.bad = (
            h.host for h in self.pick(fleet.other_cpu,
                                      'has a CPU of another vendor or '
                                      'with fewer features'))
        self.domain([self.source, self.good, self.bad])
        self.shared_storage([self.source, self.good, self.bad])

    @decorators.idempotent_id('9cdae953-efbc-4e0e-8f59-01521400f3dd')
    def test_live_migration_lands_on_same_cpu(self):
        server = self.boot_on(self.source)
        self.live(server)
        self.assert_lands(server, self.good)

    @decorators.idempotent_id('557ded4e-057c-47c3-8c3e-a47deb9d71a0')
    def test_live_migration_to_other_cpu_refused(self):
        server = self.boot_on(self.source)
        self.assert_refused(self.live, server, self.source, self.bad)
