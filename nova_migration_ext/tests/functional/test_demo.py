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

"""``nova-migration-ext demo`` runs its embedded Nova and exits 0."""

import testtools

from nova_migration_ext.tests.functional import base


class DemoTest(testtools.TestCase):

    def test_demo_explains_and_makes_three_moves_and_a_drain(self):
        status, out, err = base.cli('demo')
        self.assertEqual((0, ''), (status, err), out)
        for line in (
                # What explain said on the live migration, per host.
                'old-qemu        8 HypervisorVersionFilter: QEMU 7.2.0 < '
                'source 8.2.0',
                'old-cpu        10 CpuCompatibilityFilter: CPU lacks features '
                'avx2,vmx of source (host-model)',
                # Placement narrowing left these two out of the candidates.
                'other-storage  placement: in none of the aggregates a '
                'request filter requires (member_of)\n'
                + ' ' * 20 + '9 SharedStorageFilter: shared storage nfs-b, '
                'source in ceph-a',
                'other-domain   placement: in none of the aggregates a '
                'request filter requires (member_of)\n'
                + ' ' * 20 + '6 MigrationAggregateFilter: migration domain '
                'rack-2, source in rack-1',
                'small-ram       7 MigrationRamFilter: usable RAM 1536 MB < '
                '2048 MB needed (2048 MB x ratio 1 - 512 MB used)',
                'disabled       placement: has forbidden trait '
                'COMPUTE_STATUS_DISABLED (compute service disabled)',
                # Stock Nova's picks, and where the real moves went.
                'Stock Nova (its default filters, without ours) would pick: '
                'other-storage.',
                'Stock Nova (its default filters, without ours) would pick: '
                'other-storage, the same host.',
                'Through the API, with no host given: vm-live is now on '
                'good.',
                'Through the API, with no host given: vm-cold is now on '
                'other-storage.',
                'Through the API, with no host given: vm-evac is now on '
                'good.',
                # The drain: its plan, progress and report.
                'The host can be emptied: every instance has a destination.',
                'vm-batch: moved to other-storage',
                'good is empty.',
                'good: compute service enabled (was disabled: '
                'nova-migration-ext drain of good)',
                'Every move landed where explain said it would, and the '
                'drain emptied good.'):
            self.assertIn(line, out)
        # The live migrations' memory progress, through Nova's API.
        self.assertRegex(out, r'vm-(live|web): live to source: running '
                              r'\d+%')
        # Readable in a terminal: Nova's own logs stayed captured.
        self.assertNotIn(' INFO ', out)
