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
"""Storage probes: who can name the storage under instances_path.

A probe is a class registered under the stevedore namespace
``nova_migration_ext.storage_probes``; it has an ``order`` (lower runs
first) and ``identify(storage) -> str or None``, None meaning "not mine".
The first identity found is published. A probe that raises is logged and
skipped, so a broken probe never stops nova-compute.
"""

import dataclasses
import functools
import typing

from oslo_log import log as logging
import stevedore

from nova_migration_ext.virt import mounts
from nova_migration_ext.virt import system as system_mod

LOG = logging.getLogger(__name__)

NAMESPACE = 'nova_migration_ext.storage_probes'
DEFAULT_ORDER = 50


@dataclasses.dataclass(frozen=True)
class HostStorage:
    """What a probe may look at, for one host at one moment."""

    host: str
    instances_path: str
    images_type: typing.Optional[str] = None
    rbd_pool: typing.Optional[str] = None
    rbd_ceph_conf: typing.Optional[str] = None
    system: system_mod.System = system_mod.System()

    @functools.cached_property
    def path(self):
        """instances_path with symlinks resolved."""
        return self.system.realpath(self.instances_path)

    @functools.cached_property
    def mount(self):
        """The mount instances_path is on, or None if none is listed."""
        return mounts.containing(self.path,
                                 mounts.parse(self.system.read_mounts()))


def _skip_broken(manager, entrypoint, exception):
    LOG.warning('Storage probe %s (%s) cannot be loaded and is skipped: '
                '%s', entrypoint.name, entrypoint.value, exception)


def load():
    """The registered probes, in the order they run."""
    manager = stevedore.ExtensionManager(
        NAMESPACE, invoke_on_load=True,
        on_load_failure_callback=_skip_broken)
    return ordered(manager)


def ordered(extensions):
    return sorted(extensions, key=lambda ext: (
        getattr(ext.obj, 'order', DEFAULT_ORDER), ext.name))


def identify(storage, extensions):
    """The first identity a probe finds, or None."""
    for ext in extensions:
        try:
            identity = ext.obj.identify(storage)
        except Exception as exc:  # a probe must never break nova-compute
            LOG.warning('Storage probe %s failed on %s and is skipped: '
                        '%s: %s', ext.name, storage.instances_path,
                        type(exc).__name__, exc)
            continue
        if identity:
            return str(identity)
    LOG.debug('No storage probe names the storage of %s', storage.path)
    return None
