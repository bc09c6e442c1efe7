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
"""How the compute side reads its host, in one place so tests can give
each host its own /proc files."""

import dataclasses
import os
import typing

BY_UUID = '/dev/disk/by-uuid'


def read_text(path):
    with open(path, encoding='utf-8', errors='replace') as f:
        return f.read()


def read_proc_mounts():
    return read_text('/proc/mounts')


def read_proc_meminfo():
    return read_text('/proc/meminfo')


def device_uuids():
    """Block device (resolved path) -> filesystem UUID, from udev's links."""
    try:
        names = os.listdir(BY_UUID)
    except OSError:
        return {}
    return {os.path.realpath(os.path.join(BY_UUID, name)): name
            for name in names}


@dataclasses.dataclass(frozen=True)
class System:
    """The readers; each defaults to the real host."""

    read_mounts: typing.Callable[[], str] = read_proc_mounts
    read_meminfo: typing.Callable[[], str] = read_proc_meminfo
    read_file: typing.Callable[[str], str] = read_text
    realpath: typing.Callable[[str], str] = os.path.realpath
    statvfs: typing.Callable[[str], typing.Any] = os.statvfs
    device_uuids: typing.Callable[[], typing.Mapping[str, str]] = device_uuids
