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
"""The tempest plugin is found by tempest and its tests load."""

import os
import unittest

from oslo_config import cfg
import stevedore
import testtools


class TempestPluginTest(testtools.TestCase):

    def plugin(self):
        manager = stevedore.ExtensionManager(
            'tempest.test_plugins', invoke_on_load=True,
            on_load_failure_callback=lambda *args: self.fail(args))
        plugins = {ext.name: ext.obj for ext in manager}
        self.assertIn('nova-migration-ext', plugins)
        return plugins['nova-migration-ext']

    def test_registers_its_options(self):
        conf = cfg.ConfigOpts()
        plugin = self.plugin()
        plugin.register_opts(conf)
        conf([])
        self.assertFalse(conf.migration_ext_feature_enabled.filters)
        self.assertEqual(['migration_ext_feature_enabled'],
                         [name for name, _opts in plugin.get_opt_lists()])

    def test_tests_are_discovered(self):
        test_dir, top_dir = self.plugin().load_tests()
        self.assertTrue(os.path.isdir(test_dir))
        suite = unittest.defaultTestLoader.discover(test_dir,
                                                    top_level_dir=top_dir)
        names = []

        def walk(tests):
            for test in tests:
                if isinstance(test, unittest.TestSuite):
                    walk(test)
                else:
                    names.append(test.id())
        walk(suite)
        # One test class per rule, each a real move through the API.
        self.assertEqual(
            {'CpuCompatibilityTest', 'HypervisorVersionTest',
             'MigrationDomainTest', 'MigrationRamTest', 'SharedStorageTest'},
            {name.split('.')[-2] for name in names})
        # Tests keep their idempotent ids, which tempest runs track.
        ids = {name.rsplit('[', 1)[-1] for name in names}
        for kept in ('id-b3d5e9a2-6f0c-4a7e-8f2d-1c9b7a6e5d43]',
                     'id-0c7b1f7e-8a57-4f61-9d3e-5d8e0f2f6c41]'):
            self.assertIn(kept, ids)
        self.assertEqual(17, len(names))
