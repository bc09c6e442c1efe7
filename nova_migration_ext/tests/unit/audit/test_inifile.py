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

"""nova.conf reading: oslo.config's rules, proven against oslo.config."""

import os
import re

import hypothesis
from hypothesis import strategies as st
from oslo_config import cfg

from nova_migration_ext.audit import findings
from nova_migration_ext.audit import inifile
from nova_migration_ext.tests.unit.audit import utils

GROUPS = ('DEFAULT', 'libvirt', 'filter_scheduler')
SINGLE = ('a', 'b')
MULTI = 'multi'

SECTIONS = st.sampled_from(['[DEFAULT]', '[default]', '[Default]',
                            '[libvirt]', '[LIBVIRT]', '[filter_scheduler]',
                            '[other]', '[ a ]'])
ASSIGNMENTS = st.builds(
    '{}{}{}'.format,
    st.sampled_from(SINGLE + (MULTI, ' a', 'A')),
    st.sampled_from(['=', ' = ', ':', ' : ', '= ']),
    st.sampled_from(['', 'v', 'w', '"q"', "'s'", '"', "'x\"", 'a # b', 'x=y',
                     'a:b', '  spaced  ', 'nova.scheduler.filters.x']))
READABLE = st.one_of(
    SECTIONS, ASSIGNMENTS, ASSIGNMENTS,
    st.sampled_from(['# comment', '; comment', '#', '', '   ', '\t',
                     '  continued', '\tcontinued', '  # indented']))
ANY = st.one_of(READABLE, st.sampled_from(
    ['[broken', '[]', 'junk', '=value', ' = ', 'x y z']))


def files(lines):
    """Files that mostly start with a section, as real ones do."""
    return st.builds(lambda first, rest: '\n'.join(first + rest),
                     st.lists(SECTIONS, max_size=1),
                     st.lists(lines, max_size=14))


def oslo_values(paths):
    """What oslo.config makes of the files, or the line it failed at."""
    conf = cfg.ConfigOpts()
    for group in GROUPS:
        name = None if group == 'DEFAULT' else group
        conf.register_opts([cfg.StrOpt(k) for k in SINGLE], group=name)
        conf.register_opt(cfg.MultiStrOpt(MULTI), group=name)
    args = []
    for path in paths:
        args += ['--config-file', path]
    try:
        conf(args, project='audit-test', default_config_files=[],
             default_config_dirs=[])
    except cfg.ConfigFileParseError as exc:
        line = int(re.search(r'at .*?:(\d+), ', str(exc)).group(1))
        return 'error', line, str(exc)
    values = {}
    for group in GROUPS:
        holder = conf if group == 'DEFAULT' else conf[group]
        for key in SINGLE:
            values[group, key] = holder[key]
        values[group, MULTI] = holder[MULTI] or []
    return 'ok', values


def our_values(paths):
    try:
        config = inifile.NovaConfig.load([('file', p) for p in paths])
    except findings.InputError as exc:
        return 'error', exc.line, str(exc)
    values = {}
    for group in GROUPS:
        for key in SINGLE:
            last = config.last(group, key)
            values[group, key] = last.value if last else None
        values[group, MULTI] = [a.value for a in
                                config.assignments(group, MULTI)]
    return 'ok', values


class TestAgainstOsloConfig(utils.AuditTestCase):
    """The audit reads what oslo.config reads and fails where it fails."""

    def check(self, texts, newline):
        paths = [self.write('%d.conf' % i, text.replace('\n', newline))
                 for i, text in enumerate(texts)]
        theirs = oslo_values(paths)
        ours = our_values(paths)
        self.assertEqual(theirs[0], ours[0], (theirs, ours))
        if theirs[0] == 'ok':
            self.assertEqual(theirs[1], ours[1])
        elif 'Section must be started' in theirs[2]:
            # oslo.config notices when the value ends; the audit names the
            # line of the key, which is never later.
            self.assertLessEqual(ours[1], theirs[1])
        else:
            self.assertEqual(theirs[1], ours[1], (theirs[2], ours[2]))

    @hypothesis.settings(max_examples=150, deadline=None)
    @hypothesis.given(files(READABLE), st.sampled_from(['\n', '\r\n', '\r']))
    def test_one_file(self, text, newline):
        self.check([text], newline)

    @hypothesis.settings(max_examples=100, deadline=None)
    @hypothesis.given(files(ANY))
    def test_one_file_with_errors(self, text):
        self.check([text], '\n')

    @hypothesis.settings(max_examples=60, deadline=None)
    @hypothesis.given(st.lists(files(READABLE), min_size=2, max_size=3))
    def test_several_files(self, texts):
        self.check(texts, '\n')


class TestReading(utils.AuditTestCase):

    def load(self, *sources):
        return inifile.NovaConfig.load(sources)

    def test_values_keep_their_file_and_lines(self):
        path = self.write('nova.conf', (
            '[filter_scheduler]\n'
            'enabled_filters = ComputeFilter,\n'
            '    RamFilter\n'))
        config = self.load(('file', path))
        setting = config.last('filter_scheduler', 'enabled_filters')
        self.assertEqual((path, 2), (setting.file, setting.line))
        self.assertEqual('ComputeFilter,\nRamFilter', setting.value)
        self.assertEqual(3, setting.line_of('RamFilter'))

    def test_conf_dir_files_load_sorted_after_earlier_sources(self):
        main = self.write('nova.conf', '[libvirt]\nx = main\n')
        self.write('d/20-late.conf', '[libvirt]\nx = late\n')
        self.write('d/10-early.conf', '[LIBVIRT]\nx = early\nmulti = 1\n')
        self.write('d/30-ignored.txt', '[libvirt]\nx = not a .conf\n')
        self.write('d/.hidden.conf', '[libvirt]\nx = hidden\n')
        config = self.load(('file', main),
                           ('dir', os.path.join(self.tmp, 'd')))
        self.assertEqual(['main', 'early', 'late'],
                         [a.value for a in config.assignments('libvirt',
                                                              'x')])
        self.assertEqual('late', config.last('libvirt', 'x').value)

    def test_byte_order_mark_is_kept_aside_not_fatal(self):
        path = self.write('nova.conf', '\ufeff[DEFAULT]\ndebug = true\n')
        ini = inifile.read(path)
        self.assertTrue(ini.has_bom)
        self.assertEqual('DEFAULT', ini.assignments[0].group)

    def test_missing_directory(self):
        error = self.assertRaises(
            findings.InputError, self.load,
            ('dir', os.path.join(self.tmp, 'nope')))
        self.assertEqual('no such directory', error.reason)
