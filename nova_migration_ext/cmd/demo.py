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

"""``nova-migration-ext demo``: a few moves in an embedded Nova, explained."""

import argparse
import sys
import warnings

DESCRIPTION = """\
Start Nova 34 in this process - API, conductor, scheduler, placement and
seven fake QEMU compute hosts that differ in one way each (older QEMU,
another shared-storage domain, another migration domain, RAM only with
overcommit, a disabled compute service) - then, for a live migration, a
cold migration and an evacuate: print `explain`'s table (which hosts each
filter rejected and why, the weighed order and the pick), the host Nova's
default filters alone would pick, and make the real move through the API
to show where it landed.

It needs Nova's functional-test fixtures, which ship in the nova wheel, and
the test-only libraries of test-requirements.txt (wsgi-intercept,
oslotest, ...): `tox -e demo` installs both. It takes about half a minute
and writes nothing outside this process.
"""


def register(subparsers):
    parser = subparsers.add_parser(
        'demo', help='explain and make a few moves in an embedded Nova',
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.set_defaults(func=run)


def run(args):
    out = sys.stdout
    with warnings.catch_warnings():
        # Nova and eventlet warn about themselves on import; the demo's
        # output is for reading (tox's PYTHONWARNINGS notwithstanding).
        warnings.simplefilter('ignore')
        try:
            from nova_migration_ext.demo import play
            failure = play.run(out)
        except ImportError as exc:
            return _fail('needs Nova\'s functional-test fixtures and the '
                         'libraries of test-requirements.txt (missing: %s); '
                         'run `tox -e demo`' % exc.name)
    return _fail(failure) if failure else 0


def _fail(message):
    print('nova-migration-ext demo: error: %s' % message, file=sys.stderr)
    return 1
