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
"""host_facts: the values a host publishes, each read on its own."""

import fixtures
import testtools

from nova_migration_ext.rules import hypervisor
from nova_migration_ext.tests.unit.virt import sample
from nova_migration_ext.virt import host_facts


class MemAvailableTest(testtools.TestCase):

    def test_mib_of_proc_meminfo(self):
        self.assertEqual(20480,
                         host_facts.mem_available_mb(sample.PROC_MEMINFO))

    def test_rounded_down(self):
        self.assertEqual(1, host_facts.mem_available_mb(
            'MemAvailable:       2047 kB\n'))

    def test_old_kernel_without_mem_available(self):
        self.assertIsNone(host_facts.mem_available_mb(
            'MemTotal: 1024 kB\nMemFree: 512 kB\n'))
        self.assertIsNone(host_facts.mem_available_mb(''))


class CpuModeTest(testtools.TestCase):

    def test_configured_mode_wins(self):
        self.assertEqual('custom',
                         host_facts.cpu_mode('custom', 'kvm', 'x86_64'))

    def test_nova_default_for_kvm_and_qemu(self):
        for virt_type in ('kvm', 'qemu'):
            self.assertEqual('host-model',
                             host_facts.cpu_mode(None, virt_type, 'x86_64'))
        self.assertEqual('host-passthrough',
                         host_facts.cpu_mode(None, 'kvm', 'aarch64'))

    def test_other_virt_types_set_no_cpu(self):
        self.assertEqual('none', host_facts.cpu_mode(None, 'lxc', 'x86_64'))


class CollectTest(testtools.TestCase):

    def test_values_are_strings(self):
        self.assertEqual({'a': '1', 'b': 'x'},
                         host_facts.collect({'a': lambda: 1,
                                             'b': lambda: 'x'}))

    def test_failing_or_empty_reader_leaves_its_key_out(self):
        log = self.useFixture(fixtures.FakeLogger())

        def broken():
            raise OSError(2, 'No such file or directory')

        stats = host_facts.collect({'a': broken, 'b': lambda: None,
                                    'c': lambda: 'ok'})
        self.assertEqual({'c': 'ok'}, stats)
        self.assertIn('Cannot publish a: FileNotFoundError: [Errno 2] '
                      'No such file or directory', log.output)

    def test_version_text(self):
        self.assertEqual('10.0.0', hypervisor.as_text(10000000))
        self.assertEqual('8.2.1', hypervisor.as_text('8002001'))
