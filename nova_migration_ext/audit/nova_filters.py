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

"""Which scheduler filters exist, which were removed, and who provides them.

``[filter_scheduler] available_filters`` lists *providers*: a function such
as ``nova.scheduler.filters.all_filters`` returning filter classes, or the
path of one class. ``enabled_filters`` names classes by ``__name__``; a
name no provider supplies stops nova-scheduler at start-up with
``SchedulerHostFilterNotFound``.
"""

import dataclasses
import importlib.metadata
import re
import warnings

from nova_migration_ext.audit import findings

NOVA_ALL_FILTERS = 'nova.scheduler.filters.all_filters'
OUR_ALL_FILTERS = 'nova_migration_ext.filters.all_filters'
OUR_ENTRY_POINTS = 'nova_migration_ext.filters'

# What Nova uses when the options are not set (nova/conf/scheduler.py).
DEFAULT_AVAILABLE = (NOVA_ALL_FILTERS,)
DEFAULT_ENABLED = (
    'ComputeFilter',
    'ComputeCapabilitiesFilter',
    'ImagePropertiesFilter',
    'ServerGroupAntiAffinityFilter',
    'ServerGroupAffinityFilter',
)

# The classes nova.scheduler.filters.all_filters() returns in Nova 34.0.0;
# used when Nova is not importable (a unit test compares it with Nova's).
NOVA34_FILTERS = frozenset((
    'AggregateImagePropertiesIsolation',
    'AggregateInstanceExtraSpecsFilter',
    'AggregateIoOpsFilter',
    'AggregateMultiTenancyIsolation',
    'AggregateNumInstancesFilter',
    'AggregateTypeAffinityFilter',
    'AllHostsFilter',
    'ComputeCapabilitiesFilter',
    'ComputeFilter',
    'DifferentHostFilter',
    'ImagePropertiesFilter',
    'IoOpsFilter',
    'IsolatedHostsFilter',
    'JsonFilter',
    'MetricsFilter',
    'NUMATopologyFilter',
    'NumInstancesFilter',
    'PciPassthroughFilter',
    'SameHostFilter',
    'ServerGroupAffinityFilter',
    'ServerGroupAntiAffinityFilter',
    'SimpleCIDRAffinityFilter',
))


@dataclasses.dataclass(frozen=True)
class Removed:
    since: str
    instead: str


_PLACEMENT = ('placement checks %s itself when it picks candidates; the '
              'overcommit is [DEFAULT] %s_allocation_ratio in each '
              "compute's nova.conf")
_AGGREGATE = (_PLACEMENT + '. The aggregate metadata key %s_allocation_ratio '
              'is no longer read: set the ratio on every compute of the '
              'aggregate instead (in its nova.conf, or on its resource '
              'provider: openstack resource provider inventory set UUID '
              '--amend --resource %s:allocation_ratio=R)')

# Filters Nova removed, with the release that removed them (checked against
# the nova wheels of the releases before and after).
REMOVED = {
    'RamFilter': Removed(findings.TRAIN, _PLACEMENT % ('RAM', 'ram')),
    'CoreFilter': Removed(findings.TRAIN, _PLACEMENT % ('vCPUs', 'cpu')),
    'DiskFilter': Removed(findings.TRAIN, _PLACEMENT % ('disk', 'disk')),
    'AggregateRamFilter': Removed(
        findings.VICTORIA, _AGGREGATE % ('RAM', 'ram', 'ram', 'MEMORY_MB')),
    'AggregateCoreFilter': Removed(
        findings.VICTORIA, _AGGREGATE % ('vCPUs', 'cpu', 'cpu', 'VCPU')),
    'AggregateDiskFilter': Removed(
        findings.VICTORIA, _AGGREGATE % ('disk', 'disk', 'disk', 'DISK_GB')),
    'RetryFilter': Removed(
        findings.VICTORIA, 'since 17.0.0 (Queens) the scheduler gives the '
        'conductor alternate hosts for a reschedule, so there is nothing to '
        'replace it with'),
    'AvailabilityZoneFilter': Removed(
        findings.BOBCAT, 'availability zones are enforced by placement '
        '(the map_az_to_placement_aggregate pre-filter, always on), so '
        'there is nothing to replace it with'),
}

_PYTHON_PATH = re.compile(r'[A-Za-z_]\w*(\.[A-Za-z_]\w*)+')


def nova_filter_names():
    """The filter classes of the installed Nova, or Nova 34's."""
    try:
        with warnings.catch_warnings():
            # Importing the scheduler drags in eventlet's deprecation
            # warning, which is noise on an audit's stderr.
            warnings.simplefilter('ignore')
            from nova.scheduler import filters
            return frozenset(cls.__name__ for cls in filters.all_filters())
    except ImportError:
        return NOVA34_FILTERS


def our_filter_names():
    """The filters ``nova_migration_ext.filters.all_filters`` returns."""
    return frozenset(ep.name for ep in importlib.metadata.entry_points(
        group=OUR_ENTRY_POINTS))


class Providers:
    """What a list of ``available_filters`` values makes available."""

    def __init__(self, paths, nova_names, our_names):
        self.paths = list(paths)
        self.nova_names = nova_names
        self.our_names = our_names

    def names_of(self, path):
        """Filter names a provider supplies; None if it cannot be known."""
        if path == NOVA_ALL_FILTERS:
            return self.nova_names
        if path == OUR_ALL_FILTERS:
            return self.our_names
        last = path.rsplit('.', 1)[-1]
        if last[:1].isupper():
            return frozenset((last,))
        return None

    def broken(self, path):
        """Why nova-scheduler could not load ``path``, or None."""
        if not _PYTHON_PATH.fullmatch(path):
            return 'is not a Python path'
        for package, names in (('nova.scheduler.filters.', self.nova_names),
                               ('nova_migration_ext.filters.',
                                self.our_names)):
            last = path.rsplit('.', 1)[-1]
            if (path.startswith(package) and last[:1].isupper()
                    and last not in names):
                return 'names a class %s does not have' % package[:-1]
        return None

    @property
    def known(self):
        names = set()
        for path in self.paths:
            names |= self.names_of(path) or set()
        return names

    @property
    def unknown(self):
        return [p for p in self.paths if self.names_of(p) is None]

    def completed(self, *needed):
        """These providers plus the ``needed`` ones, Nova's first."""
        order = [p for p in (NOVA_ALL_FILTERS, OUR_ALL_FILTERS)
                 if p in self.paths or p in needed]
        return order + [p for p in dict.fromkeys(self.paths)
                        if p not in order]
