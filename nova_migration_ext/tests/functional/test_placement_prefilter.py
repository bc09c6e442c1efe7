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

"""Moves whose domain lies beyond placement's candidate limit.

Thirty hosts; nova-scheduler asks placement for at most eight candidates
(``[scheduler] max_placement_results``). The source and the two other hosts
of its domain are hosts placement returns after the first eight, in its
order for the test's flavor. Stock Nova moves the instance out of the
domain, our filters without narrowing find no host among the eight, and
with narrowing the move stays in the domain.
"""

import re

import fixtures
from nova import context as nova_context
from nova.db.api import api as api_db
from nova import objects
from nova.scheduler import request_filter as nova_request_filter
import sqlalchemy

from nova_migration_ext import facts
from nova_migration_ext.prefilter import request_filter
from nova_migration_ext.tests.functional import base
from nova_migration_ext.tests.functional import fakes
from nova_migration_ext.tests.functional import libvirt_fleet
from nova_migration_ext.virt import provider_traits

FLEET = 30
LIMIT = 8
EXPORT = 'nfs:10.0.0.5:/export'
NARROWED = 'Placement prefilter narrowed the live migration of %s'


class _Fleet(base.MigrationTestCase):
    """The fleet, every host publishing a storage identity of its own, and
    an instance on ``self.source``; ``self.domain`` (the source first) are
    three hosts placement returns after the first LIMIT.
    """

    compute_driver = 'fake.StorageTraitsDriver'
    placement_prefilter = True

    def setUp(self):
        self.useFixture(fixtures.MonkeyPatch(
            'nova.virt.fake.StorageTraitsDriver', fakes.StorageTraitsDriver))
        # Registration appends to Nova's module-level list of request
        # filters: each test gets its own copy.
        self.useFixture(fixtures.MonkeyPatch(
            'nova.scheduler.request_filter.ALL_REQUEST_FILTERS',
            [function for function in nova_request_filter.ALL_REQUEST_FILTERS
             if function is not request_filter.narrow_move]))
        self.flags(placement_prefilter=self.placement_prefilter,
                   group='migration_ext')
        self.flags(max_placement_results=LIMIT, group='scheduler')
        super().setUp()
        self.hosts = ['host%02d' % number for number in range(FLEET)]
        for host in self.hosts:
            self.start_host(host, stats={
                facts.STORAGE_ID_STAT: 'local:' + host})
        self.refresh_hosts()
        self.flavor = self.api.get_flavors()[0]
        order = self.placement_order()
        self.assertEqual(sorted(self.hosts), sorted(order))
        self.domain = order[LIMIT:LIMIT + 3]
        self.source = self.domain[0]
        self.first = order[:LIMIT]
        self.server = self.boot(self.source)

    def placement_order(self, limit=None):
        """Hosts in the order placement returns candidates for the flavor
        (``[placement] randomize_allocation_candidates`` is off).
        """
        flavor = self.api.get_flavor(self.flavor['id'])
        resources = ','.join(
            '%s:%d' % (rc, amount) for rc, amount in (
                ('DISK_GB', flavor['disk']),
                ('MEMORY_MB', flavor['ram']),
                ('VCPU', flavor['vcpus'])) if amount)
        query = 'resources=%s' % resources
        if limit:
            query += '&limit=%d' % limit
        names = {provider['uuid']: provider['name'] for provider in
                 self.placement.get('/resource_providers').body[
                     'resource_providers']}
        answer = self.placement.get('/allocation_candidates?' + query,
                                    version='1.39').body
        return [names[provider]
                for request in answer['allocation_requests']
                for provider in request['allocations']]

    def assert_domain_beyond_limit(self):
        """The precondition: placement's first LIMIT candidates, as Nova
        asks for them, include no host of the domain.
        """
        first = self.placement_order(limit=LIMIT)
        self.assertEqual(self.first, first)
        self.assertFalse(set(first) & set(self.domain))

    def live_migration_refused(self):
        self._live_migrate(self.server, migration_expected_state='error')
        self.assert_stays_on(self.server, self.source)
        self.assertIn('No valid host', self.stdlog.logger.output)

    def narrowed_log(self):
        return NARROWED % self.server['id']


class _AggregateDomain:
    """The domain is declared by aggregate metadata."""

    def make_domain(self):
        self.aggregate('rack-a', self.domain,
                       {facts.MIGRATION_DOMAIN_KEY: 'rack-a'})


class _PublishedStorage:
    """The domain's hosts publish one storage identity (and its trait)."""

    def make_domain(self):
        for host in self.domain:
            self.computes[host].driver.extra_stats = {
                facts.STORAGE_ID_STAT: EXPORT}
        self.refresh_hosts()


class _Narrowed:

    def setUp(self):
        super().setUp()
        self.make_domain()
        self.assert_domain_beyond_limit()

    def test_live_migration_stays_in_domain(self):
        server = self._live_migrate(self.server)
        self.assertIn(self.host_of(server), self.domain[1:])
        self.assertIn(self.narrowed_log(), self.stdlog.logger.output)

    def test_narrowing_binds_that_move_only(self):
        server = self._live_migrate(self.server)
        spec = objects.RequestSpec.get_by_instance_uuid(
            nova_context.get_admin_context(), server['id'])
        self.assertFalse(spec.requested_destination and
                         spec.requested_destination.aggregates)
        self.assertFalse({trait for trait in spec.root_required
                          if trait.startswith(
                              provider_traits.STORAGE_TRAIT_PREFIX)})


class _Unnarrowed:

    placement_prefilter = False

    def setUp(self):
        super().setUp()
        self.make_domain()
        self.assert_domain_beyond_limit()

    def test_live_migration_finds_no_host(self):
        self.live_migration_refused()
        self.assertNotIn(self.narrowed_log(), self.stdlog.logger.output)


class _Stock:

    use_our_filters = False

    def setUp(self):
        super().setUp()
        self.make_domain()
        self.assert_domain_beyond_limit()

    def test_live_migration_leaves_domain(self):
        server = self._live_migrate(self.server)
        self.assertNotIn(self.host_of(server), self.domain)
        self.assertIn(self.host_of(server), self.first)


class AggregateDomainNarrowedTest(_Narrowed, _AggregateDomain, _Fleet):

    def test_cold_migration_stays_in_domain(self):
        server = self._migrate_server(self.server)
        self.assertIn(self.host_of(server), self.domain[1:])
        self._confirm_resize(server)

    def test_explain_shows_the_narrowed_candidates(self):
        status, out, err = base.cli('explain', self.server['id'])
        self.assertEqual((0, ''), (status, err))
        picked = re.search(r'Nova would pick: (\S+)', out).group(1)
        self.assertIn(picked, self.domain[1:])

    def test_domain_aggregates_are_one_statement(self):
        for number in range(5):
            self.aggregate('storage-%d' % number, self.first[number:],
                           {facts.SHARED_STORAGE_KEY: 'nfs-%d' % number,
                            'other': 'x'})
        statements = []

        def count(conn, cursor, statement, *args):
            # Nova's SQLite fixture issues its own BEGIN.
            if statement.lstrip().upper().startswith('SELECT'):
                statements.append(statement)

        engine = api_db.get_engine()
        sqlalchemy.event.listen(engine, 'before_cursor_execute', count)
        self.addCleanup(sqlalchemy.event.remove, engine,
                        'before_cursor_execute', count)
        found = request_filter.domain_aggregates(
            nova_context.get_admin_context())
        self.assertEqual(1, len(statements), statements)
        self.assertEqual(
            ['nfs-0', 'nfs-1', 'nfs-2', 'nfs-3', 'nfs-4', 'rack-a'],
            sorted(value for aggregate in found
                   for value in aggregate.values))


class AggregateDomainUnnarrowedTest(_Unnarrowed, _AggregateDomain, _Fleet):
    pass


class AggregateDomainStockTest(_Stock, _AggregateDomain, _Fleet):
    pass


class PublishedStorageNarrowedTest(_Narrowed, _PublishedStorage, _Fleet):

    def test_destinations_report_the_storage_trait(self):
        trait = provider_traits.storage_trait(EXPORT)
        for host in self.hosts:
            traits = self.placement.get(
                '/resource_providers/%s/traits'
                % self._get_provider_uuid_by_host(host),
                version='1.6').body['traits']
            self.assertEqual(host in self.domain, trait in traits, host)


class PublishedStorageUnnarrowedTest(_Unnarrowed, _PublishedStorage, _Fleet):
    pass


class PublishedStorageStockTest(_Stock, _PublishedStorage, _Fleet):
    pass


class MixedStorageTest(_Fleet):
    """The source's storage is declared by an aggregate; a host among the
    first candidates declares nothing but publishes that very name, so
    SharedStorageFilter lets it through: narrowing must not drop it.
    """

    def setUp(self):
        super().setUp()
        self.aggregate('ceph-a', self.domain,
                       {facts.SHARED_STORAGE_KEY: 'ceph-a'})
        self.publisher = self.first[-1]
        self.computes[self.publisher].driver.extra_stats = {
            facts.STORAGE_ID_STAT: 'ceph-a'}
        self.refresh_hosts()
        self.assert_domain_beyond_limit()

    def test_host_publishing_the_declared_storage_is_kept(self):
        server = self._live_migrate(self.server)
        self.assertEqual(self.publisher, self.host_of(server))
        self.assertIn('Placement prefilter did not narrow the live migration '
                      'of %s: shared storage ceph-a: 1 host(s) in no storage '
                      'aggregate publish it (%s)'
                      % (server['id'], self.publisher),
                      self.stdlog.logger.output)


class NoDomainTest(_Fleet):
    """Boots and moves of instances in no domain go where they did."""

    def test_boot_and_live_migration_are_not_narrowed(self):
        servers = [self.boot(None) for _ in range(3)]
        for server in servers:
            self.assertIn(self.host_of(server), self.first)
        server = self._live_migrate(self.server)
        self.assertIn(self.host_of(server), self.first)
        self.assertNotIn('Placement prefilter', self.stdlog.logger.output)


class DriverExtensionTraitsTest(libvirt_fleet.LibvirtFleetTestCase):
    """migration_ext.LibvirtDriver (over fakelibvirt) reports the trait of
    the storage it publishes, and drops it when the storage changes.
    """

    NFS = ('/dev/vda1 / ext4 rw 0 0\n'
           '10.0.0.5:/export {instances_parent} nfs4 rw,vers=4.2 0 0\n')
    LOCAL = ('/dev/vda1 / ext4 rw 0 0\n'
             '/dev/vdb {instances_path} xfs rw 0 0\n')

    def traits_of(self, host):
        uuid = self._get_provider_uuid_by_host(host)
        return {trait for trait in self.placement.get(
            '/resource_providers/%s/traits' % uuid,
            version='1.6').body['traits']
            if trait.startswith(provider_traits.STORAGE_TRAIT_PREFIX)}

    def test_storage_trait_follows_the_published_storage(self):
        self.start_host('nfs1', mounts=self.NFS)
        self.start_host('local2', mounts=self.LOCAL)
        self.refresh_hosts()
        export = self.stats_of('nfs1')[facts.STORAGE_ID_STAT]
        self.assertEqual({provider_traits.storage_trait(export)},
                         self.traits_of('nfs1'))
        self.assertEqual(set(), self.traits_of('local2'))

        self.set_proc('nfs1', mounts=self.LOCAL)
        self.set_proc('local2', mounts=self.NFS)
        self.refresh_hosts()
        self.assertEqual(set(), self.traits_of('nfs1'))
        self.assertEqual({provider_traits.storage_trait(export)},
                         self.traits_of('local2'))
