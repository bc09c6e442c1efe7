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

"""nova.conf as oslo.config reads it, with the file and line of every value.

The syntax is oslo.config's own (``oslo_config.iniparser``), reproduced
rule for rule so the audit sees what Nova sees:

- ``key = value`` or ``key: value``; surrounding whitespace is dropped and
  one pair of matching quotes around the whole value is removed.
- A comment is a line *starting* with ``#`` or ``;``. There are no inline
  comments: ``a = b  # c`` sets ``a`` to ``b  # c``.
- A line starting with a space or tab continues the previous value (joined
  with a newline); a blank line ends it.
- Section names are case-insensitive except ``[DEFAULT]``, which must be
  written in capitals: options under ``[default]`` are never read.
- A repeated key: the last value wins, except for multi-valued options
  (``MultiStrOpt``, e.g. ``available_filters``) whose values add up.
- Files load in order; a ``nova.conf.d`` directory contributes its
  ``*.conf`` files in sorted order, as ``--config-dir`` does.

Anything oslo.config would refuse to parse (and so Nova would refuse to
start with) raises ``InputError`` naming the file and line. A UTF-8
byte-order mark is the exception: oslo.config chokes on it too, but it is
reported as a finding so the rest of the file still gets audited.
"""

import dataclasses
import glob
import io
import os

from nova_migration_ext.audit import findings
from nova_migration_ext.audit import textfile

BOM = '\ufeff'
DEFAULT = 'DEFAULT'


def group_of(section):
    """The name oslo.config looks a section up by."""
    return section if section == DEFAULT else section.lower()


@dataclasses.dataclass(frozen=True)
class Section:
    file: str
    line: int
    name: str

    @property
    def group(self):
        return group_of(self.name)


@dataclasses.dataclass(frozen=True)
class Assignment:
    """One ``key = value``.

    ``value`` is what oslo.config hands to the option type; ``pieces``
    keeps each physical line of it, with its line number.
    """

    file: str
    line: int
    section: str
    key: str
    value: str
    pieces: tuple

    @property
    def group(self):
        return group_of(self.section)

    @property
    def where(self):
        return '[%s] %s' % (self.section, self.key)

    def line_of(self, text):
        """The physical line holding ``text`` (a list item, say)."""
        for line, piece in self.pieces:
            if text in piece:
                return line
        return self.line


@dataclasses.dataclass(frozen=True)
class IniFile:
    path: str
    has_bom: bool
    sections: tuple
    assignments: tuple


def _split(path, lineno, line):
    colon = line.find(':')
    equal = line.find('=')
    if colon < 0 and equal < 0:
        raise findings.InputError(
            path, lineno, "not a 'key = value' line, a [section] or a "
            "comment: %r" % line)
    if colon < 0 or 0 <= equal < colon:
        key, value = line[:equal], line[equal + 1:]
    else:
        key, value = line[:colon], line[colon + 1:]
    value = value.strip()
    if value and value[0] == value[-1] and value.startswith(('"', "'")):
        value = value[1:-1]
    key = key.strip()
    if not key:
        raise findings.InputError(path, lineno, 'no key before the "=": %r'
                                  % line)
    return key, value


def parse(path, text):
    """Parse nova.conf text; raises InputError where oslo.config would."""
    has_bom = text.startswith(BOM)
    if has_bom:
        text = text[len(BOM):]
    sections = []
    assignments = []
    section = None
    pending = None

    def flush():
        key, lineno, pieces = pending
        if section is None:
            raise findings.InputError(
                path, lineno, '%r comes before any [section] header' % key)
        assignments.append(Assignment(
            path, lineno, section, key,
            '\n'.join(piece for _, piece in pieces), tuple(pieces)))

    for lineno, raw in enumerate(io.StringIO(text, newline=None), 1):
        line = raw.rstrip()
        if not line:
            if pending:
                flush()
                pending = None
            continue
        if line.startswith((' ', '\t')):
            if pending is None:
                raise findings.InputError(
                    path, lineno, 'indented line (a continuation) with no '
                    '"key = value" before it: %r' % line)
            pending[2].append((lineno, line.lstrip()))
            continue
        if pending:
            flush()
            pending = None
        if line.startswith('['):
            if not line.endswith(']'):
                raise findings.InputError(
                    path, lineno, 'section header without its closing "]": '
                    '%r' % line)
            if len(line) <= 2:
                raise findings.InputError(path, lineno, 'empty section name')
            section = line[1:-1]
            sections.append(Section(path, lineno, section))
        elif not line.startswith(('#', ';')):
            key, value = _split(path, lineno, line)
            pending = (key, lineno, [(lineno, value)])
    if pending:
        flush()
    return IniFile(path, has_bom, tuple(sections), tuple(assignments))


def read(path):
    return parse(path, textfile.read_text(path))


def config_files(sources):
    """Paths in load order from ``('file'|'dir', path)`` pairs."""
    for kind, path in sources:
        if kind == 'file':
            yield path
            continue
        if not os.path.exists(path):
            raise findings.InputError(path, None, 'no such directory')
        if not os.path.isdir(path):
            raise findings.InputError(path, None, 'not a directory')
        yield from sorted(glob.glob(os.path.join(path, '*.conf')))


class NovaConfig:
    """Every file Nova would load, in order, queried like oslo.config."""

    def __init__(self, files=()):
        self.files = tuple(files)

    @classmethod
    def load(cls, sources):
        return cls(read(path) for path in config_files(sources))

    def __bool__(self):
        return bool(self.files)

    def assignments(self, group, key):
        """Every assignment of ``[group] key``, in load order."""
        return [a for f in self.files for a in f.assignments
                if a.key == key and a.group == group]

    def last(self, group, key):
        """The assignment whose value Nova uses (a single-valued option)."""
        found = self.assignments(group, key)
        return found[-1] if found else None

    def in_group(self, group):
        return [a for f in self.files for a in f.assignments
                if a.group == group]

    def sections(self, group):
        return [s for f in self.files for s in f.sections
                if s.group == group]
