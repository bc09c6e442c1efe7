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

"""Aggregate metadata with empty values, inside real Nova."""

from nova_migration_ext.tests.functional import base


class EmptyValueMatchTest(base.MigrationTestCase):
    """tier="" on the only host: Nova's AggregateInstanceExtraSpecsFilter
    keeps '' as a value, which ``s!= slow`` matches.
    """

    def setUp(self):
        super().setUp()
        self.start_host('cmp1')
        self.refresh_hosts()
        self.aggregate('untiered', ['cmp1'], {'tier': ''})
        self.flavor = self._create_flavor(
            memory_mb=512, vcpu=1, disk=1, extra_spec={'tier': 's!= slow'})

    def test_boot_lands_as_with_stock_nova(self):
        server = self._create_server(flavor_id=self.flavor, networks='none')
        self.assertEqual('cmp1', self.host_of(server))


class StockNovaEmptyValueMatchTest(EmptyValueMatchTest):

    use_our_filters = False


class MalformedSourceDomainTest(base.MigrationTestCase):
    """The source's domain metadata names no domain ('' or ',,'): what the
    source shares is unknown, so on_lookup_error decides. The weigher
    prefers other, outside every domain.
    """

    def setUp(self):
        super().setUp()
        for host in ('source', 'other'):
            self.start_host(host)
        self.refresh_hosts()
        self.server = self.boot('source')
        self.prefer('other')

    def declare(self, key, value):
        self.aggregate('malformed', ['source'], {key: value})

    def test_empty_storage_domain_is_refused_with_reject(self):
        self.flags(on_lookup_error='reject', group='migration_ext')
        self.declare('migration_ext:shared_storage', ',,')
        self._live_migrate(self.server, migration_expected_state='error')
        self.assert_stays_on(self.server, 'source')
        self.assertIn('SharedStorageFilter rejected 1 of 1 host for live '
                      'migration of %s: shared storage of the source '
                      'unknown: its aggregate metadata '
                      'migration_ext:shared_storage has an empty domain '
                      'name; on_lookup_error=reject (1 host: other)'
                      % self.server['id'], self.stdlog.logger.output)

    def test_empty_migration_domain_is_refused_with_reject(self):
        self.flags(on_lookup_error='reject', group='migration_ext')
        self.declare('migration_ext:migration_domain', '')
        self.cold_migrate_refused(self.server)
        self.assertIn('migration domain of the source unknown: its aggregate '
                      'metadata migration_ext:migration_domain has an empty '
                      'domain name; on_lookup_error=reject',
                      self.stdlog.logger.output)

    def test_default_policy_lets_the_move_through_and_says_why(self):
        self.declare('migration_ext:shared_storage', '')
        server = self._live_migrate(self.server)
        self.assertEqual('other', self.host_of(server))
        self.assertIn('SharedStorageFilter let 1 host through for live '
                      'migration of %s: shared storage of the source unknown'
                      % self.server['id'], self.stdlog.logger.output)
