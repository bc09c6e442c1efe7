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

"""``nova-migration-ext explain``: why a move would go where it goes."""

import argparse
import logging
import sys
import warnings

from nova_migration_ext.cmd import main
from nova_migration_ext.cmd import paths

OPERATIONS = ('live', 'cold', 'evacuate', 'resize')

DESCRIPTION = """\
Dry-run nova-scheduler for one move of one server: build the request the
conductor would build, get the candidates from placement and the cell
databases through Nova's own scheduler code, run every filter of
[filter_scheduler] enabled_filters on every host (not stopping when none is
left), and show each filter's verdict per host - with the reason for this
package's filters and the line Nova's own filters log - then the weighed
order of the hosts that pass and the one Nova would pick.

Read-only: it creates no allocation and no migration record and changes no
instance. Run it where nova-scheduler runs: it reads nova.conf (or
--config-file) for the databases and placement.
"""


def register(subparsers):
    parser = subparsers.add_parser(
        'explain', help='dry-run the scheduler for one move, host by host',
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('server', metavar='SERVER_UUID')
    parser.add_argument('--operation', choices=OPERATIONS, default='live',
                        help='the move to explain (default: live)')
    parser.add_argument('--flavor', metavar='FLAVOR',
                        help='new flavor of a resize, by name or id '
                             '(required with --operation resize)')
    parser.add_argument('--host', metavar='HOST',
                        help='a requested destination, checked by the '
                             'filters like `openstack server migrate '
                             '--host`')
    parser.add_argument('--format', choices=('table', 'json'),
                        default='table', help='output (default: table)')
    parser.add_argument('--config-file', action='append', default=[],
                        dest='config_files', metavar='PATH',
                        type=paths.nova_conf_file,
                        help='nova.conf to read; repeatable (default: '
                             'oslo.config\'s search, /etc/nova/nova.conf)')
    parser.set_defaults(func=run)


def run(args):
    with warnings.catch_warnings():
        if not sys.warnoptions:
            # Nova's dependencies warn about themselves on import.
            warnings.simplefilter('ignore')
        return _explain(args)


def _explain(args):
    from nova_migration_ext.explain import errors
    from nova_migration_ext.explain import render
    from nova_migration_ext.explain import run as explain_run

    try:
        load_nova_conf(args.config_files)
        report = explain_run.explain(args.server, args.operation,
                                     flavor=args.flavor, host=args.host)
    except errors.Refused as exc:
        raise main.UsageError(str(exc))
    except errors.Unavailable as exc:
        print('nova-migration-ext explain: error: %s' % exc,
              file=sys.stderr)
        return 1
    if args.format == 'json':
        print(render.as_json(report))
    else:
        print(render.as_table(report))
    return 0


def load_nova_conf(config_files):
    """nova.conf (``config_files``, else oslo.config's search) for the
    databases and placement, as explain and drain read them; Nova's
    warnings go to stderr unless this process already configured Nova
    (the demo).
    """
    import nova.conf
    from nova_migration_ext.explain import config

    if not config.already_loaded(nova.conf.CONF):
        _log_warnings_to_stderr()
    config.load(config_files)


def _log_warnings_to_stderr():
    """Nova's warnings (a cell not answering...) on stderr, one line each;
    nothing below.
    """
    root = logging.getLogger()
    if not root.handlers:
        handler = logging.StreamHandler(sys.stderr)
        handler.setFormatter(logging.Formatter(
            '%(levelname)s %(name)s: %(message)s'))
        root.addHandler(handler)
        root.setLevel(logging.WARNING)
    # Its retry warning says what our one-line error says.
    logging.getLogger('oslo_db').setLevel(logging.ERROR)
