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
"""Two real libvirt daemons on this machine (see libvirt-lab.md).

Each is a "session" libvirtd with its own directory, host UUID and loopback
migration address, run as an unprivileged user when the tests run as root.
They are stopped by the PIDs kept here, after their guests are destroyed;
nothing is ever killed by name.
"""

import os
import pwd
import shutil
import signal
import subprocess
import tempfile
import time
import uuid

import fixtures

LIBVIRTD = '/usr/sbin/libvirtd'
QEMU = 'qemu-system-x86_64'
START_TIMEOUT = 90
STOP_TIMEOUT = 15
# CAP_SYS_PTRACE lets QEMU open userfaultfd, which post-copy needs on the
# destination while vm.unprivileged_userfaultfd is 0 (the default).
CAP_SYS_PTRACE = 19

GUEST_XML = """<domain type='qemu'>
  <name>%s</name>
  <memory unit='MiB'>64</memory>
  <os><type arch='x86_64' machine='pc'>hvm</type></os>
  <devices>
    <controller type='usb' model='none'/>
    <memballoon model='none'/>
  </devices>
</domain>
"""


def unavailable_reason():
    """Say why real libvirt cannot run here, or return None."""
    try:
        import libvirt  # noqa: F401
    except ImportError as exc:
        return 'libvirt-python cannot be imported (%s)' % exc
    if not os.access(LIBVIRTD, os.X_OK):
        return ('%s is missing (Debian: libvirt-daemon, '
                'libvirt-daemon-driver-qemu)' % LIBVIRTD)
    if shutil.which(QEMU, path='/usr/bin:/usr/sbin:/bin') is None:
        return '%s is missing (Debian: qemu-system-x86)' % QEMU
    if os.getuid() == 0 and shutil.which('setpriv') is None:
        return 'running as root without setpriv to drop privileges'
    return None


def post_copy_unavailable_reason():
    """Say why QEMU cannot do post-copy here, or return None."""
    if _can_grant_ptrace():
        return None
    try:
        with open('/proc/sys/vm/unprivileged_userfaultfd') as f:
            if f.read().strip() == '1':
                return None
    except OSError:
        pass
    return ('QEMU cannot open userfaultfd for post-copy: '
            'vm.unprivileged_userfaultfd is 0 and CAP_SYS_PTRACE cannot be '
            'given to the libvirt daemons')


def _can_grant_ptrace():
    if os.getuid() != 0:
        return False
    with open('/proc/self/status') as f:
        for line in f:
            if line.startswith('CapEff:'):
                return bool(int(line.split()[1], 16) >> CAP_SYS_PTRACE & 1)
    return False


class SessionDaemon(fixtures.Fixture):
    """One session libvirtd; ``start`` then ``wait_ready`` gives ``conn``."""

    def __init__(self, name, migration_address):
        super().__init__()
        self.name = name
        self.migration_address = migration_address
        self.conn = None
        self.process = None

    def _setUp(self):
        # Run as nobody, the daemon must reach its directory: /tmp is open
        # to every user, a TMPDIR under root's home is not.
        self.root = tempfile.mkdtemp(prefix='nme-libvirtd-%s-' % self.name,
                                     dir='/tmp' if os.getuid() == 0 else None)
        self.addCleanup(shutil.rmtree, self.root, ignore_errors=True)
        self._write_config()
        self.addCleanup(self._stop)
        self._start()

    @property
    def uri(self):
        return ('qemu+unix:///session?socket=%s'
                % self._path('runtime/libvirt/libvirt-sock'))

    def _path(self, relative):
        return os.path.join(self.root, relative)

    def _write_config(self):
        for directory in ('config/libvirt', 'runtime', 'cache', 'home',
                          'no-certificates'):
            os.makedirs(self._path(directory))
        os.chmod(self._path('runtime'), 0o700)
        with open(self._path('config/libvirt/libvirtd.conf'), 'w') as f:
            # libvirt refuses to migrate between daemons sharing a host UUID.
            f.write('host_uuid = "%s"\n' % uuid.uuid4())
        with open(self._path('config/libvirt/qemu.conf'), 'w') as f:
            f.write('stdio_handler = "file"\n'
                    'migration_host = "%(address)s"\n'
                    'migration_address = "%(address)s"\n'
                    # An empty certificate directory: native TLS fails the
                    # same way on every machine, whatever /etc/pki/qemu
                    # holds.
                    'migrate_tls_x509_cert_dir = "%(root)s/no-certificates"\n'
                    # Keep CAP_SYS_PTRACE, when given, for QEMU.
                    'clear_emulator_capabilities = 0\n'
                    % {'address': self.migration_address, 'root': self.root})
        if os.getuid() == 0:
            nobody = pwd.getpwnam('nobody')
            for directory, _, files in os.walk(self.root):
                for path in [directory] + [os.path.join(directory, name)
                                           for name in files]:
                    os.chown(path, nobody.pw_uid, nobody.pw_gid)

    def _start(self):
        command = [LIBVIRTD, '--pid-file', self._path('runtime/libvirtd.pid')]
        if os.getuid() == 0:
            # Session daemons are meant for ordinary users.
            nobody = pwd.getpwnam('nobody')
            drop = ['setpriv', '--reuid=%d' % nobody.pw_uid,
                    '--regid=%d' % nobody.pw_gid, '--clear-groups']
            if _can_grant_ptrace():
                drop += ['--inh-caps=+sys_ptrace',
                         '--ambient-caps=+sys_ptrace']
            command = drop + command
        env = {
            'PATH': '/usr/sbin:/usr/bin:/bin',
            'HOME': self._path('home'),
            'XDG_CONFIG_HOME': self._path('config'),
            'XDG_RUNTIME_DIR': self._path('runtime'),
            'XDG_CACHE_HOME': self._path('cache'),
        }
        with open(self._path('libvirtd.log'), 'wb') as log:
            self.process = subprocess.Popen(
                command, env=env, stdin=subprocess.DEVNULL, stdout=log,
                stderr=subprocess.STDOUT)

    def wait_ready(self, deadline):
        """Connect once the daemon answers getCapabilities()."""
        import libvirt

        while True:
            if self.process.poll() is not None:
                raise RuntimeError('libvirtd %s exited with %s: %s'
                                   % (self.name, self.process.returncode,
                                      self._log_tail()))
            try:
                conn = libvirt.open(self.uri)
                conn.getCapabilities()
            except libvirt.libvirtError:
                if time.monotonic() > deadline:
                    raise RuntimeError('libvirtd %s did not answer within '
                                       '%d s: %s' % (self.name, START_TIMEOUT,
                                                     self._log_tail()))
                time.sleep(0.2)
            else:
                self.conn = conn
                return

    def _log_tail(self):
        with open(self._path('libvirtd.log'), errors='replace') as f:
            return f.read()[-2000:]

    def _stop(self):
        import libvirt

        if self.conn is not None:
            try:
                for domain in self.conn.listAllDomains():
                    remove_domain(domain)
                self.conn.close()
            except libvirt.libvirtError:
                # The daemon is stopped below all the same, and its guests
                # by their PID files.
                pass
            self.conn = None
        self.process.send_signal(signal.SIGTERM)
        try:
            self.process.wait(STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self._kill_leftover_guests()

    def _kill_leftover_guests(self):
        # A guest left behind (say, by a daemon that died) is found by the
        # PID libvirt recorded for it, never by process name.
        run = self._path('runtime/libvirt/qemu/run')
        if not os.path.isdir(run):
            return
        for name in os.listdir(run):
            if not name.endswith('.pid'):
                continue
            try:
                with open(os.path.join(run, name)) as f:
                    os.kill(int(f.read().strip()), signal.SIGKILL)
            except (OSError, ValueError):
                pass


class DaemonPair(fixtures.Fixture):
    """A source and a destination daemon, started side by side."""

    def _setUp(self):
        import libvirt

        # libvirt-python prints every error to stderr by default, including
        # the refused connections while the daemons start.
        libvirt.registerErrorHandler(lambda ctx, error: None, None)
        self.addCleanup(libvirt.registerErrorHandler, None, None)
        self.source = self.useFixture(SessionDaemon('source', '127.0.0.2'))
        self.dest = self.useFixture(SessionDaemon('dest', '127.0.0.3'))
        deadline = time.monotonic() + START_TIMEOUT
        self.source.wait_ready(deadline)
        self.dest.wait_ready(deadline)

    def start_guest(self, name):
        """Define a persistent diskless guest on the source and start it."""
        domain = self.source.conn.defineXML(GUEST_XML % name)
        domain.create()
        return domain

    def remove_guest(self, name):
        """Destroy and undefine the guest wherever it is."""
        import libvirt

        for daemon in (self.source, self.dest):
            try:
                domain = daemon.conn.lookupByName(name)
            except libvirt.libvirtError:
                continue
            remove_domain(domain)


def remove_domain(domain):
    if domain.isActive():
        domain.destroy()
    if domain.isPersistent():
        domain.undefine()
