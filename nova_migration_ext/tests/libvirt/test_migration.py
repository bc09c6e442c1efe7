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
"""The helper's flag sets, live-migrating a real guest between two real
libvirt daemons."""

import unittest
from unittest import mock
import uuid

import testtools

from nova_migration_ext.libvirt import flags
from nova_migration_ext.libvirt import migrate
from nova_migration_ext.tests.libvirt import daemons

try:
    import libvirt
except ImportError:
    # setUpClass skips, naming what is missing.
    libvirt = None

SEED = ('VIR_MIGRATE_UNDEFINE_SOURCE,VIR_MIGRATE_PEER2PEER,VIR_MIGRATE_LIVE,'
        'VIR_MIGRATE_PERSIST_DEST,VIR_MIGRATE_TUNNELLED')


class TestLiveMigration(testtools.TestCase):
    """One pair of daemons serves every test: they take seconds to start."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        reason = daemons.unavailable_reason()
        if reason:
            raise unittest.SkipTest('real libvirt unavailable: ' + reason)
        cls.daemons = daemons.DaemonPair()
        cls.daemons.setUp()

    @classmethod
    def tearDownClass(cls):
        cls.daemons.cleanUp()
        super().tearDownClass()

    def setUp(self):
        super().setUp()
        self.name = 'nme-%s' % uuid.uuid4().hex[:12]
        self.addCleanup(self.daemons.remove_guest, self.name)
        self.domain = self.daemons.start_guest(self.name)

    def _migrate(self, mask, **kwargs):
        return migrate.migrate_live(self.domain, self.daemons.dest.uri, mask,
                                    **kwargs)

    def assertOnSourceOnly(self):
        state, _ = self.daemons.source.conn.lookupByName(self.name).state()
        self.assertEqual(libvirt.VIR_DOMAIN_RUNNING, state)
        self.assertNotIn(self.name, self._names(self.daemons.dest))

    def assertMoved(self):
        moved = self.daemons.dest.conn.lookupByName(self.name)
        state, reason = moved.state()
        self.assertEqual((libvirt.VIR_DOMAIN_RUNNING,
                          libvirt.VIR_DOMAIN_RUNNING_MIGRATED),
                         (state, reason))
        # PERSIST_DEST and UNDEFINE_SOURCE did their part.
        self.assertTrue(moved.isPersistent())
        self.assertNotIn(self.name, self._names(self.daemons.source))

    def _names(self, daemon):
        return [domain.name() for domain in daemon.conn.listAllDomains()]

    def test_nova_default_live_set(self):
        live, _ = flags.nova_flags()
        self.assertEqual([], self._migrate(live))
        self.assertMoved()

    def test_nova_default_block_set(self):
        _, block = flags.nova_flags()
        self.assertEqual([], self._migrate(block, block=True))
        self.assertMoved()

    def test_tunnelled_from_the_legacy_seed_string(self):
        translation = flags.translate_legacy(SEED)
        self.assertEqual(flags.nova_flags(tunnelled=True)[0],
                         translation.nova_live)
        warnings = self._migrate(translation.nova_live)
        self.assertEqual(['tunnelled-deprecated'],
                         [warning.code for warning in warnings])
        self.assertMoved()

    def test_post_copy_and_auto_converge_permitted(self):
        reason = daemons.post_copy_unavailable_reason()
        if reason:
            self.skipTest(reason)
        live, _ = flags.nova_flags(permit_post_copy=True,
                                   permit_auto_converge=True)
        self.assertIn('VIR_MIGRATE_POSTCOPY', flags.names(live))
        self.assertNotIn('VIR_MIGRATE_AUTO_CONVERGE', flags.names(live))
        self.assertEqual([], self._migrate(live))
        self.assertMoved()

    def test_auto_converge_permitted(self):
        live, _ = flags.nova_flags(permit_auto_converge=True)
        self.assertIn('VIR_MIGRATE_AUTO_CONVERGE', flags.names(live))
        self.assertEqual([], self._migrate(live))
        self.assertMoved()

    def test_parallel_connections(self):
        live, _ = flags.nova_flags(parallel_connections=2)
        # Nova passes the count as a typed parameter beside the flag.
        self._migrate(live, params={
            libvirt.VIR_MIGRATE_PARAM_PARALLEL_CONNECTIONS: 2})
        self.assertMoved()

    def test_invalid_set_is_rejected_before_libvirt_is_called(self):
        # What Nova would send for a block migration with
        # live_migration_tunnelled = True.
        _, block = flags.nova_flags(tunnelled=True)
        spy = mock.Mock(wraps=self.domain)
        exc = self.assertRaises(
            migrate.FlagSetRejected, migrate.migrate_live, spy,
            self.daemons.dest.uri, block, block=True)
        self.assertEqual([], spy.mock_calls)
        self.assertEqual(['tunnelled-with-storage'],
                         [finding.code for finding in exc.findings])
        self.assertIn('VIR_MIGRATE_TUNNELLED', str(exc))
        self.assertOnSourceOnly()

    def test_set_libvirt_refuses_gives_a_clear_error(self):
        # Valid for the helper, but this host has no TLS certificates.
        live, _ = flags.nova_flags(native_tls=True)
        self.assertEqual([], flags.validate(live))
        exc = self.assertRaises(migrate.MigrationFailed, self._migrate, live)
        self.assertIsInstance(exc.__cause__, libvirt.libvirtError)
        self.assertEqual(exc.__cause__.get_error_code(), exc.libvirt_code)
        message = str(exc)
        self.assertTrue(message.startswith(
            "libvirt could not migrate guest '%s' to %s with "
            'VIR_MIGRATE_LIVE|VIR_MIGRATE_PEER2PEER|VIR_MIGRATE_PERSIST_DEST|'
            'VIR_MIGRATE_UNDEFINE_SOURCE|VIR_MIGRATE_TLS (0x1001b): '
            % (self.name, self.daemons.dest.uri)), message)
        self.assertIn('no-certificates', message)
        self.assertOnSourceOnly()
