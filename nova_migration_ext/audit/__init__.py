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

"""Audit a cloud's migration configuration: nova.conf (and nova.conf.d),
libvirtd.conf and libvirtd's sysconfig/default file.

``run()`` reads the files, runs every check and returns the findings in
file and line order; ``report`` renders them as text or JSON.
"""

import dataclasses

from nova_migration_ext.audit import checks_libvirt
from nova_migration_ext.audit import checks_nova
from nova_migration_ext.audit import findings
from nova_migration_ext.audit import inifile
from nova_migration_ext.audit import libvirtd

_RANK = {severity: rank for rank, severity in enumerate(findings.SEVERITIES)}


@dataclasses.dataclass(frozen=True)
class Result:
    findings: tuple
    nova_files: tuple
    libvirtd_conf: str | None
    libvirtd_sysconfig: str | None

    @property
    def files(self):
        return self.nova_files + tuple(
            p for p in (self.libvirtd_conf, self.libvirtd_sysconfig) if p)


def run(nova_sources=(), libvirtd_conf=None, libvirtd_sysconfig=None):
    """Findings about the given files.

    ``nova_sources`` are ``('file', path)`` and ``('dir', path)`` pairs in
    command-line order, as Nova's ``--config-file``/``--config-dir``.
    Raises InputError on the first file that cannot be read.
    """
    nova = inifile.NovaConfig.load(nova_sources)
    conf = libvirtd.read_conf(libvirtd_conf) if libvirtd_conf else None
    variables = (libvirtd.read_variables(libvirtd_sysconfig)
                 if libvirtd_sysconfig else None)
    found = checks_nova.check(nova) if nova else []
    found += checks_libvirt.check(conf, variables, nova)
    result = Result((), tuple(f.path for f in nova.files), libvirtd_conf,
                    libvirtd_sysconfig)
    order = {path: index for index, path in enumerate(result.files)}
    found.sort(key=lambda f: (order.get(f.file, len(order)), f.line or 0,
                              _RANK[f.severity]))
    return dataclasses.replace(result, findings=tuple(found))
