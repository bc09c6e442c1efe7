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

"""What the audit reports: findings, and input it cannot read.

A finding is one problem in one place (file and line), with the Nova
release that made it a problem and a ready-to-paste fix. Input that cannot
be read at all (a missing file, binary data, a line no parser would accept)
is not a finding but an ``InputError``: one line, and the audit stops.
"""

import dataclasses

ERROR = 'error'
WARNING = 'warning'
INFO = 'info'
SEVERITIES = (ERROR, WARNING, INFO)

# Releases named in findings, as Nova's own release notes name them.
NEWTON = '14.0.0 (Newton)'
OCATA = '15.0.0 (Ocata)'
TRAIN = '20.0.0 (Train)'
VICTORIA = '22.0.0 (Victoria)'
WALLABY = '23.0.0 (Wallaby)'
XENA = '24.0.0 (Xena)'
BOBCAT = '28.0.0 (2023.2 Bobcat)'


@dataclasses.dataclass(frozen=True)
class Finding:
    """One problem: where it is, what is wrong, since when, how to fix it.

    ``line`` is None when the problem is the absence of a setting; ``since``
    is None when no Nova release changed anything (an unsafe choice);
    ``fix`` is text to paste, or None when the fix is to delete the line.
    """

    severity: str
    code: str
    file: str
    line: int | None
    option: str
    message: str
    since: str | None = None
    fix: str | None = None

    def as_dict(self):
        return dataclasses.asdict(self)


class InputError(Exception):
    """Input the audit cannot read: reported as ``file:line: reason``."""

    def __init__(self, path, line, reason):
        self.path = path
        self.line = line
        self.reason = reason
        where = path if line is None else '%s:%d' % (path, line)
        super().__init__('%s: %s' % (where, reason))


def count(findings):
    """Number of findings of each severity, every severity present."""
    counts = dict.fromkeys(SEVERITIES, 0)
    for finding in findings:
        counts[finding.severity] += 1
    return counts


def exit_status(findings, strict=False):
    """2 when anything is an error; with ``strict``, 1 for warnings only."""
    counts = count(findings)
    if counts[ERROR]:
        return 2
    if strict and counts[WARNING]:
        return 1
    return 0
