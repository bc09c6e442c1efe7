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

"""The lines the issue quotes from the old guides, audited through the CLI.

These tests use the stand-in for the flag helper where a finding depends
on it (live_migration_flag); test_flags_helper checks the same line with
the real helper once it is merged.
"""

from nova_migration_ext.tests.unit.audit import utils

NOVA = utils.fixture('issue/nova.conf')
LIBVIRTD = utils.fixture('issue/libvirtd.conf')
SYSCONFIG = utils.fixture('issue/sysconfig-libvirtd')


class TestIssueLines(utils.AuditTestCase):

    def setUp(self):
        super().setUp()
        self.use_fake_flags()

    def test_every_line_is_reported_where_it_is(self):
        status, found, report = self.findings(
            '--nova-conf', NOVA, '--libvirtd-conf', LIBVIRTD,
            '--libvirtd-sysconfig', SYSCONFIG)
        self.assertEqual(2, status)
        self.assertEqual([
            ('error', 'nova.option-moved', 'nova.conf', 3),
            ('error', 'nova.filter-removed', 'nova.conf', 3),
            ('error', 'nova.filter-removed', 'nova.conf', 3),
            ('info', 'nova.resize-same-host', 'nova.conf', 4),
            ('warning', 'nova.migration-unencrypted', 'nova.conf', 6),
            ('error', 'nova.legacy-migration-flags', 'nova.conf', 7),
            ('warning', 'libvirt.no-secure-transport', 'libvirtd.conf', 2),
            ('error', 'libvirt.tcp-unauthenticated', 'libvirtd.conf', 4),
            ('warning', 'libvirt.listen-with-socket-activation',
             'sysconfig-libvirtd', 1),
        ], found)
        self.assertEqual({'error': 5, 'warning': 3, 'info': 1,
                          'exit_status': 2}, report['summary'])
        self.assertEqual([NOVA, LIBVIRTD, SYSCONFIG], report['files'])

    def test_scheduler_default_filters_moves_without_removed_filters(self):
        status, report = self.audit_json('--nova-conf', NOVA)
        moved, az, ram = report['findings'][:3]
        self.assertEqual('[DEFAULT] scheduler_default_filters',
                         moved['option'])
        self.assertEqual('24.0.0 (Xena)', moved['since'])
        self.assertIn('silently ignored', moved['message'])
        fix = moved['fix'].split('\n')
        self.assertEqual('[filter_scheduler]', fix[0])
        self.assertEqual('enabled_filters = '
                         'AggregateInstanceExtraSpecsFilter,ComputeFilter',
                         fix[-1])
        self.assertTrue(all(line.startswith('#') for line in fix[1:-1]))
        self.assertIn('AvailabilityZoneFilter was removed', az['message'])
        self.assertEqual('28.0.0 (2023.2 Bobcat)', az['since'])
        self.assertIn('RamFilter was removed', ram['message'])
        self.assertEqual('20.0.0 (Train)', ram['since'])
        self.assertIn('ram_allocation_ratio', ram['message'])

    def test_legacy_flags_become_libvirt_options(self):
        status, report = self.audit_json('--nova-conf', NOVA)
        flag = [f for f in report['findings']
                if f['code'] == 'nova.legacy-migration-flags'][0]
        self.assertEqual('error', flag['severity'])
        self.assertEqual('14.0.0 (Newton)', flag['since'])
        self.assertEqual('[libvirt] live_migration_flag', flag['option'])
        # What the helper returned, as it returned it.
        self.assertEqual('[libvirt]\nlive_migration_tunnelled = true',
                         flag['fix'])
        self.assertIn('what Nova always sets', flag['message'])
        self.assertIn('never both', flag['message'])

    def test_allow_resize_to_same_host_is_explained_not_condemned(self):
        status, out, err = self.audit('--nova-conf', NOVA)
        self.assertIn('INFO %s:4 [DEFAULT] allow_resize_to_same_host'
                      % NOVA, out)
        self.assertIn('does nothing for cold migration', out)

    def test_unauthenticated_tcp_is_an_error_with_secure_alternatives(self):
        status, report = self.audit_json('--libvirtd-conf', LIBVIRTD)
        self.assertEqual(2, status)
        tcp = report['findings'][1]
        self.assertEqual(('error', 'auth_tcp', 4),
                         (tcp['severity'], tcp['option'], tcp['line']))
        self.assertIn('unauthenticated', tcp['message'])
        for alternative in ('listen_tls = 1', 'libvirtd-tls.socket',
                            'auth_tcp = "sasl"',
                            'live_migration_scheme = ssh',
                            'live_migration_with_native_tls = true'):
            self.assertIn(alternative, tcp['fix'])

    def test_no_fix_ever_recommends_unauthenticated_tcp(self):
        status, report = self.audit_json(
            '--nova-conf', NOVA, '--libvirtd-conf', LIBVIRTD,
            '--libvirtd-sysconfig', SYSCONFIG)
        for finding in report['findings']:
            for line in (finding['fix'] or '').split('\n'):
                if line.startswith('#'):
                    continue
                self.assertNotIn('auth_tcp = "none"', line)
                self.assertNotIn('live_migration_scheme = tcp', line)

    def test_listen_argument_warns_and_strict_makes_it_fail(self):
        status, out, err = self.audit('--libvirtd-sysconfig', SYSCONFIG)
        self.assertEqual(0, status)
        self.assertIn('WARNING %s:1 LIBVIRTD_ARGS' % SYSCONFIG, out)
        self.assertIn('refuses to start with --listen', out)
        self.assertIn('        LIBVIRTD_ARGS=""', out)
        self.assertTrue(out.rstrip().endswith(
            'audit: 0 errors, 1 warning, 0 info in 1 file (exit status 0)'))
        status, out, err = self.audit('--strict',
                                      '--libvirtd-sysconfig', SYSCONFIG)
        self.assertEqual(1, status)
        self.assertTrue(out.rstrip().endswith('(exit status 1)'))
        self.assertEqual('', err)

    def test_text_block_shows_where_since_and_indented_fix(self):
        status, out, err = self.audit('--nova-conf', NOVA)
        self.assertEqual(2, status)
        block = out.split('\n\n')[0]
        lines = block.split('\n')
        self.assertEqual('ERROR %s:3 [DEFAULT] scheduler_default_filters '
                         '(nova.option-moved)' % NOVA, lines[0])
        self.assertIn('    Since: Nova 24.0.0 (Xena)', lines)
        self.assertIn('    Fix:', lines)
        self.assertIn('        [filter_scheduler]', lines)


class TestCleanConfiguration(utils.AuditTestCase):

    def test_modern_configuration_has_no_findings(self):
        argv = ('--nova-conf', utils.fixture('clean/nova.conf'),
                '--libvirtd-conf', utils.fixture('clean/libvirtd.conf'),
                '--libvirtd-sysconfig',
                utils.fixture('clean/sysconfig-libvirtd'))
        status, out, err = self.audit('--strict', *argv)
        self.assertEqual((0, ''), (status, err))
        self.assertEqual('audit: no findings in 3 files (exit status 0)\n',
                         out)
        status, report = self.audit_json(*argv)
        self.assertEqual([], report['findings'])
        self.assertEqual({'error': 0, 'warning': 0, 'info': 0,
                          'exit_status': 0}, report['summary'])
