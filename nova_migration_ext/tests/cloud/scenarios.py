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
"""Our other tools against the loopback cloud, checked by real moves.

Each scenario is a function of the cloud's state directory, listed in
SCENARIOS in the order they run; one that fails raises ScenarioError
saying what it saw. They run while the cloud is up, after tempest.
"""

import json
import os
import subprocess
import time

from nova_migration_ext.tests.cloud import keystone_setup
from nova_migration_ext.tests.cloud import layout
from nova_migration_ext.tests.cloud import services

CLI = os.path.join(services.BIN, 'nova-migration-ext')
# Hosts that differ from pair-a in one published fact, and the filter
# that must refuse each for a live migration from pair-a.
REFUSED_LIVE = {
    'old-qemu': 'HypervisorVersionFilter',
    'other-storage': 'SharedStorageFilter',
    'amd-cpu': 'CpuCompatibilityFilter',
}


class ScenarioError(Exception):
    pass


def _cli(*args, env=None):
    result = subprocess.run([CLI, *args], capture_output=True, text=True,
                            env=dict(os.environ, **(env or {})))
    return result.returncode, result.stdout, result.stderr


def _boot(conn, host, name='scenario-explain'):
    image = conn.image.find_image(keystone_setup.IMAGE)
    flavor = conn.compute.find_flavor('loopback.tiny')
    # host (2.74), not zone:host, which would pin the server to the zone.
    server = conn.compute.create_server(
        name=name, image_id=image.id, flavor_id=flavor.id,
        networks='none', host=host)
    return conn.compute.wait_for_server(server, wait=120)


def _host_of(conn, server):
    return conn.compute.get_server(server.id).compute_host


def _wait_for_status(conn, server, status):
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        current = conn.compute.get_server(server.id)
        if current.status == status and not current.task_state:
            return current
        if current.status == 'ERROR':
            break
        time.sleep(1)
    raise ScenarioError('server %s never reached %s (is %s)' % (
        server.id, status, current.status))


def _explain(state, server, operation):
    code, out, err = _cli('explain', server.id, '--operation', operation,
                          '--format', 'json', '--config-file',
                          state.conf('nova/nova.conf'))
    if code:
        raise ScenarioError('explain exited %d: %s' % (code, err.strip()))
    return json.loads(out)


def _check_pick(report, landed, operation):
    expected = report['pick_among'] or [report['pick']]
    if landed not in expected:
        raise ScenarioError('explain %s named %s; the %s migration went to '
                            '%s' % (operation, '/'.join(map(str, expected)),
                                    operation, landed))
    print('explain %s named %s; the migration went to %s' % (
        operation, '/'.join(expected), landed))


def _check_refusals(report):
    """The published facts reached the scheduler.

    Each odd host is refused by its rule, with the values in the reason.
    """
    hosts = {host['host']: host for host in report['hosts']}
    for host, filter_name in REFUSED_LIVE.items():
        reasons = {f['name']: f['reason'] for f in hosts[host]['filters']
                   if not f['passed']}
        if filter_name not in reasons:
            raise ScenarioError('explain did not show %s refusing %s: %s' % (
                filter_name, host, reasons))
        print('explain: %s refuses %s: %s' % (filter_name, host,
                                              reasons[filter_name]))


def explain_names_the_host_moves_use(state):
    """explain names the host the next live and cold migrations use.

    It reads the cloud's real nova.conf, MariaDB and placement.
    """
    conn = keystone_setup.connect(state)
    server = _boot(conn, layout.FLEET[0].host)
    try:
        report = _explain(state, server, 'live')
        _check_refusals(report)
        conn.compute.live_migrate_server(server, host=None,
                                         block_migration='auto')
        _wait_for_status(conn, server, 'ACTIVE')
        _check_pick(report, _host_of(conn, server), 'live')

        report = _explain(state, server, 'cold')
        conn.compute.migrate_server(server)
        _wait_for_status(conn, server, 'VERIFY_RESIZE')
        landed = _host_of(conn, server)
        conn.compute.confirm_server_resize(server)
        _wait_for_status(conn, server, 'ACTIVE')
        _check_pick(report, landed, 'cold')
    finally:
        conn.compute.delete_server(server)


def audit_finds_no_error(state):
    code, out, err = _cli('audit', '--nova-conf',
                          state.conf('nova/nova.conf'), '--format', 'json')
    findings = json.loads(out) if out.strip() else None
    if code or findings is None:
        raise ScenarioError('audit exited %d: %s%s' % (code, out, err))
    print('audit: exit 0, %s' % out.strip().replace('\n', ' ')[:300])


def _service(conn, host):
    return next(conn.compute.services(host=host, binary='nova-compute'))


def drain_empties_a_host(state):
    """drain moves every server off a host through the real API (a running
    one by live migration, a stopped one by cold migration and confirm),
    disables its compute service with the drain's reason, and says no
    password; undrain enables it again.
    """
    conn = keystone_setup.connect(state)
    host = 'pair-b'
    running = _boot(conn, host, 'scenario-drain-running')
    stopped = _boot(conn, host, 'scenario-drain-stopped')
    try:
        conn.compute.stop_server(stopped)
        _wait_for_status(conn, stopped, 'SHUTOFF')
        env = {'OS_CLIENT_CONFIG_FILE': state.path('clouds.yaml')}
        common = ('--os-cloud', 'loopback', '--config-file',
                  state.conf('nova/nova.conf'))
        code, out, err = _cli('drain', host, '--format', 'json',
                              '--timeout', '600', *common, env=env)
        said = out + err
        leaked = [name for name, value in state.secrets().items()
                  if value in said]
        if leaked:
            raise ScenarioError('drain printed the %s password'
                                % ', '.join(sorted(leaked)))
        if code:
            raise ScenarioError('drain exited %d: %s' % (code, said[-2000:]))
        left = [s.name for s in conn.compute.servers(all_projects=True,
                                                     compute_host=host)]
        if left:
            raise ScenarioError('%s still holds %s after the drain'
                                % (host, ', '.join(left)))
        for server, status in ((running, 'ACTIVE'), (stopped, 'SHUTOFF')):
            current = _wait_for_status(conn, server, status)
            print('drain: %s is %s on %s' % (current.name, current.status,
                                             current.compute_host))
        service = _service(conn, host)
        if service.status != 'disabled' or not service.disabled_reason:
            raise ScenarioError('%s is %s (%s) after the drain' % (
                host, service.status, service.disabled_reason))
        print('drain: %s disabled: %s' % (host, service.disabled_reason))
        code, out, err = _cli('undrain', host, '--os-cloud', 'loopback',
                              env=env)
        service = _service(conn, host)
        if code or service.status != 'enabled':
            raise ScenarioError('undrain exited %d, %s is %s: %s%s' % (
                code, host, service.status, out, err))
        print('undrain: %s enabled' % host)
    finally:
        for server in (running, stopped):
            conn.compute.delete_server(server, ignore_missing=True)


SCENARIOS = [explain_names_the_host_moves_use, audit_finds_no_error,
             drain_empties_a_host]


def run(state):
    """Run every scenario; return the number that failed."""
    failed = 0
    for scenario in SCENARIOS:
        print('scenario %s ...' % scenario.__name__, flush=True)
        try:
            scenario(state)
        except ScenarioError as exc:
            failed += 1
            print('scenario %s FAILED: %s' % (scenario.__name__, exc))
        else:
            print('scenario %s ok' % scenario.__name__)
    return failed
