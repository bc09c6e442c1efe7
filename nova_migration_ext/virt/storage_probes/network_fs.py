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
"""NetworkFilesystemProbe: instances_path on NFS, CephFS or GlusterFS."""

import posixpath

from nova_migration_ext.virt import mounts

# fstype -> the identity's scheme; NFSv3 and v4 mounts of one export are
# the same storage.
SCHEMES = {
    'nfs': 'nfs',
    'nfs4': 'nfs',
    'ceph': 'cephfs',
    'glusterfs': 'glusterfs',
    'fuse.glusterfs': 'glusterfs',
}


def _split_server(source):
    """``server:path`` with ``[v6]:path`` allowed -> (server, path)."""
    if source.startswith('['):
        server, sep, rest = source.partition(']:')
        return (server + ']', rest) if sep else (None, None)
    server, sep, path = source.partition(':')
    return (server, path) if sep else (None, None)


def _export(scheme, source):
    """(server, export path) of a mount source, or None if unreadable.

    Normalised so that every host mounting the same export agrees.
    """
    if scheme == 'cephfs':
        if '@' in source and '=' in source:
            # user@fsid.fsname=/path: the client user differs per host.
            cluster, _, path = source.partition('@')[2].partition('=')
            server = cluster.lower()
        else:
            # mon1:6789,mon2:6789:/path, monitors in any order.
            monitors, sep, path = source.rpartition(':/')
            if not sep:
                return None
            path = '/' + path
            server = '+'.join(sorted(
                m.strip().lower() for m in monitors.split(',') if m.strip()))
    else:
        server, path = _split_server(source)
        server = server.lower() if server else server
    if not server or path is None:
        return None
    return server, posixpath.normpath('/' + path.lstrip('/'))


class NetworkFilesystemProbe:
    """``<nfs|cephfs|glusterfs>:<server>:<export>/<path below the mount>``.

    The server is named as the mount names it: hosts that mount one export
    by different names (a hostname and an address, other Ceph monitors or
    Gluster peers) publish different identities, which keeps instances on
    fewer hosts rather than on storage they do not share.
    """

    order = 20

    def identify(self, storage):
        mount = storage.mount
        scheme = SCHEMES.get(mount.fstype) if mount else None
        if scheme is None:
            return None
        export = _export(scheme, mount.source)
        if export is None:
            return None
        server, path = export
        below = mounts.relative(storage.path, mount)
        if below:
            path = posixpath.join(path, below)
        return '%s:%s:%s' % (scheme, server, path)
