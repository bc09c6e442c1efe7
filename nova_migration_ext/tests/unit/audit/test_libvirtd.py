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

"""libvirtd.conf and sysconfig reading, proven against libvirt's parser.

libvirt's client reads ``libvirt.conf`` with the same parser (virConf) as
libvirtd reads libvirtd.conf, so ``virsh -c test:///default uri`` with a
generated file as its client configuration says whether libvirt accepts
the file and, if not, on which line and why.
"""

import os
import re
import shutil
import subprocess

import hypothesis
from hypothesis import strategies as st

from nova_migration_ext.audit import findings
from nova_migration_ext.audit import libvirtd
from nova_migration_ext.tests.unit.audit import utils

VIRSH = shutil.which('virsh')
SETPRIV = shutil.which('setpriv')
NOBODY = 65534
_SYNTAX = re.compile(r'configuration file syntax error: .*?:(\d+): (.*)')


class Libvirt:
    """virsh, reading a client configuration from a private directory.

    As root virsh reads /etc/libvirt/libvirt.conf whatever the
    environment says, so it runs as nobody there (session mode honours
    XDG_CONFIG_HOME).
    """

    def __init__(self, directory):
        self.home = directory
        self.conf = os.path.join(directory, 'config', 'libvirt',
                                 'libvirt.conf')
        os.makedirs(os.path.dirname(self.conf))
        for path in (directory, os.path.dirname(os.path.dirname(self.conf)),
                     os.path.dirname(self.conf)):
            os.chmod(path, 0o755)

    def verdict(self, text):
        with open(self.conf, 'w', encoding='utf-8',
                  errors='surrogateescape') as stream:
            stream.write(text)
        os.chmod(self.conf, 0o644)
        command = [VIRSH, '-q', '-c', 'test:///default', 'uri']
        if os.geteuid() == 0:
            command = [SETPRIV, '--reuid=%d' % NOBODY, '--regid=%d' % NOBODY,
                       '--clear-groups'] + command
        env = {'PATH': '/usr/bin:/bin', 'HOME': self.home,
               'XDG_CONFIG_HOME': os.path.join(self.home, 'config'),
               'XDG_CACHE_HOME': os.path.join(self.home, 'cache'),
               'XDG_RUNTIME_DIR': os.path.join(self.home, 'run')}
        done = subprocess.run(command, env=env, capture_output=True,
                              text=True, timeout=30)
        if done.returncode == 0:
            return ('ok',)
        match = _SYNTAX.search(done.stderr)
        if match is None:
            raise AssertionError('virsh failed otherwise: %s' % done.stderr)
        return 'error', int(match.group(1)), match.group(2).strip()


def ours(text):
    try:
        libvirtd.parse_conf('libvirt.conf', text)
    except findings.InputError as exc:
        return 'error', exc.line, exc.reason
    return ('ok',)


NAMES = st.sampled_from(['listen_tls', 'listen_tcp', 'auth_tcp', 'x',
                         'a_1', 'B2', '_bad', '9bad', ''])
VALUES = st.sampled_from([
    '1', '0', '-5', '+7', '-', '"none"', "'sasl'", '""', '"""a\nb"""',
    '"""open', '"open', "'it''s'", '"a\nb"', '[ "a", "b" ]',
    '[\n  "a",\n  "b",\n]', '[ ]', '[1 2]', '[ "a",', '[ "a" # c\n]',
    'none', '0x10', '12abc', ''])
STATEMENTS = st.one_of(
    st.builds('{}{}{}'.format, NAMES,
              st.sampled_from([' = ', '=', ' ', '==', '\t=\t']), VALUES),
    st.sampled_from(['# comment', '#', '', '  ', 'listen_tls = 1 # why']))
SEPARATORS = st.sampled_from(['\n', '\n', ';', '; ', '\r\n', ' ', '\n\n',
                              ' # note\n', ''])
CONFS = st.lists(st.tuples(STATEMENTS, SEPARATORS), max_size=8).map(
    lambda pairs: ''.join(s + sep for s, sep in pairs))


class TestAgainstLibvirt(utils.AuditTestCase):

    def setUp(self):
        super().setUp()
        if not VIRSH or (os.geteuid() == 0 and not SETPRIV):
            self.skipTest('needs virsh (libvirt-clients)')
        self.libvirt = Libvirt(self.tmp)

    @hypothesis.settings(max_examples=150, deadline=None)
    @hypothesis.given(CONFS)
    def test_same_verdict_line_and_reason_as_libvirt(self, text):
        self.assertEqual(self.libvirt.verdict(text), ours(text))

    def test_fixtures_are_files_libvirt_accepts(self):
        for name in ('issue/libvirtd.conf', 'clean/libvirtd.conf'):
            with open(utils.fixture(name)) as stream:
                text = stream.read()
            self.assertEqual(('ok',), self.libvirt.verdict(text), name)
            self.assertEqual(('ok',), ours(text), name)


class TestReadingLibvirtdConf(utils.AuditTestCase):

    def test_values_types_and_first_assignment_wins(self):
        conf = libvirtd.parse_conf('c', (
            'listen_tcp = 1\n'
            'auth_tcp = "none" # old guide\n'
            'tls_allowed_dn_list = [\n  "CN=a",\n  \'CN=b\',\n]\n'
            'listen_tcp = 0; host_uuid = """x"""\n'))
        self.assertEqual((1, 'number', 1), (conf.get('listen_tcp').value,
                                            conf.get('listen_tcp').kind,
                                            conf.get('listen_tcp').line))
        self.assertEqual('none', conf.get('auth_tcp').value)
        self.assertEqual(['CN=a', 'CN=b'],
                         conf.get('tls_allowed_dn_list').value)
        self.assertEqual([7], [e.line for e in conf.ignored('listen_tcp')])
        self.assertEqual('x', conf.get('host_uuid').value)

    def test_non_utf8_comment_is_fine_as_for_libvirt(self):
        # A Chinese comment saved in GBK, as some of the old guides' readers
        # will have it.
        path = self.write('libvirtd.conf',
                          '# 本机的IP地址\nlisten_tls = 1\n'.encode('gbk'))
        self.assertEqual(1, libvirtd.read_conf(path).get('listen_tls').value)


class TestReadingSysconfig(utils.AuditTestCase):

    def test_shell_assignments(self):
        variables = libvirtd.parse_variables('s', (
            '# comment\n'
            'export KRB5_KTNAME=/etc/libvirt/krb5.tab\n'
            "libvirtd_opts='-d -l'  # Debian, old style\n"
            'LIBVIRTD_ARGS="--timeout 120"\n'
            'LIBVIRTD_ARGS="--listen \\\n  --timeout 120"\n'))
        self.assertEqual('-d -l', variables['libvirtd_opts'].value)
        self.assertEqual(('--listen --timeout 120', 5),
                         (variables['LIBVIRTD_ARGS'].value,
                          variables['LIBVIRTD_ARGS'].line))
        self.assertEqual('/etc/libvirt/krb5.tab',
                         variables['KRB5_KTNAME'].value)

    def test_listen_arguments(self):
        for args, listens, without in (
                ('--listen', True, ''),
                ('-l', True, ''),
                ('-d -l', True, '-d'),
                ('-dl', True, '-d'),
                ('-ld --timeout 120', True, '-d --timeout 120'),
                ('--timeout 120', False, '--timeout 120'),
                ('-t 120', False, '-t 120'),
                ('-f/etc/libvirt/l.conf', False, '-f/etc/libvirt/l.conf'),
                ('', False, '')):
            self.assertEqual(listens, libvirtd.asks_to_listen(args), args)
            self.assertEqual(without, libvirtd.without_listen(args), args)

    def test_not_an_assignment(self):
        error = self.assertRaises(
            findings.InputError, libvirtd.parse_variables, 's',
            'LIBVIRTD_ARGS="--listen"\nif [ -x /x ]; then\n')
        self.assertEqual(2, error.line)
