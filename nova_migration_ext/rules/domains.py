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

"""Domains a move must not leave (migration domains, shared storage)."""

from nova_migration_ext import verdict


_EMPTY = frozenset(('',))


def _names(domains):
    return ','.join(sorted(domains))


def must_share(what, source, destination, key):
    """A source in one or more domains needs a destination in one of them.

    A source in no domain is unconstrained. An empty name (metadata ``key``
    set to '' or ',,') is no domain: the source's domains are unknown.
    """
    if '' in source:
        return verdict.unknown('%s of the source unknown: its aggregate '
                               'metadata %s has an empty domain name'
                               % (what, key))
    destination = destination - _EMPTY
    if not source or source & destination:
        return verdict.PASS
    if not destination:
        return verdict.reject('%s: none, source in %s'
                              % (what, _names(source)))
    return verdict.reject('%s %s, source in %s'
                          % (what, _names(destination), _names(source)))
