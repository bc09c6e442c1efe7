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
"""tempest.conf options of the nova-migration-ext tempest plugin."""

from oslo_config import cfg

group = cfg.OptGroup(
    name='migration_ext_feature_enabled',
    title='nova-migration-ext features enabled in the cloud under test')

opts = [
    cfg.BoolOpt('filters',
                default=False,
                help='Whether nova-scheduler runs the nova-migration-ext '
                     'filters (MigrationAggregateFilter among them).'),
    cfg.StrOpt('restart_compute_command',
               help='Command that restarts nova-compute on {host}, run '
                    'after an evacuation so the source may come up '
                    'again (as Nova requires). The evacuate tests skip '
                    'without it.'),
]
