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

"""The pure rules: values in, verdicts and reasons out."""

import testtools

from nova_migration_ext.rules import aggregate
from nova_migration_ext.rules import domains
from nova_migration_ext.rules import hypervisor
from nova_migration_ext.rules import ram


class HypervisorTest(testtools.TestCase):

    def test_older_destination_is_rejected_with_both_versions(self):
        result = hypervisor.not_older('QEMU', 8002000, 'QEMU', 7002000)
        self.assertIs(False, result.ok)
        self.assertEqual('QEMU 7.2.0 < source 8.2.0', result.reason)

    def test_same_or_newer_passes(self):
        self.assertTrue(hypervisor.not_older('QEMU', 8002000,
                                             'QEMU', 8002000).ok)
        self.assertTrue(hypervisor.not_older('QEMU', 8002000,
                                             'QEMU', '9000000').ok)

    def test_other_type_is_rejected(self):
        result = hypervisor.not_older('QEMU', 8002000, 'ironic', 9000000)
        self.assertEqual('hypervisor type ironic != source QEMU',
                         result.reason)

    def test_garbage_versions_are_unknown_not_errors(self):
        for dest in (None, 'eight', -1, 1.5, [], True):
            result = hypervisor.not_older('QEMU', 8002000, 'QEMU', dest)
            self.assertIsNone(result.ok, dest)
            self.assertIn('is not a version', result.reason)
        for source in (None, 'x', -3):
            result = hypervisor.not_older('QEMU', source, 'QEMU', 8002000)
            self.assertIsNone(result.ok)
        self.assertIsNone(hypervisor.not_older(None, 1, 'QEMU', 1).ok)


class RamTest(testtools.TestCase):

    def test_room_as_former_ram_filter(self):
        # 8192 x 1.5 - (8192 - 1024 free) = 5120 usable.
        self.assertTrue(ram.room_for(5120, 8192, 1024, 1.5).ok)
        result = ram.room_for(5121, 8192, 1024, 1.5)
        self.assertEqual('usable RAM 5120 MB < 5121 MB needed '
                         '(8192 MB x ratio 1.5 - 7168 MB used)',
                         result.reason)

    def test_cap_bounds_the_host_ratio(self):
        result = ram.room_for(2048, 4096, 1536, 1.5, ratio_cap=1.0)
        self.assertEqual('usable RAM 1536 MB < 2048 MB needed '
                         '(4096 MB x ratio 1 - 2560 MB used)', result.reason)
        # A host ratio below the cap is kept.
        self.assertFalse(ram.room_for(1000, 1000, 1000, 0.5,
                                      ratio_cap=1.0).ok)

    def test_headroom_is_named(self):
        result = ram.room_for(2048, 4096, 2048, 1.0, headroom_mb=512)
        self.assertEqual('usable RAM 2048 MB < 2560 MB (2048 MB + 512 MB '
                         'headroom) needed (4096 MB x ratio 1 - 2048 MB '
                         'used)', result.reason)

    def test_overcommitted_host_has_negative_free_ram(self):
        self.assertFalse(ram.room_for(1, 4096, -100, 1.0).ok)
        self.assertTrue(ram.room_for(1, 4096, -100, 2.0).ok)

    def test_bad_input_is_unknown(self):
        cases = [(-1, 4096, 1024, 1.0, 'instance RAM'),
                 (None, 4096, 1024, 1.0, 'instance RAM'),
                 (512, -4096, 1024, 1.0, 'total_usable_ram_mb=-4096'),
                 (512, 'lots', 1024, 1.0, 'total_usable_ram_mb'),
                 (512, 4096, None, 1.0, 'free_ram_mb=None'),
                 (512, 4096, 1024, 0, 'ram_allocation_ratio=0'),
                 (512, 4096, 1024, float('nan'), 'ram_allocation_ratio'),
                 (512, 4096, 1024, None, 'ram_allocation_ratio=None')]
        for requested, total, free, ratio, named in cases:
            result = ram.room_for(requested, total, free, ratio)
            self.assertIsNone(result.ok)
            self.assertIn(named, result.reason)


class DomainsTest(testtools.TestCase):

    def test_source_outside_domains_is_free(self):
        self.assertTrue(domains.must_share('x', frozenset(),
                                           frozenset({'a'}), 'k').ok)

    def test_shared_domain_passes(self):
        self.assertTrue(domains.must_share('x', frozenset({'a', 'b'}),
                                           frozenset({'b'}), 'k').ok)

    def test_reasons_name_both_sides(self):
        self.assertEqual(
            'shared storage nfs-b, source in nfs-a',
            domains.must_share('shared storage', frozenset({'nfs-a'}),
                               frozenset({'nfs-b'}), 'k').reason)
        self.assertEqual(
            'migration domain: none, source in dc1,dc2',
            domains.must_share('migration domain', frozenset({'dc2', 'dc1'}),
                               frozenset(), 'k').reason)


class ExtraSpecsTest(testtools.TestCase):

    def test_unscoped_and_scoped_keys_match_like_nova(self):
        metadata = {'ssd': frozenset({'true'}),
                    'ram_mhz': frozenset({'3200'})}
        specs = {'ssd': 'true',
                 'aggregate_instance_extra_specs:ram_mhz': '>= 3000',
                 'hw:cpu_policy': 'dedicated',
                 'migration_ext:anything': 'x'}
        self.assertTrue(aggregate.match_extra_specs(specs, metadata).ok)

    def test_missing_metadata_is_named(self):
        result = aggregate.match_extra_specs({'ssd': 'true'}, {})
        self.assertEqual("extra spec ssd='true': no aggregate metadata ssd",
                         result.reason)

    def test_mismatch_names_values(self):
        result = aggregate.match_extra_specs(
            {'aggregate_instance_extra_specs:ram_mhz': '>= 3000'},
            {'ram_mhz': frozenset({'2133'})})
        self.assertEqual("extra spec aggregate_instance_extra_specs:ram_mhz="
                         "'>= 3000' does not match aggregate metadata "
                         "ram_mhz=2133", result.reason)

    def test_non_numeric_metadata_rejects_instead_of_raising(self):
        result = aggregate.match_extra_specs(
            {'ram_mhz': '>= 3000'}, {'ram_mhz': frozenset({'fast'})})
        self.assertIs(False, result.ok)
        self.assertEqual("extra spec ram_mhz='>= 3000' cannot be compared "
                         "with aggregate metadata ram_mhz=fast", result.reason)

    def test_one_good_value_among_bad_ones_matches(self):
        self.assertTrue(aggregate.match_extra_specs(
            {'ram_mhz': '>= 3000'},
            {'ram_mhz': frozenset({'fast', '3200'})}).ok)

    def test_malformed_requests_reject(self):
        for wanted in ('<or>', '>= abc', '<all-in>', '== '):
            result = aggregate.match_extra_specs(
                {'k': wanted}, {'k': frozenset({'1'})})
            self.assertIs(False, result.ok, wanted)

    def test_no_extra_specs_pass(self):
        self.assertTrue(aggregate.match_extra_specs(None, {}).ok)
        self.assertTrue(aggregate.match_extra_specs({}, {}).ok)
