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

"""Checks of libvirtd.conf and /etc/sysconfig/libvirtd (or
/etc/default/libvirtd): who may connect to the hypervisor, and how.

A read-write connection to libvirtd's system instance is root on the host,
so every remote transport must authenticate: TLS with client
certificates, SASL, or SSH. Unauthenticated TCP is never acceptable.
"""

from nova_migration_ext.audit import checks_nova
from nova_migration_ext.audit import findings as f
from nova_migration_ext.audit import libvirtd

# libvirtd.conf defaults (libvirt 8 and later).
DEFAULTS = {'listen_tls': 1, 'listen_tcp': 0, 'auth_tcp': 'sasl',
            'auth_tls': 'none', 'tls_no_verify_certificate': 0}
BOOLEANS = ('listen_tls', 'listen_tcp', 'tls_no_verify_certificate')
AUTH = ('auth_tcp', 'auth_tls', 'auth_unix_rw', 'auth_unix_ro')
AUTH_VALUES = ('none', 'sasl', 'polkit')
ARGS_VARIABLES = ('LIBVIRTD_ARGS', 'libvirtd_opts')

SECURE_ALTERNATIVES = '\n'.join((
    '# Pick one authenticated transport; never auth_tcp = "none".',
    '# (a) TLS with client certificates, paired with nova.conf',
    '#     [libvirt] live_migration_scheme = tls and',
    '#     live_migration_with_native_tls = true:',
    'listen_tls = 1',
    'listen_tcp = 0',
    '# On socket-activated libvirt (5.6 and later, the systemd default):',
    '#     systemctl enable --now libvirtd-tls.socket',
    '# (b) SASL over TCP (mech_list in /etc/sasl2/libvirt.conf, users',
    '#     added with saslpasswd2 -a libvirt):',
    '#     listen_tcp = 1',
    '#     auth_tcp = "sasl"',
    '# (c) SSH: no TCP listener at all, and in nova.conf',
    '#     [libvirt] live_migration_scheme = ssh',
))


class _Checks:

    def __init__(self, conf, variables, nova):
        self.conf = conf
        self.variables = variables
        self.nova = nova
        self.found = []

    def add(self, severity, code, where, message, since=None, fix=None):
        self.found.append(f.Finding(severity, code, where.file, where.line,
                                    where.name, message, since, fix))

    def value(self, name):
        """The value libvirtd uses, or None if the entry is unusable."""
        entry = self.conf.get(name)
        if entry is None:
            return DEFAULTS.get(name)
        return self.valid.get(name)

    def types(self):
        """libvirtd refuses to start on a value of the wrong type."""
        self.valid = {}
        for name in BOOLEANS:
            entry = self.conf.get(name)
            if entry is None:
                continue
            if entry.kind == 'number' and entry.value in (0, 1):
                self.valid[name] = entry.value
            else:
                self.add(f.ERROR, 'libvirt.invalid-value', entry,
                         '%s must be the number 0 or 1, not %r: libvirtd '
                         'refuses to start.' % (name, entry.value),
                         fix='%s = %d' % (name, DEFAULTS[name]))
        for name in AUTH:
            entry = self.conf.get(name)
            if entry is None:
                continue
            if entry.kind == 'string' and entry.value in AUTH_VALUES:
                self.valid[name] = entry.value
            else:
                self.add(f.ERROR, 'libvirt.invalid-value', entry,
                         '%s must be one of the strings %s, not %r: '
                         'libvirtd refuses to start.'
                         % (name, ', '.join('"%s"' % v for v in AUTH_VALUES),
                            entry.value),
                         fix='%s = "sasl"' % name if name == 'auth_tcp'
                         else None)

    def duplicates(self):
        for entry in self.conf.entries:
            used = self.conf.get(entry.name)
            if used is not entry and used.value != entry.value:
                self.add(f.WARNING, 'libvirt.ignored-duplicate', entry,
                         '%s is set again here, but libvirt uses the first '
                         'assignment (%r at line %d) and ignores this one.'
                         % (entry.name, used.value, used.line))

    def tcp(self):
        listen_tcp = self.value('listen_tcp')
        auth_tcp = self.value('auth_tcp')
        listen = self.conf.get('listen_tcp')
        auth = self.conf.get('auth_tcp')
        port = self.conf.get('tcp_port')
        port = port.value if port is not None and port.kind == 'string' \
            else '16509'
        if auth_tcp == 'none' and listen_tcp == 1:
            self.add(f.ERROR, 'libvirt.tcp-unauthenticated', auth,
                     'listen_tcp = 1 with auth_tcp = "none": anyone who can '
                     'reach TCP port %s gets unauthenticated read-write '
                     'control of this hypervisor (every guest, its disks, '
                     'and root on the host).' % port, fix=SECURE_ALTERNATIVES)
        elif auth_tcp == 'none':
            self.add(f.WARNING, 'libvirt.tcp-unauthenticated', auth,
                     'auth_tcp = "none" disables authentication on the TCP '
                     'listener. On socket-activated libvirt listen_tcp is '
                     'ignored and libvirtd-tcp.socket decides: if it is '
                     'ever enabled, anyone who can reach port %s controls '
                     'this hypervisor.' % port, fix=SECURE_ALTERNATIVES)
        elif listen_tcp == 1:
            self.add(f.INFO, 'libvirt.tcp-sasl', listen,
                     'libvirtd listens on TCP with SASL authentication '
                     '(auth_tcp = "%s"). Make sure /etc/sasl2/libvirt.conf '
                     'names a mechanism (gssapi, or scram-sha-256 which '
                     'does not encrypt) and that migrations also use '
                     'live_migration_with_native_tls, since SASL protects '
                     "libvirtd's connection, not QEMU's migration stream."
                     % auth_tcp)

    def tls(self):
        listen_tls = self.value('listen_tls')
        no_verify = self.value('tls_no_verify_certificate')
        if (listen_tls == 1 and no_verify == 1
                and self.value('auth_tls') == 'none'):
            self.add(f.ERROR, 'libvirt.tls-unverified',
                     self.conf.get('tls_no_verify_certificate'),
                     'tls_no_verify_certificate = 1 with auth_tls = "none": '
                     'libvirtd accepts any TLS client, so the TLS listener '
                     'is as open as unauthenticated TCP.',
                     fix='tls_no_verify_certificate = 0\n'
                     '# Optionally restrict clients by certificate DN:\n'
                     '#tls_allowed_dn_list = ["C=CN,O=Example,CN=*"]')
        entry = self.conf.get('listen_tls')
        if entry is None or listen_tls != 0:
            return
        sasl_tcp = (self.value('listen_tcp') == 1
                    and self.value('auth_tcp') == 'sasl')
        if sasl_tcp or self.nova_scheme() == 'ssh':
            return
        self.add(f.WARNING, 'libvirt.no-secure-transport', entry,
                 'listen_tls = 0 turns off the TLS listener and nothing '
                 'else here offers an authenticated, encrypted transport '
                 '(no SASL on TCP, and nova.conf does not use '
                 'live_migration_scheme = ssh): live migration either '
                 'cannot connect or uses an insecure path.',
                 fix=SECURE_ALTERNATIVES)

    def nova_scheme(self):
        if not self.nova:
            return None
        uri = self.nova.last('libvirt', 'live_migration_uri')
        if uri is not None and uri.value:
            return checks_nova.uri_transport(uri.value)
        scheme = self.nova.last('libvirt', 'live_migration_scheme')
        return scheme.value if scheme is not None and scheme.value else 'tcp'

    def listen_argument(self):
        for name in ARGS_VARIABLES:
            variable = self.variables.get(name)
            if variable is None or not libvirtd.asks_to_listen(
                    variable.value):
                continue
            self.add(f.WARNING, 'libvirt.listen-with-socket-activation',
                     variable,
                     '%s passes --listen. Since libvirt 5.6 (Nova 34 needs '
                     'libvirt 8.0 or later) systemd starts libvirtd through '
                     'socket activation, and libvirtd then refuses to start '
                     'with --listen ("--listen parameter not permitted with '
                     'systemd activation sockets"); listen_tcp and '
                     'listen_tls in libvirtd.conf are ignored in that mode. '
                     'Unless every libvirtd socket unit is masked, drop '
                     '--listen and enable the TLS socket.' % name,
                     fix='%s="%s"\n# then: systemctl enable --now '
                     'libvirtd-tls.socket && systemctl restart libvirtd'
                     % (name, libvirtd.without_listen(variable.value)))


def check(conf=None, variables=None, nova=None):
    """Findings about a LibvirtdConf and/or a sysconfig variable dict.

    ``nova`` (a NovaConfig, possibly empty) tells whether migrations go
    over SSH, which needs no libvirt listener at all.
    """
    checks = _Checks(conf, variables or {}, nova)
    if conf is not None:
        checks.types()
        checks.duplicates()
        checks.tcp()
        checks.tls()
    if variables:
        checks.listen_argument()
    return checks.found
