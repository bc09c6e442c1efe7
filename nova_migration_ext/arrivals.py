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

"""Live migrations arriving at a host that its last resource report does
not count yet (move.arriving_live_migrations finds them, and says why).

nova-compute's resource tracker counts the instances on a host and the live
migrations in progress to it, as of its last report (HostState.updated): a
live migration asked for after that report, still copying or completed, is
not in the host's free_ram_mb; nor is one whose destination is chosen but
not yet recorded on its migration.
"""

import dataclasses
import datetime
import typing


@dataclasses.dataclass(frozen=True)
class Arrival:
    """RAM on its way to a host. ``created_at`` None: no report of the
    destination can have counted it yet. Never counted on ``source_host``.
    """

    ram_mb: int
    created_at: typing.Optional[datetime.datetime] = None
    source_host: typing.Optional[str] = None


@dataclasses.dataclass(frozen=True)
class Arrivals:
    """Arrivals by recorded destination (host, node) and, for destinations
    not recorded yet, by resource provider (the compute node's uuid).
    """

    by_node: typing.Mapping = dataclasses.field(default_factory=dict)
    by_provider: typing.Mapping = dataclasses.field(default_factory=dict)

    def unreported_mb(self, host, node, provider, reported_at):
        """RAM arriving at the host that its report made at
        ``reported_at`` does not count; with no report time, all of it.
        """
        reported_at = utc(reported_at)
        total = 0
        for arrival in (self.by_node.get((host, node), ())
                        + self.by_provider.get(provider, ())):
            if arrival.source_host == host:
                continue
            created_at = utc(arrival.created_at)
            if None in (reported_at, created_at) or created_at >= reported_at:
                total += arrival.ram_mb
        return total


NONE = Arrivals()


def utc(value):
    """A naive UTC datetime (Nova mixes aware and naive ones), or None."""
    if not isinstance(value, datetime.datetime):
        return None
    if value.tzinfo is not None:
        value = value.astimezone(datetime.timezone.utc).replace(tzinfo=None)
    return value
