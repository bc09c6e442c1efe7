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

"""libvirtd.conf and /etc/sysconfig/libvirtd as libvirt and systemd read them.

libvirtd.conf is parsed with libvirt's own grammar (``src/util/virconf.c``),
reproduced rule for rule, so that a file this module accepts is a file
libvirtd accepts, with the same error and line when it does not:

- ``name = value`` statements, separated by a newline or ``;``; a name
  starts with an ASCII letter and goes on with letters, digits and ``_``.
- Values: a number (``1``, ``-5``), a string in ``"..."`` or ``'...'`` (no
  escapes, one line) or ``\"\"\"...\"\"\"`` (may span lines), or a list
  ``[ "a", "b", ]`` that may span lines.
- ``#`` starts a comment, alone on its line or after a value.
- A repeated name: libvirt uses the *first* value; later ones are ignored.

The sysconfig/default file is a list of shell variable assignments
(``LIBVIRTD_ARGS="--listen"``), as systemd's ``EnvironmentFile=`` and the
old init scripts read it.
"""

import dataclasses
import re
import shlex

from nova_migration_ext.audit import findings
from nova_migration_ext.audit import textfile

_ALPHA = frozenset('abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ')
_DIGITS = frozenset('0123456789')
_NAME = _ALPHA | _DIGITS | {'_'}
_BLANK = ' \t'
_EOL = '\n\r'
_END = '\0'


@dataclasses.dataclass(frozen=True)
class Entry:
    """``name = value``: ``value`` is an int, a str or a list of values."""

    file: str
    line: int
    name: str
    value: object

    @property
    def kind(self):
        if isinstance(self.value, list):
            return 'list'
        return 'number' if isinstance(self.value, int) else 'string'


class _VirConf:
    """A port of virConfParse: a cursor over the text and the line count."""

    def __init__(self, path, text):
        self.path = path
        self.text = text
        self.pos = 0
        self.line = 1

    @property
    def cur(self):
        return self.text[self.pos] if self.pos < len(self.text) else _END

    def error(self, reason):
        raise findings.InputError(self.path, self.line, reason)

    def skip_blanks(self):
        while self.cur in _BLANK and self.pos < len(self.text):
            self.pos += 1

    def skip_blanks_and_eol(self):
        while self.pos < len(self.text) and self.cur in _BLANK + _EOL:
            if self.cur == '\n':
                self.line += 1
            self.pos += 1

    def skip_to_eol(self):
        while self.pos < len(self.text) and self.cur not in _EOL:
            self.pos += 1

    def string(self):
        text = self.text
        if text.startswith('"""', self.pos) and self.pos + 6 < len(text):
            self.pos += 3
            start = self.pos
            while (self.pos + 2 < len(text)
                   and not text.startswith('"""', self.pos)):
                if self.cur == '\n':
                    self.line += 1
                self.pos += 1
            if not text.startswith('"""', self.pos):
                self.error('unterminated string')
            value = text[start:self.pos]
            self.pos += 3
            return value
        quote = self.cur
        self.pos += 1
        start = self.pos
        while self.pos < len(text) and self.cur not in (quote,) + tuple(_EOL):
            self.pos += 1
        if self.cur != quote:
            self.error('unterminated string')
        self.pos += 1
        return text[start:self.pos - 1]

    def number(self):
        negative = self.cur == '-'
        if self.cur in '-+':
            self.pos += 1
        if self.pos >= len(self.text) or self.cur not in _DIGITS:
            self.error('unterminated number')
        start = self.pos
        while self.pos < len(self.text) and self.cur in _DIGITS:
            self.pos += 1
        value = int(self.text[start:self.pos])
        return -value if negative else value

    def items(self):
        self.pos += 1
        self.skip_blanks_and_eol()
        items = []
        if self.pos < len(self.text) and self.cur != ']':
            items.append(self.value())
            self.skip_blanks_and_eol()
        while self.pos < len(self.text) and self.cur != ']':
            if self.cur != ',':
                self.error('expecting a separator in list')
            self.pos += 1
            self.skip_blanks_and_eol()
            if self.cur == ']':
                break
            items.append(self.value())
            self.skip_blanks_and_eol()
        if self.cur != ']':
            self.error('list is not closed with ]')
        self.pos += 1
        return items

    def value(self):
        self.skip_blanks()
        if self.pos >= len(self.text):
            self.error('expecting a value')
        if self.cur in '"\'':
            return self.string()
        if self.cur == '[':
            return self.items()
        if self.cur in _DIGITS or self.cur in '-+':
            return self.number()
        self.error('expecting a value')

    def statement(self):
        self.skip_blanks_and_eol()
        if self.cur == '#':
            self.skip_to_eol()
            return None
        self.skip_blanks()
        if self.cur not in _ALPHA:
            self.error('expecting a name')
        start, line = self.pos, self.line
        while self.pos < len(self.text) and self.cur in _NAME:
            self.pos += 1
        name = self.text[start:self.pos]
        self.skip_blanks()
        if self.cur != '=':
            self.error('expecting an assignment')
        self.pos += 1
        self.skip_blanks()
        value = self.value()
        self.skip_blanks()
        if self.cur == '#':
            self.skip_to_eol()
        return Entry(self.path, line, name, value)

    def separator(self):
        self.skip_blanks()
        if self.pos >= len(self.text):
            return
        if self.cur in _EOL:
            self.skip_blanks_and_eol()
        elif self.cur == ';':
            self.pos += 1
            self.skip_blanks_and_eol()
        else:
            self.error('expecting a separator')

    def entries(self):
        entries = []
        while self.pos < len(self.text):
            entry = self.statement()
            if entry is not None:
                entries.append(entry)
            self.separator()
        return entries


class LibvirtdConf:
    """The entries of one libvirtd.conf, looked up as libvirt does."""

    def __init__(self, path, entries):
        self.path = path
        self.entries = tuple(entries)

    def get(self, name):
        """The entry libvirt uses: the first one with that name."""
        for entry in self.entries:
            if entry.name == name:
                return entry
        return None

    def ignored(self, name):
        """Later entries with that name, which libvirt never reads."""
        return [e for e in self.entries if e.name == name][1:]


def parse_conf(path, text):
    return LibvirtdConf(path, _VirConf(path, text).entries())


def read_conf(path):
    return parse_conf(path, textfile.read_text(path, 'surrogateescape'))


_SHELL_NAME = re.compile('[A-Za-z_][A-Za-z0-9_]*')


@dataclasses.dataclass(frozen=True)
class Variable:
    file: str
    line: int
    name: str
    value: str


def parse_variables(path, text):
    """The variables of a shell fragment of ``NAME=value`` lines.

    Shell quoting applies; ``export`` is allowed; blank lines and ``#`` or
    ``;`` comments are skipped. The last assignment of a name wins, as in
    the shell and in systemd's ``EnvironmentFile=``.
    """
    variables = {}
    lines = text.split('\n')
    lineno = 0
    while lineno < len(lines):
        start = lineno + 1
        line = lines[lineno].strip()
        lineno += 1
        # A trailing backslash continues the assignment on the next line.
        while line.endswith('\\') and lineno < len(lines):
            line = line[:-1] + lines[lineno].strip()
            lineno += 1
        if not line or line.startswith(('#', ';')):
            continue
        if line.startswith('export '):
            line = line[len('export '):].lstrip()
        name, equal, raw = line.partition('=')
        if not equal or not _SHELL_NAME.fullmatch(name):
            raise findings.InputError(
                path, start, 'not a shell variable assignment '
                '(NAME="value"): %r' % line)
        try:
            words = shlex.split(raw, comments=True)
        except ValueError as exc:
            raise findings.InputError(path, start, '%s in %r' % (exc, line))
        if len(words) > 1:
            raise findings.InputError(
                path, start, 'the value of %s needs quotes: %r'
                % (name, line))
        variables[name] = Variable(path, start, name,
                                   words[0] if words else '')
    return variables


def read_variables(path):
    return parse_variables(path,
                           textfile.read_text(path, 'surrogateescape'))


# libvirtd's short options that take an argument (getopt "hdlt:f:p:vV").
_WITH_ARGUMENT = frozenset('tfp')


def _listen_free(word):
    """(the argument without -l / --listen, whether it had one)."""
    if word == '--listen':
        return '', True
    if not word.startswith('-') or word.startswith('--'):
        return word, False
    letters = word[1:]
    for index, letter in enumerate(letters):
        if letter in _WITH_ARGUMENT:
            break
        if letter == 'l':
            rest = letters[:index] + letters[index + 1:]
            return ('-' + rest if rest else ''), True
    return word, False


def _words(args):
    try:
        return shlex.split(args)
    except ValueError:
        return args.split()


def asks_to_listen(args):
    """Whether libvirtd's command-line arguments include -l / --listen."""
    return any(_listen_free(word)[1] for word in _words(args))


def without_listen(args):
    """The same arguments with -l / --listen taken out."""
    kept = (_listen_free(word)[0] for word in _words(args))
    return ' '.join(shlex.quote(word) for word in kept if word)
