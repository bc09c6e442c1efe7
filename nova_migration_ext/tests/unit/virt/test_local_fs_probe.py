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
"""LocalFilesystemProbe: an identity no other host shares."""

import testtools

from nova_migration_ext.tests.unit.virt import sample
from nova_migration_ext.virt.storage_probes import local_fs

ROOT_ON_EXT4 = '/dev/sda2 / ext4 rw,relatime 0 0\n'


def identify(mounts, **kwargs):
    return local_fs.LocalFilesystemProbe().identify(
        sample.storage(mounts=mounts, **kwargs))


class LocalFilesystemProbeTest(testtools.TestCase):

    def test_filesystem_named_by_uuid(self):
        found = identify(ROOT_ON_EXT4, host='compute7',
                         uuids={'/dev/sda2': '0b3c-77aa'})
        self.assertEqual('local:compute7:uuid=0b3c-77aa', found)

    def test_device_mapper_links_are_resolved(self):
        found = identify('/dev/mapper/vg-nova /var/lib/nova xfs rw 0 0\n',
                         links={'/dev/mapper/vg-nova': '/dev/dm-3'},
                         uuids={'/dev/dm-3': 'c0ffee'})
        self.assertEqual('local:compute1:uuid=c0ffee', found)

    def test_device_without_uuid(self):
        self.assertEqual('local:compute1:/dev/sda2', identify(ROOT_ON_EXT4))

    def test_no_device_uses_the_statfs_fsid(self):
        found = identify('overlay / overlay rw,lowerdir=/l 0 0\n',
                         fsids={'/': 0x6eed1e2c8f7a01b2})
        self.assertEqual('local:compute1:fsid=6eed1e2c8f7a01b2', found)

    def test_two_hosts_never_agree(self):
        self.assertNotEqual(identify(ROOT_ON_EXT4, host='a'),
                            identify(ROOT_ON_EXT4, host='b'))

    def test_shared_or_unknown_filesystems_are_not_mine(self):
        for mounts in (sample.PROC_MOUNTS,
                       '/dev/sdb /var/lib/nova/instances ocfs2 rw 0 0\n',
                       'sshfs#h:/x /var/lib/nova/instances fuse.sshfs '
                       'rw 0 0\n',
                       ''):
            self.assertIsNone(identify(mounts), mounts)
