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
"""The [migration_ext] options of the driver extension, read from a file."""

import os
import tempfile

from oslo_config import cfg
import testtools

from nova_migration_ext import conf


class DriverOptionsTest(testtools.TestCase):

    def load(self, text):
        opts = cfg.ConfigOpts()
        conf.register_opts(opts)
        fd, path = tempfile.mkstemp(suffix='.conf')
        self.addCleanup(os.unlink, path)
        with os.fdopen(fd, 'w') as f:
            f.write(text)
        opts(args=[], default_config_files=[path])
        return opts.migration_ext

    def test_defaults(self):
        group = self.load('')
        self.assertFalse(group.live_migration_check_mem_available)
        self.assertEqual([], group.live_migration_extra_flags)
        self.assertEqual([], group.block_migration_extra_flags)

    def test_values(self):
        group = self.load(
            '[migration_ext]\n'
            'live_migration_check_mem_available = true\n'
            'live_migration_extra_flags = VIR_MIGRATE_COMPRESSED, '
            'AUTO_CONVERGE\n'
            'block_migration_extra_flags = COMPRESSED|AUTO_CONVERGE\n')
        self.assertTrue(group.live_migration_check_mem_available)
        self.assertEqual(['VIR_MIGRATE_COMPRESSED', 'AUTO_CONVERGE'],
                         group.live_migration_extra_flags)
        self.assertEqual(['COMPRESSED|AUTO_CONVERGE'],
                         group.block_migration_extra_flags)

    def test_bad_boolean_names_the_option(self):
        group = self.load('[migration_ext]\n'
                          'live_migration_check_mem_available = maybe\n')
        exc = self.assertRaises(
            cfg.ConfigFileValueError,
            getattr, group, 'live_migration_check_mem_available')
        self.assertIn('live_migration_check_mem_available', str(exc))

    def test_listed_for_the_sample_config(self):
        names = {opt.name for _group, opts in conf.list_opts()
                 for opt in opts}
        self.assertLessEqual({'live_migration_check_mem_available',
                              'live_migration_extra_flags',
                              'block_migration_extra_flags'}, names)
