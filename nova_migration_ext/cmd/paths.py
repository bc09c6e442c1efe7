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

"""File and directory arguments, checked before any command runs.

A command declares each path option with one of the ``type=`` functions
below; ``check`` then refuses, in one line naming the path, whatever the
command could not read, before the command starts.
"""

import os

from nova_migration_ext.audit import findings
from nova_migration_ext.audit import textfile


class NovaConfFile(str):
    """A nova.conf: UTF-8 text, as oslo.config requires."""


class TextFile(str):
    """A configuration file whose syntax is ASCII (libvirtd.conf, a shell
    defaults file): any encoding, but text.
    """


class Directory(str):
    """A directory of configuration files (nova.conf.d)."""


def nova_conf_file(value):
    return NovaConfFile(value)


def text_file(value):
    return TextFile(value)


def directory(value):
    return Directory(value)


TYPES = (nova_conf_file, text_file, directory)


def check(args):
    """Raise findings.InputError for the first path in ``args`` (an
    argparse Namespace) that its command could not read.
    """
    for value in _leaves(vars(args).values()):
        if isinstance(value, NovaConfFile):
            textfile.read_text(value)
        elif isinstance(value, TextFile):
            textfile.read_text(value, errors='surrogateescape')
        elif isinstance(value, Directory):
            if not os.path.exists(value):
                raise findings.InputError(value, None, 'no such directory')
            if not os.path.isdir(value):
                raise findings.InputError(value, None, 'not a directory')


def _leaves(values):
    for value in values:
        if isinstance(value, (list, tuple)):
            yield from _leaves(value)
        else:
            yield value
