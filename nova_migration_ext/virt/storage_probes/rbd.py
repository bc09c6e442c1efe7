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
"""RbdProbe: instance disks in Ceph ([libvirt] images_type = rbd)."""

import re

from oslo_log import log as logging

LOG = logging.getLogger(__name__)

DEFAULT_CEPH_CONF = '/etc/ceph/ceph.conf'
DEFAULT_POOL = 'rbd'

# ceph.conf accepts 'mon host', 'mon-host' and 'mon_host' alike.
_KEY_SEPARATORS = re.compile(r'[\s_-]+')
_MON_SEPARATORS = re.compile(r'[\s,;]+')
_COMMENT = re.compile(r'\s[#;].*$')


def _global_options(conf_text):
    """The [global] options of a ceph.conf, keys normalised."""
    options = {}
    section = None
    for line in conf_text.splitlines():
        line = line.strip()
        if not line or line[0] in '#;':
            continue
        if line.startswith('[') and line.endswith(']'):
            section = line[1:-1].strip().lower()
            continue
        key, sep, value = line.partition('=')
        if sep and section == 'global':
            options[_KEY_SEPARATORS.sub('_', key.strip().lower())] = (
                _COMMENT.sub('', value).strip())
    return options


def cluster_of(conf_text):
    """The cluster a ceph.conf names: its fsid, else its monitors."""
    options = _global_options(conf_text)
    fsid = options.get('fsid', '').lower()
    if fsid:
        return fsid
    monitors = sorted(m for m in _MON_SEPARATORS.split(
        options.get('mon_host', '').lower()) if m)
    if monitors:
        return 'mon=' + '+'.join(monitors)
    return None


class RbdProbe:
    """``rbd:<cluster>:<pool>`` for ``[libvirt] images_type = rbd``.

    The cluster is the fsid in ``[libvirt] images_rbd_ceph_conf`` when it
    can be read, else its monitors, else the file's path; the pool is
    ``[libvirt] images_rbd_pool``.
    """

    order = 10

    def identify(self, storage):
        if storage.images_type != 'rbd':
            return None
        conf_path = storage.rbd_ceph_conf or DEFAULT_CEPH_CONF
        try:
            cluster = cluster_of(storage.system.read_file(conf_path))
        except (OSError, UnicodeError) as exc:
            LOG.debug('Cannot read the Ceph cluster from %s (%s); the storage '
                      'identity names the file instead', conf_path, exc)
            cluster = None
        return 'rbd:%s:%s' % (cluster or 'conf=' + conf_path,
                              storage.rbd_pool or DEFAULT_POOL)
