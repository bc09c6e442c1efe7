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
"""storage_probes: the registered probes, in order, failures skipped."""

import dataclasses
from importlib import metadata

import fixtures
import stevedore
from stevedore import extension
import testtools

from nova_migration_ext.tests.unit.virt import sample
from nova_migration_ext.virt import storage_probes


class _Probe:

    def __init__(self, answer, order=50):
        self.answer = answer
        self.order = order
        self.calls = 0

    def identify(self, storage):
        self.calls += 1
        if isinstance(self.answer, Exception):
            raise self.answer
        return self.answer


def manager(**probes):
    return storage_probes.ordered(stevedore.ExtensionManager.
                                  make_test_instance([
                                      extension.Extension(name, None, None,
                                                          probe)
                                      for name, probe in probes.items()]))


class RegisteredProbesTest(testtools.TestCase):

    def test_entry_points_in_order(self):
        self.assertEqual(['rbd', 'network_fs', 'local_fs'],
                         [ext.name for ext in storage_probes.load()])

    def test_real_probes_on_a_sample_host(self):
        probes = storage_probes.load()
        self.assertEqual('nfs:10.0.0.5:/export/instances',
                         storage_probes.identify(sample.storage(), probes))
        self.assertEqual(
            'local:compute1:/dev/mapper/vg-var',
            storage_probes.identify(
                sample.storage(instances_path='/var/lib/nova/other'),
                probes))
        self.assertEqual(
            'rbd:conf=/etc/ceph/ceph.conf:vms',
            storage_probes.identify(
                sample.storage(images_type='rbd', rbd_pool='vms'), probes))

    def test_unreadable_proc_mounts_names_nothing(self):
        log = self.useFixture(fixtures.FakeLogger())

        def unreadable():
            raise PermissionError(13, 'Permission denied', '/proc/mounts')

        storage = storage_probes.HostStorage(
            host='h', instances_path='/var/lib/nova/instances',
            system=dataclasses.replace(sample.host_system(),
                                       read_mounts=unreadable))
        self.assertIsNone(
            storage_probes.identify(storage, storage_probes.load()))
        self.assertIn('Storage probe network_fs failed on '
                      '/var/lib/nova/instances and is skipped: '
                      'PermissionError', log.output)


class ProbeOrderTest(testtools.TestCase):

    def test_lowest_order_first_then_name(self):
        probes = manager(b=_Probe('B', order=5), a=_Probe('A', order=5),
                         c=_Probe('C', order=1))
        self.assertEqual(['c', 'a', 'b'], [ext.name for ext in probes])

    def test_probe_without_order_runs_in_the_middle(self):
        class Bare:
            def identify(self, storage):
                return 'bare'
        probes = manager(early=_Probe(None, order=10), bare=Bare(),
                         late=_Probe('late', order=90))
        self.assertEqual('bare',
                         storage_probes.identify(sample.storage(), probes))

    def test_first_identity_wins(self):
        later = _Probe('later', order=90)
        probes = manager(first=_Probe('first', order=10), later=later)
        self.assertEqual('first',
                         storage_probes.identify(sample.storage(), probes))
        self.assertEqual(0, later.calls)

    def test_failing_probe_is_logged_and_skipped(self):
        log = self.useFixture(fixtures.FakeLogger())
        probes = manager(broken=_Probe(RuntimeError('boom'), order=1),
                         fine=_Probe('fine', order=2))
        self.assertEqual('fine',
                         storage_probes.identify(sample.storage(), probes))
        self.assertIn('Storage probe broken failed on '
                      '/var/lib/nova/instances and is skipped: '
                      'RuntimeError: boom', log.output)

    def test_no_identity(self):
        probes = manager(none=_Probe(None), empty=_Probe(''))
        self.assertIsNone(storage_probes.identify(sample.storage(), probes))

    def test_probe_that_cannot_load_is_skipped(self):
        log = self.useFixture(fixtures.FakeLogger())
        registered = stevedore.ExtensionManager.list_entry_points
        broken = metadata.EntryPoint(
            name='broken', value='no_such_module:Probe',
            group=storage_probes.NAMESPACE)
        self.useFixture(fixtures.MockPatchObject(
            stevedore.ExtensionManager, 'list_entry_points',
            autospec=True,
            side_effect=lambda mgr: [broken] + list(registered(mgr))))
        self.assertEqual(['rbd', 'network_fs', 'local_fs'],
                         [ext.name for ext in storage_probes.load()])
        self.assertIn('Storage probe broken (no_such_module:Probe) cannot '
                      'be loaded and is skipped: No module named '
                      "'no_such_module'", log.output)
