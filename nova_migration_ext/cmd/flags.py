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
"""``nova-migration-ext flags``: check, translate and show libvirt
migration flag sets.

Exit status: 0 when the sets are valid, 1 when validation finds errors, 2 for
bad input (an unknown flag name, an unreadable nova.conf). Each action imports
the helper (and libvirt-python with it) only when it runs.
"""

import collections
import json
import logging
import shlex
import textwrap

from nova_migration_ext.cmd import main
from nova_migration_ext.cmd import paths


def register(subparsers):
    parser = subparsers.add_parser(
        'flags', help='check, translate and show libvirt migration flags',
        description='Check libvirt VIR_MIGRATE_* flag sets, translate the '
                    'removed live_migration_flag/block_migration_flag into '
                    "today's [libvirt] options, and show the sets a "
                    'nova-compute uses.')
    actions = parser.add_subparsers(dest='action', metavar='ACTION')
    actions.required = True

    check = actions.add_parser(
        'check', help='validate a flag set',
        description='Validate a live (or, with --block, a block) migration '
                    'flag set: names with or without VIR_MIGRATE_, separated '
                    'by commas, pipes or spaces, or an integer.')
    check.add_argument('expr', metavar='EXPR', help='the flag set')
    check.add_argument('--block', action='store_true',
                       help='validate as a block-migration set')
    _add_format(check)
    check.set_defaults(func=_check)

    translate = actions.add_parser(
        'translate', help='turn legacy flag strings into [libvirt] options',
        description='Print the [libvirt] options that make Nova 34 use the '
                    'sets of a legacy live_migration_flag (and '
                    'block_migration_flag), ready to paste into nova.conf.')
    translate.add_argument('--live', required=True, metavar='EXPR',
                           help='the live_migration_flag value')
    translate.add_argument('--block', metavar='EXPR',
                           help='the block_migration_flag value')
    _add_format(translate)
    translate.set_defaults(func=_translate)

    effective = actions.add_parser(
        'effective', help='show the sets a nova-compute uses',
        description='Show the live and block migration flag sets Nova 34 '
                    'computes from the [libvirt] options of these files.')
    effective.add_argument('--config-file', dest='config_files',
                           action='append', required=True, metavar='PATH',
                           type=paths.nova_conf_file,
                           help='a nova.conf; repeat it as for nova-compute')
    _add_format(effective)
    effective.set_defaults(func=_effective)


def _add_format(parser):
    parser.add_argument('--format', choices=('text', 'json'), default='text',
                        help='output format (default: text)')


def _check(args):
    from nova_migration_ext.libvirt import flags

    try:
        mask = flags.parse(args.expr)
    except flags.FlagError as exc:
        raise main.UsageError(exc) from None
    findings = flags.validate(mask, block=args.block)
    label = 'block set' if args.block else 'live set'
    if args.format == 'json':
        _print_json(dict(flags.summary(mask), block=args.block,
                         findings=_findings_data(findings),
                         ok=not flags.errors(findings)))
    else:
        print('%s: %s' % (label, flags.describe(mask)))
        _print_findings(findings)
        print('%s: %s' % (label, _verdict(findings)))
    return 1 if flags.errors(findings) else 0


def _translate(args):
    from nova_migration_ext.libvirt import flags

    try:
        translation = flags.translate_legacy(args.live, args.block)
    except flags.FlagError as exc:
        raise main.UsageError(exc) from None
    if args.format == 'json':
        _print_json(dict(translation.as_dict(), ok=not translation.errors))
    else:
        print(translation.as_ini(), end='')
    return 1 if translation.errors else 0


def _effective(args):
    from nova_migration_ext.libvirt import flags

    # The deprecation of live_migration_tunnelled is reported as a finding;
    # oslo.config's own log line would only repeat it, unformatted.
    logging.getLogger('oslo_config').addHandler(logging.NullHandler())
    try:
        conf = flags.read_config_files(args.config_files)
        options = flags.libvirt_options(conf)
        legacy = flags.legacy_options(conf)
    except flags.NovaConfigError as exc:
        raise main.UsageError(exc) from None
    live, block = flags.flags_for_options(options)
    findings = {'live': flags.validate(live),
                'block': flags.validate(block, block=True)}
    notes = _legacy_notes(legacy)
    ok = not any(flags.errors(found) for found in findings.values())
    if args.format == 'json':
        _print_json({
            'config_files': args.config_files,
            'options': dict(options),
            'live': dict(flags.summary(live),
                         findings=_findings_data(findings['live'])),
            'block': dict(flags.summary(block),
                          findings=_findings_data(findings['block'])),
            'legacy_options': dict(legacy),
            'notes': notes,
            'ok': ok,
        })
    else:
        print('[libvirt] options from %s:' % ', '.join(args.config_files))
        for item in options.items():
            print('  %s = %s' % item)
        print('live set: %s' % flags.describe(live))
        print('block set: %s' % flags.describe(block))
        for found in findings.values():
            _print_findings(found)
        for note in notes:
            print('note: ' + note)
        for label in ('live', 'block'):
            print('%s set: %s' % (label, _verdict(findings[label])))
    return 0 if ok else 1


def _legacy_notes(legacy):
    notes = ['[libvirt] %s is set, but Nova ignores it since 14.0.0' % name
             for name in legacy]
    if 'live_migration_flag' in legacy:
        command = ('nova-migration-ext flags translate --live %s'
                   % shlex.quote(legacy['live_migration_flag']))
        if 'block_migration_flag' in legacy:
            command += ' --block %s' % shlex.quote(
                legacy['block_migration_flag'])
        notes.append('the options that reproduce it: ' + command)
    return notes


def _findings_data(findings):
    return [{'severity': finding.severity, 'code': finding.code,
             'message': finding.message, 'reason': finding.reason}
            for finding in findings]


def _print_findings(findings):
    for finding in findings:
        print('%s: %s [%s]' % (finding.severity, finding.message,
                               finding.code))
        print(textwrap.fill(finding.reason, width=79,
                            initial_indent='  why: ',
                            subsequent_indent='       '))


def _verdict(findings):
    counts = collections.Counter(finding.severity for finding in findings)
    found = ['%d %s%s' % (counts[word], word, '' if counts[word] == 1
                          else 's')
             for word in ('error', 'warning') if counts[word]]
    return ', '.join(found) if found else 'valid'


def _print_json(data):
    print(json.dumps(data, indent=2))
