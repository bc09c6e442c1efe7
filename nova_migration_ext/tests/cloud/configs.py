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
"""The services' configuration files, written from the layout.

Rewritten on every ``up`` (the devstack plugin then edits nova.conf again,
as devstack does on every stack), so a changed layout takes effect on the
next start.
"""

import json
import os
import shutil
import subprocess
import sysconfig

from nova_migration_ext.tests.cloud import compute as compute_launcher
from nova_migration_ext.tests.cloud import layout

DATABASES = ('keystone', 'placement', 'glance', 'neutron', 'nova_api',
             'nova_cell0', 'nova_cell1')
DB_USER = 'cloud'
# The services each have a keystone user of this name.
SERVICE_USERS = ('nova', 'placement', 'glance', 'neutron')

_HERE = os.path.dirname(os.path.abspath(__file__))
_ROOT = os.path.abspath(os.path.join(_HERE, os.pardir, os.pardir, os.pardir))
DEVSTACK_STAND_IN = os.path.join(_ROOT, 'nova_migration_ext', 'tests', 'unit',
                                 'devstack', 'functions.sh')


def write_ini(path, sections):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        for section, options in sections.items():
            f.write('[%s]\n' % section)
            for key, value in options.items():
                f.write('%s = %s\n' % (key, value))
            f.write('\n')
    os.chmod(path, 0o600)


def venv_etc(project, name):
    """A file the project's wheel installs under <venv>/etc/<project>."""
    return os.path.join(sysconfig.get_path('data'), 'etc', project, name)


def db_url(secrets, database):
    return 'mysql+pymysql://%s:%s@127.0.0.1:%d/%s?charset=utf8' % (
        DB_USER, secrets['database'], layout.port('mariadb'), database)


def transport_url(secrets):
    return 'rabbit://%s:%s@127.0.0.1:%d/' % (
        DB_USER, secrets['rabbitmq'], layout.port('rabbitmq'))


def _service_auth(secrets, user):
    return {
        'auth_type': 'password',
        'auth_url': layout.url('keystone', '/v3'),
        'username': user,
        'password': secrets['service'],
        'project_name': 'service',
        'user_domain_name': 'Default',
        'project_domain_name': 'Default',
        'region_name': layout.REGION,
    }


def _authtoken(secrets, user):
    auth = _service_auth(secrets, user)
    auth['www_authenticate_uri'] = layout.url('keystone')
    auth['service_token_roles_required'] = 'True'
    return auth


def write_all(state):
    secrets = state.secrets()
    _keystone(state, secrets)
    _placement(state, secrets)
    _glance(state, secrets)
    _neutron(state, secrets)
    _nova(state, secrets)
    for compute in layout.FLEET:
        _compute(state, secrets, compute)
    _clouds_yaml(state, secrets)


def _keystone(state, secrets):
    write_ini(state.conf('keystone/keystone.conf'), {
        'DEFAULT': {'use_stderr': 'True'},
        'database': {'connection': db_url(secrets, 'keystone')},
        'fernet_tokens': {'key_repository': state.dir('data', 'fernet')},
        'credential': {'key_repository': state.dir('data', 'credential')},
        'token': {'provider': 'fernet'},
    })


def _placement(state, secrets):
    write_ini(state.conf('placement/placement.conf'), {
        'DEFAULT': {'use_stderr': 'True'},
        'placement_database': {'connection': db_url(secrets, 'placement')},
        'api': {'auth_strategy': 'keystone'},
        'keystone_authtoken': _authtoken(secrets, 'placement'),
    })


def _glance(state, secrets):
    conf_dir = state.dir('etc', 'glance')
    shutil.copy(venv_etc('glance', 'glance-api-paste.ini'), conf_dir)
    write_ini(os.path.join(conf_dir, 'glance-api.conf'), {
        'DEFAULT': {'use_stderr': 'True', 'enabled_backends': 'local:file',
                    'bind_host': '127.0.0.1'},
        'database': {'connection': db_url(secrets, 'glance')},
        'glance_store': {'default_backend': 'local'},
        'local': {'filesystem_store_datadir': state.dir('data', 'images')},
        'os_glance_staging_store': {
            'filesystem_store_datadir': state.dir('data', 'image-staging')},
        'os_glance_tasks_store': {
            'filesystem_store_datadir': state.dir('data', 'image-tasks')},
        'paste_deploy': {'flavor': 'keystone'},
        'keystone_authtoken': _authtoken(secrets, 'glance'),
        'oslo_concurrency': {'lock_path': state.dir('data', 'glance-locks')},
    })


def _neutron(state, secrets):
    conf_dir = state.dir('etc', 'neutron')
    write_ini(os.path.join(conf_dir, 'neutron.conf'), {
        'DEFAULT': {
            'use_stderr': 'True',
            'core_plugin': 'ml2',
            'service_plugins': 'router',
            'auth_strategy': 'keystone',
            'api_paste_config': venv_etc('neutron', 'api-paste.ini'),
            'transport_url': transport_url(secrets),
            'notify_nova_on_port_status_changes': 'False',
            'notify_nova_on_port_data_changes': 'False',
            'state_path': state.dir('data', 'neutron'),
        },
        'database': {'connection': db_url(secrets, 'neutron')},
        'keystone_authtoken': _authtoken(secrets, 'neutron'),
        # No agents: nothing to bind ports to, only the API Nova calls.
        'ml2': {'type_drivers': 'flat', 'tenant_network_types': '',
                'mechanism_drivers': '', 'extension_drivers': ''},
        'oslo_concurrency': {'lock_path': state.dir('data', 'neutron-locks')},
    })
    write_ini(os.path.join(conf_dir, 'plugins', 'ml2', 'ml2_conf.ini'), {})


def _nova_common(state, secrets):
    """What every Nova service reads: messaging and the other services."""
    return {
        'DEFAULT': {
            'transport_url': transport_url(secrets),
            'my_ip': '127.0.0.1',
            'use_stderr': 'True',
        },
        'oslo_concurrency': {'lock_path': state.dir('data', 'nova-locks')},
        'oslo_messaging_notifications': {'driver': 'noop'},
        'placement': _service_auth(secrets, 'nova'),
        'neutron': _service_auth(secrets, 'nova'),
        'service_user': dict(_service_auth(secrets, 'nova'),
                             send_service_user_token='True'),
        'glance': {'region_name': layout.REGION},
    }


def _nova(state, secrets):
    conf_dir = state.dir('etc', 'nova')
    shutil.copy(venv_etc('nova', 'api-paste.ini'), conf_dir)
    sections = _nova_common(state, secrets)
    sections['DEFAULT']['state_path'] = state.dir('data', 'nova')
    sections.update({
        'api': {'auth_strategy': 'keystone'},
        'api_database': {'connection': db_url(secrets, 'nova_api')},
        'database': {'connection': db_url(secrets, 'nova_cell1')},
        'keystone_authtoken': _authtoken(secrets, 'nova'),
        'scheduler': {'discover_hosts_in_cells_interval': '-1'},
        'wsgi': {'api_paste_config': os.path.join(conf_dir,
                                                  'api-paste.ini')},
        # [filter_scheduler] is left to the devstack plugin.
    })
    write_ini(os.path.join(conf_dir, 'nova.conf'), sections)
    configure_filters(state)


def configure_filters(state):
    """Run the devstack plugin's post-config phase on nova.conf."""
    script = ('set -o errexit; source "$STAND_IN"; source "$ROOT/devstack/'
              'settings"; source "$ROOT/devstack/plugin.sh" stack '
              'post-config')
    env = dict(os.environ,
               STAND_IN=DEVSTACK_STAND_IN, ROOT=_ROOT,
               NOVA_CONF=state.conf('nova/nova.conf'),
               ENABLED_SERVICES='n-sch', DEST=os.path.dirname(_ROOT),
               MIGRATION_EXT_DIR=_ROOT, DEVSTACK_CALLS=os.devnull)
    subprocess.run(['bash', '-c', script], env=env, check=True,
                   stdout=subprocess.DEVNULL)


def compute_conf_files(state, compute):
    """The --config-file arguments of one nova-compute, in order."""
    return [state.conf('nova-compute/common.conf'),
            state.conf('nova-compute/%s.conf' % compute.host)]


def _compute(state, secrets, compute):
    # No [database]: computes reach the databases through the conductor.
    common = _nova_common(state, secrets)
    common['DEFAULT'].update({
        'compute_driver': compute_launcher.DRIVER,
        # Placement allows overcommit; our filter caps live migrations.
        'ram_allocation_ratio': '1.5',
        'reserved_host_memory_mb': '0',
    })
    # Nova's default guest CPU for QEMU, which the hosts publish.
    common['libvirt'] = {'virt_type': 'qemu', 'cpu_mode': 'host-model'}
    write_ini(state.conf('nova-compute/common.conf'), common)
    write_ini(state.conf('nova-compute/%s.conf' % compute.host), {
        'DEFAULT': {
            'host': compute.host,
            'state_path': state.dir('data', 'compute', compute.host),
            'instances_path': state.dir('data', 'compute', compute.host,
                                        'instances'),
        },
        'loopback_host': {
            'qemu_version': compute.qemu_version,
            'libvirt_version': compute.libvirt_version,
            'storage_id': compute.storage_id,
            'cpu_info': json.dumps(compute.cpu),
            'memory_mb': compute.memory_mb,
            'mem_available_mb': compute.mem_available_mb,
        },
    })


def clouds(secrets):
    """clouds.yaml's clouds: ``loopback`` (admin)."""
    return {'clouds': {'loopback': {
        'auth': {
            'auth_url': layout.url('keystone', '/v3'),
            'username': 'admin',
            'password': secrets['admin'],
            'project_name': 'admin',
            'user_domain_name': 'Default',
            'project_domain_name': 'Default',
        },
        'region_name': layout.REGION,
        'identity_api_version': '3',
        'compute_api_version': '2.87',
    }}}


def _clouds_yaml(state, secrets):
    path = state.path('clouds.yaml')
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, 'w') as f:
        # JSON is YAML: no YAML writer needed.
        json.dump(clouds(secrets), f, indent=2)
