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
"""facts.storage_domains: what SharedStorageFilter keeps a move inside."""

import testtools

from nova_migration_ext import facts


class StorageDomainsTest(testtools.TestCase):

    def test_published_shared_identity_is_a_domain(self):
        stats = {facts.STORAGE_ID_STAT: 'nfs:10.0.0.5:/export/instances'}
        self.assertEqual(frozenset(['nfs:10.0.0.5:/export/instances']),
                         facts.storage_domains({}, stats))

    def test_published_local_identity_is_no_domain(self):
        stats = {facts.STORAGE_ID_STAT: 'local:h1:uuid=1234'}
        self.assertEqual(frozenset(), facts.storage_domains({}, stats))

    def test_aggregate_declaration_wins(self):
        stats = {facts.STORAGE_ID_STAT: 'nfs:10.0.0.5:/export/instances'}
        metadata = {facts.SHARED_STORAGE_KEY: frozenset(['ceph-a'])}
        self.assertEqual(frozenset(['ceph-a']),
                         facts.storage_domains(metadata, stats))

    def test_nothing_published(self):
        for stats in (None, {}, {facts.STORAGE_ID_STAT: ''}):
            self.assertEqual(frozenset(), facts.storage_domains({}, stats))
