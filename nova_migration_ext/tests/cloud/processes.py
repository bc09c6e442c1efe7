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
"""Start, find and stop the cloud's processes, each by its own pid.

Each service runs in a session of its own, so ``down`` can end it with
everything it forked (gunicorn's workers) and nothing else. A pid file
records the pid and the process's start time: a pid the kernel reused
for another process is never taken for ours.
"""

import os
import signal
import socket
import subprocess
import time


class StartError(Exception):
    pass


def _start_time(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            # Field 22, after the command name in parentheses.
            return f.read().rsplit(')', 1)[1].split()[19]
    except (OSError, IndexError):
        return None


def running_pid(state, name):
    """The pid of our running process ``name``, or None."""
    try:
        with open(state.pid_file(name)) as f:
            pid, started = f.read().split()
    except (OSError, ValueError):
        return None
    pid = int(pid)
    return pid if _start_time(pid) == started and not _zombie(pid) else None


def start(state, name, argv, env=None):
    """Start ``argv`` unless ``name`` already runs; log to its log file."""
    if running_pid(state, name):
        return False
    with open(state.log(name), 'ab') as log:
        process = subprocess.Popen(
            argv, stdin=subprocess.DEVNULL, stdout=log,
            stderr=subprocess.STDOUT, start_new_session=True,
            env=dict(os.environ, **(env or {})), cwd=state.dir())
    with open(state.pid_file(name), 'w') as f:
        f.write('%d %s\n' % (process.pid, _start_time(process.pid)))
    return True


def stop(state, names, timeout=15):
    """Stop the named services and their sessions, all at once.

    SIGTERM first; what still runs after ``timeout`` seconds gets SIGKILL
    (a test cloud has nothing worth a longer graceful shutdown). Returns
    the names that were running.
    """
    pids = {}
    for name in names:
        pid = running_pid(state, name)
        if pid is None:
            _forget(state, name)
        else:
            pids[name] = pid
            _signal_session(pid, signal.SIGTERM)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _alive(pids.values()):
        time.sleep(0.2)
    for pid in _alive(pids.values()):
        _signal_session(pid, signal.SIGKILL)
    while _alive(pids.values()):
        time.sleep(0.1)
    for name in pids:
        _forget(state, name)
    return list(pids)


def _forget(state, name):
    try:
        os.unlink(state.pid_file(name))
    except FileNotFoundError:
        pass


def _signal_session(pid, signum):
    # The session leader's pid is its process group's id.
    try:
        os.killpg(pid, signum)
    except ProcessLookupError:
        pass


def _alive(session_ids):
    """The given sessions that still have a live process."""
    wanted = set(session_ids)
    alive = set()
    for entry in os.listdir('/proc'):
        if not entry.isdigit():
            continue
        try:
            sid = os.getsid(int(entry))
        except OSError:
            continue
        if sid in wanted and not _zombie(int(entry)):
            alive.add(sid)
    return alive


def _zombie(pid):
    try:
        with open('/proc/%d/stat' % pid) as f:
            return f.read().rsplit(')', 1)[1].split()[0] == 'Z'
    except OSError:
        return True


def port_open(port):
    with socket.socket() as sock:
        sock.settimeout(0.5)
        return sock.connect_ex(('127.0.0.1', port)) == 0


def wait_for(what, check, state, name, timeout):
    """Wait until ``check()``; fail naming the log if ``name`` died."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return
        if name and not running_pid(state, name):
            raise StartError('%s exited: see %s' % (name, state.log(name)))
        time.sleep(0.5)
    raise StartError('%s not ready after %ds: see %s' % (
        what, timeout, state.log(name) if name else 'the logs'))
