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

import functools
import json
import typing

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


class CpuModel(typing.NamedTuple):
    """What a guest CPU depends on: arch, vendor and the feature set."""

    arch: str
    vendor: typing.Optional[str]
    features: typing.FrozenSet[str]


def parse_cpu_info(value):
    """``CpuModel(arch, vendor, features)`` of Nova's cpu_info.

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
    return CpuModel(arch, vendor, frozenset(features))


# Every nova-compute process lists its CPU features in its own order (Nova
# builds them from a set), so a fleet of one CPU model reports as many
# cpu_info texts as it has hosts: the cache holds a whole large fleet's.
TEXT_CACHE_SIZE = 65536
# Distinct CPU models (by content) seen by this process; a fleet has tens.
_MODELS_KEPT = 4096
_MODELS = {}


def _canonical(model):
    """One object per content, so per-request memos hit by identity."""
    found = _MODELS.get(model)
    if found is None:
        if len(_MODELS) >= _MODELS_KEPT:
            _MODELS.clear()
        found = _MODELS.setdefault(model, model)
    return found


@functools.lru_cache(maxsize=TEXT_CACHE_SIZE)
def _model_of_text(text):
    try:
        return _canonical(parse_cpu_info(text))
    except CpuInfoError as exc:
        return exc


def cpu_model(value):
    """The CpuModel of cpu_info, or the CpuInfoError saying why there is
    none. A text is parsed once per process.
    """
    if isinstance(value, str):
        return _model_of_text(value)
    try:
        return _canonical(parse_cpu_info(value))
    except CpuInfoError as exc:
        return exc
    except TypeError as exc:    # unhashable features in a decoded dict
        return CpuInfoError('cpu_info %s: %s' % (_short(value), exc))


def guest_cpu_rule(source_cpu_mode, source_cpu_info,
                   source_hypervisor_type=QEMU_HYPERVISOR):
    """The rule for one source, as a function of a destination's
    ``cpu_model()``: the source is read once, not once per destination.

    With a host-derived guest CPU (host-model, host-passthrough) the
    destination has the source's arch and vendor and a superset of its CPU
    features; other modes pass. A KVM/QEMU source that publishes no mode
    (it does not run the driver extension) is taken to use Nova's default.
    """
    if source_cpu_mode and source_cpu_mode not in HOST_DERIVED_MODES:
        return _always(verdict.PASS)
    if not source_cpu_mode and source_hypervisor_type != QEMU_HYPERVISOR:
        return _always(verdict.unknown('source %s publishes no CPU mode'
                                       % source_hypervisor_type))
    source = cpu_model(source_cpu_info)
    if isinstance(source, CpuInfoError):
        return _always(verdict.unknown('source %s' % source))
    if not source_cpu_mode:
        source_cpu_mode = '%s, Nova\'s default' % nova_default_mode(
            source.arch)

    def judge(dest):
        if isinstance(dest, CpuInfoError):
            return verdict.unknown(str(dest))
        if dest.arch != source.arch:
            return verdict.reject('CPU arch %s != source %s'
                                  % (dest.arch, source.arch))
        if dest.vendor != source.vendor:
            return verdict.reject('CPU vendor %s != source %s'
                                  % (dest.vendor, source.vendor))
        missing = source.features - dest.features
        if missing:
            return verdict.reject('CPU lacks features %s of source (%s)'
                                  % (','.join(sorted(missing)),
                                     source_cpu_mode))
        return verdict.PASS
    return judge


def _always(result):
    return lambda dest: result


def keeps_guest_cpu(source_cpu_mode, source_cpu_info, dest_cpu_info,
                    source_hypervisor_type=QEMU_HYPERVISOR):
    """The destination can run the guest CPU the source gave it (see
    guest_cpu_rule).
    """
    return guest_cpu_rule(source_cpu_mode, source_cpu_info,
                          source_hypervisor_type)(cpu_model(dest_cpu_info))
