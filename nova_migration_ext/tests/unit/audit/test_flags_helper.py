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

"""The audit with the real flag helper, ``nova_migration_ext.libvirt.flags``.

The helper comes from a parallel branch: until it is merged these tests
skip; once it is, they check the issue's live_migration_flag line end to
end, and that every option the resulting snippet sets is a real Nova 34
[libvirt] option.
"""

import warnings

from oslo_config import cfg

from nova_migration_ext.audit import inifile
from nova_migration_ext.tests.unit.audit import utils

NOVA = utils.fixture('issue/nova.conf')
ISSUE_FLAGS = ('VIR_MIGRATE_UNDEFINE_SOURCE,VIR_MIGRATE_PEER2PEER,'
               'VIR_MIGRATE_LIVE,VIR_MIGRATE_PERSIST_DEST,'
               'VIR_MIGRATE_TUNNELLED')


class TestWithTheRealFlagHelper(utils.AuditTestCase):

    def setUp(self):
        super().setUp()
        try:
            from nova_migration_ext.libvirt import flags
        except ImportError:
            self.skipTest('nova_migration_ext.libvirt.flags is not merged '
                          'yet')
        self.flags = flags

    def legacy_finding(self, path):
        status, report = self.audit_json('--nova-conf', path)
        return [f for f in report['findings']
                if f['code'] == 'nova.legacy-migration-flags']

    def test_issue_line_is_translated_by_the_helper(self):
        [finding] = self.legacy_finding(NOVA)
        self.assertEqual(('error', 7, '14.0.0 (Newton)'),
                         (finding['severity'], finding['line'],
                          finding['since']))
        translated = self.flags.translate_legacy(ISSUE_FLAGS)
        self.assertEqual(translated.as_ini(), finding['fix'])
        self.assertIn('live_migration_tunnelled', finding['fix'])

    def test_snippet_sets_only_real_nova_options(self):
        [finding] = self.legacy_finding(NOVA)
        snippet = self.write('snippet.conf', finding['fix'] + '\n')
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            import nova.conf.libvirt
        conf = cfg.ConfigOpts()
        nova.conf.libvirt.register_opts(conf)
        conf(['--config-file', snippet], project='audit-test',
             default_config_files=[], default_config_dirs=[])
        settings = inifile.NovaConfig.load([('file', snippet)])
        self.assertNotEqual([], settings.in_group('libvirt'))
        for setting in settings.in_group('libvirt'):
            # Reading it through Nova's option type must not fail.
            conf.libvirt[setting.key]

    def test_bad_token_is_named(self):
        path = self.write('nova.conf', '[libvirt]\nlive_migration_flag = '
                          'VIR_MIGRATE_LIVE,VIR_MIGRATE_BOGUS\n')
        [finding] = self.legacy_finding(path)
        self.assertIn('VIR_MIGRATE_BOGUS', finding['message'])
        self.assertRaises(self.flags.FlagError, self.flags.parse,
                          'VIR_MIGRATE_LIVE,VIR_MIGRATE_BOGUS')
