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
"""Placement traits naming the shared storage a compute host publishes.

A host running the driver extension publishes its storage identity in the
``migration_ext_storage_id`` stat for the filters, and one trait per
identity on its resource provider, so that placement can narrow a move's
candidates to hosts that publish the same storage. Both come from one
value and change together, at each resource report.
"""

import hashlib
import re

from nova_migration_ext import facts

# Every trait this package reports starts with this; anything else on the
# provider belongs to someone else and is left alone.
STORAGE_TRAIT_PREFIX = 'CUSTOM_MIGRATION_EXT_STORAGE_'
# Placement accepts trait names up to 255 characters; a readable part this
# long keeps names short in logs and URLs, the digest keeps them distinct.
_READABLE_LENGTH = 48
_DIGEST_LENGTH = 16
_NOT_TRAIT_CHARACTERS = re.compile('[^A-Z0-9]+')


def storage_trait(identity):
    """The trait of one storage identity: ``CUSTOM_MIGRATION_EXT_STORAGE_``,
    the identity upper-cased with other characters as ``_`` (truncated), and
    a digest of the exact identity, so that identities differing only in
    case or punctuation get different traits.
    """
    readable = _NOT_TRAIT_CHARACTERS.sub(
        '_', identity.upper()).strip('_')[:_READABLE_LENGTH]
    digest = hashlib.sha256(identity.encode('utf-8')).hexdigest()
    return '%s%s_%s' % (STORAGE_TRAIT_PREFIX, readable,
                        digest[:_DIGEST_LENGTH].upper())


def storage_traits(published):
    """Traits of a published ``migration_ext_storage_id`` value.

    Host-local identities (``local:``) name no storage another host shares:
    they get no trait, as they make no storage domain.
    """
    return frozenset(storage_trait(identity)
                     for identity in facts.storage_domains({}, {
                         facts.STORAGE_ID_STAT: published}))


def update_provider_tree(provider_tree, nodename, published):
    """Make the provider's storage traits those of ``published``.

    Only traits with this package's prefix are added or removed.
    """
    wanted = storage_traits(published)
    current = provider_tree.data(nodename).traits
    ours = {trait for trait in current
            if trait.startswith(STORAGE_TRAIT_PREFIX)}
    provider_tree.remove_traits(nodename, *(ours - wanted))
    provider_tree.add_traits(nodename, *(wanted - current))
