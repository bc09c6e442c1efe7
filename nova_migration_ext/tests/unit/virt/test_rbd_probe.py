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
"""RbdProbe: instance disks in a Ceph pool."""

import testtools

from nova_migration_ext.tests.unit.virt import sample
from nova_migration_ext.virt.storage_probes import rbd

FSID = '9b2c7a4e-5d1f-4c3b-8e6a-1f0d2c3b4a59'

CEPH_CONF = """\
# minimal ceph.conf for ceph-f00
[global]
\tfsid = %s   ; set by cephadm
\tmon host = [v2:10.0.0.1:3300/0,v1:10.0.0.1:6789/0]

[client.nova]
\tkeyring = /etc/ceph/ceph.client.nova.keyring
""" % FSID.upper()


def identify(files=None, images_type='rbd', rbd_pool='vms',
             rbd_ceph_conf='/etc/ceph/ceph.conf'):
    return rbd.RbdProbe().identify(sample.storage(
        images_type=images_type, rbd_pool=rbd_pool,
        rbd_ceph_conf=rbd_ceph_conf, files=files))


class RbdProbeTest(testtools.TestCase):

    def test_cluster_fsid_and_pool(self):
        self.assertEqual(
            'rbd:%s:vms' % FSID,
            identify(files={'/etc/ceph/ceph.conf': CEPH_CONF}))

    def test_other_pool_is_other_storage(self):
        conf = {'/etc/ceph/ceph.conf': CEPH_CONF}
        self.assertNotEqual(identify(files=conf),
                            identify(files=conf, rbd_pool='vms-ssd'))

    def test_monitors_when_no_fsid(self):
        conf = '[global]\nmon_host = 10.0.0.2, 10.0.0.1\n'
        self.assertEqual(
            'rbd:mon=10.0.0.1+10.0.0.2:vms',
            identify(files={'/etc/ceph/ceph.conf': conf}))

    def test_fsid_outside_global_is_ignored(self):
        conf = '[client]\nfsid = %s\n[global]\nmon-host = m1\n' % FSID
        self.assertEqual('rbd:mon=m1:vms',
                         identify(files={'/etc/ceph/ceph.conf': conf}))

    def test_unreadable_conf_names_the_file(self):
        self.assertEqual('rbd:conf=/etc/ceph/ceph.conf:vms', identify())

    def test_conf_naming_no_cluster_names_the_file(self):
        self.assertEqual('rbd:conf=/etc/ceph/c2.conf:vms',
                         identify(files={'/etc/ceph/c2.conf': '[global]\n'},
                                  rbd_ceph_conf='/etc/ceph/c2.conf'))

    def test_nova_defaults(self):
        # images_rbd_ceph_conf = '' means the default ceph.conf.
        self.assertEqual(
            'rbd:%s:rbd' % FSID,
            identify(files={'/etc/ceph/ceph.conf': CEPH_CONF},
                     rbd_pool='', rbd_ceph_conf=''))

    def test_other_image_backends_are_not_mine(self):
        for images_type in ('default', 'qcow2', 'flat', 'lvm', None):
            self.assertIsNone(identify(images_type=images_type))
