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

"""Read a config file's bytes the way the daemon reading it would."""

from nova_migration_ext.audit import findings

# libvirt refuses configuration files above 10 MiB; nothing legitimate in
# nova.conf comes near it either.
MAX_BYTES = 10 * 1024 * 1024


def _line_of(data, offset):
    return data.count(b'\n', 0, offset) + 1


def read_text(path, errors='strict'):
    """The file's text, decoded as UTF-8.

    ``errors='strict'`` is what oslo.config does (Nova services fail to
    start on other encodings); libvirt and the shell only care about ASCII
    syntax, so their readers pass ``'surrogateescape'`` and keep, say, a
    GBK-encoded comment. A NUL byte means the file is not text at all.
    Raises InputError naming the file and, where there is one, the line.
    """
    try:
        with open(path, 'rb') as stream:
            data = stream.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise findings.InputError(path, None, 'no such file')
    except IsADirectoryError:
        raise findings.InputError(path, None, 'is a directory, not a file')
    except PermissionError:
        raise findings.InputError(path, None, 'permission denied')
    except OSError as exc:
        raise findings.InputError(path, None, exc.strerror or str(exc))
    if len(data) > MAX_BYTES:
        raise findings.InputError(
            path, None, 'larger than %d MiB: not a configuration file'
            % (MAX_BYTES // (1024 * 1024)))
    nul = data.find(b'\0')
    if nul >= 0:
        raise findings.InputError(
            path, _line_of(data, nul), 'binary data (a NUL byte), not text')
    try:
        return data.decode('utf-8', errors)
    except UnicodeDecodeError as exc:
        raise findings.InputError(
            path, _line_of(data, exc.start),
            'not UTF-8 text (byte 0x%02x); oslo.config cannot read it '
            'either' % data[exc.start])
