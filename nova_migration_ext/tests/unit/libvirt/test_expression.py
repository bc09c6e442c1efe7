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

import subprocess
import sys

import libvirt
import testtools

from nova_migration_ext.libvirt import flag_table
from nova_migration_ext.libvirt import flags

SEED = ('VIR_MIGRATE_UNDEFINE_SOURCE,VIR_MIGRATE_PEER2PEER,VIR_MIGRATE_LIVE,'
        'VIR_MIGRATE_PERSIST_DEST,VIR_MIGRATE_TUNNELLED')


class TestParse(testtools.TestCase):

    def test_full_names_from_a_legacy_nova_conf(self):
        self.assertEqual(1 | 2 | 4 | 8 | 16, flags.parse(SEED))

    def test_short_names_any_case_and_separators(self):
        self.assertEqual(
            1 | 2 | 8 | 16 | 128,
            flags.parse('live | Peer2Peer,persist_dest\tUNDEFINE_SOURCE '
                        'vir_migrate_non_shared_inc'))

    def test_quotes_as_found_in_nova_conf(self):
        self.assertEqual(3, flags.parse('"VIR_MIGRATE_LIVE, '
                                        'VIR_MIGRATE_PEER2PEER"'))
        self.assertEqual(3, flags.parse("'LIVE|PEER2PEER'"))
        self.assertEqual(3, flags.parse('"LIVE", "PEER2PEER"'))

    def test_trailing_and_repeated_separators_are_ignored(self):
        self.assertEqual(3, flags.parse(' LIVE,, PEER2PEER, '))

    def test_duplicates_are_harmless(self):
        self.assertEqual(1, flags.parse('LIVE,VIR_MIGRATE_LIVE'))

    def test_integers(self):
        self.assertEqual(27, flags.parse('27'))
        self.assertEqual(27, flags.parse('0x1b'))
        self.assertEqual(27, flags.parse('0X1B'))
        self.assertEqual(27, flags.parse(27))
        self.assertEqual(0, flags.parse('0'))

    def test_integer_tokens_mix_with_names(self):
        self.assertEqual(3, flags.parse('LIVE|0x2'))

    def test_unknown_name_quotes_it_and_suggests_the_closest(self):
        exc = self.assertRaises(flags.FlagError, flags.parse,
                                'LIVE,VIR_MIGRATE_PEER2PEEER')
        self.assertEqual("unknown migration flag 'VIR_MIGRATE_PEER2PEEER': "
                         "did you mean VIR_MIGRATE_PEER2PEER?", str(exc))
        self.assertEqual('VIR_MIGRATE_PEER2PEEER', exc.token)
        self.assertEqual('VIR_MIGRATE_PEER2PEER', exc.suggestion)
        self.assertIsInstance(exc, ValueError)

    def test_american_spelling_suggests_tunnelled(self):
        exc = self.assertRaises(flags.FlagError, flags.parse, 'tunneled')
        self.assertEqual('VIR_MIGRATE_TUNNELLED', exc.suggestion)

    def test_virsh_spelling_suggests_the_flag(self):
        exc = self.assertRaises(flags.FlagError, flags.parse, 'LIVE,p2p')
        self.assertEqual("unknown migration flag 'p2p': did you mean "
                         "VIR_MIGRATE_PEER2PEER?", str(exc))

    def test_unknown_name_without_a_close_match_lists_valid_names(self):
        exc = self.assertRaises(flags.FlagError, flags.parse, 'bogus')
        self.assertIsNone(exc.suggestion)
        self.assertIn("'bogus'", str(exc))
        self.assertIn('LIVE, PEER2PEER, TUNNELLED', str(exc))

    def test_empty_expressions(self):
        for expr in ('', '   ', ',', ' | ', '""', "''"):
            exc = self.assertRaises(flags.FlagError, flags.parse, expr)
            self.assertIn('empty flag expression', str(exc))

    def test_unknown_bits_in_an_integer(self):
        exc = self.assertRaises(flags.FlagError, flags.parse, '0x400003')
        self.assertEqual('0x400003 sets bit(s) 0x400000, which are no '
                         'VIR_MIGRATE_* flag (known flags: 0x1fffff)',
                         str(exc))
        self.assertRaises(flags.FlagError, flags.parse, 1 << 40)

    def test_negative_and_non_integer_masks(self):
        self.assertRaises(flags.FlagError, flags.parse, -1)
        self.assertRaises(flags.FlagError, flags.parse, '-1')
        self.assertRaises(flags.FlagError, flags.parse, True)
        self.assertRaises(flags.FlagError, flags.parse, None)
        self.assertRaises(flags.FlagError, flags.parse, 1.0)


class TestNames(testtools.TestCase):

    def test_full_names_in_bit_order(self):
        self.assertEqual(
            ['VIR_MIGRATE_LIVE', 'VIR_MIGRATE_PEER2PEER',
             'VIR_MIGRATE_TUNNELLED', 'VIR_MIGRATE_PERSIST_DEST',
             'VIR_MIGRATE_UNDEFINE_SOURCE'],
            flags.names(flags.parse(SEED)))

    def test_no_flags(self):
        self.assertEqual([], flags.names(0))

    def test_every_flag_round_trips(self):
        for name, bit in flags.FLAGS.items():
            self.assertEqual([name], flags.names(flags.parse(name)))
            self.assertEqual(bit, flags.parse(flags.names(bit)[0]))
        everything = flags.parse(' '.join(flags.FLAGS))
        self.assertEqual(list(flags.FLAGS), flags.names(everything))

    def test_unknown_bits(self):
        self.assertRaises(flags.FlagError, flags.names, 1 << 30)

    def test_describe_and_summary(self):
        self.assertEqual('VIR_MIGRATE_LIVE|VIR_MIGRATE_PEER2PEER (0x3)',
                         flags.describe(3))
        self.assertEqual('no flags (0x0)', flags.describe(0))
        self.assertEqual({'mask': 3, 'hex': '0x3',
                          'names': ['VIR_MIGRATE_LIVE',
                                    'VIR_MIGRATE_PEER2PEER']},
                         flags.summary(3))


class TestFlagTable(testtools.TestCase):

    def test_builtin_table_matches_libvirt_python(self):
        self.assertEqual(flag_table.libvirt_python_flags(libvirt),
                         flag_table.BUILTIN)

    def test_libvirt_python_is_used_when_importable(self):
        self.assertEqual('libvirt-python', flags.SOURCE)

    def test_parameter_names_are_not_flags(self):
        self.assertNotIn('VIR_MIGRATE_PARAM_URI',
                         flag_table.libvirt_python_flags(libvirt))

    def test_importable_and_complete_without_libvirt_python(self):
        # A fresh interpreter where "import libvirt" fails, as on a
        # nova-scheduler host without libvirt-python.
        code = ('import sys; sys.modules["libvirt"] = None\n'
                'from nova_migration_ext.libvirt import flag_table, flags\n'
                'assert flags.SOURCE == "built-in table", flags.SOURCE\n'
                'assert flags.FLAGS == flag_table.BUILTIN\n'
                'print(flags.describe(flags.parse("live,peer2peer")))\n')
        out = subprocess.run([sys.executable, '-c', code], check=True,
                             capture_output=True, text=True).stdout
        self.assertEqual('VIR_MIGRATE_LIVE|VIR_MIGRATE_PEER2PEER (0x3)\n',
                         out)
