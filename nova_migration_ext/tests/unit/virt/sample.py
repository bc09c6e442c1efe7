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
"""Sample /proc files and a host whose readers return them."""

import collections
import posixpath

from nova_migration_ext.virt import storage_probes
from nova_migration_ext.virt import system

# A compute host: root on ext4, /var/lib/nova/instances on NFS (with a
# space in a mount point to exercise /proc/mounts escaping).
PROC_MOUNTS = """\
proc /proc proc rw,nosuid,nodev,noexec,relatime 0 0
sysfs /sys sysfs rw,nosuid,nodev,noexec,relatime 0 0
/dev/sda2 / ext4 rw,relatime 0 0
tmpfs /run tmpfs rw,nosuid,nodev,size=3274300k,mode=755 0 0
/dev/sda1 /boot/efi vfat rw,relatime,fmask=0077,dmask=0077 0 0
/dev/mapper/vg-var /var xfs rw,relatime,attr2,inode64 0 0
10.0.0.5:/export/instances /var/lib/nova/instances nfs4 rw,vers=4.2,\
proto=tcp,sec=sys,clientaddr=10.0.0.11,addr=10.0.0.5 0 0
nas:/srv/my\\040share /mnt/my\\040share nfs rw,relatime,vers=3 0 0
"""

PROC_MEMINFO = """\
MemTotal:       32780924 kB
MemFree:         1876244 kB
MemAvailable:   20971520 kB
Buffers:          612004 kB
Cached:         17002740 kB
"""

StatvfsResult = collections.namedtuple('StatvfsResult', 'f_fsid')


def host_system(mounts=PROC_MOUNTS, meminfo=PROC_MEMINFO, files=None,
                links=None, uuids=None, fsids=None):
    """A System whose readers return the given texts.

    ``links`` maps symlinks to their targets; ``uuids`` device -> UUID;
    ``fsids`` mount point -> statfs f_fsid; ``files`` path -> text.
    """
    files = dict(files or {})
    links = dict(links or {})

    def read_file(path):
        try:
            return files[path]
        except KeyError:
            raise FileNotFoundError(2, 'No such file or directory', path)

    def realpath(path):
        path = posixpath.normpath(path)
        for link, target in links.items():
            if path == link or path.startswith(link + '/'):
                return target + path[len(link):]
        return path

    def statvfs(path):
        return StatvfsResult((fsids or {}).get(path, 0))

    return system.System(
        read_mounts=lambda: mounts, read_meminfo=lambda: meminfo,
        read_file=read_file, realpath=realpath, statvfs=statvfs,
        device_uuids=lambda: dict(uuids or {}))


def storage(instances_path='/var/lib/nova/instances', host='compute1',
            images_type='qcow2', rbd_pool=None, rbd_ceph_conf=None,
            **system_args):
    return storage_probes.HostStorage(
        host=host, instances_path=instances_path, images_type=images_type,
        rbd_pool=rbd_pool, rbd_ceph_conf=rbd_ceph_conf,
        system=host_system(**system_args))
