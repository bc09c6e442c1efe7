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

"""Stop, in one line, when system packages bindep.txt lists are missing.

    python tools/check_system_packages.py PROFILE...

tox runs it before installing what compiles against them (libvirt-python),
so a machine without libvirt's headers gets the names of the packages to
install rather than a compiler's traceback.
"""

import os
import sys

from bindep import depends

BINDEP_TXT = os.path.join(os.path.dirname(os.path.dirname(
    os.path.abspath(__file__))), 'bindep.txt')


def missing(profiles, filename=BINDEP_TXT):
    """Names (with any version constraint not met) of missing packages."""
    deps = depends.get_depends(filename)
    rules = deps.active_rules(list(profiles) + deps.platform_profiles())
    names = []
    for kind, detail in deps.check_rules(rules):
        if kind == 'missing':
            names.extend(detail)
        elif kind == 'badversion':
            names.extend('%s %s (installed: %s)' % item for item in detail)
    return names


def main(argv):
    profiles = argv or ['default']
    names = missing(profiles)
    if not names:
        return 0
    print('missing system packages (bindep.txt, profile %s): %s; install '
          'them as root, e.g. apt-get install %s'
          % (' '.join(profiles), ', '.join(names),
             ' '.join(name.split()[0] for name in names)), file=sys.stderr)
    return 1


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
