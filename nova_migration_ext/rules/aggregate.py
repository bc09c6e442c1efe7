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

"""Flavor extra specs against aggregate metadata.

The matching is Nova's AggregateInstanceExtraSpecsFilter's (same scoping,
same operators from extra_specs_ops); the difference is that a value the
operator cannot compare rejects the host with a reason instead of raising
into the scheduler.
"""

from nova.scheduler.filters import extra_specs_ops

from nova_migration_ext import verdict

SCOPE = 'aggregate_instance_extra_specs'


def _scoped_key(key):
    """The metadata key a flavor extra spec asks for, or None to skip it."""
    scope = key.split(':', 1)
    if len(scope) == 1:
        return key
    return scope[1] if scope[0] == SCOPE else None


def match_extra_specs(extra_specs, metadata):
    """Every scoped or unscoped extra spec matches one aggregate value."""
    for key, wanted in (extra_specs or {}).items():
        meta_key = _scoped_key(key)
        if meta_key is None:
            continue
        values = metadata.get(meta_key)
        if not values:
            return verdict.reject('extra spec %s=%r: no aggregate metadata %s'
                                  % (key, wanted, meta_key))
        malformed = []
        for value in values:
            try:
                if extra_specs_ops.match(value, wanted):
                    break
            except (ValueError, TypeError, IndexError, AttributeError):
                malformed.append(value)
        else:
            if malformed:
                return verdict.reject(
                    'extra spec %s=%r cannot be compared with aggregate '
                    'metadata %s=%s' % (key, wanted, meta_key,
                                        ','.join(sorted(malformed))))
            return verdict.reject('extra spec %s=%r does not match aggregate '
                                  'metadata %s=%s'
                                  % (key, wanted, meta_key,
                                     ','.join(sorted(values))))
    return verdict.PASS
