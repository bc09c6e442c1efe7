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
"""``[migration_ext] live_migration_extra_flags`` and
``block_migration_extra_flags``, added to the flags Nova computes."""

from nova import exception
from oslo_log import log as logging

LOG = logging.getLogger(__name__)

LIVE_OPTION = 'live_migration_extra_flags'
BLOCK_OPTION = 'block_migration_extra_flags'


class InvalidMigrationFlags(exception.InvalidConfiguration):
    """Raised from init_host: nova-compute does not start with it."""

    msg_fmt = 'Invalid [migration_ext] %(option)s = %(value)s: %(problem)s'


def _with_extra(mask, option, names, block):
    # The helper is needed only when extra flags are configured; without
    # them the driver keeps Nova's sets untouched.
    from nova_migration_ext.libvirt import flags

    value = ','.join(names)
    try:
        combined = mask | flags.parse(value)
    except flags.FlagError as exc:
        raise InvalidMigrationFlags(option=option, value=value, problem=exc)
    kind = 'block migration' if block else 'live migration'
    described = '%s flags %s' % (kind, '|'.join(flags.names(combined)))
    errors = []
    for finding in flags.validate(combined, block=block):
        text = finding.message
        if finding.reason:
            text = '%s (%s)' % (text, finding.reason)
        if finding.severity == 'error':
            errors.append(text)
        else:
            LOG.warning('[migration_ext] %s = %s: %s: %s', option, value,
                        described, text)
    if errors:
        raise InvalidMigrationFlags(
            option=option, value=value,
            problem='%s: %s' % (described, '; '.join(errors)))
    LOG.info('[migration_ext] %s = %s: %s', option, value, described)
    return combined


def apply(live_flags, block_flags, group):
    """Nova's (live, block) flag sets plus the configured extra flags.

    Raises InvalidMigrationFlags naming the option and the bad flag when a
    name is unknown or a resulting set is invalid.
    """
    live_extra = list(getattr(group, LIVE_OPTION) or ())
    block_extra = list(getattr(group, BLOCK_OPTION) or ())
    if live_extra:
        live_flags = _with_extra(live_flags, LIVE_OPTION, live_extra, False)
    if block_extra:
        block_flags = _with_extra(block_flags, BLOCK_OPTION, block_extra,
                                  True)
    return live_flags, block_flags
