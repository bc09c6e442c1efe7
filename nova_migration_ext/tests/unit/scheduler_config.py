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
"""Read nova.conf files the way nova-scheduler does.

With Nova's own option definitions and filter loading, for tests of the
configuration this package ships or writes.
"""

from nova.conf import scheduler as nova_scheduler_conf
from nova.scheduler import filters as nova_filters
from nova.scheduler import host_manager
from oslo_config import cfg

from nova_migration_ext import conf as ext_conf


def load(config_files=(), config_dirs=()):
    """Nova's scheduler options and ours, read from files and directories.

    A fresh ConfigOpts, so tests never touch Nova's global CONF.
    """
    conf = cfg.ConfigOpts()
    nova_scheduler_conf.register_opts(conf)
    ext_conf.register_opts(conf)
    args = []
    for path in config_files:
        args += ['--config-file', path]
    for path in config_dirs:
        args += ['--config-dir', path]
    conf(args, project='nova', default_config_files=[],
         default_config_dirs=[])
    return conf


def nova_defaults():
    """Nova's own defaults for available_filters and enabled_filters."""
    conf = load()
    return (conf.filter_scheduler.available_filters,
            conf.filter_scheduler.enabled_filters)


def enabled_filter_classes(config_files=(), config_dirs=()):
    """The filter classes nova-scheduler would run, in order.

    Nova's HostManager code resolves enabled_filters against the classes
    found through available_filters and raises SchedulerHostFilterNotFound
    (nova-scheduler refuses to start) when a name is missing.
    """
    conf = load(config_files, config_dirs)
    manager = host_manager.HostManager.__new__(host_manager.HostManager)
    manager.filter_handler = nova_filters.HostFilterHandler()
    manager.filter_cls_map = {
        cls.__name__: cls for cls in manager.filter_handler.
        get_matching_classes(conf.filter_scheduler.available_filters)}
    manager.filter_obj_map = {}
    chosen = manager._choose_host_filters(
        conf.filter_scheduler.enabled_filters)
    return [type(f) for f in chosen]


def migration_ext_options(config_files=(), config_dirs=()):
    return load(config_files, config_dirs).migration_ext
