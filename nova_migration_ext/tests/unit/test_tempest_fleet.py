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
"""How the tempest plugin picks its hosts from os-hypervisors details."""

import json

from oslotest import base

from nova_migration_ext.tests.tempest import fleet

INTEL = {'arch': 'x86_64', 'vendor': 'Intel', 'model': 'Skylake-Client-IBRS',
         'features': ['pge', 'clflush', 'vmx']}
AMD = {'arch': 'x86_64', 'vendor': 'AMD', 'model': 'EPYC-Rome',
       'features': ['pge', 'clflush', 'svm']}


def hypervisor(host, version=8002000, cpu=INTEL, free_ram_mb=16384,
               state='up', status='enabled'):
    return {'service': {'host': host}, 'hypervisor_type': 'QEMU',
            'hypervisor_version': version, 'cpu_info': json.dumps(cpu),
            'free_ram_mb': free_ram_mb, 'state': state, 'status': status}


class PickTestCase(base.BaseTestCase):

    def hosts(self, *hypervisors):
        return fleet.hosts(hypervisors)

    def names(self, found):
        return tuple(host.host for host in found)

    def test_older_host_is_the_bad_one(self):
        hosts = self.hosts(hypervisor('a'), hypervisor('b'),
                           hypervisor('old', version=7002000))
        self.assertEqual(('a', 'b', 'old'),
                         self.names(fleet.pick(hosts, fleet.older)))

    def test_no_older_host_no_pick(self):
        hosts = self.hosts(hypervisor('a'), hypervisor('b'))
        self.assertIsNone(fleet.pick(hosts, fleet.older))

    def test_down_and_disabled_hosts_are_left_out(self):
        hosts = self.hosts(hypervisor('a'), hypervisor('b', state='down'),
                           hypervisor('c', status='disabled'),
                           hypervisor('old', version=7002000))
        self.assertIsNone(fleet.pick(hosts, fleet.older))

    def test_bad_host_with_most_ram_and_good_with_least(self):
        hosts = self.hosts(hypervisor('a', free_ram_mb=8000),
                           hypervisor('b', free_ram_mb=4000),
                           hypervisor('c', free_ram_mb=2000),
                           hypervisor('amd1', cpu=AMD,
                                      free_ram_mb=1000),
                           hypervisor('amd2', cpu=AMD,
                                      free_ram_mb=9000))
        self.assertEqual(('a', 'c', 'amd2'),
                         self.names(fleet.pick(hosts, fleet.other_cpu)))

    def test_cpu_missing_a_feature_is_other(self):
        fewer = dict(INTEL, features=['pge'])
        hosts = self.hosts(hypervisor('a'), hypervisor('b'),
                           hypervisor('c', cpu=fewer))
        self.assertEqual(('a', 'b', 'c'),
                         self.names(fleet.pick(hosts, fleet.other_cpu)))

    def test_ram_pick_sizes_the_flavor_above_the_small_host(self):
        hosts = self.hosts(hypervisor('a'), hypervisor('b'),
                           hypervisor('small', free_ram_mb=3072))
        source, good, bad, ram_mb = fleet.ram_pick(hosts)
        self.assertEqual(('a', 'b', 'small', 3584),
                         (source.host, good.host, bad.host, ram_mb))

    def test_ram_pick_none_when_all_alike(self):
        hosts = self.hosts(hypervisor('a'), hypervisor('b'))
        self.assertIsNone(fleet.ram_pick(hosts))
