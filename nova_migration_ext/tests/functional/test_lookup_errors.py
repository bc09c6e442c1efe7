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

"""A request whose source cannot be read never breaks scheduling."""

from unittest import mock

import fixtures
from oslo_db import exception as db_exc

from nova_migration_ext import move
from nova_migration_ext.tests.functional import base

QEMU_7_2 = 7002000


class LookupErrorTest(base.MigrationTestCase):

    def setUp(self):
        super().setUp()
        self.start_host('source')
        self.start_host('older', version=QEMU_7_2)
        self.start_host('peer')
        self.refresh_hosts()
        self.server = self.boot('source')
        self.prefer('older', 'peer')
        # The database fails when the scheduler reads the source's facts
        # (the API and conductor, which read it too, are left working).
        self.useFixture(fixtures.MockPatchObject(
            move, 'source_facts',
            side_effect=db_exc.DBConnectionError('database down')))

    def test_default_policy_lets_the_move_through(self):
        # Without the source's facts nothing is checked: the weigher's
        # choice stands, and Nova's own late checks are the backstop.
        server = self._migrate_server(self.server)
        self.assertEqual('older', self.host_of(server))

    def test_reject_policy_refuses_the_move(self):
        self.flags(on_lookup_error='reject', group='migration_ext')
        self.cold_migrate_refused(self.server)
        self.assert_stays_on(self.server, 'source')

    def test_boots_never_look_the_source_up(self):
        self.flags(on_lookup_error='reject', group='migration_ext')
        with mock.patch.object(move, '_load', wraps=move._load) as lookup:
            server = self.boot(None)
        self.assertEqual('older', self.host_of(server))
        # Four of our filters ran; the request was looked up once.
        self.assertEqual(1, lookup.call_count)
