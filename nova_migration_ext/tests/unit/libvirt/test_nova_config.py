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
"""The helper against Nova's own LibvirtDriver._parse_migration_flags."""

import itertools
import os

import ddt
import fixtures
from nova import conf as nova_conf
from nova.tests.fixtures import libvirt as fakelibvirt
from nova.virt import fake
from nova.virt.libvirt import driver as libvirt_driver
from oslo_config import fixture as config_fixture
import testtools

from nova_migration_ext.libvirt import flags
from nova_migration_ext.libvirt import nova_config

# Every combination of the [libvirt] options Nova derives the flags from.
MATRIX = [dict(zip(nova_config.OPTIONS, values))
          for values in itertools.product((False, True), (False, True),
                                          (False, True), (False, True),
                                          (1, 2, 8))]


def fakelibvirt_names(mask):
    """Name the bits of a mask Nova built from fakelibvirt's constants.

    Decoding with fakelibvirt's own table keeps the comparison on names even
    where fakelibvirt defines only part of libvirt's flags.
    """
    table = {value: name for name, value in vars(fakelibvirt).items()
             if name.startswith('VIR_MIGRATE_') and isinstance(value, int)
             and not name.startswith('VIR_MIGRATE_PARAM_')}
    found = [table[bit] for bit in sorted(table) if mask & bit]
    unnamed = mask & ~sum(table)
    if unnamed:
        raise AssertionError('fakelibvirt names no flag for %#x' % unnamed)
    return found


@ddt.ddt
class TestAgreementWithNova(testtools.TestCase):
    """Nova's real driver method, over fakelibvirt, under each setting."""

    def setUp(self):
        super().setUp()
        self.useFixture(fakelibvirt.LibvirtFixture())
        self.config = self.useFixture(config_fixture.Config(nova_conf.CONF))

    def _nova_sets(self):
        driver = libvirt_driver.LibvirtDriver(fake.FakeVirtAPI(), False)
        driver._parse_migration_flags()
        return (fakelibvirt_names(driver._live_migration_flags),
                fakelibvirt_names(driver._block_migration_flags))

    @ddt.data(*MATRIX)
    def test_same_sets_as_nova(self, options):
        self.config.config(group='libvirt', **options)
        nova_live, nova_block = self._nova_sets()

        live, block = flags.flags_for_options(options)
        self.assertEqual(nova_live, flags.names(live))
        self.assertEqual(nova_block, flags.names(block))
        live, block = flags.effective_flags(nova_conf.CONF)
        self.assertEqual(nova_live, flags.names(live))
        self.assertEqual(nova_block, flags.names(block))

    def test_defaults(self):
        nova_live, nova_block = self._nova_sets()
        live, block = flags.nova_flags()
        self.assertEqual(nova_live, flags.names(live))
        self.assertEqual(nova_block, flags.names(block))
        self.assertEqual(['VIR_MIGRATE_LIVE', 'VIR_MIGRATE_PEER2PEER',
                          'VIR_MIGRATE_PERSIST_DEST',
                          'VIR_MIGRATE_UNDEFINE_SOURCE'], nova_live)

    def test_translation_of_the_seed_is_what_nova_uses(self):
        translation = flags.translate_legacy(
            'VIR_MIGRATE_UNDEFINE_SOURCE,VIR_MIGRATE_PEER2PEER,'
            'VIR_MIGRATE_LIVE,VIR_MIGRATE_PERSIST_DEST,VIR_MIGRATE_TUNNELLED')
        self.config.config(group='libvirt', **translation.options)
        nova_live, _ = self._nova_sets()
        self.assertEqual(flags.names(translation.live), nova_live)


class TestReadConfigFiles(testtools.TestCase):

    def setUp(self):
        super().setUp()
        # oslo.config logs the deprecation of live_migration_tunnelled.
        self.useFixture(fixtures.FakeLogger())
        self.dir = self.useFixture(fixtures.TempDir()).path

    def _write(self, name, text):
        path = os.path.join(self.dir, name)
        with open(path, 'w') as f:
            f.write(text)
        return path

    def test_nova_defaults_for_a_file_without_libvirt_section(self):
        conf = flags.read_config_files(
            [self._write('nova.conf', '[DEFAULT]\ndebug = True\n')])
        self.assertEqual(flags.nova_flags(), flags.effective_flags(conf))
        self.assertEqual({}, dict(flags.legacy_options(conf)))

    def test_later_files_override_earlier_ones(self):
        first = self._write('nova.conf', '[libvirt]\n'
                            'live_migration_permit_post_copy = true\n'
                            'live_migration_parallel_connections = 4\n')
        second = self._write('override.conf', '[libvirt]\n'
                             'live_migration_parallel_connections = 1\n'
                             'live_migration_with_native_tls = True\n')
        conf = flags.read_config_files([first, second])
        self.assertEqual([('live_migration_tunnelled', False),
                          ('live_migration_with_native_tls', True),
                          ('live_migration_permit_post_copy', True),
                          ('live_migration_permit_auto_converge', False),
                          ('live_migration_parallel_connections', 1)],
                         list(flags.libvirt_options(conf).items()))
        self.assertEqual(
            flags.nova_flags(native_tls=True, permit_post_copy=True),
            flags.effective_flags(conf))

    def test_removed_options_are_reported(self):
        conf = flags.read_config_files([self._write(
            'nova.conf', '[libvirt]\nlive_migration_flag = '
            '"VIR_MIGRATE_LIVE, VIR_MIGRATE_PEER2PEER"\n')])
        self.assertEqual(
            {'live_migration_flag': 'VIR_MIGRATE_LIVE, VIR_MIGRATE_PEER2PEER'},
            dict(flags.legacy_options(conf)))

    def test_nova_global_conf_has_no_removed_options(self):
        self.assertEqual({}, dict(flags.legacy_options(nova_conf.CONF)))

    def test_invalid_value_names_option_and_file(self):
        path = self._write('nova.conf',
                           '[libvirt]\nlive_migration_tunnelled = maybe\n')
        conf = flags.read_config_files([path])
        exc = self.assertRaises(flags.NovaConfigError,
                                flags.libvirt_options, conf)
        self.assertEqual('invalid value for [libvirt] live_migration_tunnelled'
                         " in %s: Unexpected boolean value 'maybe'" % path,
                         str(exc))

    def test_missing_file(self):
        path = os.path.join(self.dir, 'missing.conf')
        exc = self.assertRaises(flags.NovaConfigError,
                                flags.read_config_files, [path])
        self.assertIn(path, str(exc))

    def test_not_an_ini_file(self):
        path = self._write('nova.conf', '[libvirt\n')
        exc = self.assertRaises(flags.NovaConfigError,
                                flags.read_config_files, [path])
        self.assertIn(path, str(exc))

    def test_unknown_option_name(self):
        self.assertRaises(ValueError, flags.flags_for_options,
                          {'live_migration_flag': 'LIVE'})
