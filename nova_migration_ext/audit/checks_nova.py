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

"""Checks of nova.conf: options Nova moved or removed, scheduler filters
that stop nova-scheduler, and live-migration choices that are unsafe."""

import textwrap

from oslo_config import types

from nova_migration_ext.audit import findings as f
from nova_migration_ext.audit import nova_filters
from nova_migration_ext.audit.nova_filters import NOVA_ALL_FILTERS
from nova_migration_ext.audit.nova_filters import OUR_ALL_FILTERS

FS = 'filter_scheduler'
LIBVIRT = 'libvirt'
ENABLED = 'enabled_filters'
AVAILABLE = 'available_filters'

# [DEFAULT] names renamed in 15.0.0 (Ocata) whose aliases went in 24.0.0
# (Xena): (group, name) Nova 34 reads instead. Checked against the nova
# 23.0.0 and 24.0.0 wheels; a unit test checks every target in Nova 34.
MOVED = {
    'scheduler_default_filters': (FS, ENABLED),
    'scheduler_available_filters': (FS, AVAILABLE),
    'scheduler_weight_classes': (FS, 'weight_classes'),
    'scheduler_host_subset_size': (FS, 'host_subset_size'),
    'scheduler_tracks_instance_changes': (FS, 'track_instance_changes'),
    'scheduler_max_attempts': ('scheduler', 'max_attempts'),
}
for _name in ('max_io_ops_per_host', 'max_instances_per_host',
              'ram_weight_multiplier', 'disk_weight_multiplier',
              'io_ops_weight_multiplier', 'isolated_images', 'isolated_hosts',
              'restrict_isolated_hosts_to_isolated_images',
              'aggregate_image_properties_isolation_namespace',
              'aggregate_image_properties_isolation_separator'):
    MOVED[_name] = (FS, _name)

# [DEFAULT] names with no successor in Nova 34: (release that removed the
# last way to set it, what happened). [scheduler] driver and
# periodic_task_interval went in 23.0.0 (Wallaby); the task-period alias
# was already gone in the 21.0.0 wheel, when exactly is not recorded here.
GONE = {
    'scheduler_driver': (
        f.WALLABY, '[scheduler] driver, its successor, was removed with '
        'every scheduler but the filter scheduler'),
    'scheduler_driver_task_period': (
        None, 'the alias was dropped before 21.0.0 (Ussuri) and its '
        'successor, [scheduler] periodic_task_interval, in %s' % f.WALLABY),
}

# The one [DEFAULT] scheduler_* option Nova 34 still has.
DEFAULT_SCHEDULER_OPTIONS = frozenset(('scheduler_instance_sync_interval',))

SECURE_MIGRATION = ('[libvirt]\n'
                    'live_migration_with_native_tls = true\n'
                    'live_migration_scheme = tls')
NEEDS_TLS = ('Native TLS needs the libvirt/QEMU certificates on every '
             'compute (/etc/pki/libvirt, /etc/pki/qemu, and '
             'default_tls_x509_verify = 1 in qemu.conf).')

_BOOL = types.Boolean()
_LIST = types.List()


class _Checks:

    def __init__(self, config):
        self.config = config
        self.found = []

    def add(self, severity, code, where, message, since=None, fix=None,
            line=None, option=None):
        self.found.append(f.Finding(
            severity, code, where.file,
            where.line if line is None else line,
            where.where if option is None else option,
            message, since, fix))

    def bool(self, group, key):
        """The option's value as Nova parses it; None when unset or bad."""
        setting = self.config.last(group, key)
        if setting is None:
            return None
        try:
            return _BOOL(setting.value)
        except ValueError:
            self.add(f.ERROR, 'nova.invalid-value', setting,
                     '%r is not a boolean oslo.config accepts (true/false, '
                     'yes/no, on/off, 1/0): Nova fails with '
                     'ConfigFileValueError when it reads %s.'
                     % (setting.value, key))
            return None

    def names(self, setting, report=True):
        """The filter names of an enabled_filters value, as a ListOpt."""
        try:
            return _LIST(setting.value)
        except ValueError as exc:
            if not report:
                return []
            self.add(f.ERROR, 'nova.invalid-value', setting,
                     '%r is not a list oslo.config can parse (%s): '
                     'nova-scheduler fails to start.' % (setting.value, exc))
            return []

    # Files and sections.

    def encoding(self):
        for ini in self.config.files:
            if ini.has_bom:
                self.found.append(f.Finding(
                    f.ERROR, 'nova.byte-order-mark', ini.path, 1, '',
                    'The file starts with a UTF-8 byte-order mark. '
                    'oslo.config reads it as part of the first line and '
                    'every Nova service fails to start with '
                    "ConfigFileParseError (\"No ':' or '=' found\").",
                    fix="sed -i '1s/^\\xEF\\xBB\\xBF//' %s" % ini.path))

    def section_case(self):
        for ini in self.config.files:
            seen = set()
            for section in ini.sections:
                name = section.name
                if (section.group != 'default' or name in seen):
                    continue
                seen.add(name)
                count = sum(1 for a in ini.assignments if a.section == name)
                if count:
                    self.add(f.ERROR, 'nova.section-case', section,
                             'oslo.config matches [DEFAULT] in capitals '
                             'only: the %d option(s) under [%s] are never '
                             'read.' % (count, name),
                             fix='[DEFAULT]', option='[%s]' % name)

    # Options Nova moved or removed.

    def moved_options(self):
        legacy = {}
        for setting in self.config.in_group('DEFAULT'):
            legacy.setdefault(setting.key, []).append(setting)
        for key, settings in legacy.items():
            last = settings[-1]
            also = ''
            if len(settings) > 1:
                also = ' (also set at %s)' % ', '.join(
                    '%s:%d' % (s.file, s.line) for s in settings[:-1])
            if key in MOVED:
                self.moved(key, settings, also)
            elif key in GONE:
                since, what = GONE[key]
                self.add(f.WARNING, 'nova.option-removed', last,
                         '[DEFAULT] %s no longer exists (%s); the line is '
                         'ignored%s.' % (key, what, also), since=since)
            elif (key.startswith('scheduler_')
                  and key not in DEFAULT_SCHEDULER_OPTIONS):
                self.add(f.WARNING, 'nova.option-unknown', last,
                         'Nova 34 has no [DEFAULT] %s option; the line is '
                         'ignored%s.' % (key, also))

    def moved(self, key, settings, also):
        group, name = MOVED[key]
        last = settings[-1]
        modern = self.config.last(group, name)
        message = ('Nova 34 does not read [DEFAULT] %s: it became [%s] %s '
                   'in %s and the old name was removed in %s, so this '
                   'setting is silently ignored%s.'
                   % (key, group, name, f.OCATA, f.XENA, also))
        if modern is not None:
            self.add(f.ERROR, 'nova.option-moved', last,
                     message + ' [%s] %s is set at %s:%d and is what Nova '
                     'uses: delete this line.'
                     % (group, name, modern.file, modern.line),
                     since=f.XENA)
            return
        if key == 'scheduler_default_filters':
            kept, notes = self.without_removed(
                self.names(last, report=False))
            message += (" nova-scheduler runs Nova's default filters "
                        'instead: %s.'
                        % ', '.join(nova_filters.DEFAULT_ENABLED))
            available = []
            ours = nova_filters.our_filter_names()
            paths = [s.value for s in self.config.assignments(FS, AVAILABLE)]
            if set(kept) & ours and OUR_ALL_FILTERS not in paths:
                available = [p for p in (NOVA_ALL_FILTERS, OUR_ALL_FILTERS)
                             if p not in paths]
            fix = self.enabled_snippet(kept, notes, *available)
        elif key == 'scheduler_available_filters':
            values = [s.value for s in settings]
            fix = '\n'.join(['[%s]' % group] + ['%s = %s' % (name, v)
                                                for v in values])
        else:
            fix = '[%s]\n%s = %s' % (group, name, last.value)
        self.add(f.ERROR, 'nova.option-moved', last, message,
                 since=f.XENA, fix=fix)

    # Scheduler filters.

    def providers(self):
        settings = self.config.assignments(FS, AVAILABLE)
        paths = [s.value for s in settings] or nova_filters.DEFAULT_AVAILABLE
        return settings, nova_filters.Providers(
            paths, self.nova_names, self.our_names)

    def enabled(self):
        setting = self.config.last(FS, ENABLED)
        if setting is None:
            return None, list(nova_filters.DEFAULT_ENABLED)
        return setting, self.names(setting)

    def without_removed(self, names):
        kept, notes = [], []
        for name in names:
            removed = nova_filters.REMOVED.get(name)
            if removed is None:
                kept.append(name)
            else:
                notes += textwrap.wrap(
                    '%s: removed in %s; %s.'
                    % (name, removed.since, removed.instead), width=70,
                    initial_indent='# ', subsequent_indent='#   ',
                    break_on_hyphens=False)
        return kept, notes

    def enabled_snippet(self, names, notes=(), *available):
        lines = ['[%s]' % FS]
        lines += ['%s = %s' % (AVAILABLE, p) for p in available]
        lines += list(notes)
        lines.append('%s = %s' % (ENABLED, ','.join(names)))
        return '\n'.join(lines)

    def filters(self):
        needs_scheduler_check = (self.config.assignments(FS, ENABLED)
                                 or self.config.assignments(FS, AVAILABLE)
                                 or self.config.assignments(
                                     'DEFAULT', 'scheduler_default_filters'))
        if not needs_scheduler_check:
            return
        self.nova_names = nova_filters.nova_filter_names()
        self.our_names = nova_filters.our_filter_names()
        legacy = self.config.last('DEFAULT', 'scheduler_default_filters')
        if legacy is not None:
            self.removed_filters(legacy, self.names(legacy), legacy=True)
        available_settings, providers = self.providers()
        for setting in available_settings:
            why = providers.broken(setting.value)
            if why:
                removed = nova_filters.REMOVED.get(
                    setting.value.rsplit('.', 1)[-1])
                self.add(f.ERROR, 'nova.filter-unloadable', setting,
                         '%r %s: nova-scheduler fails to start '
                         '(ClassNotFound).' % (setting.value, why),
                         since=removed and removed.since)
        setting, names = self.enabled()
        where = setting or (available_settings[0] if available_settings
                            else None)
        if where is None:
            return
        self.removed_filters(where, names, legacy=False,
                             listed=setting is not None)
        self.availability(where, setting is not None, names, providers)
        if ('AggregateInstanceExtraSpecsFilter' in names
                and 'MigrationAggregateFilter' in names):
            self.add(f.WARNING, 'nova.double-aggregate-match', where,
                     'AggregateInstanceExtraSpecsFilter and '
                     'MigrationAggregateFilter are both enabled: '
                     'MigrationAggregateFilter already does the same '
                     'flavor/aggregate matching (and keeps moves inside '
                     'their migration domain), so every host is matched '
                     'twice and a malformed value is reported twice.',
                     fix=self.enabled_snippet(
                         [n for n in names
                          if n != 'AggregateInstanceExtraSpecsFilter']),
                     line=where.line_of('AggregateInstanceExtraSpecsFilter'))

    def removed_filters(self, where, names, legacy, listed=True):
        kept, notes = self.without_removed(names)
        for name in names:
            removed = nova_filters.REMOVED.get(name)
            if removed is None:
                continue
            if legacy:
                effect = ('It is in [DEFAULT] scheduler_default_filters, '
                          'which Nova 34 ignores; moved as it is to '
                          '[filter_scheduler] enabled_filters it would stop '
                          'nova-scheduler from starting '
                          '(SchedulerHostFilterNotFound). The fix for '
                          'scheduler_default_filters leaves it out.')
            else:
                effect = ('nova-scheduler does not start '
                          '(SchedulerHostFilterNotFound: %s).' % name)
            self.add(f.ERROR, 'nova.filter-removed', where,
                     '%s was removed in %s: %s. %s'
                     % (name, removed.since, removed.instead, effect),
                     since=removed.since,
                     fix=None if legacy else self.enabled_snippet(kept, notes),
                     line=where.line_of(name) if listed else None,
                     option=('[DEFAULT] scheduler_default_filters' if legacy
                             else '[%s] %s' % (FS, ENABLED)))

    def availability(self, where, listed, names, providers):
        known = providers.known
        ours = [n for n in names if n in self.our_names and n not in known]
        novas = [n for n in names if n in self.nova_names and n not in known]
        option = '[%s] %s' % (FS, ENABLED)
        if ours:
            self.add(f.ERROR, 'nova.our-filters-unavailable', where,
                     '%s %s enabled but %s is not in [filter_scheduler] '
                     'available_filters: nova-scheduler does not start '
                     '(SchedulerHostFilterNotFound). available_filters '
                     'takes one provider per line and the lines add up.'
                     % (', '.join(ours), 'is' if len(ours) == 1 else 'are',
                        OUR_ALL_FILTERS),
                     fix='\n'.join(['[%s]' % FS] + [
                         '%s = %s' % (AVAILABLE, p) for p in
                         providers.completed(NOVA_ALL_FILTERS,
                                             OUR_ALL_FILTERS)]),
                     line=where.line_of(ours[0]) if listed else None,
                     option=option)
        if novas:
            self.add(f.ERROR, 'nova.filter-unavailable', where,
                     "%s %s Nova's own but [filter_scheduler] "
                     'available_filters does not list %s (setting '
                     "available_filters replaces its default): nova-scheduler "
                     'does not start (SchedulerHostFilterNotFound).'
                     % (', '.join(novas), 'is' if len(novas) == 1 else 'are',
                        NOVA_ALL_FILTERS),
                     fix='\n'.join(['[%s]' % FS] + [
                         '%s = %s' % (AVAILABLE, p) for p in
                         providers.completed(NOVA_ALL_FILTERS)]),
                     line=where.line_of(novas[0]) if listed else None,
                     option=option)
        for name in names:
            if (name in known or name in self.our_names
                    or name in self.nova_names
                    or name in nova_filters.REMOVED):
                continue
            hint = ''
            if '#' in name or ';' in name:
                hint = (' oslo.config has no inline comments: everything '
                        'after "=" is the value.')
            if providers.unknown:
                self.add(f.WARNING, 'nova.filter-unverified', where,
                         '%s is neither a Nova 34 filter nor one of ours; '
                         'nova-scheduler starts only if %s provides it.%s'
                         % (name, ' or '.join(providers.unknown), hint),
                         line=where.line_of(name) if listed else None,
                         option=option)
            else:
                self.add(f.ERROR, 'nova.filter-unknown', where,
                         'No available filter is called %r (not Nova 34, '
                         'not nova-migration-ext, not a class path in '
                         'available_filters): nova-scheduler does not start '
                         '(SchedulerHostFilterNotFound).%s' % (name, hint),
                         fix=self.enabled_snippet(
                             [n for n in names if n != name]),
                         line=where.line_of(name) if listed else None,
                         option=option)

    # libvirt live migration.

    def legacy_flags(self):
        live = self.config.last(LIBVIRT, 'live_migration_flag')
        block = self.config.last(LIBVIRT, 'block_migration_flag')
        if live is None and block is None:
            return
        from nova_migration_ext.libvirt import flags
        first = live or block
        message = ('Nova ignores [libvirt] %s: the free-form flag options '
                   'were removed in %s and Nova 34 derives the migration '
                   'flags from [libvirt] options.' % (first.key, f.NEWTON))
        try:
            translated = flags.translate_legacy(
                live.value if live else None, block.value if block else None)
        except flags.FlagError as exc:
            fix = SECURE_MIGRATION
            message += (' The value is not valid either (%s). The snippet '
                        'is the secure default. %s' % (exc, NEEDS_TLS))
        else:
            fix = translated.as_ini()
            if translated.notes:
                message += ' ' + ' '.join(translated.notes)
            if translated.inexpressible:
                message += (' Not expressible with Nova 34 options: %s.'
                            % '; '.join(translated.inexpressible))
            tunnelled = translated.options.get('live_migration_tunnelled')
            if tunnelled is not None and _BOOL(str(tunnelled)):
                message += (' The translation keeps tunnelling, deprecated '
                            'since %s: better replace '
                            'live_migration_tunnelled = true with '
                            'live_migration_with_native_tls = true, which '
                            'also encrypts block migrations at a fraction of '
                            'the cost (never both: nova-compute refuses to '
                            'start).' % f.WALLABY)
        self.add(f.ERROR, 'nova.legacy-migration-flags', first, message,
                 since=f.NEWTON, fix=fix)
        if live is not None and block is not None:
            self.add(f.ERROR, 'nova.legacy-migration-flags', block,
                     'Nova ignores [libvirt] block_migration_flag (removed '
                     'in %s); translated together with live_migration_flag '
                     'at %s:%d: delete both lines.'
                     % (f.NEWTON, live.file, live.line), since=f.NEWTON)

    def migration_transport(self):
        settings = self.config.in_group(LIBVIRT)
        if not settings:
            return
        tunnelled = self.bool(LIBVIRT, 'live_migration_tunnelled')
        native = self.bool(LIBVIRT, 'live_migration_with_native_tls')
        uri = self.config.last(LIBVIRT, 'live_migration_uri')
        scheme = self.config.last(LIBVIRT, 'live_migration_scheme')
        transport = scheme.value if scheme is not None and scheme.value \
            else 'tcp'
        if uri is not None and uri.value:
            transport = uri_transport(uri.value)
            self.migration_uri(uri, transport)
        if tunnelled and native:
            self.add(f.ERROR, 'nova.tunnelled-with-native-tls',
                     self.config.last(LIBVIRT, 'live_migration_tunnelled'),
                     'live_migration_tunnelled and '
                     'live_migration_with_native_tls are both true: '
                     'nova-compute refuses to start ("Setting both ... at '
                     'the same time is invalid").',
                     fix='[libvirt]\nlive_migration_tunnelled = false')
        elif tunnelled:
            self.add(f.WARNING, 'nova.tunnelled-deprecated',
                     self.config.last(LIBVIRT, 'live_migration_tunnelled'),
                     'live_migration_tunnelled is deprecated for removal '
                     'since %s: tunnelling through libvirtd costs a lot of '
                     'CPU and cannot carry block migrations, and it is only '
                     'encrypted if the libvirtd connection is (scheme tls '
                     'or ssh). Use QEMU-native TLS. %s'
                     % (f.WALLABY, NEEDS_TLS), since=f.WALLABY,
                     fix='[libvirt]\nlive_migration_tunnelled = false\n'
                     + SECURE_MIGRATION.split('\n', 1)[1])
        if not native and not (tunnelled and transport in ('tls', 'ssh')):
            # Point at the setting that chose the transport, or else at
            # the [libvirt] header: the problem is a missing option.
            chosen = uri if uri is not None and uri.value else scheme
            anchor = chosen or settings[0]
            self.add(f.WARNING, 'nova.migration-unencrypted', anchor,
                     'Live migrations from this host send guest memory and '
                     'device state (and, for block migrations, the disks) '
                     'unencrypted: live_migration_with_native_tls is not '
                     'true and the libvirtd connection is qemu+%s. %s'
                     % (transport, NEEDS_TLS),
                     fix=SECURE_MIGRATION,
                     line=None if chosen else self.libvirt_line(anchor),
                     option=None if chosen else '[libvirt]')
        post_copy = self.bool(LIBVIRT, 'live_migration_permit_post_copy')
        converge = self.bool(LIBVIRT, 'live_migration_permit_auto_converge')
        if post_copy and converge:
            self.add(f.INFO, 'nova.auto-converge-unused', self.config.last(
                LIBVIRT, 'live_migration_permit_auto_converge'),
                'live_migration_permit_auto_converge is not used while '
                'post-copy is permitted and available: Nova only falls back '
                'to auto-converge when libvirt/QEMU cannot do post-copy.')
        connection = self.config.last(LIBVIRT, 'connection_uri')
        if connection is not None and '+tcp' in connection.value:
            self.add(f.WARNING, 'nova.connection-uri-tcp', connection,
                     'nova-compute manages its own libvirtd over TCP '
                     '(%r): the default, qemu:///system, uses the local '
                     'UNIX socket and needs no network listener. Delete the '
                     'line.' % connection.value)

    def libvirt_line(self, anchor):
        sections = [s for s in self.config.sections(LIBVIRT)
                    if s.file == anchor.file]
        return sections[0].line if sections else anchor.line

    def migration_uri(self, uri, transport):
        scheme = 'ssh' if transport == 'ssh' else 'tls'
        lines = ['[libvirt]', 'live_migration_scheme = %s' % scheme]
        if scheme == 'tls':
            lines.append('live_migration_with_native_tls = true')
        host = uri.value.split('://', 1)[-1].split('/', 1)[0]
        note = ''
        if host.rsplit('@', 1)[-1] != '%s':
            note = (' The host part %r has no direct equivalent: set '
                    'live_migration_inbound_addr on each destination '
                    'compute to the address migrations should use.' % host)
        if '@' in host:
            note += (' The user in it belongs in ~nova/.ssh/config '
                     '(User ...).')
        self.add(f.WARNING, 'nova.migration-uri-deprecated', uri,
                 'live_migration_uri is deprecated since %s in favour of '
                 'live_migration_scheme and live_migration_inbound_addr.%s'
                 % (f.OCATA, note), since=f.OCATA, fix='\n'.join(lines))

    def resize_same_host(self):
        if not self.bool('DEFAULT', 'allow_resize_to_same_host'):
            return
        self.add(f.INFO, 'nova.resize-same-host',
                 self.config.last('DEFAULT', 'allow_resize_to_same_host'),
                 'allow_resize_to_same_host = True lets a resize (a flavor '
                 "change) stay on the instance's current host. It does "
                 "nothing for cold migration ('openstack server migrate', "
                 "'nova host-servers-migrate'): libvirt hosts do not report "
                 'COMPUTE_SAME_HOST_COLD_MIGRATE, so a cold migration '
                 'always goes to another host. Keep it only for same-host '
                 'resizes (a single-host lab, or ServerGroupAffinityFilter); '
                 'nova-api reads it.')


def uri_transport(uri):
    """The transport of a libvirt migration URI.

    qemu+ssh:// is ssh; a URI with no +transport (qemu://host/system) is
    TLS, libvirt's default for remote URIs.
    """
    scheme = uri.split('://', 1)[0]
    if '+' in scheme:
        return scheme.split('+', 1)[1]
    return 'tls'


def check(config):
    """Every finding about ``config`` (a NovaConfig)."""
    checks = _Checks(config)
    checks.encoding()
    checks.section_case()
    checks.moved_options()
    checks.filters()
    checks.legacy_flags()
    checks.migration_transport()
    checks.resize_same_host()
    return checks.found
