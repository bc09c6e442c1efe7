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
"""Moves through the real API, and where they land.

Each test boots a server on a chosen source host, restricts the candidates
with a migration-domain aggregate when it needs to, moves the server and
checks where it went: onto the compatible host, or (with a requested
incompatible host) nowhere, the server still ACTIVE on its source and its
migration in error.
"""

import shlex
import subprocess

from tempest.api.compute import base
from tempest.common import compute
from tempest.common import waiters
from tempest import config
from tempest.lib.common.utils import data_utils
from tempest.lib.common.utils import test_utils
from tempest.lib import exceptions as lib_exc

from nova_migration_ext.tests.tempest import fleet

CONF = config.CONF
DOMAIN_KEY = 'migration_ext:migration_domain'
STORAGE_KEY = 'migration_ext:shared_storage'


class MoveTest(base.BaseV2ComputeAdminTest):
    """Admin tests that move servers between hosts the cloud shows."""

    # 2.74: boot on a requested host without pinning the server to that
    # host's availability zone (which would confine its moves); hypervisor
    # details still show versions, CPU and RAM up to 2.87.
    min_microversion = '2.74'
    max_microversion = '2.87'

    @classmethod
    def skip_checks(cls):
        super().skip_checks()
        if not CONF.migration_ext_feature_enabled.filters:
            raise cls.skipException('nova-migration-ext filters not enabled')
        if CONF.compute.min_compute_nodes < 3:
            raise cls.skipException('needs three compute nodes or more')

    # The hosts

    def hosts(self):
        return fleet.hosts(self.os_admin.hypervisor_client.list_hypervisors(
            detail=True)['hypervisors'])

    def pick(self, differs, why):
        found = fleet.pick(self.hosts(), differs)
        if not found:
            raise self.skipException('no host of this cloud ' + why)
        return found

    # Aggregates

    def aggregate(self, hosts, metadata):
        client = self.os_admin.aggregates_client
        aggregate = client.create_aggregate(
            name=data_utils.rand_name('migration-ext'))['aggregate']
        self.addCleanup(client.delete_aggregate, aggregate['id'])
        for host in hosts:
            client.add_host(aggregate['id'], host=host)
            self.addCleanup(client.remove_host, aggregate['id'], host=host)
        client.set_metadata(aggregate['id'], metadata=metadata)
        return aggregate

    def domain(self, hosts):
        """A migration domain: moves of its hosts' servers stay in it."""
        return self.aggregate(
            hosts, {DOMAIN_KEY: data_utils.rand_name('domain')})

    def shared_storage(self, hosts):
        """Declare that ``hosts`` share storage.

        A declaration wins over what hosts publish, which the API does
        not show: tests of the other rules declare it for their hosts, so
        storage refuses none of them.
        """
        return self.aggregate(
            hosts, {STORAGE_KEY: data_utils.rand_name('storage')})

    # Servers

    def boot_on(self, host, flavor=None):
        """A server on ``host``, ACTIVE."""
        # The tests need no network; 2.37+ wants that said.
        kwargs = {'host': host, 'networks': 'none'}
        if flavor:
            kwargs['flavor'] = flavor
        server, _ = compute.create_test_server(
            self.os_admin, wait_until='ACTIVE', **kwargs)
        self.addCleanup(waiters.wait_for_server_termination,
                        self.admin_servers_client, server['id'],
                        ignore_error=True)
        self.addCleanup(test_utils.call_and_ignore_notfound_exc,
                        self.admin_servers_client.delete_server,
                        server['id'])
        self.assertEqual(host, self.host_of(server['id']))
        return server['id']

    def host_of(self, server_id):
        return self.admin_servers_client.show_server(
            server_id)['server']['OS-EXT-SRV-ATTR:host']

    def flavor(self, ram_mb):
        return self.create_flavor(ram=ram_mb, vcpus=1, disk=1)['id']

    # Moves

    def live(self, server_id, host=None):
        self.admin_servers_client.live_migrate_server(
            server_id, host=host, block_migration='auto')

    def cold(self, server_id, host=None):
        kwargs = {'host': host} if host else {}
        self.admin_servers_client.migrate_server(server_id, **kwargs)

    def resize(self, server_id, flavor):
        self.admin_servers_client.resize_server(server_id, flavor)

    def evacuate(self, server_id, source, host=None):
        """Evacuate with the source's compute service forced down.

        Nova lets the source up again only once its nova-compute has
        restarted and cleaned up the evacuated server: the cleanup runs
        ``restart_compute_command``, without which the test skips.
        """
        command = CONF.migration_ext_feature_enabled.restart_compute_command
        if not command:
            raise self.skipException(
                'evacuate needs [migration_ext_feature_enabled] '
                'restart_compute_command to bring the source back')
        services = self.os_admin.services_client
        service = services.list_services(
            host=source, binary='nova-compute')['services'][0]
        services.update_service(service['id'], forced_down=True)
        self.addCleanup(self._bring_back, service['id'], command, source)
        kwargs = {'host': host} if host else {}
        self.admin_servers_client.evacuate_server(server_id, **kwargs)

    def _bring_back(self, service_id, command, host):
        subprocess.run(shlex.split(command.format(host=host)), check=True)

        def force_up():
            try:
                self.os_admin.services_client.update_service(
                    service_id, forced_down=False)
            except lib_exc.BadRequest:
                # Evacuations not yet cleaned up by the restarted service.
                return False
            return True

        if not test_utils.call_until_true(
                force_up, CONF.compute.build_timeout,
                CONF.compute.build_interval):
            self.fail('nova-compute on %s stayed forced down after %r' % (
                host, command))

    # Outcomes

    def assert_lands(self, server_id, host, confirm=False):
        """The move finished on ``host``; a resize or cold migration is
        confirmed first.
        """
        if confirm:
            waiters.wait_for_server_status(
                self.admin_servers_client, server_id, 'VERIFY_RESIZE')
            self.admin_servers_client.confirm_resize_server(server_id)
        waiters.wait_for_server_status(self.admin_servers_client, server_id,
                                       'ACTIVE')
        self._wait_for_migration(server_id,
                                 ('completed', 'confirmed', 'done'))
        self.assertEqual(host, self.host_of(server_id))

    def assert_refused(self, move, server_id, source, *args,
                       status='ACTIVE'):
        """``move(server_id, *args)`` is refused: the API says so, or the
        migration ends in error; the server stays on ``source``, in
        ``status`` (Nova puts a server whose evacuation found no host in
        ERROR).
        """
        try:
            move(server_id, *args)
        except lib_exc.BadRequest:
            # Nova answers a cold migration the scheduler refused with
            # 400 No valid host.
            pass
        else:
            self._wait_for_migration(server_id, ('error', 'failed'))
        waiters.wait_for_server_status(self.admin_servers_client, server_id,
                                       status)
        self.assertEqual(source, self.host_of(server_id))

    def _newest_migration(self, server_id):
        migrations = self.os_admin.migrations_client.list_migrations(
            instance_uuid=server_id)['migrations']
        return max(migrations, key=lambda m: m['id'], default={})

    def _wait_for_migration(self, server_id, statuses):
        if not test_utils.call_until_true(
                lambda: self._newest_migration(server_id).get(
                    'status') in statuses,
                CONF.compute.build_timeout, CONF.compute.build_interval):
            self.fail('migration of %s never reached %s: %s' % (
                server_id, '/'.join(statuses),
                self._newest_migration(server_id)))
