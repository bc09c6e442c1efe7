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
"""Which mount a path lives on, from /proc/mounts."""

import collections
import posixpath
import re

Mount = collections.namedtuple('Mount', 'source target fstype')

# /proc/mounts escapes space, tab, newline and backslash as octal.
_ESCAPE = re.compile(r'\\([0-7]{3})')


def _unescape(field):
    return _ESCAPE.sub(lambda m: chr(int(m.group(1), 8)), field)


def parse(text):
    """The mounts of /proc/mounts text, in mount order.

    Malformed lines are skipped.
    """
    found = []
    for line in (text or '').splitlines():
        fields = line.split()
        if len(fields) < 3:
            continue
        found.append(Mount(_unescape(fields[0]),
                           posixpath.normpath(_unescape(fields[1])),
                           fields[2]))
    return found


def _contains(target, path):
    return (path == target or target == '/'
            or path.startswith(target + '/'))


def containing(path, mounts):
    """The mount ``path`` (absolute, symlinks resolved) is on.

    That is the longest mount point above it; of mounts stacked on one
    point, the last.
    """
    path = posixpath.normpath(path)
    best = None
    for mount in mounts:
        if _contains(mount.target, path) and (
                best is None or len(mount.target) >= len(best.target)):
            best = mount
    return best


def relative(path, mount):
    """``path`` below the mount point, '' for the mount point itself."""
    rel = posixpath.relpath(posixpath.normpath(path), mount.target)
    return '' if rel == '.' else rel
