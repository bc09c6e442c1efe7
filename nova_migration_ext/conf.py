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
"""The ``[migration_ext]`` options, registered on the global nova.conf."""

from oslo_config import cfg

from nova_migration_ext import operations

GROUP = cfg.OptGroup(
    'migration_ext',
    title='Migration-aware scheduling',
    help='Options of the nova-migration-ext scheduler filters and tools.')

_MOVES = [op for op in operations.ALL if op != operations.BOOT]

OPTS = [
    cfg.StrOpt(
        'on_lookup_error',
        default='pass',
        choices=[
            ('pass', 'Let the host through; Nova\'s own late checks '
                     '(conductor, libvirt pre-checks) remain the backstop.'),
            ('reject', 'Reject the host: a move is refused rather than '
                       'risked when a fact cannot be established.'),
        ],
        help='Verdict when a fact a filter needs cannot be established: the '
             'instance or its source compute node cannot be looked up, or a '
             'host reports a missing or malformed value (hypervisor version, '
             'RAM, cpu_info). Either way one log line says why.'),
    cfg.FloatOpt(
        'live_migration_ram_allocation_ratio',
        default=1.0,
        min=0.0,
        help='Upper bound on the RAM allocation ratio MigrationRamFilter '
             'applies to a live-migration destination. The host\'s own ratio '
             'is used when it is lower. 1.0 means no overcommit while the '
             'guest\'s pages are being copied.'),
    cfg.IntOpt(
        'ram_headroom_mb',
        default=0,
        min=0,
        help='Extra RAM, in MiB, that MigrationRamFilter requires on a '
             'live-migration destination beyond the instance\'s flavor RAM '
             '(QEMU overhead, dirty-page buffers).'),
    cfg.BoolOpt(
        'live_migration_check_mem_available',
        default=False,
        help='Whether MigrationRamFilter also requires, on a live-migration '
             'destination, MemAvailable (from /proc/meminfo, published by '
             'hosts whose compute_driver is migration_ext.LibvirtDriver) of '
             'at least the instance\'s RAM plus ram_headroom_mb. A host '
             'that publishes no MemAvailable gets the on_lookup_error '
             'verdict.'),
    cfg.ListOpt(
        'ram_check_operations',
        default=[operations.LIVE, operations.COLD, operations.RESIZE,
                 operations.EVACUATE],
        item_type=cfg.types.String(choices=operations.ALL),
        help='Operations MigrationRamFilter checks. Boots and unshelves are '
             'left to placement\'s own capacity check unless listed here.'),
    cfg.ListOpt(
        'shared_storage_operations',
        default=[operations.LIVE, operations.EVACUATE],
        item_type=cfg.types.String(choices=_MOVES),
        help='Moves on which SharedStorageFilter keeps an instance that is '
             'not volume-backed inside its source\'s shared-storage domain. '
             'Evacuating outside it rebuilds the disk from the image; live '
             'migrating outside it falls back to a slow block migration.'),
    cfg.BoolOpt(
        'placement_prefilter',
        default=True,
        help='Whether nova-scheduler narrows the placement query of a move '
             'whose source is in a migration domain or a shared-storage '
             'domain to the hosts that can pass MigrationAggregateFilter '
             'and SharedStorageFilter: membership of the domain\'s '
             'aggregates (placement mirrors Nova\'s host aggregates), or '
             'the storage trait (CUSTOM_MIGRATION_EXT_STORAGE_*) that hosts '
             'running migration_ext.LibvirtDriver report for the storage '
             'identity they publish. Without it, placement returns at most '
             '[scheduler] max_placement_results candidates and a move fails '
             'with NoValidHost when none of them is in the domain. Applies '
             'only when the filter concerned is enabled; the filters remain '
             'the check.'),
    cfg.ListOpt(
        'hypervisor_version_operations',
        default=[operations.LIVE, operations.COLD, operations.RESIZE,
                 operations.EVACUATE],
        item_type=cfg.types.String(choices=_MOVES),
        help='Moves on which HypervisorVersionFilter requires the source\'s '
             'hypervisor type and at least its version on the destination.'),
    cfg.ListOpt(
        'live_migration_extra_flags',
        default=[],
        help='VIR_MIGRATE_* flags (with or without the prefix) that '
             'migration_ext.LibvirtDriver adds to the flags Nova computes '
             'from [libvirt] for live migration with shared storage, e.g. '
             '"COMPRESSED". nova-compute refuses to start when a name is '
             'unknown or the resulting set is invalid.'),
    cfg.ListOpt(
        'block_migration_extra_flags',
        default=[],
        help='VIR_MIGRATE_* flags that migration_ext.LibvirtDriver adds to '
             'the flags Nova computes for block (non-shared storage) live '
             'migration. Validated like live_migration_extra_flags.'),
]


def register_opts(conf):
    conf.register_group(GROUP)
    conf.register_opts(OPTS, group=GROUP)


def list_opts():
    """Entry point for oslo-config-generator."""
    return [(GROUP, OPTS)]


CONF = cfg.CONF
register_opts(CONF)
