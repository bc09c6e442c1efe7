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
"""``nova-migration-ext flags``: what an operator sees and the exit status."""

import io
import json
import os
import subprocess
import sys

import fixtures
import testtools

from nova_migration_ext.cmd import main

SEED = ('VIR_MIGRATE_UNDEFINE_SOURCE,VIR_MIGRATE_PEER2PEER,VIR_MIGRATE_LIVE,'
        'VIR_MIGRATE_PERSIST_DEST,VIR_MIGRATE_TUNNELLED')


class CLITestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.stdout = io.StringIO()
        self.stderr = io.StringIO()
        self.useFixture(fixtures.MonkeyPatch('sys.stdout', self.stdout))
        self.useFixture(fixtures.MonkeyPatch('sys.stderr', self.stderr))
        self.useFixture(fixtures.FakeLogger())
        self.dir = self.useFixture(fixtures.TempDir()).path

    def run_cli(self, *argv):
        return main.main(['flags'] + list(argv))

    def write_conf(self, text, name='nova.conf'):
        path = os.path.join(self.dir, name)
        with open(path, 'w') as f:
            f.write(text)
        return path


class TestCheck(CLITestCase):

    def test_valid_set(self):
        self.assertEqual(0, self.run_cli('check', '27'))
        self.assertEqual(
            'live set: VIR_MIGRATE_LIVE|VIR_MIGRATE_PEER2PEER|'
            'VIR_MIGRATE_PERSIST_DEST|VIR_MIGRATE_UNDEFINE_SOURCE (0x1b)\n'
            'live set: valid\n', self.stdout.getvalue())

    def test_errors_exit_1_with_reasons(self):
        self.assertEqual(1, self.run_cli(
            'check', 'LIVE,PERSIST_DEST,UNDEFINE_SOURCE'))
        out = self.stdout.getvalue()
        self.assertIn('error: the live set lacks VIR_MIGRATE_PEER2PEER '
                      '[missing-peer2peer]\n  why: Nova migrates with', out)
        self.assertTrue(out.endswith('live set: 1 error\n'), out)

    def test_warnings_alone_exit_0(self):
        self.assertEqual(0, self.run_cli('check', SEED))
        self.assertIn('live set: 1 warning\n', self.stdout.getvalue())

    def test_block(self):
        self.assertEqual(1, self.run_cli('check', '27', '--block'))
        self.assertIn('[block-without-storage]', self.stdout.getvalue())
        self.assertEqual(0, self.run_cli('check', '0x9b', '--block'))

    def test_json(self):
        self.assertEqual(1, self.run_cli('check', 'LIVE|PEER2PEER|'
                                         'PERSIST_DEST|UNDEFINE_SOURCE|'
                                         'NON_SHARED_INC', '--format',
                                         'json'))
        data = json.loads(self.stdout.getvalue())
        self.assertEqual(155, data['mask'])
        self.assertEqual('0x9b', data['hex'])
        self.assertFalse(data['ok'])
        self.assertFalse(data['block'])
        self.assertEqual(['storage-in-live-set'],
                         [f['code'] for f in data['findings']])
        self.assertEqual({'severity', 'code', 'message', 'reason'},
                         set(data['findings'][0]))

    def test_unknown_flag_is_a_one_line_usage_error(self):
        self.assertEqual(2, self.run_cli('check', 'LIVE|PEER2PEEER'))
        self.assertEqual('', self.stdout.getvalue())
        self.assertEqual(
            "nova-migration-ext flags: error: unknown migration flag "
            "'PEER2PEEER': did you mean VIR_MIGRATE_PEER2PEER?\n",
            self.stderr.getvalue())

    def test_empty_expression(self):
        self.assertEqual(2, self.run_cli('check', ''))
        self.assertIn('empty flag expression', self.stderr.getvalue())


class TestTranslate(CLITestCase):

    def test_seed_string(self):
        self.assertEqual(0, self.run_cli('translate', '--live', SEED))
        out = self.stdout.getvalue()
        self.assertTrue(out.startswith('[libvirt]\n'), out)
        self.assertIn('\nlive_migration_tunnelled = True\n', out)
        self.assertIn('# Note: live_migration_tunnelled is deprecated', out)
        self.assertEqual('', self.stderr.getvalue())

    def test_legacy_errors_exit_1_but_still_print_the_snippet(self):
        self.assertEqual(1, self.run_cli(
            'translate', '--live', SEED,
            '--block', SEED + ',VIR_MIGRATE_NON_SHARED_INC'))
        out = self.stdout.getvalue()
        self.assertIn('# Error in the legacy block set: the block set has '
                      'VIR_MIGRATE_TUNNELLED', out)
        self.assertIn('\nlive_migration_tunnelled = True\n', out)

    def test_json(self):
        self.assertEqual(0, self.run_cli('translate', '--live', SEED,
                                         '--format', 'json'))
        data = json.loads(self.stdout.getvalue())
        self.assertTrue(data['ok'])
        self.assertTrue(data['options']['live_migration_tunnelled'])
        self.assertEqual([], data['inexpressible'])

    def test_unknown_flag_in_block(self):
        self.assertEqual(2, self.run_cli('translate', '--live', SEED,
                                         '--block', 'LIVE,NON_SHARED'))
        self.assertIn("'NON_SHARED': did you mean VIR_MIGRATE_NON_SHARED_",
                      self.stderr.getvalue())


class TestEffective(CLITestCase):

    def test_defaults(self):
        path = self.write_conf('[DEFAULT]\n')
        self.assertEqual(0, self.run_cli('effective', '--config-file', path))
        self.assertEqual(
            '[libvirt] options from %s:\n'
            '  live_migration_tunnelled = False\n'
            '  live_migration_with_native_tls = False\n'
            '  live_migration_permit_post_copy = False\n'
            '  live_migration_permit_auto_converge = False\n'
            '  live_migration_parallel_connections = 1\n'
            'live set: VIR_MIGRATE_LIVE|VIR_MIGRATE_PEER2PEER|'
            'VIR_MIGRATE_PERSIST_DEST|VIR_MIGRATE_UNDEFINE_SOURCE (0x1b)\n'
            'block set: VIR_MIGRATE_LIVE|VIR_MIGRATE_PEER2PEER|'
            'VIR_MIGRATE_PERSIST_DEST|VIR_MIGRATE_UNDEFINE_SOURCE|'
            'VIR_MIGRATE_NON_SHARED_INC (0x9b)\n'
            'live set: valid\n'
            'block set: valid\n' % path, self.stdout.getvalue())

    def test_tunnelled_breaks_block_migration(self):
        path = self.write_conf('[libvirt]\nlive_migration_tunnelled = True\n'
                               'live_migration_flag = "%s"\n' % SEED)
        self.assertEqual(1, self.run_cli('effective', '--config-file', path))
        out = self.stdout.getvalue()
        self.assertIn('error: the block set has VIR_MIGRATE_TUNNELLED with '
                      'VIR_MIGRATE_NON_SHARED_INC [tunnelled-with-storage]',
                      out)
        self.assertIn('note: [libvirt] live_migration_flag is set, but Nova '
                      'ignores it since 14.0.0\n', out)
        self.assertIn('note: the options that reproduce it: '
                      'nova-migration-ext flags translate --live %s\n'
                      % SEED, out)
        self.assertTrue(out.endswith('live set: 1 warning\n'
                                     'block set: 1 error, 1 warning\n'), out)
        self.assertEqual('', self.stderr.getvalue())

    def test_several_files_and_json(self):
        first = self.write_conf('[libvirt]\n'
                                'live_migration_permit_post_copy = True\n'
                                'live_migration_permit_auto_converge = True\n')
        second = self.write_conf('[libvirt]\n'
                                 'live_migration_parallel_connections = 3\n',
                                 name='compute.conf')
        self.assertEqual(0, self.run_cli('effective', '--config-file', first,
                                         '--config-file', second,
                                         '--format', 'json'))
        data = json.loads(self.stdout.getvalue())
        self.assertEqual([first, second], data['config_files'])
        self.assertEqual(['VIR_MIGRATE_LIVE', 'VIR_MIGRATE_PEER2PEER',
                          'VIR_MIGRATE_PERSIST_DEST',
                          'VIR_MIGRATE_UNDEFINE_SOURCE',
                          'VIR_MIGRATE_POSTCOPY', 'VIR_MIGRATE_PARALLEL'],
                         data['live']['names'])
        self.assertEqual(0x2809b, data['block']['mask'])
        self.assertTrue(data['ok'])

    def test_missing_file(self):
        path = os.path.join(self.dir, 'nope.conf')
        self.assertEqual(2, self.run_cli('effective', '--config-file', path))
        self.assertEqual('nova-migration-ext flags: cannot read %s: no such '
                         'file\n' % path,
                         self.stderr.getvalue())

    def test_bad_value(self):
        path = self.write_conf('[libvirt]\n'
                               'live_migration_parallel_connections = two\n')
        self.assertEqual(2, self.run_cli('effective', '--config-file', path))
        self.assertEqual(
            'nova-migration-ext flags: error: invalid value for [libvirt] '
            'live_migration_parallel_connections in %s: invalid literal for '
            "int() with base 10: 'two'\n" % path, self.stderr.getvalue())
        self.assertEqual('', self.stdout.getvalue())


class TestConsoleScript(testtools.TestCase):
    """The installed command, in its own process, as operators run it."""

    def _run(self, *argv):
        script = os.path.join(os.path.dirname(sys.executable),
                              'nova-migration-ext')
        return subprocess.run([script, 'flags'] + list(argv),
                              capture_output=True, text=True)

    def test_translate_seed(self):
        result = self._run('translate', '--live', SEED)
        self.assertEqual(0, result.returncode, result.stderr)
        self.assertIn('\nlive_migration_tunnelled = True\n', result.stdout)
        self.assertIn('deprecated', result.stdout)

    def test_unknown_flag_prints_one_line_and_no_traceback(self):
        result = self._run('check', 'LIVE,TUNNELED')
        self.assertEqual(2, result.returncode)
        self.assertEqual('', result.stdout)
        self.assertEqual("nova-migration-ext flags: error: unknown migration "
                         "flag 'TUNNELED': did you mean "
                         "VIR_MIGRATE_TUNNELLED?\n", result.stderr)
