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
"""``python -m nova_migration_ext.tests.cloud up|down|status``."""

import argparse
import os
import sys
import time

import pymysql

from nova_migration_ext.tests.cloud import configs
from nova_migration_ext.tests.cloud import keystone_setup
from nova_migration_ext.tests.cloud import layout
from nova_migration_ext.tests.cloud import processes
from nova_migration_ext.tests.cloud import schemas
from nova_migration_ext.tests.cloud import services
from nova_migration_ext.tests.cloud import state as state_dir

START_TIMEOUT = 300


def _say(started, message):
    print('[%5.1fs] %s' % (time.monotonic() - started, message), flush=True)


def _start(state, service, started):
    if processes.start(state, service.name, service.argv, service.env):
        _say(started, 'started %s' % service.name)


def _wait(state, service):
    if service.port:
        processes.wait_for(
            service.name, lambda: processes.port_open(service.port),
            state, service.name, START_TIMEOUT)


def _computes_reported(state):
    """Hosts with a compute_nodes row: only those can be discovered."""
    secrets = state.secrets()
    connection = pymysql.connect(
        host='127.0.0.1', port=layout.port('mariadb'), user=configs.DB_USER,
        password=secrets['database'], database='nova_cell1')
    with connection, connection.cursor() as cursor:
        cursor.execute('SELECT host FROM compute_nodes WHERE deleted = 0')
        return {row[0] for row in cursor.fetchall()}


def up(state):
    started = time.monotonic()
    configs.write_all(state)
    schemas.init_mariadb_files(state)
    backing = [services.mariadb(state), services.epmd(),
               services.rabbitmq(state)]
    for service in backing:
        _start(state, service, started)
    for service in backing:
        _wait(state, service)
    schemas.create_databases(state)
    schemas.sync_all(state)
    _say(started, 'databases ready')

    apis = services.apis(state)
    for service in apis:
        _start(state, service, started)
    _wait(state, apis[0])
    # Nova caches the catalog: it must be complete before Nova starts.
    keystone_setup.register_services(state)
    nova = services.nova(state)
    for service in nova:
        _start(state, service, started)
    for service in apis + nova:
        _wait(state, service)
    _say(started, 'APIs ready')
    keystone_setup.create_image_and_flavors(state)

    hosts = {compute.host for compute in layout.FLEET}
    processes.wait_for('compute nodes', lambda: hosts <= _computes_reported(
        state), state, None, START_TIMEOUT)
    if not state.done('hosts-discovered'):
        schemas.run(state, 'nova-setup', [
            os.path.join(services.BIN, 'nova-manage'), '--config-file',
            state.conf('nova/nova.conf'), 'cell_v2', 'discover_hosts'])
        state.mark_done('hosts-discovered')
    keystone_setup.create_pair_zone(state)
    # A port that accepts is not an API that answers, nor a compute that
    # reports: wait for every compute service to be up through the API.
    processes.wait_for('nova-compute services up', lambda: hosts <= (
        keystone_setup.computes_up(state)), state, None, START_TIMEOUT)
    _say(started, 'cloud up: %d computes; clouds.yaml: %s (cloud '
         '"loopback")' % (len(hosts), state.path('clouds.yaml')))


def down(state):
    # Nova and the APIs first, while the databases and messaging they
    # talk to on their way out still run.
    names = services.names()
    backing = ['mariadb', 'epmd', 'rabbitmq']
    for group in ([n for n in names if n not in backing], backing):
        for name in processes.stop(state, group):
            print('stopped %s' % name)


def restart_compute(state, host):
    """Restart one nova-compute (after an evacuation, as Nova needs)."""
    name = 'nova-compute-' + host
    for service in services.nova(state):
        if service.name == name:
            processes.stop(state, [name])
            processes.start(state, name, service.argv, service.env)
            return 0
    print('no nova-compute on host %r: hosts are %s' % (
        host, ', '.join(c.host for c in layout.FLEET)), file=sys.stderr)
    return 2


def status(state):
    """Each service, whether it runs, and its log; 1 if any is down."""
    down_count = 0
    for name in services.names():
        pid = processes.running_pid(state, name)
        down_count += pid is None
        print('%-28s %-14s %s' % (
            name, 'running %d' % pid if pid else 'stopped', state.log(name)))
    print('clouds.yaml: %s' % state.path('clouds.yaml'))
    return 1 if down_count else 0


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog='python -m nova_migration_ext.tests.cloud',
        description='A loopback OpenStack cloud under $CLOUD_STATE_DIR.')
    parser.add_argument('command',
                        choices=('up', 'down', 'status', 'restart-compute'))
    parser.add_argument('host', nargs='?',
                        help='the host of restart-compute')
    args = parser.parse_args(argv)
    state = state_dir.State()
    if args.command == 'up':
        try:
            up(state)
        except (processes.StartError, RuntimeError) as exc:
            print('cloud up failed: %s' % exc, file=sys.stderr)
            return 1
        return 0
    if args.command == 'restart-compute':
        if not args.host:
            parser.error('restart-compute needs a HOST')
        return restart_compute(state, args.host)
    if args.command == 'down':
        down(state)
        return 0
    return status(state)
