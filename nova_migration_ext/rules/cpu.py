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
"""A live-migrated guest keeps the CPU it was given on its source."""

import json

from nova_migration_ext import verdict

# Modes whose guest CPU is derived from the source host's: the destination
# must offer everything the guest may be using. 'custom' and 'none' give a
# named or default model that Nova and libvirt check on their own.
HOST_DERIVED_MODES = frozenset(('host-model', 'host-passthrough'))

# What libvirt hosts report as hypervisor_type, for virt_type kvm and qemu.
QEMU_HYPERVISOR = 'QEMU'


def nova_default_mode(arch):
    """Nova's guest CPU mode for KVM/QEMU when [libvirt] cpu_mode is unset.

    See LibvirtDriver._get_guest_cpu_model_config: host-model, except on
    AArch64 where libvirt offers only host-passthrough.
    """
    return 'host-passthrough' if arch == 'aarch64' else 'host-model'


class CpuInfoError(ValueError):
    """cpu_info is not the JSON object Nova's libvirt driver reports."""


def _short(value, limit=60):
    text = repr(value)
    return text if len(text) <= limit else text[:limit - 3] + '...'


def parse_cpu_info(value):
    """``(arch, vendor, features)`` of Nova's cpu_info.

    Takes the JSON string or its decoded dict; raises CpuInfoError for
    anything else.
    """
    if isinstance(value, (str, bytes)):
        try:
            value = json.loads(value)
        except ValueError:
            raise CpuInfoError('cpu_info %s is not JSON' % _short(value))
    if not isinstance(value, dict):
        raise CpuInfoError('cpu_info %s is not an object' % _short(value))
    arch = value.get('arch')
    if not isinstance(arch, str) or not arch:
        raise CpuInfoError('cpu_info has no arch: %s' % _short(value))
    vendor = value.get('vendor')
    if vendor is not None and not isinstance(vendor, str):
        raise CpuInfoError('cpu_info vendor %s is not a name'
                           % _short(vendor))
    features = value.get('features', ())
    if (not isinstance(features, (list, tuple))
            or not all(isinstance(f, str) for f in features)):
        raise CpuInfoError('cpu_info features %s are not a list of names'
                           % _short(features))
    return arch, vendor, frozenset(features)


def keeps_guest_cpu(source_cpu_mode, source_cpu_info, dest_cpu_info,
                    source_hypervisor_type=QEMU_HYPERVISOR):
    """The destination can run the guest CPU the source gave it.

    With a host-derived guest CPU (host-model, host-passthrough) the
    destination has the source's arch and vendor and a superset of its CPU
    features; other modes pass. A KVM/QEMU source that publishes no mode
    (it does not run the driver extension) is taken to use Nova's default.
    """
    if source_cpu_mode and source_cpu_mode not in HOST_DERIVED_MODES:
        return verdict.PASS
    if not source_cpu_mode and source_hypervisor_type != QEMU_HYPERVISOR:
        return verdict.unknown('source %s publishes no CPU mode'
                               % source_hypervisor_type)
    try:
        source_arch, source_vendor, source_features = parse_cpu_info(
            source_cpu_info)
    except CpuInfoError as exc:
        return verdict.unknown('source %s' % exc)
    if not source_cpu_mode:
        source_cpu_mode = '%s, Nova\'s default' % nova_default_mode(
            source_arch)
    try:
        arch, vendor, features = parse_cpu_info(dest_cpu_info)
    except CpuInfoError as exc:
        return verdict.unknown(str(exc))
    if arch != source_arch:
        return verdict.reject('CPU arch %s != source %s'
                              % (arch, source_arch))
    if vendor != source_vendor:
        return verdict.reject('CPU vendor %s != source %s'
                              % (vendor, source_vendor))
    missing = source_features - features
    if missing:
        return verdict.reject('CPU lacks features %s of source (%s)'
                              % (','.join(sorted(missing)), source_cpu_mode))
    return verdict.PASS
