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

"""The compute API client reads clouds.yaml as every OpenStack client."""

import os

import fixtures
import testtools

from nova_migration_ext.drain import client


class ConnectTest(testtools.TestCase):

    def test_os_cloud_names_a_cloud_of_clouds_yaml(self):
        directory = self.useFixture(fixtures.TempDir()).path
        path = os.path.join(directory, 'clouds.yaml')
        with open(path, 'w') as f:
            f.write('clouds:\n'
                    '  lab:\n'
                    '    auth_type: none\n'
                    '    compute_endpoint_override: http://127.0.0.1:9/v2.1\n'
                    '    region_name: RegionTwo\n')
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_CLIENT_CONFIG_FILE', path))
        connection = client.connect('lab')
        self.assertEqual(('lab', 'RegionTwo'),
                         (connection.config.name,
                          connection.config.region_name))

    def test_unknown_cloud_is_named_with_the_clouds_there_are(self):
        directory = self.useFixture(fixtures.TempDir()).path
        path = os.path.join(directory, 'clouds.yaml')
        with open(path, 'w') as f:
            f.write('clouds:\n  lab: {auth_type: none}\n'
                    '  prod: {auth_type: none}\n')
        self.useFixture(fixtures.EnvironmentVariable(
            'OS_CLIENT_CONFIG_FILE', path))
        error = self.assertRaises(client.UnknownCloud, client.connect,
                                  'lba')
        self.assertEqual("--os-cloud 'lba': no such cloud in clouds.yaml "
                         "(clouds: lab, prod)", str(error))

    def test_migration_progress(self):
        record = client.Migration(1, 'u', 'live-migration', 'running', 's',
                                  'd', memory_total=4096,
                                  memory_processed=1024)
        self.assertEqual(25, record.progress)
        record.memory_total = None
        self.assertIsNone(record.progress)
