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
"""The built wheel ships the module Nova loads the driver from."""

import importlib.util
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile

import testtools

import nova_migration_ext
from nova_migration_ext.virt import driver as our_driver

SOURCE = os.path.dirname(os.path.dirname(nova_migration_ext.__file__))
THIN_MODULE = 'nova/virt/migration_ext/__init__.py'


@testtools.skipUnless(os.path.exists(os.path.join(SOURCE, 'setup.cfg')),
                      'needs the source tree')
class WheelTest(testtools.TestCase):

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.workdir = tempfile.mkdtemp()
        # Build from a copy: a build leaves egg-info and build/ behind.
        tree = os.path.join(cls.workdir, 'src')
        shutil.copytree(SOURCE, tree, ignore=shutil.ignore_patterns(
            '.git', '.tox', '.stestr', 'build', 'dist', '*.egg-info',
            '__pycache__'))
        command = [sys.executable, '-m', 'pip', 'wheel', '--no-deps',
                   '--quiet', '--wheel-dir', cls.workdir, tree]
        # Without setuptools and wheel here, pip fetches them to build.
        if all(importlib.util.find_spec(name)
               for name in ('setuptools', 'wheel')):
            command.insert(4, '--no-build-isolation')
        subprocess.run(command, check=True,
                       env=dict(os.environ, PBR_VERSION='0.0.0'))
        wheel, = [name for name in os.listdir(cls.workdir)
                  if name.endswith('.whl')]
        cls.wheel = zipfile.ZipFile(os.path.join(cls.workdir, wheel))

    @classmethod
    def tearDownClass(cls):
        cls.wheel.close()
        shutil.rmtree(cls.workdir)
        super().tearDownClass()

    def record(self):
        record, = [name for name in self.wheel.namelist()
                   if name.endswith('.dist-info/RECORD')]
        return [line.split(',')[0] for line in
                self.wheel.read(record).decode().splitlines()]

    def test_only_the_thin_module_goes_into_nova(self):
        self.assertEqual(
            [THIN_MODULE],
            [path for path in self.record() if path.startswith('nova/')])

    def test_thin_module_gives_our_driver(self):
        path = os.path.join(self.workdir, 'thin.py')
        with open(path, 'wb') as f:
            f.write(self.wheel.read(THIN_MODULE))
        spec = importlib.util.spec_from_file_location(
            'nova.virt.migration_ext', path)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        self.assertIs(our_driver.LibvirtDriver, module.LibvirtDriver)

    def test_entry_points(self):
        entry_points, = [name for name in self.wheel.namelist()
                         if name.endswith('.dist-info/entry_points.txt')]
        text = self.wheel.read(entry_points).decode()
        self.assertIn('CpuCompatibilityFilter = nova_migration_ext.filters.'
                      'cpu_compatibility:CpuCompatibilityFilter', text)
        self.assertIn('[nova_migration_ext.storage_probes]', text)
