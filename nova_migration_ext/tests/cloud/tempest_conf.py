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
"""tempest.conf for the loopback cloud, one per tempest phase.

``ours``: every host, for our plugin's tests. ``nova``: Nova's own
migration tests, kept to availability zone ``pair`` (two identical hosts):
they pick their target among the enabled hosts of that zone and migrate
there and back, which our filters must and do allow.
"""

import sys

from nova_migration_ext.tests.cloud import configs
from nova_migration_ext.tests.cloud import keystone_setup
from nova_migration_ext.tests.cloud import layout


def _settings(state, conn, log_file):
    secrets = state.secrets()
    image = conn.image.find_image(keystone_setup.IMAGE).id
    tiny, small = (conn.compute.find_flavor(name).id
                   for name in keystone_setup.FLAVORS)
    return {
        'DEFAULT': {'log_file': log_file, 'use_stderr': 'False'},
        'auth': {
            'admin_username': 'admin',
            'admin_password': secrets['admin'],
            'admin_project_name': 'admin',
            'admin_domain_name': 'Default',
            'use_dynamic_credentials': 'True',
            'create_isolated_networks': 'False',
        },
        'identity': {
            'uri_v3': layout.url('keystone', '/v3'),
            'auth_version': 'v3',
            'region': layout.REGION,
        },
        'identity-feature-enabled': {'api_v2': 'False'},
        'compute': {
            'image_ref': image, 'image_ref_alt': image,
            'flavor_ref': tiny, 'flavor_ref_alt': small,
            'min_microversion': '2.1', 'max_microversion': 'latest',
            'min_compute_nodes': str(len(layout.FLEET)),
            'build_timeout': '120', 'build_interval': '1',
        },
        'compute-feature-enabled': {
            'live_migration': 'True',
            'block_migration_for_live_migration': 'True',
            'live_migrate_back_and_forth': 'True',
            'can_migrate_between_any_hosts': 'True',
            'cold_migration': 'True',
            'resize': 'True',
            # What the fake driver cannot give: consoles, snapshots,
            # volumes (no cinder).
            'console_output': 'False',
            'serial_console': 'False',
            'vnc_console': 'False',
            'spice_console': 'False',
            'snapshot': 'False',
            'change_password': 'False',
            'interface_attach': 'False',
            'volume_multiattach': 'False',
            'attach_encrypted_volume': 'False',
        },
        'service_available': {
            'nova': 'True', 'glance': 'True', 'neutron': 'True',
            'cinder': 'False', 'swift': 'False', 'placement': 'True',
        },
        # The neutron API runs with no agents: no trunks, no networks to
        # plug; servers boot without NICs.
        'network-feature-enabled': {'api_extensions': 'router'},
        'validation': {'run_validation': 'False'},
        'migration_ext_feature_enabled': {
            'filters': 'True',
            'restart_compute_command': '%s -m nova_migration_ext.tests.cloud '
                                       'restart-compute {host}' % (
                                           sys.executable),
        },
    }


def write(state, phase):
    """Write the phase's tempest.conf; return its path."""
    conn = keystone_setup.connect(state)
    settings = _settings(state, conn, state.log('tempest-' + phase))
    if phase == 'nova':
        settings['compute']['compute_volume_common_az'] = layout.PAIR_ZONE
        settings['compute']['min_compute_nodes'] = str(sum(
            compute.zone == layout.PAIR_ZONE for compute in layout.FLEET))
    path = state.conf('tempest/tempest-%s.conf' % phase)
    configs.write_ini(path, settings)
    return path
