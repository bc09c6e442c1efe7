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
"""The checked-in etc/nova-migration-ext.conf.sample is current."""

import difflib
import os

import fixtures
from oslo_config import cfg
from oslo_config import generator
from oslotest import base

from nova_migration_ext import conf

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__),
                                    os.pardir, os.pardir, os.pardir))
GENERATOR_CONF = os.path.join(ROOT, 'etc', 'oslo-config-generator',
                              'nova-migration-ext.conf')
SAMPLE = os.path.join(ROOT, 'etc', 'nova-migration-ext.conf.sample')


def generate_sample(output_path):
    """Run oslo-config-generator with the checked-in generator config."""
    opts = cfg.ConfigOpts()
    generator.register_cli_opts(opts)
    opts(['--config-file', GENERATOR_CONF], project='nova-migration-ext',
         default_config_files=[], default_config_dirs=[])
    with open(output_path, 'w') as output:
        generator.generate(opts, output_file=output)


class ConfigSampleTest(base.BaseTestCase):

    def test_sample_is_current(self):
        fresh = os.path.join(self.useFixture(fixtures.TempDir()).path,
                             'nova-migration-ext.conf.sample')
        generate_sample(fresh)
        with open(fresh) as f:
            expected = f.read()
        with open(SAMPLE) as f:
            checked_in = f.read()
        if checked_in != expected:
            diff = ''.join(difflib.unified_diff(
                checked_in.splitlines(True), expected.splitlines(True),
                'etc/nova-migration-ext.conf.sample (checked in)',
                'generated from nova_migration_ext/conf.py'))
            self.fail('etc/nova-migration-ext.conf.sample is stale: run '
                      '"tox -e genconfig" and commit the result.\n' + diff)

    def test_sample_documents_every_option(self):
        with open(SAMPLE) as f:
            sample = f.read()
        self.assertIn('[%s]' % conf.GROUP.name, sample)
        for opt in conf.OPTS:
            # An empty default is written as "#name =" with no value.
            self.assertIn('\n#%s =' % opt.dest, sample)
