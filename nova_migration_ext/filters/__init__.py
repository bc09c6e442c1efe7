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

"""Scheduler filters of nova-migration-ext.

nova.conf::

    [filter_scheduler]
    available_filters = nova.scheduler.filters.all_filters
    available_filters = nova_migration_ext.filters.all_filters
"""

import stevedore

from nova_migration_ext.prefilter import request_filter

NAMESPACE = 'nova_migration_ext.filters'


def _failed(manager, entrypoint, exception):
    # A broken install must be loud at nova-scheduler start, not a filter
    # silently missing from available_filters.
    raise exception


def all_filters():
    """The filter classes registered under ``nova_migration_ext.filters``.

    A plain function, as Nova's ``available_filters`` expects. Loading them
    also registers the placement prefilter for moves (once, when
    ``[migration_ext] placement_prefilter`` is on): Nova offers request
    filters no other hook.
    """
    request_filter.register()
    manager = stevedore.ExtensionManager(
        NAMESPACE, invoke_on_load=False, on_load_failure_callback=_failed)
    return [extension.plugin for extension in
            sorted(manager, key=lambda ext: ext.name)]
