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
"""The cloud's services: how each one starts and when it is ready."""

import dataclasses
import os
import sys
import sysconfig

from nova_migration_ext.tests.cloud import configs
from nova_migration_ext.tests.cloud import layout

BIN = sysconfig.get_path('scripts')
RABBITMQ_SERVER = '/usr/lib/rabbitmq/bin/rabbitmq-server'


@dataclasses.dataclass(frozen=True)
class Service:
    name: str
    argv: list
    env: dict = dataclasses.field(default_factory=dict)
    # The port it listens on when ready; None: ready once it runs.
    port: int = None


def _run_as_root_args():
    # mariadbd refuses to run as root unless told to.
    return ['--user=root'] if os.geteuid() == 0 else []


def mariadb(state):
    return Service('mariadb', [
        '/usr/sbin/mariadbd', '--no-defaults',
        '--datadir=' + state.path('data', 'mariadb'),
        '--socket=' + state.path('data', 'mariadb.sock'),
        '--pid-file=' + state.path('data', 'mariadb.pid'),
        '--bind-address=127.0.0.1', '--port=%d' % layout.port('mariadb'),
        '--skip-name-resolve', '--skip-log-bin',
        '--max-connections=2000', '--innodb-buffer-pool-size=128M',
        # A test cloud: durability is not worth the fsyncs.
        '--innodb-flush-log-at-trx-commit=0', '--skip-innodb-doublewrite',
        '--character-set-server=utf8mb4',
    ] + _run_as_root_args(), port=layout.port('mariadb'))


def epmd():
    return Service('epmd', [
        'epmd', '-port', str(layout.port('epmd')), '-address', '127.0.0.1'],
        port=layout.port('epmd'))


def rabbitmq(state):
    base = state.dir('data', 'rabbitmq')
    conf = state.conf('rabbitmq/rabbitmq.conf')
    os.makedirs(os.path.dirname(conf), exist_ok=True)
    secrets = state.secrets()
    fd = os.open(conf, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as f:
        f.write('listeners.tcp.default = 127.0.0.1:%d\n'
                'default_user = %s\ndefault_pass = %s\n'
                'log.console = true\nlog.file = false\n' % (
                    layout.port('rabbitmq'), configs.DB_USER,
                    secrets['rabbitmq']))
    plugins = state.conf('rabbitmq/enabled_plugins')
    with open(plugins, 'w') as f:
        f.write('[].\n')
    empty = state.conf('rabbitmq/rabbitmq-env.conf')
    open(empty, 'a').close()
    return Service('rabbitmq', [RABBITMQ_SERVER], env={
        'HOME': base,
        'RABBITMQ_CONF_ENV_FILE': empty,
        'RABBITMQ_CONFIG_FILE': conf,
        'RABBITMQ_ENABLED_PLUGINS_FILE': plugins,
        'RABBITMQ_NODENAME': 'loopback@localhost',
        'RABBITMQ_NODE_IP_ADDRESS': '127.0.0.1',
        'RABBITMQ_NODE_PORT': str(layout.port('rabbitmq')),
        'RABBITMQ_DIST_PORT': str(layout.port('rabbitmq-dist')),
        'RABBITMQ_MNESIA_BASE': os.path.join(base, 'mnesia'),
        'RABBITMQ_LOG_BASE': os.path.join(base, 'log'),
        'RABBITMQ_PID_FILE': os.path.join(base, 'rabbitmq.pid'),
        'ERL_EPMD_PORT': str(layout.port('epmd')),
        'ERL_EPMD_ADDRESS': '127.0.0.1',
        'RABBITMQ_SERVER_ADDITIONAL_ERL_ARGS':
            '-kernel inet_dist_use_interface {127,0,0,1}',
    }, port=layout.port('rabbitmq'))


def _gunicorn(name, app, env):
    return Service(name, [
        os.path.join(BIN, 'gunicorn'),
        '--bind', '127.0.0.1:%d' % layout.port(name),
        '--worker-class', 'gthread', '--workers', '1', '--threads', '8',
        '--timeout', '600', '--graceful-timeout', '5', '--no-control-socket',
        'nova_migration_ext.tests.cloud.wsgi:%s()' % app,
    ], env=env, port=layout.port(name))


def apis(state):
    """keystone first: the others check tokens against it."""
    return [
        _gunicorn('keystone', 'keystone', {
            'OS_KEYSTONE_CONFIG_FILES': state.conf('keystone/keystone.conf')}),
        _gunicorn('placement', 'placement', {
            'OS_PLACEMENT_CONFIG_DIR': state.dir('etc', 'placement')}),
        _gunicorn('glance', 'glance', {
            'OS_GLANCE_CONFIG_DIR': state.dir('etc', 'glance')}),
        _gunicorn('neutron', 'neutron', {
            'OS_NEUTRON_CONFIG_DIR': state.dir('etc', 'neutron')}),
    ]


def nova(state):
    """nova-api, conductor, scheduler and one nova-compute per host."""
    conf = state.conf('nova/nova.conf')
    services = [
        _gunicorn('nova-api', 'nova_api', {
            'OS_NOVA_CONFIG_DIR': state.dir('etc', 'nova')}),
        Service('nova-conductor', [os.path.join(BIN, 'nova-conductor'),
                                   '--config-file', conf]),
        Service('nova-scheduler', [os.path.join(BIN, 'nova-scheduler'),
                                   '--config-file', conf]),
    ]
    for compute in layout.FLEET:
        argv = [sys.executable, '-m', 'nova_migration_ext.tests.cloud.compute']
        for path in configs.compute_conf_files(state, compute):
            argv += ['--config-file', path]
        services.append(Service('nova-compute-' + compute.host, argv))
    return services


def all_services(state):
    """Every service, in start order."""
    return ([mariadb(state), epmd(), rabbitmq(state)] + apis(state)
            + nova(state))


def names():
    return (['mariadb', 'epmd', 'rabbitmq', 'keystone', 'placement', 'glance',
             'neutron', 'nova-api', 'nova-conductor', 'nova-scheduler']
            + ['nova-compute-' + c.host for c in layout.FLEET])
