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

"""Plain facts about a host, read from Nova's HostState or ComputeNode.

Nova types stop here: the rules only ever see strings, numbers and sets.
"""

import dataclasses
import types
import typing
import weakref

# Aggregate metadata keys (the product's namespace).
MIGRATION_DOMAIN_KEY = 'migration_ext:migration_domain'
SHARED_STORAGE_KEY = 'migration_ext:shared_storage'

# Stats a compute host running the driver extension publishes; Nova copies
# get_available_resource()['stats'] into HostState.stats.
STAT_PREFIX = 'migration_ext_'
# Identity of the storage under [DEFAULT] instances_path (or of the Ceph
# pool with [libvirt] images_type = rbd): equal on hosts that share it.
STORAGE_ID_STAT = STAT_PREFIX + 'storage_id'
# A published storage identity that is unique to its host: no other host
# shares that storage, so it is no domain to keep an instance inside.
LOCAL_STORAGE_PREFIX = 'local:'
# Dotted version strings ('10.0.0').
LIBVIRT_VERSION_STAT = STAT_PREFIX + 'libvirt_version'
QEMU_VERSION_STAT = STAT_PREFIX + 'qemu_version'
# MemAvailable of /proc/meminfo, in MiB.
MEM_AVAILABLE_STAT = STAT_PREFIX + 'mem_available_mb'
CPU_VENDOR_STAT = STAT_PREFIX + 'cpu_vendor'
CPU_MODEL_STAT = STAT_PREFIX + 'cpu_model'
# The CPU mode guests get: [libvirt] cpu_mode, or Nova's default for it.
CPU_MODE_STAT = STAT_PREFIX + 'cpu_mode'

_EMPTY = types.MappingProxyType({})


def split_values(value):
    """Split an aggregate metadata value the way Nova does: on commas.

    Empty items stay: Nova's aggregate_metadata_get_by_host keeps '' as a
    value, which its extra-spec operators can match.
    """
    if value is None:
        return ()
    return tuple(item.strip() for item in str(value).split(','))


class Metadata(dict):
    """Merged aggregate metadata: key -> frozenset of values.

    Interned: hosts whose aggregates say the same share one object, so a
    decision made from it is made once per request, not once per host.
    """

    __slots__ = ('__weakref__',)


_INTERNED = weakref.WeakValueDictionary()


def _interned(merged):
    content = frozenset(merged.items())
    found = _INTERNED.get(content)
    if found is None:
        found = _INTERNED.setdefault(content, Metadata(merged))
    return found


def metadata_of(aggregates):
    """Merge the metadata of a host's aggregates: key -> set of values.

    Mirrors nova.scheduler.filters.utils.aggregate_metadata_get_by_host.
    """
    merged = {}
    for aggregate in aggregates or ():
        for key, value in (getattr(aggregate, 'metadata', None) or {}).items():
            values = split_values(value)
            if key in merged:
                merged[key] = merged[key].union(values)
            else:
                merged[key] = frozenset(values)
    return _interned(merged)


class _ParsedAggregates:
    """Each aggregate's parsed metadata, kept while the aggregate lives.

    nova-scheduler's HostManager keeps one Aggregate object per aggregate
    for every request and replaces the object when the aggregate changes
    (HostManager.update_aggregates), as explain builds new ones per run: an
    object's metadata is parsed once per process, not once per host and
    request. Keyed by id() (Nova objects do not hash) and checked against
    a weak reference, so a reused id never returns another's metadata.
    """

    def __init__(self):
        self._entries = {}

    def of(self, aggregate):
        key = id(aggregate)
        entry = self._entries.get(key)
        if entry is not None and entry[0]() is aggregate:
            return entry[1]
        parsed = metadata_of((aggregate,))
        try:
            ref = weakref.ref(aggregate, self._forget(key))
        except TypeError:
            return parsed
        self._entries[key] = (ref, parsed)
        return parsed

    def _forget(self, key):
        def forget(ref):
            entry = self._entries.get(key)
            if entry is not None and entry[0] is ref:
                self._entries.pop(key, None)
        return forget


_PARSED = _ParsedAggregates()
EMPTY_METADATA = _interned({})


def aggregate_metadata(aggregates):
    """metadata_of(aggregates), each aggregate parsed once per process."""
    if not aggregates:
        return EMPTY_METADATA
    if len(aggregates) == 1:
        return _PARSED.of(aggregates[0])
    merged = {}
    for aggregate in aggregates:
        for key, values in _PARSED.of(aggregate).items():
            merged[key] = merged[key] | values if key in merged else values
    return _interned(merged)


def migration_domains(metadata):
    return metadata.get(MIGRATION_DOMAIN_KEY, frozenset())


def storage_domains(metadata, stats):
    """Shared-storage domains: declared by aggregates, else published.

    An operator's aggregate declaration wins over what the host detected.
    A host's local storage is in no domain: its instances may move by block
    migration or be rebuilt elsewhere on evacuate, as in stock Nova.
    """
    declared = metadata.get(SHARED_STORAGE_KEY)
    if declared:
        return declared
    published = (stats or _EMPTY).get(STORAGE_ID_STAT)
    if not published:
        return frozenset()
    return frozenset(value for value in split_values(published)
                     if value and not value.startswith(LOCAL_STORAGE_PREFIX))


@dataclasses.dataclass(frozen=True)
class HostFacts:
    """What the rules need to know about one host."""

    host: str
    nodename: typing.Optional[str] = None
    hypervisor_type: typing.Optional[str] = None
    hypervisor_version: typing.Any = None
    cpu_info: typing.Any = None
    free_ram_mb: typing.Any = None
    total_usable_ram_mb: typing.Any = None
    ram_allocation_ratio: typing.Any = None
    metadata: typing.Mapping = dataclasses.field(default_factory=dict)
    stats: typing.Mapping = dataclasses.field(default_factory=dict)

    @property
    def migration_domains(self):
        return migration_domains(self.metadata)

    @property
    def storage_domains(self):
        return storage_domains(self.metadata, self.stats)


def from_host_state(host_state):
    """HostFacts of a scheduler HostState."""
    return HostFacts(
        host=host_state.host,
        nodename=host_state.nodename,
        hypervisor_type=host_state.hypervisor_type,
        hypervisor_version=host_state.hypervisor_version,
        cpu_info=host_state.cpu_info,
        free_ram_mb=host_state.free_ram_mb,
        total_usable_ram_mb=host_state.total_usable_ram_mb,
        ram_allocation_ratio=host_state.ram_allocation_ratio,
        metadata=metadata_of(host_state.aggregates),
        stats=dict(host_state.stats or {}))


def from_compute_node(node, aggregates):
    """HostFacts of a ComputeNode record and the host's aggregates.

    Mirrors HostState._update_from_compute_node for the fields we use.
    """
    return HostFacts(
        host=node.host,
        nodename=node.hypervisor_hostname,
        hypervisor_type=node.hypervisor_type,
        hypervisor_version=node.hypervisor_version,
        cpu_info=node.cpu_info,
        free_ram_mb=node.free_ram_mb,
        total_usable_ram_mb=node.memory_mb,
        ram_allocation_ratio=node.ram_allocation_ratio,
        metadata=metadata_of(aggregates),
        stats=dict(node.stats or {}))
