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

"""Loading nova.conf for a command-line explain run."""

from nova_migration_ext.explain import errors

# A command must fail fast when a database is unreachable, not retry for
# minutes as a long-running service does ([database] max_retries and
# retry_interval).
_DB_CONNECT = {'max_retries': 1, 'retry_interval': 0}


def already_loaded(conf):
    """Whether this process has parsed its configuration already (an
    embedding program, Nova's functional fixtures): ``config_file`` is an
    option only once oslo.config has been called.
    """
    from oslo_config import cfg
    try:
        conf.config_file
    except cfg.NoSuchOptError:
        return False
    return True


def load(config_files):
    """Parse nova.conf like nova-scheduler does, unless already loaded.

    With no ``config_files``, oslo.config looks in its default places
    (/etc/nova/nova.conf, ...). Raises Refused for a missing or malformed
    file, Unavailable when no database is configured.
    """
    import nova.conf
    from nova import config
    from nova import objects
    from oslo_config import cfg

    conf = nova.conf.CONF
    if already_loaded(conf):
        if config_files:
            raise errors.Refused('configuration already loaded in this '
                                 'process: cannot apply --config-file')
        return conf
    args = ['nova-migration-ext']
    for path in config_files or ():
        args.extend(['--config-file', path])
    for group in ('database', 'api_database'):
        for name, value in _DB_CONNECT.items():
            conf.set_override(name, value, group=group)
    try:
        # With RPC set up as nova-manage does: cell mappings read
        # [DEFAULT] transport_url. Nothing connects to the message bus.
        config.parse_args(args)
    except cfg.ConfigFilesNotFoundError as exc:
        raise errors.Refused('--config-file: cannot read %s'
                             % ', '.join(exc.config_files))
    except cfg.ConfigFileParseError as exc:
        raise errors.Refused('--config-file %s: %s'
                             % (exc.config_file, exc.msg))
    except cfg.Error as exc:
        raise errors.Refused('nova.conf: %s' % errors.one_line(exc))
    objects.register_all()
    if not conf.api_database.connection:
        read = ', '.join(conf.config_file) or 'no configuration file found'
        raise errors.Unavailable(
            'nova.conf sets no [api_database] connection (read: %s); run '
            'where nova-scheduler runs or pass --config-file' % read)
    return conf
