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
"""LocalFilesystemProbe: instances_path on a filesystem of this host."""

from nova_migration_ext import facts

# Filesystems that cannot be shared between hosts. Anything else (a shared
# block filesystem such as OCFS2 or GFS2, CIFS, Lustre, a FUSE mount)
# is left unnamed rather than called local.
LOCAL_FSTYPES = frozenset((
    'bcachefs', 'btrfs', 'ext2', 'ext3', 'ext4', 'f2fs', 'jfs', 'overlay',
    'ramfs', 'reiserfs', 'tmpfs', 'vfat', 'xfs', 'zfs',
))


class LocalFilesystemProbe:
    """``local:<host>:<filesystem>``, unique to the host.

    The filesystem is named by its UUID when udev knows it, else by its
    device, else by the fsid statfs reports.
    """

    order = 90

    def identify(self, storage):
        mount = storage.mount
        if mount is None or mount.fstype not in LOCAL_FSTYPES:
            return None
        return '%s%s:%s' % (facts.LOCAL_STORAGE_PREFIX, storage.host,
                            _filesystem(storage, mount))


def _filesystem(storage, mount):
    system = storage.system
    if mount.source.startswith('/dev/'):
        uuid = system.device_uuids().get(system.realpath(mount.source))
        return 'uuid=' + uuid if uuid else mount.source
    return 'fsid=%x' % system.statvfs(mount.target).f_fsid
