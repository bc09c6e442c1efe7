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

"""A scripted stand-in for the compute API, for unit tests of the move
state machine and the runner (the functional tests use real Nova).
"""

from nova_migration_ext.drain import client as client_mod


class Clock:
    def __init__(self):
        self.now = 0.0

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.now += seconds


class FakeNova:
    """Servers and migration records a test moves along by hand."""

    def __init__(self):
        self.servers = {}
        self.records = {}
        self.progress = {}
        self.calls = []
        self.refuse = {}
        self.faults = {}
        self.services = {}
        self._next_id = 1

    def add_server(self, uuid, status='ACTIVE', host='source'):
        self.servers[uuid] = client_mod.Server(uuid, uuid, status, None,
                                               host)

    def add_record(self, uuid, kind, status='accepted', dest='dest1'):
        record = client_mod.Migration(self._next_id, 'm-%d' % self._next_id,
                                      kind, status, 'source', dest,
                                      created_at='%04d' % self._next_id)
        self._next_id += 1
        self.records.setdefault(uuid, []).append(record)
        return record

    def set(self, uuid, migration_status, **server):
        self.records[uuid][-1].status = migration_status
        for name, value in server.items():
            setattr(self.servers[uuid], name, value)

    def _record_call(self, name, *args):
        self.calls.append((name,) + args)
        if name in self.refuse:
            raise client_mod.ClientError(self.refuse[name])

    # -- NovaClient ------------------------------------------------------

    def service(self, host):
        return self.services.get(host)

    def disable(self, service, reason):
        self._record_call('disable', service.host, reason)
        service.status, service.disabled_reason = 'disabled', reason

    def enable(self, service):
        self._record_call('enable', service.host)
        service.status, service.disabled_reason = 'enabled', None

    def server(self, uuid):
        return self.servers[uuid]

    def live_migrate(self, uuid):
        self._record_call('live_migrate', uuid)
        self.add_record(uuid, 'live-migration')

    def cold_migrate(self, uuid):
        self._record_call('cold_migrate', uuid)
        self.add_record(uuid, 'migration', 'pre-migrating')

    def confirm(self, uuid):
        self._record_call('confirm', uuid)
        self.records[uuid][-1].status = 'confirming'

    def migrations(self, uuid):
        return sorted(self.records.get(uuid, []), key=lambda r: r.id,
                      reverse=True)

    def live_progress(self, uuid, migration_id):
        return self.progress.get(uuid, (None, None))

    def abort(self, uuid, migration_id):
        self._record_call('abort', uuid, migration_id)

    def force_complete(self, uuid, migration_id):
        self._record_call('force_complete', uuid, migration_id)

    def failure(self, uuid):
        return self.faults.get(uuid, '')
