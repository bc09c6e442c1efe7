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
"""Live migration with no host given, in a cloud running our filters."""

from tempest.api.compute import base
from tempest.common import waiters
from tempest import config
from tempest.lib.common.utils import data_utils
from tempest.lib.common.utils import test_utils
from tempest.lib import decorators

CONF = config.CONF
DOMAIN = 'migration_ext:migration_domain'


class MigrationDomainTest(base.BaseV2ComputeAdminTest):
    """A live migration stays inside the source's migration domain."""

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if not CONF.migration_ext_feature_enabled.filters:
            raise cls.skipException('nova-migration-ext filters not enabled')
        if not CONF.compute_feature_enabled.live_migration:
            raise cls.skipException('live migration is not available')
        if CONF.compute.min_compute_nodes < 2:
            raise cls.skipException('needs two compute nodes or more')

    def _domain(self, hosts):
        name = data_utils.rand_name('migration-domain')
        aggregate = self.os_admin.aggregates_client.create_aggregate(
            name=name)['aggregate']
        self.addCleanup(self.os_admin.aggregates_client.delete_aggregate,
                        aggregate['id'])
        for host in hosts:
            self.os_admin.aggregates_client.add_host(aggregate['id'],
                                                     host=host)
            self.addCleanup(self.os_admin.aggregates_client.remove_host,
                            aggregate['id'], host=host)
        self.os_admin.aggregates_client.set_metadata(
            aggregate['id'], metadata={DOMAIN: name})

    def _live_migrate(self, server_id):
        self.admin_servers_client.live_migrate_server(
            server_id, host=None, block_migration='auto')

    def _newest_migration(self, server_id):
        migrations = self.os_admin.migrations_client.list_migrations(
            instance_uuid=server_id)['migrations']
        return max(migrations, key=lambda m: m['id'], default={})

    def _wait_for_migration(self, server_id, status):
        if not test_utils.call_until_true(
                lambda: self._newest_migration(server_id).get(
                    'status') == status,
                CONF.compute.build_timeout, CONF.compute.build_interval):
            self.fail('migration of %s never reached %s: %s' % (
                server_id, status, self._newest_migration(server_id)))

    @decorators.idempotent_id('0c7b1f7e-8a57-4f61-9d3e-5d8e0f2f6c41')
    def test_live_migration_refused_outside_the_domain(self):
        server = self.create_test_server(wait_until='ACTIVE')
        source = self.get_host_for_server(server['id'])
        self._domain([source])
        self._live_migrate(server['id'])
        self._wait_for_migration(server['id'], 'error')
        waiters.wait_for_server_status(self.servers_client, server['id'],
                                       'ACTIVE')
        self.assertEqual(source, self.get_host_for_server(server['id']))

    @decorators.idempotent_id('b3d5e9a2-6f0c-4a7e-8f2d-1c9b7a6e5d43')
    def test_live_migration_lands_inside_the_domain(self):
        server = self.create_test_server(wait_until='ACTIVE')
        source = self.get_host_for_server(server['id'])
        peer = self.get_host_other_than(server['id'])
        self._domain([source, peer])
        self._live_migrate(server['id'])
        self._wait_for_migration(server['id'], 'completed')
        waiters.wait_for_server_status(self.servers_client, server['id'],
                                       'ACTIVE')
        self.assertEqual(peer, self.get_host_for_server(server['id']))
