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

"""MigrationAggregateFilter matches flavor extra specs exactly as Nova's
AggregateInstanceExtraSpecsFilter does, on any metadata and extra specs.
"""

from hypothesis import given
from hypothesis import settings
from hypothesis import strategies as st
from oslo_config import fixture as config_fixture
import testtools

from nova.scheduler.filters import aggregate_instance_extra_specs as nova_agg

from nova_migration_ext.filters import migration_aggregate
from nova_migration_ext import operations
from nova_migration_ext.tests.unit import test_filters

# Words Nova's extra_specs_ops gives a meaning to, numbers and names, and
# the separators Nova splits on.
_WORDS = st.sampled_from([
    '', ' ', 'a', 'b', 'fast', '1', '2', '2.5', '10', '-1', 'x y',
    '=', '==', '!=', '>=', '<=', 's==', 's!=', 's<', 's<=', 's>', 's>=',
    '<in>', '<all-in>', '<or>'])
_SEPARATORS = st.sampled_from([',', ', ', ' ', '', ',,'])
_METADATA_KEYS = st.sampled_from(['k', 'j', 'aggregate_instance_extra_specs'])
_SPEC_KEYS = st.sampled_from([
    'k', 'j', 'aggregate_instance_extra_specs:k', 'other:k', 'hw:k'])


@st.composite
def _phrase(draw, separators):
    words = draw(st.lists(_WORDS, max_size=5))
    text = ''
    for word in words:
        text += word + draw(separators)
    return text.rstrip(' ') if draw(st.booleans()) else text


_AGGREGATES = st.lists(
    st.dictionaries(_METADATA_KEYS, _phrase(_SEPARATORS), max_size=3),
    max_size=3)
_EXTRA_SPECS = st.dictionaries(
    _SPEC_KEYS, _phrase(st.sampled_from([' ', '  ', ''])), max_size=3)


class NovaParityTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.useFixture(config_fixture.Config())
        self.ours = migration_aggregate.MigrationAggregateFilter()
        self.nova = nova_agg.AggregateInstanceExtraSpecsFilter()

    @settings(max_examples=1500, deadline=None)
    @given(aggregates=_AGGREGATES, extra_specs=_EXTRA_SPECS)
    def test_same_verdict_as_nova(self, aggregates, extra_specs):
        host = test_filters.host_state('h', aggregates=[
            test_filters.aggregate(i, **metadata)
            for i, metadata in enumerate(aggregates)])
        spec = test_filters.request(operations.BOOT,
                                    extra_specs=extra_specs)
        try:
            expected = self.nova.host_passes(host, spec)
        except (ValueError, IndexError):
            # Nova's own crash on values float() cannot read or a dangling
            # <or>: ours rejects the host instead (NeverRaiseTest).
            return
        self.assertEqual(expected, self.ours.host_passes(host, spec),
                         'metadata %r, extra specs %r'
                         % (aggregates, extra_specs))

    def test_an_empty_value_is_a_value(self):
        host = test_filters.host_state(
            'h', aggregates=[test_filters.aggregate(1, tier='')])
        spec = test_filters.request(operations.BOOT,
                                    extra_specs={'tier': 's!= slow'})
        self.assertTrue(self.nova.host_passes(host, spec))
        self.assertTrue(self.ours.host_passes(host, spec))
