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
"""The flag sets Nova 34 derives from its ``[libvirt]`` options.

``nova_flags`` follows ``LibvirtDriver._parse_migration_flags``; a unit test
drives Nova's own method over a matrix of settings to keep the two equal.
``read_config_files`` reads the options from nova.conf files with Nova's own
option definitions, as nova-compute does.
"""

import collections
import re

from nova_migration_ext.libvirt import flag_table as bits

#: ``[libvirt]`` option -> ``nova_flags()`` keyword, in the order Nova's
#: ``_parse_migration_flags`` applies them.
OPTIONS = collections.OrderedDict([
    ('live_migration_tunnelled', 'tunnelled'),
    ('live_migration_with_native_tls', 'native_tls'),
    ('live_migration_permit_post_copy', 'permit_post_copy'),
    ('live_migration_permit_auto_converge', 'permit_auto_converge'),
    ('live_migration_parallel_connections', 'parallel_connections'),
])

#: Free-form flag options Nova removed in 14.0.0 and now ignores.
LEGACY_OPTIONS = ('live_migration_flag', 'block_migration_flag')

# oslo.config names the file only inside a LocationInfo repr.
_LOCATION = re.compile(r"detail='(?P<path>[^']*)'")

#: What every Nova live and block migration carries.
BASE = bits.LIVE | bits.PEER2PEER | bits.UNDEFINE_SOURCE | bits.PERSIST_DEST


class NovaConfigError(ValueError):
    """A nova.conf file that cannot be read or holds an invalid value."""


def nova_flags(tunnelled=False, native_tls=False, permit_post_copy=False,
               permit_auto_converge=False, parallel_connections=1):
    """Return ``(live, block)`` as Nova 34's ``_parse_migration_flags`` does.

    Both sets get ``BASE``, the block set also NON_SHARED_INC; then each
    option adds its flag to both: TUNNELLED, TLS, POSTCOPY, AUTO_CONVERGE
    only when post-copy is not permitted, PARALLEL for more than one
    connection. (Per migration Nova later drops POSTCOPY for paused guests.)
    """
    options = 0
    if tunnelled:
        options |= bits.TUNNELLED
    if native_tls:
        options |= bits.TLS
    if permit_post_copy:
        options |= bits.POSTCOPY
    elif permit_auto_converge:
        options |= bits.AUTO_CONVERGE
    if parallel_connections > 1:
        options |= bits.PARALLEL
    return BASE | options, BASE | bits.NON_SHARED_INC | options


def flags_for_options(options):
    """Return ``nova_flags()`` for a ``[libvirt]`` option -> value mapping.

    Options left out keep Nova's defaults.
    """
    unknown = sorted(set(options) - set(OPTIONS))
    if unknown:
        raise ValueError('not a migration-flag option of [libvirt]: %s'
                         % ', '.join(unknown))
    return nova_flags(**{OPTIONS[name]: value
                         for name, value in options.items()})


def libvirt_options(conf):
    """Return the ``[libvirt]`` options Nova derives migration flags from.

    ``conf`` is an oslo.config ``ConfigOpts``: nova.conf.CONF or one from
    ``read_config_files``. The result is in ``OPTIONS`` order.

    :raises NovaConfigError: a config file gives one of them a bad value.
    """
    return collections.OrderedDict(
        (name, _get(conf, name)) for name in OPTIONS)


def effective_flags(conf):
    """Return ``(live, block)`` that a nova-compute using ``conf`` uses."""
    return flags_for_options(libvirt_options(conf))


def legacy_options(conf):
    """Return the removed ``*_migration_flag`` options ``conf`` still sets.

    Only a ``ConfigOpts`` from ``read_config_files`` knows them: Nova itself
    no longer registers them.
    """
    found = collections.OrderedDict()
    for name in LEGACY_OPTIONS:
        try:
            value = _get(conf, name)
        except AttributeError:
            continue
        if value is not None:
            found[name] = value
    return found


def read_config_files(paths):
    """Return a ``ConfigOpts`` with Nova's ``[libvirt]`` options from files.

    Later files override earlier ones, as with repeated ``--config-file``
    on nova-compute.

    :raises NovaConfigError: a file is missing or not valid ini.
    """
    from nova.conf import libvirt as nova_libvirt_conf
    from oslo_config import cfg

    conf = cfg.ConfigOpts()
    conf.register_opts(nova_libvirt_conf.libvirt_general_opts, group='libvirt')
    conf.register_opts([cfg.StrOpt(name) for name in LEGACY_OPTIONS],
                       group='libvirt')
    try:
        conf(args=[], default_config_files=list(paths),
             default_config_dirs=[])
    except (cfg.Error, OSError) as exc:
        raise NovaConfigError(str(exc)) from None
    return conf


def _get(conf, name):
    from oslo_config import cfg

    try:
        return getattr(conf.libvirt, name)
    except cfg.NoSuchOptError:
        raise AttributeError(name) from None
    except cfg.ConfigFileValueError as exc:
        text = str(exc)
        location = _LOCATION.search(text)
        where = ' in %s' % location.group('path') if location else ''
        raise NovaConfigError('invalid value for [libvirt] %s%s: %s'
                              % (name, where,
                                 text.rpartition(' is not valid: ')[2])
                              ) from None
