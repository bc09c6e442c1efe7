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

"""What a drain asks of Nova's compute API, through openstacksdk.

Microversion: at least 2.65, the first that can abort a live migration
still ``queued`` or ``preparing`` (a drain's Ctrl-C and ``--on-timeout
abort`` need it); 2.53 updates a service with ``disabled_reason``, 2.23
lists a server's live migrations with their memory counters, 2.22
force-completes one. openstacksdk negotiates the highest version both it
and the cloud support per resource (2.80 for migrations, 2.69 for
services), so every call here runs at 2.65 or later.
"""

import dataclasses
import typing

MIN_MICROVERSION = '2.65'


class ClientError(Exception):
    """A request Nova refused or could not answer; the message is one
    line.
    """


@dataclasses.dataclass
class Server:
    id: str
    name: str
    status: str
    task_state: typing.Optional[str]
    host: typing.Optional[str]
    fault: str = ''


@dataclasses.dataclass
class Migration:
    """A migration record (os-migrations) with a live migration's memory
    counters when Nova has them.
    """

    id: int
    uuid: str
    type: str
    status: str
    source: str
    dest: typing.Optional[str]
    created_at: str = ''
    memory_total: typing.Optional[int] = None
    memory_processed: typing.Optional[int] = None

    @property
    def progress(self):
        """Percent of memory copied, or None before Nova knows."""
        if not self.memory_total:
            return None
        return min(100, 100 * (self.memory_processed or 0)
                   // self.memory_total)


@dataclasses.dataclass
class Service:
    id: str
    host: str
    status: str
    state: str
    disabled_reason: typing.Optional[str]


class UnknownCloud(Exception):
    """--os-cloud names no cloud of clouds.yaml; the message lists those
    that exist.
    """


def connect(cloud=None):
    """An openstacksdk Connection from clouds.yaml / OS_* variables."""
    import openstack
    from openstack import config as os_config

    if cloud:
        names = os_config.OpenStackConfig().get_cloud_names()
        if cloud not in names:
            # 'defaults' is openstacksdk's own, made of OS_* variables.
            listed = sorted(set(names) - {'defaults'})
            raise UnknownCloud(
                '--os-cloud %r: no such cloud in clouds.yaml (%s)' % (
                    cloud, 'clouds: %s' % ', '.join(listed) if listed
                    else 'none found; see OS_CLIENT_CONFIG_FILE'))
    return openstack.connect(cloud=cloud, app_name='nova-migration-ext')


class NovaClient:
    """The compute API calls of a drain, on an openstacksdk Connection."""

    def __init__(self, connection):
        self.compute = connection.compute

    def check_microversion(self):
        from openstack import utils

        if not utils.supports_microversion(self.compute, MIN_MICROVERSION):
            raise ClientError(
                'the compute API does not support microversion %s (needed '
                'to abort queued live migrations)' % MIN_MICROVERSION)

    def service(self, host):
        for service in self._call(self.compute.services,
                                  binary='nova-compute', host=host):
            return Service(service.id, service.host, service.status,
                           service.state, service.disabled_reason)
        return None

    def disable(self, service, reason):
        self._call(self.compute.disable_service, service.id,
                   disabled_reason=reason)

    def enable(self, service):
        self._call(self.compute.enable_service, service.id)

    def server(self, server_id):
        server = self._call(self.compute.get_server, server_id)
        fault = server.fault or {}
        return Server(server.id, server.name, server.status,
                      server.task_state, server.compute_host,
                      fault.get('message', ''))

    def live_migrate(self, server_id):
        # No host: the scheduler and its filters choose; 'auto' lets the
        # source compute decide on block migration.
        self._call(self.compute.live_migrate_server, server_id, host=None,
                   block_migration='auto')

    def cold_migrate(self, server_id):
        self._call(self.compute.migrate_server, server_id)

    def confirm(self, server_id):
        self._call(self.compute.confirm_server_resize, server_id)

    def migrations(self, server_id):
        """The server's migration records, newest first."""
        records = [_migration(m) for m in self._call(
            self.compute.migrations, server_id=server_id)]
        return sorted(records, key=lambda m: (m.created_at, m.id),
                      reverse=True)

    def live_progress(self, server_id, migration_id):
        """(memory_total_bytes, memory_processed_bytes) of a live migration
        in progress, or (None, None) when it is not (or no longer) listed.
        """
        for record in self._call(self.compute.server_migrations, server_id):
            if _number(record) == migration_id:
                return record.memory_total_bytes, record.memory_processed_bytes
        return None, None

    def abort(self, server_id, migration_id):
        self._call(self.compute.abort_server_migration, migration_id,
                   server_id, ignore_missing=False)

    def force_complete(self, server_id, migration_id):
        self._call(self.compute.force_complete_server_migration,
                   migration_id, server_id)

    def failure(self, server_id):
        """Nova's words for the server's last failed action: the fault's
        message, else the last line of the failed event's traceback.
        """
        server = self.server(server_id)
        if server.fault:
            return server.fault
        actions = sorted(self._call(self.compute.server_actions, server_id),
                         key=lambda a: a.start_time or '', reverse=True)
        for action in actions[:1]:
            detail = self._call(self.compute.get_server_action,
                                action.request_id, server_id)
            for event in detail.events or ():
                if getattr(event, 'result', None) == 'Error':
                    lines = (getattr(event, 'traceback', None) or '').strip()
                    last = lines.splitlines()[-1] if lines else 'Error'
                    return '%s: %s' % (event.event, last)
        return ''

    @staticmethod
    def _call(method, *args, **kwargs):
        from keystoneauth1 import exceptions as ks_exc
        from openstack import exceptions as sdk_exc

        try:
            result = method(*args, **kwargs)
            # Listing calls return generators: fetch now, inside the guard.
            return list(result) if hasattr(result, '__next__') else result
        except sdk_exc.SDKException as exc:
            raise ClientError(_one_line(exc))
        except ks_exc.ClientException as exc:
            raise ClientError(_one_line(exc))


def _one_line(exc):
    lines = str(exc).strip().splitlines()
    return lines[0] if lines else type(exc).__name__


def _number(record):
    # openstacksdk makes the UUID a migration's ``id``; the URLs of abort
    # and force-complete take Nova's integer id.
    return record._body.attributes.get('id')


def _migration(record):
    return Migration(
        id=_number(record), uuid=record.uuid or '',
        type=record.migration_type, status=record.status,
        source=record.source_compute, dest=record.dest_compute,
        created_at=record.created_at or '')
