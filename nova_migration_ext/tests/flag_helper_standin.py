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
"""A stand-in for nova_migration_ext.libvirt.flags, for tests only.

The migration-flag helper is written in another branch. Until it is merged,
FlagHelperFixture puts this module in its place, with the same API
(parse, names, validate, FlagError, Finding) and a few of its rules. Once
the real helper is importable the fixture does nothing, and this file and
the fixture's uses can go.
"""

import collections
import difflib
import importlib
import re
import sys
import types
from unittest import mock

import fixtures

MODULE = 'nova_migration_ext.libvirt.flags'
PREFIX = 'VIR_MIGRATE_'

BITS = {
    'LIVE': 1, 'PEER2PEER': 2, 'TUNNELLED': 4, 'PERSIST_DEST': 8,
    'UNDEFINE_SOURCE': 16, 'PAUSED': 32, 'NON_SHARED_DISK': 64,
    'NON_SHARED_INC': 128, 'CHANGE_PROTECTION': 256, 'UNSAFE': 512,
    'OFFLINE': 1024, 'COMPRESSED': 2048, 'ABORT_ON_ERROR': 4096,
    'AUTO_CONVERGE': 8192, 'RDMA_PIN_ALL': 16384, 'POSTCOPY': 32768,
    'TLS': 65536, 'PARALLEL': 131072,
}

Finding = collections.namedtuple('Finding', 'severity code message reason')


class FlagError(ValueError):
    pass


def parse(expr):
    mask = 0
    for token in re.split(r'[\s,|]+', expr.strip()):
        if not token:
            continue
        name = token.upper()
        name = name[len(PREFIX):] if name.startswith(PREFIX) else name
        if name not in BITS:
            close = difflib.get_close_matches(name, BITS, n=1)
            hint = '; did you mean %s%s?' % (PREFIX, close[0]) if close else ''
            raise FlagError('unknown migration flag %r%s' % (token, hint))
        mask |= BITS[name]
    return mask


def names(mask):
    return [PREFIX + name for name, bit in BITS.items() if mask & bit]


def validate(mask, block=False):
    findings = []
    if mask & BITS['TUNNELLED'] and mask & BITS['TLS']:
        findings.append(Finding(
            'error', 'tunnelled-tls',
            'VIR_MIGRATE_TUNNELLED with VIR_MIGRATE_TLS',
            'native TLS replaces the libvirtd tunnel'))
    if mask & BITS['POSTCOPY'] and mask & BITS['AUTO_CONVERGE']:
        findings.append(Finding(
            'warning', 'postcopy-auto-converge',
            'VIR_MIGRATE_AUTO_CONVERGE with VIR_MIGRATE_POSTCOPY',
            'post-copy makes auto-converge useless'))
    return findings


def _real_helper_importable():
    try:
        importlib.import_module(MODULE)
    except ImportError as exc:
        if exc.name not in (MODULE, MODULE.rpartition('.')[0]):
            raise
        return False
    return True


class FlagHelperFixture(fixtures.Fixture):
    """Makes ``nova_migration_ext.libvirt.flags`` importable."""

    def _setUp(self):
        if _real_helper_importable():
            return
        package = types.ModuleType(MODULE.rpartition('.')[0])
        package.flags = sys.modules[__name__]
        patcher = mock.patch.dict(sys.modules, {
            package.__name__: package, MODULE: sys.modules[__name__]})
        patcher.start()
        self.addCleanup(patcher.stop)
