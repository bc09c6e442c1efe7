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

"""Same hypervisor type, and no older version, than the source."""

from oslo_utils import versionutils

from nova_migration_ext import verdict


def _version(value):
    """Nova's integer version (8.2.0 -> 8002000) or None if it is not one."""
    if isinstance(value, bool) or not isinstance(value, (int, str)):
        return None
    try:
        number = int(value)
    except ValueError:
        return None
    return number if number >= 0 else None


def as_text(version):
    """Nova's integer version (or its text, '8002000') as '8.2.0'."""
    return versionutils.convert_version_to_str(int(version))


def not_older(source_type, source_version, dest_type, dest_version):
    """The destination has the source's type and at least its version.

    Nova's conductor rule for live migration, applied to any move.
    """
    source = _version(source_version)
    if not source_type or source is None:
        return verdict.unknown('source hypervisor %r version %r unknown'
                               % (source_type, source_version))
    if dest_type != source_type:
        return verdict.reject('hypervisor type %s != source %s'
                              % (dest_type, source_type))
    dest = _version(dest_version)
    if dest is None:
        return verdict.unknown('hypervisor_version=%r is not a version'
                               % (dest_version,))
    if dest < source:
        return verdict.reject('%s %s < source %s' % (
            dest_type, as_text(dest), as_text(source)))
    return verdict.PASS
