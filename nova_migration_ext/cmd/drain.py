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

"""``nova-migration-ext drain`` and ``undrain``: empty a compute host for
maintenance, planned and checked before the first move.
"""

import argparse
import sys
import warnings

from nova_migration_ext.cmd import main
from nova_migration_ext.cmd import paths

DESCRIPTION = """\
Empty compute host HOST. First a plan, always: every instance of HOST in
every state with the move it gets (ACTIVE or PAUSED: live migration;
SHUTOFF: cold migration, then confirm; VERIFY_RESIZE, ERROR, busy, shelved
and the like: what the operator must do first), and the destination
nova-scheduler would pick with the configured filters and weighers - the
same dry run as `explain` - each placement consuming its destination's
resources before the next instance is planned. If an instance Nova could
move has nowhere to go once the others are placed, the drain stops there:
nothing is moved and the service stays enabled.

Then the drain disables HOST's compute service (the reason names the
drain) and moves the instances through Nova's compute API with no host
given (the scheduler decides; the plan was the check), --parallel at a
time, each watched through its migration record to its end: a live
migration to `completed` with its memory progress, a cold migration to
VERIFY_RESIZE, then confirmed. One failure does not stop the others.

Ctrl-C stops starting moves, aborts live migrations Nova still queues and
waits for the running ones (a second Ctrl-C stops waiting). Running the
same command again resumes from what Nova says: moves under way are
watched, finished cold migrations confirmed, and instances in ERROR are
reported, not retried.

The plan runs where nova-scheduler runs: it reads nova.conf (or
--config-file) for the databases and placement. The moves use the compute
API through openstacksdk (clouds.yaml, OS_* variables, --os-cloud) at
microversion 2.65 or later, the first that aborts queued live migrations.

Exit status: 0 the host is empty (with --dry-run: can be emptied), 1 it is
not, 2 bad input, 130 interrupted.
"""

PARALLEL_HELP = (
    'moves in flight at once (default: 1). Nova runs at most '
    '[DEFAULT] max_concurrent_live_migrations (default 1) live migrations '
    'per source host and queues the rest, so a larger N mostly fills '
    "Nova's queue (which Ctrl-C then aborts): raise both together. Cold "
    'migrations are not queued that way')

UNDRAIN_DESCRIPTION = """\
Enable HOST's compute service again after a drain. Only a service that a
drain disabled (its disabled_reason says so) is enabled, unless --force.
"""


def register(subparsers):
    parser = subparsers.add_parser(
        'drain', help='empty a compute host: plan, then move every instance',
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument('host', metavar='HOST')
    parser.add_argument('--dry-run', action='store_true',
                        help='show the plan and stop: nothing is moved or '
                             'disabled')
    parser.add_argument('--parallel', default='1',
                        metavar='N', help=PARALLEL_HELP)
    parser.add_argument('--timeout', default='3600',
                        metavar='SECONDS',
                        help='how long a live migration may run (not '
                             'counting its time queued) before --on-timeout '
                             'applies (default: 3600)')
    parser.add_argument('--on-timeout', choices=('abort', 'force-complete'),
                        default='abort',
                        help='abort the live migration (it stays on HOST) or '
                             'force-complete it (pauses the guest or switches '
                             'to post-copy) (default: abort)')
    parser.add_argument('--stop-on-error', action='store_true',
                        help='start no more moves after one fails')
    parser.add_argument('--abort-running', action='store_true',
                        help='on Ctrl-C abort running live migrations too, '
                             'not only queued ones')
    parser.add_argument('--poll-interval', default='2',
                        metavar='SECONDS',
                        help='how often to ask Nova (default: 2)')
    _common(parser)
    parser.set_defaults(func=run)

    undrain = subparsers.add_parser(
        'undrain', help='enable a drained compute host again',
        description=UNDRAIN_DESCRIPTION)
    undrain.add_argument('host', metavar='HOST')
    undrain.add_argument('--force', action='store_true',
                         help='enable the service whoever disabled it')
    undrain.add_argument('--os-cloud', metavar='CLOUD',
                         help='cloud of clouds.yaml (default: OS_CLOUD or '
                              'the OS_* variables)')
    undrain.set_defaults(func=run_undrain)


def _common(parser):
    parser.add_argument('--format', choices=('table', 'json'),
                        default='table',
                        help='plan and report as a table or one JSON '
                             'document (default: table)')
    parser.add_argument('--os-cloud', metavar='CLOUD',
                        help='cloud of clouds.yaml for the compute API '
                             '(default: OS_CLOUD or the OS_* variables)')
    parser.add_argument('--config-file', action='append', default=[],
                        dest='config_files', metavar='PATH',
                        type=paths.nova_conf_file,
                        help='nova.conf to read; repeatable (default: '
                             'oslo.config\'s search, /etc/nova/nova.conf)')


def _positive_int(option, text):
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise main.UsageError('%s %r: give a whole number of 1 or more'
                              % (option, text))
    return value


def _positive_float(option, text):
    try:
        value = float(text)
    except ValueError:
        value = 0
    if not value > 0:
        raise main.UsageError('%s %r: give a number of seconds above 0'
                              % (option, text))
    return value


def run(args):
    with warnings.catch_warnings():
        if not sys.warnoptions:
            warnings.simplefilter('ignore')
        return _drain(args)


def _drain(args):
    from nova_migration_ext.cmd import explain as explain_cmd
    from nova_migration_ext.drain import client as client_mod
    from nova_migration_ext.drain import display as display_mod
    from nova_migration_ext.drain import plan as plan_mod
    from nova_migration_ext.drain import report
    from nova_migration_ext.drain import runner as runner_mod
    from nova_migration_ext.explain import errors

    # Checked before anything is read: bad input costs nothing.
    options = runner_mod.Options(
        parallel=_positive_int('--parallel', args.parallel),
        timeout=_positive_int('--timeout', args.timeout),
        on_timeout=args.on_timeout, stop_on_error=args.stop_on_error,
        abort_running=args.abort_running,
        interval=_positive_float('--poll-interval', args.poll_interval))
    try:
        explain_cmd.load_nova_conf(args.config_files)
        plan = plan_mod.build(args.host)
    except errors.Refused as exc:
        raise main.UsageError(str(exc))
    except errors.Unavailable as exc:
        return _error('drain', exc)
    as_json = args.format == 'json'
    if not as_json:
        print(report.plan_table(plan), flush=True)
    if args.dry_run or not plan.executable:
        if as_json:
            print(report.as_json(plan))
        return 0 if plan.can_empty else 1
    # JSON goes to stdout whole: the progress goes to stderr.
    display = display_mod.for_stream(sys.stderr if as_json else sys.stdout)
    try:
        client = client_mod.NovaClient(_connect(client_mod, args.os_cloud))
        client.check_microversion()
        if not as_json:
            print('')
        drain = runner_mod.Runner(plan, client, display, options)
        outcomes = drain.run()
    except client_mod.ClientError as exc:
        return _error('drain', exc)
    except _config_errors() as exc:
        return _error('drain', 'cannot reach the compute API: %s' % exc)
    finally:
        display.close()
    emptied = runner_mod.emptied(outcomes)
    if as_json:
        print(report.as_json(plan, outcomes, emptied))
    else:
        print('')
        print(report.outcome_table(plan.host, outcomes, emptied,
                                   drain.service_note))
    if drain.interrupted:
        return 130
    return 0 if emptied else 1


def run_undrain(args):
    from nova_migration_ext.drain import client as client_mod
    from nova_migration_ext.drain import runner as runner_mod

    try:
        client = client_mod.NovaClient(_connect(client_mod, args.os_cloud))
        service = client.service(args.host)
        if service is None:
            raise main.UsageError('no nova-compute service on host %r'
                                  % args.host)
        if service.status != 'disabled':
            print('%s: compute service already enabled' % args.host)
            return 0
        if not (args.force or
                runner_mod.is_drain_reason(service.disabled_reason)):
            raise main.UsageError(
                'the compute service of %s was disabled by someone else '
                '(reason: %s); use --force to enable it anyway'
                % (args.host, service.disabled_reason or 'none given'))
        client.enable(service)
    except client_mod.ClientError as exc:
        return _error('undrain', exc)
    except _config_errors() as exc:
        return _error('undrain', 'cannot reach the compute API: %s' % exc)
    print('%s: compute service enabled (was disabled: %s)'
          % (args.host, service.disabled_reason or 'no reason given'))
    return 0


def _config_errors():
    from keystoneauth1 import exceptions as ks_exc
    from openstack import exceptions as sdk_exc

    return (sdk_exc.SDKException, ks_exc.ClientException)


def _error(command, message):
    print('nova-migration-ext %s: error: %s' % (command, message),
          file=sys.stderr)
    return 1


def _connect(client_mod, cloud):
    try:
        return client_mod.connect(cloud)
    except client_mod.UnknownCloud as exc:
        raise main.UsageError(str(exc))
