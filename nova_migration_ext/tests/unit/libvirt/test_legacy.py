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

import itertools
import os

import fixtures
import testtools

from nova_migration_ext.libvirt import flag_table as bits
from nova_migration_ext.libvirt import flags

SEED = ('VIR_MIGRATE_UNDEFINE_SOURCE,VIR_MIGRATE_PEER2PEER,VIR_MIGRATE_LIVE,'
        'VIR_MIGRATE_PERSIST_DEST,VIR_MIGRATE_TUNNELLED')
# The legacy defaults of Nova 13.
OLD_LIVE = ('VIR_MIGRATE_UNDEFINE_SOURCE, VIR_MIGRATE_PEER2PEER, '
            'VIR_MIGRATE_LIVE, VIR_MIGRATE_TUNNELLED')
OLD_BLOCK = OLD_LIVE + ', VIR_MIGRATE_NON_SHARED_INC'


class TestTranslateLegacy(testtools.TestCase):

    def test_seed_string(self):
        translation = flags.translate_legacy(SEED)
        self.assertEqual([('live_migration_tunnelled', True),
                          ('live_migration_with_native_tls', False),
                          ('live_migration_permit_post_copy', False),
                          ('live_migration_permit_auto_converge', False),
                          ('live_migration_parallel_connections', 1)],
                         list(translation.options.items()))
        self.assertEqual(flags.parse(SEED), translation.nova_live)
        self.assertEqual([], translation.inexpressible)
        self.assertEqual([], translation.errors)
        self.assertTrue(any('live_migration_tunnelled is deprecated' in note
                            for note in translation.notes))
        self.assertEqual(['tunnelled-deprecated'],
                         [f.code for f in translation.findings['live']])

    def test_tunnelled_warns_that_block_migrations_fail(self):
        notes = flags.translate_legacy(SEED).notes
        self.assertTrue(any('invalid block set' in note and
                            'VIR_MIGRATE_TUNNELLED' in note
                            for note in notes), notes)

    def test_every_option_combination_is_reproduced(self):
        option_flags = [bits.TUNNELLED, bits.TLS, bits.POSTCOPY,
                        bits.AUTO_CONVERGE, bits.PARALLEL]
        for chosen in itertools.product((0, 1), repeat=len(option_flags)):
            extra = sum(bit for bit, on in zip(option_flags, chosen) if on)
            if extra & bits.POSTCOPY and extra & bits.AUTO_CONVERGE:
                continue
            live, block = flags.nova_flags(
                tunnelled=bool(extra & bits.TUNNELLED),
                native_tls=bool(extra & bits.TLS),
                permit_post_copy=bool(extra & bits.POSTCOPY),
                permit_auto_converge=bool(extra & bits.AUTO_CONVERGE),
                parallel_connections=2 if extra & bits.PARALLEL else 1)
            translation = flags.translate_legacy(live, block)
            self.assertEqual((live, block), (translation.nova_live,
                                             translation.nova_block))
            self.assertEqual([], translation.inexpressible)

    def test_deprecated_option_is_not_set_when_false(self):
        options = flags.translate_legacy('LIVE,PEER2PEER').options
        self.assertNotIn('live_migration_tunnelled', options)

    def test_nova_13_defaults(self):
        translation = flags.translate_legacy(OLD_LIVE, OLD_BLOCK)
        self.assertTrue(translation.options['live_migration_tunnelled'])
        self.assertEqual(['tunnelled-with-storage'],
                         [f.code for f in translation.errors])
        self.assertIn('Nova 34 adds VIR_MIGRATE_PERSIST_DEST, which the '
                      'legacy live and block sets lacked: Nova always sets '
                      'it.', translation.notes)

    def test_inexpressible_bits_are_named_with_why(self):
        translation = flags.translate_legacy(
            'LIVE|PEER2PEER|COMPRESSED|NON_SHARED_INC|PAUSED',
            'LIVE|PEER2PEER|NON_SHARED_DISK|TLS')
        self.assertEqual(
            [('VIR_MIGRATE_PAUSED', 'live'),
             ('VIR_MIGRATE_NON_SHARED_INC', 'live'),
             ('VIR_MIGRATE_COMPRESSED', 'live'),
             ('VIR_MIGRATE_NON_SHARED_DISK', 'block'),
             ('VIR_MIGRATE_TLS', 'block')],
            [(item.flag, item.flag_set)
             for item in translation.inexpressible])
        reasons = {item.flag: item.reason
                   for item in translation.inexpressible}
        self.assertIn('only to block migrations',
                      reasons['VIR_MIGRATE_NON_SHARED_INC'])
        self.assertIn('NON_SHARED_INC only',
                      reasons['VIR_MIGRATE_NON_SHARED_DISK'])
        self.assertIn('follow the live set', reasons['VIR_MIGRATE_TLS'])
        self.assertIn('no option for migration compression',
                      reasons['VIR_MIGRATE_COMPRESSED'])
        self.assertEqual('VIR_MIGRATE_COMPRESSED (live set): Nova 34 has no '
                         'option for migration compression',
                         translation.inexpressible[2])
        self.assertEqual({'flag': 'VIR_MIGRATE_TLS', 'flag_set': 'block',
                          'reason': reasons['VIR_MIGRATE_TLS']},
                         translation.as_dict()['inexpressible'][4])

    def test_block_set_alone(self):
        translation = flags.translate_legacy(None, OLD_BLOCK)
        self.assertIsNone(translation.live)
        self.assertTrue(translation.options['live_migration_tunnelled'])
        self.assertEqual(['block'], list(translation.findings))
        self.assertEqual([], translation.inexpressible)
        snippet = translation.as_ini()
        self.assertNotIn('live_migration_flag:', snippet)
        self.assertIn('block_migration_flag:', snippet)
        self.assertIsNone(translation.as_dict()['legacy']['live'])

    def test_nothing_to_translate(self):
        self.assertRaises(flags.FlagError, flags.translate_legacy, None)

    def test_post_copy_wins_over_auto_converge(self):
        translation = flags.translate_legacy(
            'LIVE|PEER2PEER|PERSIST_DEST|UNDEFINE_SOURCE|POSTCOPY|'
            'AUTO_CONVERGE')
        self.assertTrue(
            translation.options['live_migration_permit_post_copy'])
        self.assertFalse(
            translation.options['live_migration_permit_auto_converge'])
        item, = translation.inexpressible
        self.assertEqual('VIR_MIGRATE_AUTO_CONVERGE', item.flag)
        self.assertIn('live_migration_permit_post_copy = False', item.reason)

    def test_parallel_needs_a_connection_count(self):
        translation = flags.translate_legacy(
            'LIVE|PEER2PEER|PERSIST_DEST|UNDEFINE_SOURCE|PARALLEL')
        self.assertEqual(
            2, translation.options['live_migration_parallel_connections'])
        self.assertTrue(any('how many connections' in note
                            for note in translation.notes))

    def test_bad_expression(self):
        exc = self.assertRaises(flags.FlagError, flags.translate_legacy,
                                'LIVE', 'LIVE|NON_SHARED_INCC')
        self.assertEqual('VIR_MIGRATE_NON_SHARED_INC', exc.suggestion)

    def test_as_dict(self):
        data = flags.translate_legacy(SEED).as_dict()
        self.assertEqual({'live_migration_tunnelled': True,
                          'live_migration_with_native_tls': False,
                          'live_migration_permit_post_copy': False,
                          'live_migration_permit_auto_converge': False,
                          'live_migration_parallel_connections': 1},
                         data['options'])
        self.assertEqual('0x1f', data['nova']['live']['hex'])
        self.assertIsNone(data['legacy']['block'])
        self.assertEqual('tunnelled-deprecated',
                         data['findings']['live'][0]['code'])


class TestAsIni(testtools.TestCase):
    """The snippet, pasted into nova.conf, gives Nova the predicted sets."""

    def _read_back(self, snippet):
        path = os.path.join(self.useFixture(fixtures.TempDir()).path,
                            'nova.conf')
        with open(path, 'w') as f:
            f.write('[DEFAULT]\ndebug = True\n\n' + snippet)
        self.useFixture(fixtures.FakeLogger())
        return flags.effective_flags(flags.read_config_files([path]))

    def test_seed_snippet(self):
        translation = flags.translate_legacy(SEED)
        snippet = translation.as_ini()
        self.assertTrue(snippet.startswith('[libvirt]\n'))
        self.assertIn('\nlive_migration_tunnelled = True\n', snippet)
        self.assertIn('# Note: live_migration_tunnelled is deprecated',
                      snippet)
        self.assertEqual((translation.nova_live, translation.nova_block),
                         self._read_back(snippet))
        self.assertTrue(all(len(line) <= 79 for line in snippet.splitlines()))

    def test_snippet_with_inexpressible_bits_and_errors(self):
        translation = flags.translate_legacy(
            'LIVE|PEER2PEER|COMPRESSED|NON_SHARED_INC|POSTCOPY',
            'LIVE|PEER2PEER|NON_SHARED_DISK|POSTCOPY')
        snippet = translation.as_ini()
        self.assertIn('# Not expressible in Nova 34, left out:\n'
                      '#   VIR_MIGRATE_NON_SHARED_INC (live set):', snippet)
        self.assertIn('# Error in the legacy live set: the live set carries\n'
                      '#   VIR_MIGRATE_NON_SHARED_INC.', snippet)
        self.assertIn('#   block_migration_flag: VIR_MIGRATE_LIVE,', snippet)
        self.assertEqual((translation.nova_live, translation.nova_block),
                         self._read_back(snippet))
