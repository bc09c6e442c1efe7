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

"""What a move's placement query must require so that only hosts that can
pass our domain rules come back, and nothing any of them would pass is lost.

MigrationAggregateFilter passes a host in an aggregate whose
``migration_ext:migration_domain`` values meet the source's: exactly the
members of those aggregates.

SharedStorageFilter passes a host whose storage domains meet the source's,
where a host's domains are those its aggregates declare
(``migration_ext:shared_storage``) or, when none declares any, the storage
identities it publishes (one trait each on its resource provider). So the
hosts that pass are the members of the aggregates declaring one of the
source's domains, together with hosts in no declaring aggregate that publish
one of them. Placement ANDs everything in a query, so:

- no aggregate declares any of the source's domains: only publishing hosts
  can pass; require the domain's trait (one domain) and forbid the declaring
  aggregates;
- some aggregate declares one: require membership of those aggregates, once
  placement confirms no host outside declaring aggregates reports a trait of
  those domains (the mixed case); if one does, the storage part is not
  narrowed, since placement cannot require "member or trait".
"""

import dataclasses
import typing

from nova_migration_ext import facts
from nova_migration_ext.virt import provider_traits

# How many host names a skipped narrowing names in its log line.
_NAMED_HOSTS = 3


@dataclasses.dataclass(frozen=True)
class DomainAggregate:
    """An aggregate carrying one of our domain keys, with its values."""

    uuid: str
    name: str
    key: str
    values: typing.FrozenSet[str]


@dataclasses.dataclass
class Narrowing:
    """Additions to one move's placement query.

    ``required_aggregates`` holds groups of aggregate uuids: a host must be
    in one aggregate of every group. ``narrowed`` and ``skipped`` say, in
    words, what was required and which applicable rule was not narrowed.
    """

    required_aggregates: list = dataclasses.field(default_factory=list)
    forbidden_aggregates: set = dataclasses.field(default_factory=set)
    required_traits: set = dataclasses.field(default_factory=set)
    narrowed: list = dataclasses.field(default_factory=list)
    skipped: list = dataclasses.field(default_factory=list)

    def __bool__(self):
        return bool(self.required_aggregates or self.forbidden_aggregates
                    or self.required_traits)


def _names(values):
    return ','.join(sorted(values))


def plan(move, aggregates, migration_domain, shared_storage,
         providers_publishing):
    """The Narrowing of a move whose source is ``move.source``.

    ``aggregates`` are every DomainAggregate; ``migration_domain`` and
    ``shared_storage`` say which rules apply to this move.
    ``providers_publishing(traits, outside_aggregates)`` names the resource
    providers that report one of ``traits`` and are in none of
    ``outside_aggregates``; it is asked only in the mixed case.
    """
    narrowing = Narrowing()
    for applies, what, domains in (
            (migration_domain, 'migration domain',
             move.source.migration_domains),
            (shared_storage, 'shared storage', move.source.storage_domains)):
        if applies and '' in domains:
            # The source's domains are unknown (an empty name in its
            # aggregate metadata): the filter applies on_lookup_error, which
            # may let any host through, so placement must not narrow.
            narrowing.skipped.append(
                '%s: the source\'s aggregate metadata names an empty domain'
                % what)
    migration_domain = migration_domain and '' not in (
        move.source.migration_domains)
    shared_storage = shared_storage and '' not in move.source.storage_domains
    if migration_domain and move.source.migration_domains:
        _migration_domain(narrowing, move.source.migration_domains,
                          aggregates)
    if shared_storage and move.source.storage_domains:
        _shared_storage(narrowing, move.source, aggregates,
                        providers_publishing)
    return narrowing


def _migration_domain(narrowing, domains, aggregates):
    members_of = [aggregate for aggregate in aggregates
                  if aggregate.key == facts.MIGRATION_DOMAIN_KEY
                  and aggregate.values & domains]
    if not members_of:
        # The source's aggregates changed since its facts were read.
        narrowing.skipped.append(
            'migration domain %s: no aggregate declares it now'
            % _names(domains))
        return
    narrowing.required_aggregates.append(
        sorted(aggregate.uuid for aggregate in members_of))
    narrowing.narrowed.append('migration domain %s (member of %s)' % (
        _names(domains), _names(a.name for a in members_of)))


def _shared_storage(narrowing, source, aggregates, providers_publishing):
    domains = source.storage_domains
    declaring = [aggregate for aggregate in aggregates
                 if aggregate.key == facts.SHARED_STORAGE_KEY
                 and aggregate.values]
    members_of = [aggregate for aggregate in declaring
                  if aggregate.values & domains]
    if not members_of:
        # Only hosts that declare nothing and publish the storage pass.
        narrowing.forbidden_aggregates.update(a.uuid for a in declaring)
        if len(domains) == 1:
            trait = provider_traits.storage_trait(next(iter(domains)))
            narrowing.required_traits.add(trait)
            narrowing.narrowed.append('shared storage %s (trait %s)' % (
                _names(domains), trait))
        elif declaring:
            narrowing.narrowed.append(
                'shared storage %s (in no aggregate declaring another)'
                % _names(domains))
        if len(domains) > 1:
            # A host sharing any one of them passes; placement can only
            # require all of a set of traits.
            narrowing.skipped.append(
                'shared storage %s: no trait required, the source publishes '
                'several storage identities' % _names(domains))
        return
    traits = {provider_traits.storage_trait(domain) for domain in domains}
    try:
        publishing = [name for name in providers_publishing(
            traits, {aggregate.uuid for aggregate in declaring})
            if name != source.nodename]
    except Exception as exc:  # placement is only asked to narrow safely
        narrowing.skipped.append(
            'shared storage %s: cannot ask placement which hosts publish '
            'it: %s: %s' % (_names(domains), type(exc).__name__, exc))
        return
    if publishing:
        narrowing.skipped.append(
            'shared storage %s: %d host(s) in no storage aggregate publish '
            'it (%s)' % (_names(domains), len(publishing),
                         _names(sorted(publishing)[:_NAMED_HOSTS])))
        return
    narrowing.required_aggregates.append(
        sorted(aggregate.uuid for aggregate in members_of))
    narrowing.narrowed.append('shared storage %s (member of %s)' % (
        _names(domains), _names(a.name for a in members_of)))
