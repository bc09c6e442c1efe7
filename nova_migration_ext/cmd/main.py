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

"""The ``nova-migration-ext`` console script.

Each sub-command lives in its own module under ``nova_migration_ext.cmd``
and exposes ``register(subparsers)``, which adds its parser and sets
``func(args) -> exit status``. Modules import Nova lazily so that
``--help`` and the offline tools stay fast.
"""

import argparse
import importlib
import sys

# (module, sub-command) in the order --help lists them.
COMMANDS = (
    'flags',
    'audit',
    'explain',
    'drain',
    'demo',
)


class UsageError(Exception):
    """Bad user input: printed as one line, exit status 2."""


def build_parser():
    parser = argparse.ArgumentParser(
        prog='nova-migration-ext',
        description='Migration-aware scheduling tools for OpenStack Nova.')
    subparsers = parser.add_subparsers(dest='command', metavar='COMMAND')
    subparsers.required = True
    for name in COMMANDS:
        importlib.import_module('nova_migration_ext.cmd.' + name).register(
            subparsers)
    return parser


def main(argv=None):
    from nova_migration_ext.audit import findings
    from nova_migration_ext.audit import report
    from nova_migration_ext.cmd import paths

    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        paths.check(args)
    except findings.InputError as exc:
        print(report.printable('nova-migration-ext %s: cannot read %s'
                               % (args.command, exc)), file=sys.stderr)
        return 2
    try:
        return args.func(args) or 0
    except UsageError as exc:
        print('nova-migration-ext %s: error: %s' % (args.command, exc),
              file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130


if __name__ == '__main__':
    # Under `python -m` this file is __main__, a second copy of the module:
    # run the package's own so sub-commands' UsageError is the one caught.
    from nova_migration_ext.cmd import main as package_main
    sys.exit(package_main.main())
