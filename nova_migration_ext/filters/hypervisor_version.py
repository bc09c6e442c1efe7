"""HypervisorVersionFilter."""

import nova.conf
from nova.scheduler import filters

from nova_migration_ext import conf  # noqa: F401 - registers [migration_ext]
from nova_migration_ext.filters import base
from nova_migration_ext import operations
from nova_migration_ext.rules import hypervisor

CONF = nova.conf.CONF


class HypervisorVersionFilter(base.VerdictFilterMixin,
                              filters.BaseHostFilter):
    """A moved instance lands on its source's hypervisor type at the same or
    a newer version (Nova's live-migration rule, applied to every move)."""

    def operations(self):
        ops = set(CONF.migration_ext.hypervisor_version_operations)
        if CONF.workarounds.skip_hypervisor_version_check_on_lm:
            ops.discard(operations.LIVE)
        return ops

    def check(self, host_state, view):
        source = view.move.source
        return hypervisor.not_older(source.hypervisor_type,
                                    source.hypervisor_version,
                                    host_state.hypervisor_type,
                                    host_state.hypervisor_version)
