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
"""NetworkFilesystemProbe: one identity per export, whatever the host."""

import testtools

from nova_migration_ext.tests.unit.virt import sample
from nova_migration_ext.virt.storage_probes import network_fs


def identify(mounts, instances_path='/var/lib/nova/instances', **kwargs):
    return network_fs.NetworkFilesystemProbe().identify(
        sample.storage(instances_path=instances_path, mounts=mounts,
                       **kwargs))


class NfsTest(testtools.TestCase):

    def test_export_mounted_at_instances_path(self):
        self.assertEqual('nfs:10.0.0.5:/export/instances',
                         identify(sample.PROC_MOUNTS))

    def test_hosts_mounting_one_export_differently_agree(self):
        # Host A mounts the export's parent higher up; host B mounts the
        # instances directory itself, over NFSv3, with a trailing slash.
        host_a = identify('10.0.0.5:/export /srv/nfs nfs4 rw 0 0\n',
                          instances_path='/srv/nfs/instances/')
        host_b = identify('10.0.0.5:/export/instances/ '
                          '/var/lib/nova/instances nfs rw,vers=3 0 0\n')
        self.assertEqual('nfs:10.0.0.5:/export/instances', host_a)
        self.assertEqual(host_a, host_b)

    def test_symlinked_instances_path_is_resolved(self):
        found = identify('nfs.example.com:/vol /mnt/vol nfs4 rw 0 0\n',
                         links={'/var/lib/nova/instances':
                                '/mnt/vol/nova'})
        self.assertEqual('nfs:nfs.example.com:/vol/nova', found)

    def test_server_name_case_is_ignored(self):
        self.assertEqual(
            'nfs:nfs.example.com:/Vol',
            identify('NFS.Example.COM:/Vol /var/lib/nova/instances nfs4 '
                     'rw 0 0\n'))

    def test_ipv6_server(self):
        self.assertEqual(
            'nfs:[fd00::5]:/export',
            identify('[fd00::5]:/export /var/lib/nova/instances nfs4 '
                     'rw 0 0\n'))

    def test_source_without_server_is_not_named(self):
        self.assertIsNone(identify('/export /var/lib/nova/instances nfs '
                                   'rw 0 0\n'))


class CephFsTest(testtools.TestCase):

    def test_monitors_in_any_order_agree(self):
        host_a = identify('10.0.0.1:6789,10.0.0.2:6789:/nova '
                          '/var/lib/nova/instances ceph rw,name=a 0 0\n')
        host_b = identify('10.0.0.2:6789,10.0.0.1:6789:/nova/ '
                          '/var/lib/nova/instances ceph rw,name=b 0 0\n')
        self.assertEqual('cephfs:10.0.0.1:6789+10.0.0.2:6789:/nova', host_a)
        self.assertEqual(host_a, host_b)

    def test_new_device_syntax_ignores_the_client_user(self):
        fsid = 'a5d8c9a2-0000-4000-8000-00000000c0de'
        host_a = identify('nova-a@%s.cephfs=/volumes/nova '
                          '/var/lib/nova/instances ceph rw 0 0\n' % fsid)
        host_b = identify('nova-b@%s.cephfs=/volumes/nova '
                          '/var/lib/nova/instances ceph rw 0 0\n' % fsid)
        self.assertEqual('cephfs:%s.cephfs:/volumes/nova' % fsid, host_a)
        self.assertEqual(host_a, host_b)

    def test_monitors_given_as_an_option_are_not_named(self):
        self.assertIsNone(identify(
            ':/ /var/lib/nova/instances ceph rw,mon_addr=10.0.0.1 0 0\n'))


class GlusterFsTest(testtools.TestCase):

    def test_volume(self):
        self.assertEqual(
            'glusterfs:gluster1:/nova/instances',
            identify('gluster1:/nova /var/lib/nova fuse.glusterfs '
                     'rw,user_id=0 0 0\n'))


class NotNetworkTest(testtools.TestCase):

    def test_local_and_unknown_filesystems_are_not_mine(self):
        for mounts in ('/dev/sda2 / ext4 rw 0 0\n',
                       '//srv/share /var/lib/nova/instances cifs rw 0 0\n',
                       ''):
            self.assertIsNone(identify(mounts), mounts)
