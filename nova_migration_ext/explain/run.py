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

"""Dry-run the scheduler for one move: every enabled filter on every host,
through the engine ``drain`` plans with.
"""

from nova_migration_ext.explain import engine as engine_mod
from nova_migration_ext.explain import request as request_mod
from nova_migration_ext import operations


def explain(server_uuid, operation=operations.LIVE, flavor=None, host=None,
            enabled_filters=None):
    """What nova-scheduler would answer for one move of one server.

    Uses the configuration already loaded in this process (nova.conf).
    ``enabled_filters`` replaces ``[filter_scheduler] enabled_filters``
    (e.g. to compare with stock Nova). Returns a ``report.Report``;
    raises ``errors.Refused`` or ``errors.Unavailable``. Read-only: no
    allocation, migration record or instance change.
    """
    from nova import context as nova_context
    from nova.scheduler.client import report as placement_client

    ctx = nova_context.get_admin_context()
    with engine_mod.environment_errors():
        # The server and its state are checked before placement's
        # configuration is: a wrong UUID is the likelier mistake.
        request = request_mod.build(ctx, server_uuid, operation, flavor,
                                    host,
                                    placement_client.SchedulerReportClient)
        engine = engine_mod.Engine(ctx, enabled_filters)
        return engine.schedule(request)
