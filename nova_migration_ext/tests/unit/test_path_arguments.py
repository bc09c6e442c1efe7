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

"""Every file or directory option of every command refuses what it cannot
read in one line naming the path, exit status 2, never a traceback.

The options are found by walking the console script's argparse parsers,
so a new command's options are covered without being listed here.
"""

import argparse
import os

import fixtures
import testtools

from nova_migration_ext.cmd import main
from nova_migration_ext.cmd import paths
from nova_migration_ext.tests.unit.audit import utils

_PATH_WORDS = ('file', 'conf', 'dir', 'path')


def _commands(parser, prefix=()):
    """(sub-command words, parser) for every command and action."""
    subparsers = [action for action in parser._actions
                  if isinstance(action, argparse._SubParsersAction)]
    if not subparsers:
        yield prefix, parser
    for action in subparsers:
        for name, sub in action.choices.items():
            yield from _commands(sub, prefix + (name,))


def _options():
    """(command words, parser, action) of every option and argument."""
    for words, parser in _commands(main.build_parser()):
        for action in parser._actions:
            if not isinstance(action, argparse._HelpAction):
                yield words, parser, action


def _takes_a_path(action):
    if action.type in paths.TYPES:
        return True
    names = ' '.join((action.dest or '',) + tuple(action.option_strings))
    return (str(action.metavar) in ('FILE', 'PATH', 'DIR')
            or any(word in names.lower() for word in _PATH_WORDS))


def _takes_a_directory(action):
    return action.type is paths.directory or action.metavar == 'DIR'


def _takes_a_file(action):
    return _takes_a_path(action) and not _takes_a_directory(action)


class PathArgumentsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.good = self.write('good.conf', b'[DEFAULT]\n')
        # What an operator may point an option at by mistake.
        self.bad_files = {
            'binary': self.write('binary.conf', b'[DEFAULT]\n\x00\x01\xff'),
            'Latin-1': self.write('latin1.conf',
                                  '[DEFAULT]\n# café\n'.encode('latin-1')),
            'directory': self.tmp,
            'missing': os.path.join(self.tmp, 'missing.conf'),
        }

    def write(self, name, data):
        path = os.path.join(self.tmp, name)
        with open(path, 'wb') as stream:
            stream.write(data)
        return path

    def argv(self, words, parser, tested, value):
        """A command line giving ``tested`` the value ``value`` and every
        other required argument something valid-looking.
        """
        argv = list(words)
        for action in parser._actions:
            if action is tested:
                argv += [action.option_strings[0], value]
            elif action.required or not action.option_strings:
                filler = (self.tmp if _takes_a_directory(action)
                          else self.good if _takes_a_file(action)
                          else action.choices[0] if action.choices else 'x')
                argv += list(action.option_strings[:1]) + [filler]
        return argv

    def assertRefused(self, argv, path):
        status, out, err = utils.run_cli(*argv)
        what = ' '.join(argv)
        self.assertEqual(2, status, '%s: %s%s' % (what, out, err))
        self.assertEqual('', out, what)
        self.assertEqual(1, err.count('\n'), '%s: %s' % (what, err))
        self.assertNotIn('Traceback', err, what)
        self.assertIn('cannot read %s' % path, err, what)

    def test_every_path_option_is_checked(self):
        found = []
        for words, _parser, action in _options():
            if _takes_a_path(action):
                found.append(' '.join(words + tuple(action.option_strings)))
                self.assertIn(action.type, paths.TYPES,
                              '%s takes a path: give it a type from '
                              'nova_migration_ext.cmd.paths' % found[-1])
        # The walk finds the options known today (and any new ones).
        self.assertTrue({'explain --config-file',
                         'flags effective --config-file',
                         'audit --nova-conf', 'audit --nova-conf-dir',
                         'audit --libvirtd-conf',
                         'audit --libvirtd-sysconfig'}.issubset(found),
                        found)

    def test_files_that_cannot_be_read(self):
        for words, parser, action in _options():
            if not _takes_a_file(action):
                continue
            for kind, path in self.bad_files.items():
                if kind == 'Latin-1' and action.type is paths.text_file:
                    # libvirtd and the shell read any ASCII-compatible text.
                    continue
                self.assertRefused(self.argv(words, parser, action, path),
                                   path)

    def test_latin1_where_any_text_is_read(self):
        path = self.bad_files['Latin-1']
        for words, parser, action in _options():
            if action.type is paths.text_file:
                status, _out, err = utils.run_cli(
                    *self.argv(words, parser, action, path))
                self.assertNotIn('Traceback', err)
                self.assertLessEqual(err.count('\n'), 1, err)

    def test_directories_that_cannot_be_read(self):
        for words, parser, action in _options():
            if not _takes_a_directory(action):
                continue
            for path in (self.good, os.path.join(self.tmp, 'missing.d')):
                self.assertRefused(self.argv(words, parser, action, path),
                                   path)
