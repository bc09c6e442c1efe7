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

"""Input the audit cannot read: one line on stderr, exit status 2."""

import json
import os

import hypothesis
from hypothesis import strategies as st

from nova_migration_ext.tests.unit.audit import utils


class TestUnreadableInput(utils.AuditTestCase):

    def test_missing_file(self):
        path = os.path.join(self.tmp, 'nova.conf')
        self.assertOneLineError(
            *self.audit('--nova-conf', path),
            'nova-migration-ext audit: cannot read %s: no such file' % path)

    def test_directory_given_as_a_file(self):
        self.assertOneLineError(
            *self.audit('--libvirtd-conf', self.tmp),
            '%s: is a directory, not a file' % self.tmp)

    def test_missing_conf_dir(self):
        path = os.path.join(self.tmp, 'nova.conf.d')
        self.assertOneLineError(*self.audit('--nova-conf-dir', path),
                                '%s: no such directory' % path)

    def test_binary_file_names_the_line(self):
        path = self.write('nova.conf', b'[DEFAULT]\ndebug = true\n\x00\x01')
        self.assertOneLineError(*self.audit('--nova-conf', path),
                                '%s:3: binary data' % path)

    def test_not_utf8_nova_conf(self):
        path = self.write('nova.conf', '[DEFAULT]\n# 注释\n'.encode('gbk'))
        self.assertOneLineError(*self.audit('--nova-conf', path),
                                '%s:2: not UTF-8 text' % path)

    def test_line_that_is_neither_key_value_nor_section(self):
        path = self.write('nova.conf', (
            '[DEFAULT]\n'
            'debug = true\n'
            'scheduler_default_filters RamFilter\n'))
        self.assertOneLineError(
            *self.audit('--nova-conf', path),
            "%s:3: not a 'key = value' line, a [section] or a comment: "
            "'scheduler_default_filters RamFilter'" % path)

    def test_markdown_pasted_into_nova_conf(self):
        # The old guides' nova.conf lines, pasted with their markdown.
        path = self.write('nova.conf', (
            '[DEFAULT]\n'
            '```text\n'
            'allow_resize_to_same_host=True\n'))
        self.assertOneLineError(*self.audit('--nova-conf', path),
                                "%s:2: not a 'key = value' line" % path)

    def test_libvirtd_conf_syntax_error_as_libvirt_reports_it(self):
        path = self.write('libvirtd.conf', 'listen_tls = 0\nauth_tcp = none\n')
        self.assertOneLineError(*self.audit('--libvirtd-conf', path),
                                '%s:2: expecting a value' % path)

    def test_sysconfig_that_is_not_assignments(self):
        path = self.write('libvirtd', 'LIBVIRTD_ARGS="--listen\n')
        self.assertOneLineError(*self.audit('--libvirtd-sysconfig', path),
                                '%s:1: No closing quotation' % path)

    def test_a_good_file_does_not_hide_a_bad_one(self):
        good = utils.fixture('clean/nova.conf')
        bad = self.write('nova.conf.d/50-bad.conf', '[libvirt\n')
        self.assertOneLineError(
            *self.audit('--nova-conf', good, '--nova-conf-dir',
                        os.path.dirname(bad)),
            '%s:1: section header without its closing "]"' % bad)


class TestUsage(utils.AuditTestCase):

    def test_nothing_to_audit(self):
        status, out, err = self.audit()
        self.assertEqual((2, ''), (status, out))
        self.assertEqual('nova-migration-ext audit: error: nothing to audit: '
                         'give --nova-conf FILE, --nova-conf-dir DIR, '
                         '--libvirtd-conf FILE and/or --libvirtd-sysconfig '
                         'FILE\n', err)

    def test_unknown_format(self):
        status, out, err = self.audit('--format', 'yaml', '--nova-conf', 'x')
        self.assertEqual(2, status)
        self.assertIn("invalid choice: 'yaml'", err)
        self.assertNotIn('Traceback', err)


def _clean_exit(test, status, out, err, fmt='text'):
    """Either a report (stdout, no stderr) or the one-line error."""
    test.assertIn(status, (0, 1, 2))
    test.assertNotIn('Traceback', err)
    if err:
        test.assertOneLineError(status, out, err, 'cannot read')
    elif fmt == 'json':
        test.assertEqual(status, json.loads(out)['summary']['exit_status'])
    else:
        test.assertIn('(exit status %d)' % status, out)


class TestNothingCrashes(utils.AuditTestCase):
    """Random input gives findings or the one-line error, never a crash."""

    def setUp(self):
        super().setUp()
        self.use_fake_flags()

    @hypothesis.settings(max_examples=120, deadline=None)
    @hypothesis.given(st.binary(max_size=300),
                      st.sampled_from(['--nova-conf', '--libvirtd-conf',
                                       '--libvirtd-sysconfig']))
    def test_random_bytes(self, data, option):
        path = self.write('input', data)
        _clean_exit(self, *self.audit('--strict', option, path))

    @hypothesis.settings(max_examples=150, deadline=None)
    @hypothesis.given(st.text(
        alphabet=st.sampled_from(list(
            '[]=:#;"\'\n\t ,-_aelnpstuvDEFLTU01\\') + ['\ufeff', '注']),
        max_size=200))
    def test_random_config_like_text(self, text):
        nova = self.write('nova.conf', '[DEFAULT]\n' + text)
        libvirt = self.write('libvirtd.conf', text)
        sysconfig = self.write('libvirtd', text)
        for option, path in (('--nova-conf', nova),
                             ('--libvirtd-conf', libvirt),
                             ('--libvirtd-sysconfig', sysconfig)):
            _clean_exit(self, *self.audit(option, path))

    @hypothesis.settings(max_examples=100, deadline=None)
    @hypothesis.given(
        st.lists(st.sampled_from([
            '[filter_scheduler]', '[libvirt]', '[DEFAULT]', '[default]',
            'enabled_filters = RamFilter,ComputeFilter # x',
            'enabled_filters = MigrationRamFilter', 'enabled_filters =',
            'enabled_filters = "A,B', 'available_filters = x.y.all',
            'available_filters = nova_migration_ext.filters.all_filters',
            'available_filters = nova.scheduler.filters.ram_filter.RamFilter',
            'available_filters = not a path',
            'scheduler_default_filters = RetryFilter',
            'scheduler_available_filters = nova.scheduler.filters.all_filters',
            'scheduler_driver = filter_scheduler', 'scheduler_topic = s',
            'live_migration_flag = VIR_MIGRATE_LIVE,BOGUS',
            'block_migration_flag = VIR_MIGRATE_LIVE',
            'live_migration_tunnelled = maybe',
            'live_migration_tunnelled = true',
            'live_migration_with_native_tls = on',
            'live_migration_uri = qemu+ssh://nova@%s.mig/system',
            'live_migration_uri =', 'live_migration_scheme = tcp',
            'connection_uri = qemu+tcp://10.0.0.1/system',
            'live_migration_permit_post_copy = 1',
            'live_migration_permit_auto_converge = yes',
            'allow_resize_to_same_host = True', '  continued', '']),
            max_size=12))
    def test_random_nova_conf_of_real_options(self, lines):
        path = self.write('nova.conf', '\n'.join(['[DEFAULT]'] + lines))
        for fmt in ('text', 'json'):
            _clean_exit(self, *self.audit('--format', fmt,
                                          '--nova-conf', path), fmt=fmt)
