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
"""The migration facts a compute host publishes in its stats.

Each fact is read on its own: one that cannot be read is logged and left
out, never failing the resource report it rides on.
"""

import json
import re

from oslo_log import log as logging

from nova_migration_ext.rules import cpu

LOG = logging.getLogger(__name__)

_MEM_AVAILABLE = re.compile(r'^MemAvailable:\s+(\d+)\s*kB\s*$', re.MULTILINE)

# Nova picks a default CPU mode for these virt types only; others get none.
_QEMU_VIRT_TYPES = ('kvm', 'qemu')


def mem_available_mb(meminfo):
    """MemAvailable of /proc/meminfo text in MiB, or None if absent."""
    match = _MEM_AVAILABLE.search(meminfo or '')
    return int(match.group(1)) // 1024 if match else None


def cpu_mode(configured, virt_type, arch):
    """The CPU mode guests get: ``[libvirt] cpu_mode`` or Nova's default."""
    if configured:
        return configured
    if virt_type not in _QEMU_VIRT_TYPES:
        return 'none'
    return cpu.nova_default_mode(arch)


def cpu_info_of(resources):
    """The decoded cpu_info of get_available_resource()'s result."""
    cpu_info = resources.get('cpu_info')
    return json.loads(cpu_info) if isinstance(cpu_info, str) else cpu_info


def collect(readers):
    """``{stat key: str}`` from ``{stat key: callable}``.

    A reader that raises or returns None leaves its key out.
    """
    stats = {}
    for key, read in readers.items():
        try:
            value = read()
        except Exception as exc:  # never fail the resource report
            LOG.warning('Cannot publish %s: %s: %s', key,
                        type(exc).__name__, exc)
            continue
        if value is not None:
            stats[key] = str(value)
    return stats
