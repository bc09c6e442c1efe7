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

"""Running ``nova-migration-ext audit`` the way a user does, in tests."""

import contextlib
import io
import json
import os
import sys
import types

import fixtures
import testtools

from nova_migration_ext.cmd import main
from nova_migration_ext.tests.unit.audit import fake_flags

FIXTURES = os.path.join(os.path.dirname(__file__), 'fixtures')


def fixture(name):
    return os.path.join(FIXTURES, name)


def run_cli(*argv):
    """(exit status, stdout, stderr) of ``nova-migration-ext *argv``."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main.main(list(argv))
        except SystemExit as exc:
            status = exc.code
    return status, out.getvalue(), err.getvalue()


class AuditTestCase(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path

    def write(self, name, content):
        path = os.path.join(self.tmp, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        mode = 'wb' if isinstance(content, bytes) else 'w'
        with open(path, mode) as stream:
            stream.write(content)
        return path

    def use_fake_flags(self):
        """Stand in for nova_migration_ext.libvirt.flags (another branch)."""
        package = types.ModuleType('nova_migration_ext.libvirt')
        package.flags = fake_flags
        # Only these two entries: mock.patch.dict(sys.modules) would also
        # drop every module first imported during the test.
        for name, module in (('nova_migration_ext.libvirt', package),
                             ('nova_migration_ext.libvirt.flags',
                              fake_flags)):
            self.addCleanup(self._restore_module, name,
                            sys.modules.get(name))
            sys.modules[name] = module

    @staticmethod
    def _restore_module(name, previous):
        if previous is None:
            sys.modules.pop(name, None)
        else:
            sys.modules[name] = previous

    def audit(self, *argv):
        return run_cli('audit', *argv)

    def audit_json(self, *argv):
        status, out, err = run_cli('audit', '--format', 'json', *argv)
        self.assertEqual('', err)
        return status, json.loads(out)

    def findings(self, *argv):
        """The findings as (severity, code, basename, line) tuples."""
        status, report = self.audit_json(*argv)
        return status, [(f['severity'], f['code'],
                         os.path.basename(f['file']), f['line'])
                        for f in report['findings']], report

    def assertOneLineError(self, status, out, err, *fragments):
        self.assertEqual(2, status)
        self.assertEqual('', out)
        self.assertEqual(1, err.count('\n'), err)
        self.assertTrue(err.endswith('\n'))
        self.assertNotIn('Traceback', err)
        for fragment in fragments:
            self.assertIn(fragment, err)
