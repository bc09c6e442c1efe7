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
"""One-time setup of the data: MariaDB's files, users and schemas.

Each step runs once per state directory (a marker in ``done/``); the
services' schema migrations run side by side.
"""

import concurrent.futures
import grp
import os
import pwd
import subprocess

import pymysql

from nova_migration_ext.tests.cloud import configs
from nova_migration_ext.tests.cloud import layout
from nova_migration_ext.tests.cloud import services


def run(state, name, argv, env=None):
    """Run a setup command, its output appended to logs/<name>.log."""
    with open(state.log(name), 'ab') as log:
        result = subprocess.run(argv, stdin=subprocess.DEVNULL, stdout=log,
                                stderr=subprocess.STDOUT,
                                env=dict(os.environ, **(env or {})))
    if result.returncode:
        raise RuntimeError('%s failed (exit %d): see %s' % (
            argv[0], result.returncode, state.log(name)))


def init_mariadb_files(state):
    if state.done('mariadb-files'):
        return
    run(state, 'mariadb-install', [
        'mariadb-install-db', '--no-defaults',
        '--datadir=' + state.dir('data', 'mariadb'),
        '--auth-root-authentication-method=normal', '--skip-test-db',
    ] + services._run_as_root_args())
    state.mark_done('mariadb-files')


def create_databases(state):
    if state.done('databases'):
        return
    password = state.secrets()['database']
    connection = pymysql.connect(
        unix_socket=state.path('data', 'mariadb.sock'), user='root')
    with connection, connection.cursor() as cursor:
        for database in configs.DATABASES:
            cursor.execute('CREATE DATABASE IF NOT EXISTS %s '
                           'CHARACTER SET utf8mb4' % database)
        cursor.execute("CREATE USER IF NOT EXISTS '%s'@'127.0.0.1' "
                       "IDENTIFIED BY %%s" % configs.DB_USER, (password,))
        cursor.execute("GRANT ALL PRIVILEGES ON *.* TO '%s'@'127.0.0.1'"
                       % configs.DB_USER)
        # root keeps only the socket, and a password of its own.
        cursor.execute("ALTER USER 'root'@'localhost' IDENTIFIED BY %s",
                       (password,))
    state.mark_done('databases')


def _bin(name):
    return os.path.join(services.BIN, name)


def _keystone(state):
    conf = ['--config-file', state.conf('keystone/keystone.conf')]
    user = pwd.getpwuid(os.getuid()).pw_name
    group = grp.getgrgid(os.getgid()).gr_name
    owner = ['--keystone-user', user, '--keystone-group', group]
    manage = [_bin('keystone-manage')] + conf
    run(state, 'keystone-setup', manage + ['db_sync'])
    run(state, 'keystone-setup', manage + ['fernet_setup'] + owner)
    run(state, 'keystone-setup', manage + ['credential_setup'] + owner)
    identity = layout.url('keystone', '/v3')
    # The password goes through the environment, never a command line.
    run(state, 'keystone-setup', manage + [
        'bootstrap', '--bootstrap-username', 'admin',
        '--bootstrap-project-name', 'admin',
        '--bootstrap-role-name', 'admin',
        '--bootstrap-service-name', 'keystone',
        '--bootstrap-region-id', layout.REGION,
        '--bootstrap-admin-url', identity,
        '--bootstrap-internal-url', identity,
        '--bootstrap-public-url', identity,
    ], env={'OS_BOOTSTRAP_PASSWORD': state.secrets()['admin']})


def _placement(state):
    run(state, 'placement-setup', [
        _bin('placement-manage'), '--config-file',
        state.conf('placement/placement.conf'), 'db', 'sync'])


def _glance(state):
    run(state, 'glance-setup', [
        _bin('glance-manage'), '--config-file',
        state.conf('glance/glance-api.conf'), 'db_sync'])


def _neutron(state):
    run(state, 'neutron-setup', [
        _bin('neutron-db-manage'),
        '--config-file', state.conf('neutron/neutron.conf'),
        '--config-file', state.conf('neutron/plugins/ml2/ml2_conf.ini'),
        'upgrade', 'heads'])


def _nova(state):
    secrets = state.secrets()
    manage = [_bin('nova-manage'), '--config-file',
              state.conf('nova/nova.conf')]
    run(state, 'nova-setup', manage + ['api_db', 'sync'])
    run(state, 'nova-setup', manage + [
        'cell_v2', 'map_cell0', '--database_connection',
        configs.db_url(secrets, 'nova_cell0')])
    run(state, 'nova-setup', manage + [
        'cell_v2', 'create_cell', '--name', 'cell1'])
    run(state, 'nova-setup', manage + ['db', 'sync'])


SCHEMAS = {'keystone': _keystone, 'placement': _placement,
           'glance': _glance, 'neutron': _neutron, 'nova': _nova}


def sync_all(state):
    """Every service's schema, side by side; each once."""
    todo = {name: step for name, step in SCHEMAS.items()
            if not state.done('schema-' + name)}
    with concurrent.futures.ThreadPoolExecutor(len(SCHEMAS)) as pool:
        futures = {pool.submit(step, state): name
                   for name, step in todo.items()}
        for future in concurrent.futures.as_completed(futures):
            future.result()
            state.mark_done('schema-' + futures[future])
