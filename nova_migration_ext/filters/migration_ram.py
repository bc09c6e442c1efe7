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

"""MigrationRamFilter."""

from nova.scheduler import filters

from nova_migration_ext import conf
from nova_migration_ext import facts
from nova_migration_ext.filters import base
from nova_migration_ext import operations
from nova_migration_ext.rules import ram

CONF = conf.CONF


class MigrationRamFilter(base.VerdictFilterMixin, filters.BaseHostFilter):
    """The destination has room for the instance's RAM.

    The new flavor's on resize; on live migration without overcommit beyond
    ``live_migration_ram_allocation_ratio``, with ``ram_headroom_mb``, and,
    with ``live_migration_check_mem_available``, within the host's
    published MemAvailable.
    """

    def operations(self):
        return CONF.migration_ext.ram_check_operations

    def checker(self, view):
        move = view.move
        requested = move.requested_ram_mb
        if move.operation != operations.LIVE:
            room = ram.room_checker(requested)
            if move.operation == operations.RESIZE and move.source:
                # Resize in place: the old flavor's RAM is already counted
                # as used on this host and is given back by the resize.
                in_place_host = move.source.host
                in_place = ram.room_checker(
                    _difference(requested, move.current_ram_mb))
            else:
                in_place_host = in_place = None

            def check(host_state):
                fits = in_place if host_state.host == in_place_host else room
                return fits(host_state.total_usable_ram_mb,
                            host_state.free_ram_mb,
                            host_state.ram_allocation_ratio)
            return check

        # Options are read once per request: oslo.config is slow per host.
        opts = CONF.migration_ext
        headroom_mb = opts.ram_headroom_mb
        room = ram.room_checker(
            requested, ratio_cap=opts.live_migration_ram_allocation_ratio,
            headroom_mb=headroom_mb)
        check_mem_available = opts.live_migration_check_mem_available
        arrivals = move.arriving
        # Most requests meet no other live migration: no per-host look-up.
        unreported_mb = (arrivals.unreported_mb
                         if arrivals.by_node or arrivals.by_provider
                         else None)

        def check_live(host_state):
            # Live migrations the host's last report does not count yet
            # (no claim on the destination without NUMA).
            arriving = unreported_mb(
                host_state.host, host_state.nodename, host_state.uuid,
                host_state.updated) if unreported_mb else 0
            result = room(host_state.total_usable_ram_mb,
                          host_state.free_ram_mb,
                          host_state.ram_allocation_ratio, arriving)
            if result.ok and check_mem_available:
                return ram.mem_available_for(
                    requested,
                    (host_state.stats or {}).get(facts.MEM_AVAILABLE_STAT),
                    headroom_mb=headroom_mb, arriving_mb=arriving)
            return result
        return check_live


def _difference(new_mb, old_mb):
    try:
        return max(new_mb - old_mb, 0)
    except TypeError:
        return new_mb
