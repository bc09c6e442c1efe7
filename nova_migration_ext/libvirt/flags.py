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
"""The migration-flag helper: the public API other parts code against.

Importable in nova-scheduler and nova-compute without a libvirt connection
(libvirt-python is optional). ``parse`` and ``names`` convert between
expressions and bitmasks, ``validate`` checks a live or block set,
``nova_flags`` gives the sets Nova 34 derives from its ``[libvirt]`` options
and ``translate_legacy`` turns a removed ``live_migration_flag`` into them.
"""

from nova_migration_ext.libvirt.expression import describe
from nova_migration_ext.libvirt.expression import FlagError
from nova_migration_ext.libvirt.expression import names
from nova_migration_ext.libvirt.expression import parse
from nova_migration_ext.libvirt.expression import summary
from nova_migration_ext.libvirt.flag_table import FLAGS
from nova_migration_ext.libvirt.flag_table import SOURCE
from nova_migration_ext.libvirt.legacy import Inexpressible
from nova_migration_ext.libvirt.legacy import translate_legacy
from nova_migration_ext.libvirt.legacy import Translation
from nova_migration_ext.libvirt.nova_config import effective_flags
from nova_migration_ext.libvirt.nova_config import flags_for_options
from nova_migration_ext.libvirt.nova_config import legacy_options
from nova_migration_ext.libvirt.nova_config import libvirt_options
from nova_migration_ext.libvirt.nova_config import nova_flags
from nova_migration_ext.libvirt.nova_config import NovaConfigError
from nova_migration_ext.libvirt.nova_config import read_config_files
from nova_migration_ext.libvirt.validation import errors
from nova_migration_ext.libvirt.validation import Finding
from nova_migration_ext.libvirt.validation import validate
from nova_migration_ext.libvirt.validation import warnings

__all__ = (
    'FLAGS', 'SOURCE', 'FlagError', 'Finding', 'Inexpressible',
    'NovaConfigError', 'Translation', 'describe', 'effective_flags',
    'errors', 'flags_for_options', 'legacy_options', 'libvirt_options',
    'names', 'nova_flags', 'parse', 'read_config_files', 'summary',
    'translate_legacy', 'validate', 'warnings',
)
