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
"""The ``VIR_MIGRATE_*`` bits, from libvirt-python when it is importable.

nova-scheduler hosts seldom have libvirt-python, so a built-in copy of
libvirt's ``virDomainMigrateFlags`` (complete as of libvirt 8.5.0; the values
are ABI and never change) stands in. Flags that only a newer libvirt-python
knows are added from it. A unit test keeps the copy equal to libvirt-python.
"""

PREFIX = 'VIR_MIGRATE_'

BUILTIN = {
    'VIR_MIGRATE_LIVE': 1 << 0,
    'VIR_MIGRATE_PEER2PEER': 1 << 1,
    'VIR_MIGRATE_TUNNELLED': 1 << 2,
    'VIR_MIGRATE_PERSIST_DEST': 1 << 3,
    'VIR_MIGRATE_UNDEFINE_SOURCE': 1 << 4,
    'VIR_MIGRATE_PAUSED': 1 << 5,
    'VIR_MIGRATE_NON_SHARED_DISK': 1 << 6,
    'VIR_MIGRATE_NON_SHARED_INC': 1 << 7,
    'VIR_MIGRATE_CHANGE_PROTECTION': 1 << 8,
    'VIR_MIGRATE_UNSAFE': 1 << 9,
    'VIR_MIGRATE_OFFLINE': 1 << 10,
    'VIR_MIGRATE_COMPRESSED': 1 << 11,
    'VIR_MIGRATE_ABORT_ON_ERROR': 1 << 12,
    'VIR_MIGRATE_AUTO_CONVERGE': 1 << 13,
    'VIR_MIGRATE_RDMA_PIN_ALL': 1 << 14,
    'VIR_MIGRATE_POSTCOPY': 1 << 15,
    'VIR_MIGRATE_TLS': 1 << 16,
    'VIR_MIGRATE_PARALLEL': 1 << 17,
    'VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES': 1 << 18,
    'VIR_MIGRATE_POSTCOPY_RESUME': 1 << 19,
    'VIR_MIGRATE_ZEROCOPY': 1 << 20,
}


def libvirt_python_flags(module):
    """Return the single-bit ``VIR_MIGRATE_*`` constants of ``module``.

    ``VIR_MIGRATE_PARAM_*`` are parameter names (strings), not flags.
    """
    return {
        name: value for name, value in vars(module).items()
        if name.startswith(PREFIX)
        and not name.startswith(PREFIX + 'PARAM_')
        and isinstance(value, int) and value > 0
        and value & (value - 1) == 0
    }


def _load():
    table = dict(BUILTIN)
    try:
        import libvirt
    except ImportError:
        source = 'built-in table'
    else:
        table.update(libvirt_python_flags(libvirt))
        source = 'libvirt-python'
    return dict(sorted(table.items(), key=lambda item: item[1])), source


#: Flag name -> bit, in bit order.
FLAGS, SOURCE = _load()
#: Bit -> flag name.
NAMES = {bit: name for name, bit in FLAGS.items()}
#: Every bit a flag name stands for.
KNOWN_BITS = sum(FLAGS.values())

LIVE = FLAGS['VIR_MIGRATE_LIVE']
PEER2PEER = FLAGS['VIR_MIGRATE_PEER2PEER']
TUNNELLED = FLAGS['VIR_MIGRATE_TUNNELLED']
PERSIST_DEST = FLAGS['VIR_MIGRATE_PERSIST_DEST']
UNDEFINE_SOURCE = FLAGS['VIR_MIGRATE_UNDEFINE_SOURCE']
NON_SHARED_DISK = FLAGS['VIR_MIGRATE_NON_SHARED_DISK']
NON_SHARED_INC = FLAGS['VIR_MIGRATE_NON_SHARED_INC']
NON_SHARED_SYNCHRONOUS_WRITES = FLAGS[
    'VIR_MIGRATE_NON_SHARED_SYNCHRONOUS_WRITES']
UNSAFE = FLAGS['VIR_MIGRATE_UNSAFE']
AUTO_CONVERGE = FLAGS['VIR_MIGRATE_AUTO_CONVERGE']
POSTCOPY = FLAGS['VIR_MIGRATE_POSTCOPY']
TLS = FLAGS['VIR_MIGRATE_TLS']
PARALLEL = FLAGS['VIR_MIGRATE_PARALLEL']

#: Flags that copy local disks (block migration).
DISK_COPY = NON_SHARED_DISK | NON_SHARED_INC
#: Every storage-migration flag; only a block-migration set may carry them.
STORAGE = DISK_COPY | NON_SHARED_SYNCHRONOUS_WRITES
