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
"""rules.cpu: a live-migrated guest keeps its host-derived CPU."""

import json

import testtools

from nova_migration_ext.rules import cpu

SKYLAKE = {
    'arch': 'x86_64', 'vendor': 'Intel', 'model': 'Skylake-Server-IBRS',
    'features': ['avx2', 'avx512f', 'pku', 'sse4.2', 'vmx'],
    'topology': {'cells': 1, 'sockets': 1, 'cores': 4, 'threads': 2},
}


def cpu_info(**changes):
    return json.dumps(dict(SKYLAKE, **changes))


class KeepsGuestCpuTest(testtools.TestCase):

    def check(self, dest, mode='host-model', source=None):
        return cpu.keeps_guest_cpu(mode, source or cpu_info(), dest)

    def test_same_cpu_passes(self):
        self.assertTrue(self.check(cpu_info()).ok)

    def test_more_features_pass(self):
        result = self.check(cpu_info(features=SKYLAKE['features'] + ['amx']))
        self.assertTrue(result.ok)

    def test_missing_features_are_named(self):
        result = self.check(cpu_info(features=['avx2', 'sse4.2', 'vmx']))
        self.assertFalse(result.ok)
        self.assertEqual(
            'CPU lacks features avx512f,pku of source (host-model)',
            result.reason)

    def test_host_passthrough_is_checked(self):
        result = self.check(cpu_info(features=['avx2']),
                            mode='host-passthrough')
        self.assertFalse(result.ok)
        self.assertIn('host-passthrough', result.reason)

    def test_other_vendor(self):
        result = self.check(cpu_info(vendor='AMD'))
        self.assertEqual((False, 'CPU vendor AMD != source Intel'), result)

    def test_other_arch(self):
        result = self.check(cpu_info(arch='aarch64', vendor=None))
        self.assertEqual((False, 'CPU arch aarch64 != source x86_64'),
                         result)

    def test_custom_and_none_modes_pass_any_cpu(self):
        for mode in ('custom', 'none'):
            result = self.check(cpu_info(vendor='AMD', features=[]),
                                mode=mode)
            self.assertEqual(cpu.verdict.PASS, result, mode)

    def test_custom_mode_passes_even_garbage(self):
        self.assertTrue(self.check('not json', mode='custom').ok)

    def test_unpublished_mode_is_novas_default_on_qemu(self):
        for mode in (None, ''):
            result = self.check(cpu_info(features=['avx2']), mode=mode)
            self.assertEqual(
                (False, "CPU lacks features avx512f,pku,sse4.2,vmx of source "
                        "(host-model, Nova's default)"), result)
        arm = cpu_info(arch='aarch64', vendor='ARM', features=['sve'])
        self.assertIn("host-passthrough, Nova's default", cpu.keeps_guest_cpu(
            None, arm, cpu_info(arch='aarch64', vendor='ARM')).reason)

    def test_unpublished_mode_elsewhere_is_unknown(self):
        result = cpu.keeps_guest_cpu(None, cpu_info(), cpu_info(),
                                     source_hypervisor_type='ironic')
        self.assertEqual((None, 'source ironic publishes no CPU mode'),
                         result)

    def test_decoded_dict_is_accepted(self):
        self.assertTrue(self.check(dict(SKYLAKE)).ok)

    def test_garbage_destination_is_unknown(self):
        for garbage in (None, '', 'not json', '[1, 2]', 42,
                        cpu_info(features='avx2'),
                        cpu_info(features=[1, 2]),
                        cpu_info(arch=None),
                        cpu_info(vendor=7),
                        json.dumps({'vendor': 'Intel'})):
            result = self.check(garbage)
            self.assertIsNone(result.ok, garbage)
            self.assertTrue(result.reason.startswith('cpu_info'), result)

    def test_garbage_source_is_unknown(self):
        result = self.check(cpu_info(), source='{"arch": ')
        self.assertIsNone(result.ok)
        self.assertEqual("source cpu_info '{\"arch\": ' is not JSON",
                         result.reason)

    def test_long_garbage_is_shortened_in_the_reason(self):
        result = self.check('x' * 500)
        self.assertIsNone(result.ok)
        self.assertLess(len(result.reason), 100)

    def test_no_features_listed_means_none(self):
        result = self.check(json.dumps({'arch': 'x86_64', 'vendor': 'Intel'}),
                            source=json.dumps({'arch': 'x86_64',
                                               'vendor': 'Intel'}))
        self.assertTrue(result.ok)
