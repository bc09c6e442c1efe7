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

"""The filter adapters on hand-built requests and hosts.

Real Nova HostState and RequestSpec objects; the request's Move is pinned
with move.remember, as explain does, so no database is needed.
"""

from unittest import mock

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from oslo_config import fixture as config_fixture
import testtools

from nova import objects
from nova.scheduler import host_manager

from nova_migration_ext import facts
from nova_migration_ext import filters
from nova_migration_ext.filters import base
from nova_migration_ext import move
from nova_migration_ext import operations

objects.register_all()

QEMU_8_2 = 8002000


def host_state(name, version=QEMU_8_2, hv_type='QEMU', total=8192,
               free=8192, ratio=1.0, aggregates=(), stats=None):
    state = host_manager.HostState(name, name, 'cell1')
    state.hypervisor_type = hv_type
    state.hypervisor_version = version
    state.total_usable_ram_mb = total
    state.free_ram_mb = free
    state.ram_allocation_ratio = ratio
    state.aggregates = list(aggregates)
    state.stats = stats or {}
    return state


def aggregate(agg_id, **metadata):
    return objects.Aggregate(id=agg_id, name='agg%d' % agg_id,
                             metadata=metadata)


def request(operation, ram=2048, extra_specs=None, source=None,
            volume_backed=False, error=None):
    spec = objects.RequestSpec(
        instance_uuid='8a3b9b1e-4a7e-4d0a-9a43-3a1c7a6e0c11',
        flavor=objects.Flavor(memory_mb=ram, flavorid='f1',
                              extra_specs=extra_specs or {}),
        scheduler_hints={})
    move.remember(spec, move.Move(
        operation, spec.instance_uuid, source=source, requested_ram_mb=ram,
        current_ram_mb=ram, volume_backed=volume_backed, error=error))
    return spec


def source(version=QEMU_8_2, **metadata):
    return facts.HostFacts(host='src', hypervisor_type='QEMU',
                           hypervisor_version=version,
                           metadata=facts.metadata_of(
                               [aggregate(99, **metadata)]))


def by_name():
    return {cls.__name__: cls() for cls in filters.all_filters()}


class FilterTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config())
        self.filters = by_name()

    def passing(self, name, hosts, spec):
        return [h.host for h in self.filters[name].filter_all(hosts, spec)]

    def reasons(self, name, hosts, spec):
        return {h.host: v.reason
                for h, v in self.filters[name].verdicts(hosts, spec)
                if not v.ok}

    def test_all_filters_are_loaded_through_stevedore(self):
        self.assertEqual(['CpuCompatibilityFilter', 'HypervisorVersionFilter',
                          'MigrationAggregateFilter',
                          'MigrationRamFilter', 'SharedStorageFilter'],
                         sorted(self.filters))

    def test_hypervisor_version_on_each_move(self):
        hosts = [host_state('old', version=7002000), host_state('new')]
        for op in (operations.LIVE, operations.COLD, operations.RESIZE,
                   operations.EVACUATE):
            spec = request(op, source=source())
            self.assertEqual(['new'], self.passing('HypervisorVersionFilter',
                                                   hosts, spec))
            self.assertEqual({'old': 'QEMU 7.2.0 < source 8.2.0'},
                             self.reasons('HypervisorVersionFilter',
                                          hosts, spec))

    def test_boot_and_unshelve_pass_every_move_filter(self):
        hosts = [host_state('old', version=7002000, free=0)]
        for op in (operations.BOOT, operations.UNSHELVE):
            spec = request(op)
            for name in self.filters:
                self.assertEqual(['old'], self.passing(name, hosts, spec))

    def test_workaround_skips_live_migration_only(self):
        self.conf.config(skip_hypervisor_version_check_on_lm=True,
                         group='workarounds')
        hosts = [host_state('old', version=7002000)]
        self.assertEqual(['old'], self.passing(
            'HypervisorVersionFilter', hosts,
            request(operations.LIVE, source=source())))
        self.assertEqual([], self.passing(
            'HypervisorVersionFilter', hosts,
            request(operations.COLD, source=source())))

    def test_ram_cap_and_headroom_apply_to_live_migration(self):
        self.conf.config(ram_headroom_mb=256, group='migration_ext')
        hosts = [host_state('tight', total=4096, free=2048, ratio=1.5)]
        live = request(operations.LIVE, source=source())
        self.assertEqual({'tight': 'usable RAM 2048 MB < 2304 MB (2048 MB + '
                                   '256 MB headroom) needed (4096 MB x ratio '
                                   '1 - 2048 MB used)'},
                         self.reasons('MigrationRamFilter', hosts, live))
        cold = request(operations.COLD, source=source())
        self.assertEqual(['tight'],
                         self.passing('MigrationRamFilter', hosts, cold))

    def test_ram_operations_are_configurable(self):
        hosts = [host_state('full', free=0)]
        self.assertEqual(['full'], self.passing(
            'MigrationRamFilter', hosts, request(operations.BOOT)))
        self.conf.config(ram_check_operations=['boot'], group='migration_ext')
        self.assertEqual([], self.passing(
            'MigrationRamFilter', hosts, request(operations.BOOT)))

    def test_resize_in_place_counts_only_the_growth(self):
        hosts = [host_state('src', free=1024)]
        spec = objects.RequestSpec(
            instance_uuid='8a3b9b1e-4a7e-4d0a-9a43-3a1c7a6e0c12',
            flavor=objects.Flavor(memory_mb=3072, flavorid='big',
                                  extra_specs={}),
            scheduler_hints={})
        move.remember(spec, move.Move(operations.RESIZE, spec.instance_uuid,
                                      source=source(), requested_ram_mb=3072,
                                      current_ram_mb=2048))
        self.assertEqual(['src'],
                         self.passing('MigrationRamFilter', hosts, spec))

    def test_shared_storage_from_aggregates_or_published_stat(self):
        hosts = [host_state('other', aggregates=[aggregate(
                     2, **{facts.SHARED_STORAGE_KEY: 'nfs-b'})]),
                 host_state('peer', aggregates=[aggregate(
                     1, **{facts.SHARED_STORAGE_KEY: 'nfs-a, nfs-c'})]),
                 host_state('published',
                            stats={facts.STORAGE_ID_STAT: 'nfs-a'}),
                 host_state('bare')]
        spec = request(operations.EVACUATE, source=source(
            **{facts.SHARED_STORAGE_KEY: 'nfs-a'}))
        self.assertEqual(['peer', 'published'],
                         self.passing('SharedStorageFilter', hosts, spec))
        self.assertEqual({'other': 'shared storage nfs-b, source in nfs-a',
                          'bare': 'shared storage: none, source in nfs-a'},
                         self.reasons('SharedStorageFilter', hosts, spec))

    def test_shared_storage_lets_volume_backed_and_cold_moves_go(self):
        hosts = [host_state('bare')]
        src = source(**{facts.SHARED_STORAGE_KEY: 'nfs-a'})
        self.assertEqual(['bare'], self.passing(
            'SharedStorageFilter', hosts,
            request(operations.LIVE, source=src, volume_backed=True)))
        self.assertEqual(['bare'], self.passing(
            'SharedStorageFilter', hosts,
            request(operations.COLD, source=src)))

    def test_migration_domain_and_extra_specs(self):
        dc1 = aggregate(1, **{facts.MIGRATION_DOMAIN_KEY: 'dc1', 'ssd': '1'})
        dc2 = aggregate(2, **{facts.MIGRATION_DOMAIN_KEY: 'dc2', 'ssd': '1'})
        hdd = aggregate(3, **{facts.MIGRATION_DOMAIN_KEY: 'dc1', 'ssd': '0'})
        hosts = [host_state('a', aggregates=[dc1]),
                 host_state('b', aggregates=[dc2]),
                 host_state('c', aggregates=[hdd]),
                 host_state('d', aggregates=[dc1])]
        spec = request(operations.LIVE, extra_specs={'ssd': '1'},
                       source=source(**{facts.MIGRATION_DOMAIN_KEY: 'dc1'}))
        self.assertEqual(['a', 'd'], self.passing(
            'MigrationAggregateFilter', hosts, spec))
        self.assertEqual(
            {'b': 'migration domain dc2, source in dc1',
             'c': "extra spec ssd='1' does not match aggregate metadata "
                  "ssd=0"},
            self.reasons('MigrationAggregateFilter', hosts, spec))
        boot = request(operations.BOOT, extra_specs={'ssd': '1'})
        self.assertEqual(['a', 'b', 'd'], self.passing(
            'MigrationAggregateFilter', hosts, boot))

    def test_lookup_error_follows_policy(self):
        hosts = [host_state('h', version=7002000)]
        spec = request(None, error='cannot look up the request: boom')
        for name in ('HypervisorVersionFilter', 'SharedStorageFilter',
                     'MigrationRamFilter', 'MigrationAggregateFilter'):
            self.assertEqual(['h'], self.passing(name, hosts, spec))
        self.conf.config(on_lookup_error='reject', group='migration_ext')
        self.assertEqual(
            {'h': 'cannot look up the request: boom; on_lookup_error=reject'},
            self.reasons('HypervisorVersionFilter', hosts, spec))

    def test_garbage_host_facts_follow_policy(self):
        hosts = [host_state('h', version='eight')]
        spec = request(operations.LIVE, source=source())
        self.assertEqual(['h'], self.passing('HypervisorVersionFilter',
                                             hosts, spec))
        self.conf.config(on_lookup_error='reject', group='migration_ext')
        self.assertEqual(
            {'h': "hypervisor_version='eight' is not a version; "
                  "on_lookup_error=reject"},
            self.reasons('HypervisorVersionFilter', hosts, spec))

    def test_rebuild_requests_are_not_filtered(self):
        hosts = [host_state('old', version=7002000)]
        spec = request(operations.EVACUATE, source=source())
        spec.scheduler_hints = {'_nova_check_type': ['rebuild']}
        self.assertEqual(['old'], self.passing('HypervisorVersionFilter',
                                               hosts, spec))

    def test_host_passes_matches_filter_all(self):
        old = host_state('old', version=7002000)
        spec = request(operations.LIVE, source=source())
        self.assertFalse(
            self.filters['HypervisorVersionFilter'].host_passes(old, spec))


_junk = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(),
                  st.text(max_size=8), st.lists(st.integers(), max_size=2),
                  st.dictionaries(st.text(max_size=3), st.text(max_size=3),
                                  max_size=2))


class NeverRaiseTest(testtools.TestCase):
    """Whatever a host or a request carries, no filter raises."""

    @settings(max_examples=150, deadline=None)
    @given(version=_junk, hv_type=_junk, total=_junk, free=_junk,
           ratio=_junk, stats=_junk, meta_value=st.text(max_size=12),
           spec_value=st.text(max_size=12), ram=_junk,
           op=st.sampled_from(operations.ALL + (None, 'bogus')),
           src_version=_junk, cpu_info=_junk)
    def test_no_filter_raises(self, version, hv_type, total, free, ratio,
                              stats, meta_value, spec_value, ram, op,
                              src_version, cpu_info):
        hosts = [host_state('h', version=version, hv_type=hv_type,
                            total=total, free=free, ratio=ratio,
                            stats=stats if isinstance(stats, dict) else None,
                            aggregates=[aggregate(
                                1, k=meta_value,
                                **{facts.SHARED_STORAGE_KEY: meta_value,
                                   facts.MIGRATION_DOMAIN_KEY: meta_value})])]
        hosts[0].cpu_info = cpu_info
        spec = objects.RequestSpec(
            instance_uuid='8a3b9b1e-4a7e-4d0a-9a43-3a1c7a6e0c13',
            flavor=objects.Flavor(memory_mb=2048, flavorid='f',
                                  extra_specs={'k': spec_value}),
            scheduler_hints={})
        move.remember(spec, move.Move(
            op, spec.instance_uuid, requested_ram_mb=ram,
            source=facts.HostFacts(host='src', hypervisor_type=hv_type,
                                   hypervisor_version=src_version,
                                   metadata={facts.SHARED_STORAGE_KEY:
                                             frozenset([meta_value])})))
        for cls in filters.all_filters():
            with mock.patch.object(base.LOG, 'exception') as crashed:
                for _host, verdict in cls().verdicts(hosts, spec):
                    self.assertIn(verdict.ok, (True, False))
            # Junk is judged by the rules, not caught as a crash.
            self.assertFalse(crashed.called, cls.__name__)
