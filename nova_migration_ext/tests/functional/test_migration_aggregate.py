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

"""MigrationAggregateFilter inside real Nova: migration domains on moves,
AggregateInstanceExtraSpecsFilter's matching on every request.
"""

from nova_migration_ext.tests.functional import base

DOMAIN = 'migration_ext:migration_domain'


class _Fleet(base.MigrationTestCase):
    """source and peer in domain dc1, other in dc2, loose in none; the
    weigher prefers other, then loose, then peer.
    """

    def setUp(self):
        super().setUp()
        for host in ('source', 'peer', 'other', 'loose'):
            self.start_host(host)
        self.refresh_hosts()
        self.aggregate('dc1', ['source', 'peer'], {DOMAIN: 'dc1'})
        self.aggregate('dc2', ['other'], {DOMAIN: 'dc2'})
        self.server = self.boot('source')
        self.prefer('other', 'loose', 'peer')


class MigrationDomainTest(_Fleet):

    def test_live_migration_stays_in_domain(self):
        server = self._live_migrate(self.server)
        self.assertEqual('peer', self.host_of(server))

    def test_cold_migration_stays_in_domain(self):
        server = self._migrate_server(self.server)
        self.assertEqual('peer', self.host_of(server))
        self._confirm_resize(server)

    def test_resize_stays_in_domain(self):
        flavor = self._create_flavor(memory_mb=1024, vcpu=1, disk=1)
        server = self._resize_server(self.server, flavor)
        self.assertEqual('peer', self.host_of(server))

    def test_no_host_in_domain_leaves_instance_on_source(self):
        self.disable('peer')
        self._live_migrate(self.server, migration_expected_state='error')
        self.assert_stays_on(self.server, 'source')

    def test_instance_outside_any_domain_moves_anywhere(self):
        self.prefer('loose')
        server = self.boot(None)
        self.assertEqual('loose', self.host_of(server))
        self.prefer('other')
        server = self._live_migrate(server)
        self.assertEqual('other', self.host_of(server))

    def test_boot_ignores_domains(self):
        server = self.boot(None)
        self.assertEqual('other', self.host_of(server))


class ExtraSpecsTest(base.MigrationTestCase):
    """The parent filter's matching, without its crash on bad metadata."""

    def setUp(self):
        super().setUp()
        for host in ('fast', 'typo', 'slow'):
            self.start_host(host)
        self.refresh_hosts()
        self.aggregate('fast', ['fast'], {'ram_mhz': '3200'})
        # An operator's typo: not a number under a numeric operator.
        self.aggregate('typo', ['typo'], {'ram_mhz': 'fast'})
        self.aggregate('slow', ['slow'], {'ram_mhz': '2133'})
        self.flavor = self._create_flavor(
            memory_mb=512, vcpu=1, disk=1,
            extra_spec={'aggregate_instance_extra_specs:ram_mhz': '>= 3000'})
        self.prefer('typo', 'slow', 'fast')

    def test_boot_matches_metadata_and_survives_a_typo(self):
        server = self.boot(None, flavor_id=self.flavor)
        self.assertEqual('fast', self.host_of(server))


class StockNovaExtraSpecsTest(ExtraSpecsTest):
    """What the filter prevents: Nova's filter raises on the typo and the
    boot fails.
    """

    use_our_filters = False

    def test_boot_matches_metadata_and_survives_a_typo(self):
        server = self._create_server(flavor_id=self.flavor, networks='none',
                                     expected_state='ERROR')
        self.assertIn('fault', server)
