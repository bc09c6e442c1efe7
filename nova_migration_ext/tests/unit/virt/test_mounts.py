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
"""virt.mounts: the mount a path lives on."""

import testtools

from nova_migration_ext.tests.unit.virt import sample
from nova_migration_ext.virt import mounts


class MountsTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.mounts = mounts.parse(sample.PROC_MOUNTS)

    def target_of(self, path):
        return mounts.containing(path, self.mounts).target

    def test_longest_prefix_wins(self):
        self.assertEqual('/var/lib/nova/instances',
                         self.target_of('/var/lib/nova/instances/abc/disk'))
        self.assertEqual('/var', self.target_of('/var/lib/nova'))
        self.assertEqual('/', self.target_of('/srv'))

    def test_prefix_is_by_path_component(self):
        self.assertEqual('/var', self.target_of('/var/lib/nova/instances2'))

    def test_mount_point_itself(self):
        mount = mounts.containing('/var/lib/nova/instances/', self.mounts)
        self.assertEqual(('10.0.0.5:/export/instances', 'nfs4'),
                         (mount.source, mount.fstype))
        self.assertEqual('', mounts.relative('/var/lib/nova/instances',
                                             mount))

    def test_octal_escapes_are_decoded(self):
        mount = mounts.containing('/mnt/my share/x', self.mounts)
        self.assertEqual(('nas:/srv/my share', '/mnt/my share'),
                         mount[:2])
        self.assertEqual('x', mounts.relative('/mnt/my share/x', mount))

    def test_last_of_stacked_mounts_wins(self):
        stacked = mounts.parse('a /data ext4 rw 0 0\n'
                               'b:/x /data nfs rw 0 0\n')
        self.assertEqual('b:/x', mounts.containing('/data/i', stacked).source)

    def test_malformed_lines_are_skipped(self):
        self.assertEqual([mounts.Mount('/dev/sda2', '/', 'ext4')],
                         mounts.parse('garbage\n\n/dev/sda2 / ext4 rw 0 0\n'))

    def test_nothing_listed(self):
        self.assertIsNone(mounts.containing('/x', mounts.parse('')))
        self.assertIsNone(mounts.containing('/x', mounts.parse(None)))
