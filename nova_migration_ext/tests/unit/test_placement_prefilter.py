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

"""Placement narrowing for moves: trait names, the provider-tree update,
what a move's query requires, and its registration in Nova.

Real Nova RequestSpec, ProviderTree and ResourceRequest objects; placement
and the API database are stood in for by plain functions and lists.
"""

import inspect
import re

import fixtures
from oslo_config import fixture as config_fixture
from oslo_serialization import jsonutils
import testtools

from nova.compute import provider_tree as nova_provider_tree
import nova.conf
from nova import objects
from nova.scheduler import manager as scheduler_manager
from nova.scheduler import request_filter as nova_request_filter
from nova.scheduler import utils as scheduler_utils

from nova_migration_ext import facts
from nova_migration_ext import filters
from nova_migration_ext import move as move_mod
from nova_migration_ext import operations
from nova_migration_ext.prefilter import narrowing
from nova_migration_ext.prefilter import request_filter
from nova_migration_ext.virt import provider_traits

objects.register_all()

TRAIT_SYNTAX = re.compile(r'^CUSTOM_[A-Z0-9_]+$')
RACK_A = 'aaaaaaaa-0000-0000-0000-000000000001'
RACK_B = 'aaaaaaaa-0000-0000-0000-000000000002'
CEPH_A = 'cccccccc-0000-0000-0000-000000000001'
CEPH_B = 'cccccccc-0000-0000-0000-000000000002'
EXPORT = 'nfs:10.0.0.5:/export'
INSTANCE = '11111111-2222-4333-8444-555555555555'


def domain_aggregate(uuid, name, key, value):
    return narrowing.DomainAggregate(uuid, name, key,
                                     frozenset(facts.split_values(value)))


AGGREGATES = [
    domain_aggregate(RACK_A, 'rack-a', facts.MIGRATION_DOMAIN_KEY, 'rack-a'),
    domain_aggregate(RACK_B, 'rack-b', facts.MIGRATION_DOMAIN_KEY,
                     'rack-b,rack-a2'),
    domain_aggregate(CEPH_A, 'ceph-a', facts.SHARED_STORAGE_KEY, 'ceph-a'),
    domain_aggregate(CEPH_B, 'ceph-b', facts.SHARED_STORAGE_KEY, 'ceph-b'),
]


def live_migration(metadata=None, stats=None, volume_backed=False,
                   operation=operations.LIVE):
    source = facts.HostFacts(host='src', nodename='src',
                             metadata=metadata or {}, stats=stats or {})
    return move_mod.Move(operation, INSTANCE, source=source,
                         volume_backed=volume_backed)


def nobody_publishes(traits, outside):
    return []


class StorageTraitTest(testtools.TestCase):

    def test_trait_is_valid_and_readable(self):
        trait = provider_traits.storage_trait(EXPORT)
        self.assertRegex(trait, TRAIT_SYNTAX)
        self.assertTrue(trait.startswith(
            'CUSTOM_MIGRATION_EXT_STORAGE_NFS_10_0_0_5_EXPORT_'))
        self.assertLessEqual(len(trait), 255)

    def test_trait_is_the_same_in_every_process(self):
        self.assertEqual(
            'CUSTOM_MIGRATION_EXT_STORAGE_CEPH_A_2017DAABEC5FF02B',
            provider_traits.storage_trait('ceph-a'))

    def test_identities_differing_in_punctuation_or_case_differ(self):
        names = {provider_traits.storage_trait(identity) for identity in
                 ('ceph-a', 'ceph_a', 'CEPH-A', 'ceph.a', 'ceph a')}
        self.assertEqual(5, len(names))

    def test_long_and_odd_identities_make_valid_traits(self):
        for identity in ('x' * 1000, '///', 'ümlaut:é', 'rbd:' + '9' * 300):
            trait = provider_traits.storage_trait(identity)
            self.assertRegex(trait, TRAIT_SYNTAX)
            self.assertLessEqual(len(trait), 255)

    def test_local_identities_get_no_trait(self):
        self.assertEqual(
            {provider_traits.storage_trait(EXPORT)},
            provider_traits.storage_traits('local:host1, ' + EXPORT))
        self.assertEqual(frozenset(), provider_traits.storage_traits(None))


class ProviderTreeTest(testtools.TestCase):
    """The driver extension's traits on a real Nova ProviderTree."""

    def setUp(self):
        super().setUp()
        self.tree = nova_provider_tree.ProviderTree()
        self.tree.new_root('node1', 'rp-uuid-1')
        self.old = provider_traits.storage_trait('old-storage')
        self.tree.update_traits(
            'node1', ['COMPUTE_NODE', 'CUSTOM_OPERATOR_GOLD', self.old])

    def test_only_our_traits_change(self):
        provider_traits.update_provider_tree(self.tree, 'node1', EXPORT)
        self.assertEqual(
            {'COMPUTE_NODE', 'CUSTOM_OPERATOR_GOLD',
             provider_traits.storage_trait(EXPORT)},
            self.tree.data('node1').traits)

    def test_no_published_storage_removes_ours(self):
        provider_traits.update_provider_tree(self.tree, 'node1', None)
        self.assertEqual({'COMPUTE_NODE', 'CUSTOM_OPERATOR_GOLD'},
                         self.tree.data('node1').traits)


class PlanTest(testtools.TestCase):

    def plan(self, move, migration_domain=True, shared_storage=True,
             providers_publishing=nobody_publishes):
        return narrowing.plan(move, AGGREGATES, migration_domain,
                              shared_storage, providers_publishing)

    def test_migration_domain_requires_any_aggregate_carrying_it(self):
        result = self.plan(live_migration(
            {facts.MIGRATION_DOMAIN_KEY: frozenset({'rack-a2'})}))
        self.assertEqual([[RACK_B]], result.required_aggregates)
        self.assertEqual(set(), result.required_traits)

    def test_source_in_two_migration_domains(self):
        result = self.plan(live_migration(
            {facts.MIGRATION_DOMAIN_KEY: frozenset({'rack-a', 'rack-b'})}))
        self.assertEqual([[RACK_A, RACK_B]], result.required_aggregates)

    def test_empty_domain_name_narrows_nothing(self):
        # The filters apply on_lookup_error to such a source: placement
        # must leave them every host to judge.
        for key in (facts.MIGRATION_DOMAIN_KEY, facts.SHARED_STORAGE_KEY):
            result = self.plan(live_migration({key: frozenset({''})}))
            self.assertFalse(result)
            self.assertEqual(1, len(result.skipped), key)
            self.assertIn('empty domain', result.skipped[0])

    def test_published_storage_requires_its_trait(self):
        result = self.plan(live_migration(
            stats={facts.STORAGE_ID_STAT: EXPORT}))
        self.assertEqual({provider_traits.storage_trait(EXPORT)},
                         result.required_traits)
        # Hosts whose aggregates declare a storage domain are judged by it.
        self.assertEqual({CEPH_A, CEPH_B}, result.forbidden_aggregates)
        self.assertEqual([], result.required_aggregates)
        self.assertEqual([], result.skipped)

    def test_several_published_identities_require_no_trait(self):
        result = self.plan(live_migration(
            stats={facts.STORAGE_ID_STAT: EXPORT + ',rbd:pool'}))
        self.assertEqual(set(), result.required_traits)
        self.assertEqual({CEPH_A, CEPH_B}, result.forbidden_aggregates)
        self.assertIn('several storage identities', result.skipped[0])

    def test_declared_storage_requires_its_aggregates(self):
        asked = []

        def publishing(traits, outside):
            asked.append((traits, outside))
            return ['src']  # the source itself does not count

        result = self.plan(live_migration(
            {facts.SHARED_STORAGE_KEY: frozenset({'ceph-a'})}),
            providers_publishing=publishing)
        self.assertEqual([[CEPH_A]], result.required_aggregates)
        self.assertEqual(set(), result.required_traits)
        self.assertEqual(
            [({provider_traits.storage_trait('ceph-a')}, {CEPH_A, CEPH_B})],
            asked)

    def test_mixed_case_keeps_hosts_publishing_the_declared_name(self):
        result = self.plan(live_migration(
            {facts.SHARED_STORAGE_KEY: frozenset({'ceph-a'})}),
            providers_publishing=lambda traits, outside: ['h7', 'h3'])
        self.assertFalse(result)
        self.assertEqual(['shared storage ceph-a: 2 host(s) in no storage '
                          'aggregate publish it (h3,h7)'], result.skipped)

    def test_placement_unreachable_skips_storage_only(self):
        def unreachable(traits, outside):
            raise ConnectionError('placement down')

        result = self.plan(live_migration(
            {facts.SHARED_STORAGE_KEY: frozenset({'ceph-a'}),
             facts.MIGRATION_DOMAIN_KEY: frozenset({'rack-a'})}),
            providers_publishing=unreachable)
        self.assertEqual([[RACK_A]], result.required_aggregates)
        self.assertIn('ConnectionError: placement down', result.skipped[0])

    def test_rules_not_applying_narrow_nothing(self):
        result = self.plan(
            live_migration({facts.MIGRATION_DOMAIN_KEY: frozenset({'rack-a'})},
                           {facts.STORAGE_ID_STAT: EXPORT}),
            migration_domain=False, shared_storage=False)
        self.assertFalse(result)


class RulesOfTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(nova.conf.CONF))
        self.conf.config(enabled_filters=['ComputeFilter',
                                          'MigrationAggregateFilter',
                                          'SharedStorageFilter'],
                         group='filter_scheduler')
        self.in_both = (
            {facts.MIGRATION_DOMAIN_KEY: frozenset({'rack-a'})},
            {facts.STORAGE_ID_STAT: EXPORT})

    def test_live_migration_in_both_domains(self):
        self.assertEqual((True, True), request_filter.rules_of(
            live_migration(*self.in_both)))

    def test_cold_migration_may_leave_the_storage(self):
        self.assertEqual((True, False), request_filter.rules_of(
            live_migration(*self.in_both, operation=operations.COLD)))

    def test_volume_backed_instance_may_leave_the_storage(self):
        self.assertEqual((True, False), request_filter.rules_of(
            live_migration(*self.in_both, volume_backed=True)))

    def test_disabled_filter_narrows_nothing(self):
        self.conf.config(enabled_filters=['SharedStorageFilter'],
                         group='filter_scheduler')
        self.assertEqual((False, True), request_filter.rules_of(
            live_migration(*self.in_both)))

    def test_boot_and_failed_lookup_narrow_nothing(self):
        self.assertEqual((False, False), request_filter.rules_of(
            move_mod.Move(operations.BOOT, INSTANCE)))
        self.assertEqual((False, False), request_filter.rules_of(
            move_mod.Move(None, INSTANCE, error='cannot look up')))


def request_spec():
    return objects.RequestSpec(
        instance_uuid=INSTANCE, project_id='p', user_id='u',
        flavor=objects.Flavor(vcpus=1, memory_mb=512, root_gb=1,
                              ephemeral_gb=0, swap=0, extra_specs={}),
        image=objects.ImageMeta(properties=objects.ImageMetaProps()),
        is_bfv=False, scheduler_hints={}, ignore_hosts=['src'])


class QueryTest(testtools.TestCase):
    """What Nova asks placement once the Narrowing is added."""

    def setUp(self):
        super().setUp()
        self.narrowing = narrowing.Narrowing(
            required_aggregates=[[RACK_A, RACK_B]],
            forbidden_aggregates={CEPH_A},
            required_traits={provider_traits.storage_trait(EXPORT)})
        self.spec = request_spec()

    def query(self):
        return scheduler_utils.resources_from_request_spec(
            None, self.spec, None).to_querystring()

    def test_query_requires_the_domain(self):
        request_filter.add_to_query(self.narrowing, self.spec)
        query = self.query()
        self.assertIn('member_of=in%3A' + RACK_A + '%2C' + RACK_B, query)
        self.assertIn('member_of=%21in%3A' + CEPH_A, query)
        self.assertIn('root_required=' + provider_traits.storage_trait(
            EXPORT), query)

    def test_adding_twice_changes_nothing(self):
        request_filter.add_to_query(self.narrowing, self.spec)
        once = self.query()
        request_filter.add_to_query(self.narrowing, self.spec)
        self.assertEqual(once, self.query())

    def test_nothing_of_it_is_saved_with_the_request_spec(self):
        request_filter.add_to_query(self.narrowing, self.spec)
        saved = jsonutils.dumps(self.spec._get_update_primitives())
        self.assertNotIn(RACK_A, saved)
        self.assertNotIn(CEPH_A, saved)
        self.assertNotIn(provider_traits.STORAGE_TRAIT_PREFIX, saved)


class RegistrationTest(testtools.TestCase):
    """The hook point in the installed Nova, and registering in it."""

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(nova.conf.CONF))
        self.useFixture(fixtures.MonkeyPatch(
            'nova.scheduler.request_filter.ALL_REQUEST_FILTERS',
            [function for function in nova_request_filter.ALL_REQUEST_FILTERS
             if function is not request_filter.narrow_move]))
        self.log = self.useFixture(fixtures.FakeLogger(
            name='nova_migration_ext.prefilter.request_filter'))

    def test_installed_nova_has_the_hook_point(self):
        # Fails when Nova moves or renames what the prefilter hooks into.
        self.assertEqual([], request_filter.missing_hook())
        source = inspect.getsource(scheduler_manager)
        select = source[source.index('    def select_destinations('):]
        select = select[:select.index('\n    def ', 1)]
        self.assertIn('request_filter.process_reqspec(', select)

    def test_loading_filters_registers_once(self):
        filters.all_filters()
        filters.all_filters()
        self.assertEqual(1, nova_request_filter.ALL_REQUEST_FILTERS.count(
            request_filter.narrow_move))

    def test_option_off_registers_nothing(self):
        self.conf.config(placement_prefilter=False, group='migration_ext')
        filters.all_filters()
        self.assertNotIn(request_filter.narrow_move,
                         nova_request_filter.ALL_REQUEST_FILTERS)

    def test_nova_without_the_hook_keeps_loading_filters(self):
        self.useFixture(fixtures.MonkeyPatch(
            'nova.scheduler.request_filter.ALL_REQUEST_FILTERS', ()))
        self.assertTrue(filters.all_filters())
        self.assertIn('placement_prefilter is on, but this Nova lacks the '
                      'list nova.scheduler.request_filter.ALL_REQUEST_FILTERS:'
                      ' moves are not narrowed in placement', self.log.output)

    def test_process_reqspec_no_longer_running_the_list_is_noticed(self):
        def process_reqspec(ctxt, request_spec):
            return None

        self.useFixture(fixtures.MonkeyPatch(
            'nova.scheduler.request_filter.process_reqspec', process_reqspec))
        self.assertEqual(['nova.scheduler.request_filter.process_reqspec '
                          'running ALL_REQUEST_FILTERS'],
                         request_filter.missing_hook())
        self.assertFalse(request_filter.register())

    def test_errors_leave_the_query_alone(self):
        spec = request_spec()
        move_mod.remember(spec, live_migration(
            {facts.MIGRATION_DOMAIN_KEY: frozenset({'rack-a'})}))
        self.conf.config(enabled_filters=['MigrationAggregateFilter'],
                         group='filter_scheduler')

        def broken(ctxt):
            raise RuntimeError('API database gone')

        self.useFixture(fixtures.MonkeyPatch(
            'nova_migration_ext.prefilter.request_filter.domain_aggregates',
            broken))
        self.assertFalse(request_filter.narrow_move(None, spec))
        self.assertNotIn('requested_destination', spec)
        self.assertIn('Placement prefilter left the query of %s unnarrowed: '
                      'RuntimeError: API database gone' % INSTANCE,
                      self.log.output)


class WorthNarrowingTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.conf = self.useFixture(config_fixture.Config(nova.conf.CONF))
        self.conf.config(enabled_filters=['MigrationAggregateFilter'],
                         group='filter_scheduler')
        self.spec = request_spec()
        move_mod.remember(self.spec, live_migration(
            {facts.MIGRATION_DOMAIN_KEY: frozenset({'rack-a'})}))
        self.useFixture(fixtures.MonkeyPatch(
            'nova_migration_ext.prefilter.request_filter.domain_aggregates',
            lambda ctxt: AGGREGATES))

    def test_move_in_a_domain_is_narrowed(self):
        self.assertTrue(request_filter.narrow_move(None, self.spec))
        self.assertEqual([RACK_A],
                         self.spec.requested_destination.aggregates)

    def test_requested_host_is_left_to_the_filters(self):
        self.spec.requested_destination = objects.Destination(host='dst')
        self.assertFalse(request_filter.narrow_move(None, self.spec))
        self.assertIsNone(self.spec.requested_destination.aggregates)

    def test_without_our_domain_filters_nothing_is_narrowed(self):
        self.conf.config(enabled_filters=['ComputeFilter'],
                         group='filter_scheduler')
        self.assertFalse(request_filter.narrow_move(None, self.spec))
        self.assertNotIn('requested_destination', self.spec)

    def test_option_off_narrows_nothing(self):
        self.conf.config(placement_prefilter=False, group='migration_ext')
        self.assertFalse(request_filter.narrow_move(None, self.spec))
        self.assertNotIn('requested_destination', self.spec)

    def test_storage_trait_placement_does_not_know_is_not_required(self):
        # No compute node reports it yet: placement would refuse the whole
        # query, and Nova answer NoValidHost.
        self.conf.config(enabled_filters=['SharedStorageFilter'],
                         group='filter_scheduler')
        spec = request_spec()
        move_mod.remember(spec, live_migration(
            stats={facts.STORAGE_ID_STAT: EXPORT}))
        asked = []

        def known(ctxt, traits):
            asked.append(set(traits))
            return set()

        self.useFixture(fixtures.MonkeyPatch(
            'nova_migration_ext.prefilter.request_filter.known_traits',
            known))
        self.assertTrue(request_filter.narrow_move(None, spec))
        self.assertEqual([{provider_traits.storage_trait(EXPORT)}], asked)
        self.assertEqual(set(), spec.root_required)
        # The hosts whose aggregates declare other storage stay out.
        self.assertEqual({CEPH_A, CEPH_B},
                         spec.requested_destination.forbidden_aggregates)

    def test_storage_trait_placement_knows_is_required(self):
        self.conf.config(enabled_filters=['SharedStorageFilter'],
                         group='filter_scheduler')
        spec = request_spec()
        move_mod.remember(spec, live_migration(
            stats={facts.STORAGE_ID_STAT: EXPORT}))
        self.useFixture(fixtures.MonkeyPatch(
            'nova_migration_ext.prefilter.request_filter.known_traits',
            lambda ctxt, traits: set(traits)))
        self.assertTrue(request_filter.narrow_move(None, spec))
        self.assertEqual({provider_traits.storage_trait(EXPORT)},
                         spec.root_required)
