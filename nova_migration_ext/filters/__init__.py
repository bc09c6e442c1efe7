"""Scheduler filters of nova-migration-ext.

nova.conf::

    [filter_scheduler]
    available_filters = nova.scheduler.filters.all_filters
    available_filters = nova_migration_ext.filters.all_filters
"""

import stevedore

NAMESPACE = 'nova_migration_ext.filters'


def _failed(manager, entrypoint, exception):
    # A broken install must be loud at nova-scheduler start, not a filter
    # silently missing from available_filters.
    raise exception


def all_filters():
    """The filter classes registered under ``nova_migration_ext.filters``.

    A plain function, as Nova's ``available_filters`` expects.
    """
    manager = stevedore.ExtensionManager(
        NAMESPACE, invoke_on_load=False, on_load_failure_callback=_failed)
    return [extension.plugin for extension in
            sorted(manager, key=lambda ext: ext.name)]
