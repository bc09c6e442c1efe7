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
"""``tox -e tempest``: the loopback cloud up, tempest, scenarios, down.

Phase ``ours`` runs our tempest plugin on the whole fleet; phase ``nova``
runs Nova's live and cold migration tests inside availability zone
``pair`` (see tempest_conf); then the scenarios. On a failure the tail of
every service log that reports an error is printed; the logs stay under
$CLOUD_STATE_DIR/logs. The cloud is brought down at the end unless
``--keep-up``.
"""

import argparse
import os
import subprocess
import sys

from nova_migration_ext.tests.cloud import cli
from nova_migration_ext.tests.cloud import processes
from nova_migration_ext.tests.cloud import scenarios
from nova_migration_ext.tests.cloud import services
from nova_migration_ext.tests.cloud import state as state_dir
from nova_migration_ext.tests.cloud import tempest_conf

PHASES = {
    'ours': r'^nova_migration_ext\.tests\.tempest\.',
    'nova': r'^tempest\.api\.compute\.admin\.'
            r'(test_live_migration|test_migrations)\.',
}
LOG_TAIL_LINES = 40


def run_phase(state, phase):
    conf = tempest_conf.write(state, phase)
    workspace = state.dir('tempest', phase)
    # tempest writes it once, naming its own install's path: a new venv
    # needs a new one.
    stestr_conf = os.path.join(workspace, '.stestr.conf')
    if os.path.exists(stestr_conf):
        os.unlink(stestr_conf)
    # One server moves at a time: the evacuate tests force a host down.
    return subprocess.run(
        [os.path.join(services.BIN, 'tempest'), 'run', '--config-file', conf,
         '--regex', PHASES[phase], '--concurrency', '1'],
        cwd=workspace).returncode


def show_failed_logs(state):
    """The tail of each log that reports an error or a traceback."""
    for name in os.listdir(state.dir('logs')):
        path = state.path('logs', name)
        with open(path, errors='replace') as f:
            lines = f.readlines()
        if any(' ERROR ' in line or line.startswith('Traceback')
               for line in lines):
            print('==== %s (last %d lines) ====' % (path, LOG_TAIL_LINES))
            sys.stdout.writelines(lines[-LOG_TAIL_LINES:])


def main(argv=None):
    parser = argparse.ArgumentParser(prog='tox -e tempest --')
    parser.add_argument('--phase', action='append',
                        choices=list(PHASES) + ['scenarios'],
                        help='run only these (default: all, in order)')
    parser.add_argument('--keep-up', action='store_true',
                        help='leave the cloud running afterwards')
    args = parser.parse_args(argv)
    phases = args.phase or list(PHASES) + ['scenarios']
    state = state_dir.State()
    failed = []
    try:
        cli.up(state)
        for phase in phases:
            if phase == 'scenarios':
                if scenarios.run(state):
                    failed.append(phase)
            elif run_phase(state, phase):
                failed.append(phase)
    except (processes.StartError, RuntimeError) as exc:
        print('loopback cloud: %s' % exc, file=sys.stderr)
        failed.append('cloud')
    finally:
        if failed:
            show_failed_logs(state)
        if not args.keep_up:
            cli.down(state)
    if failed:
        print('failed: %s; logs in %s' % (', '.join(failed),
                                          state.dir('logs')))
        return 1
    return 0


if __name__ == '__main__':
    sys.exit(main())
