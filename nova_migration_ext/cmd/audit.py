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

"""``nova-migration-ext audit``: check a cloud's migration configuration.

Reads nova.conf (and nova.conf.d), libvirtd.conf and libvirtd's
sysconfig/default file, and reports what today's Nova and libvirt do with
them: options Nova moved or removed, scheduler filters that stop
nova-scheduler, live-migration settings and libvirt listeners that are
unsafe. Each finding has a severity, the file and line, the Nova release
that made it a problem and a ready-to-paste fix.

Exit status: 2 when any finding is an error, or when an input cannot be
read (one line on stderr naming the file and line) or the command line is
wrong; with ``--strict``, 1 when the worst finding is a warning; else 0.

``--format json`` prints one object (version 1; keys are only ever added)::

    {
      "format": "nova-migration-ext-audit",
      "version": 1,
      "files": ["/etc/nova/nova.conf", ...],        # read, in load order
      "findings": [
        {
          "severity": "error" | "warning" | "info",
          "code": "nova.option-moved",               # stable identifier
          "file": "/etc/nova/nova.conf",
          "line": 12,                                # 1-based, or null
          "option": "[DEFAULT] scheduler_default_filters",
          "message": "...",                          # what is wrong, why
          "since": "24.0.0 (Xena)",                  # Nova release, or null
          "fix": "[filter_scheduler]\\nenabled_filters = ..."   # or null
        }
      ],
      "summary": {"error": 1, "warning": 0, "info": 0, "exit_status": 2}
    }

Findings are ordered by file (in the order read) and line.
"""

import argparse
import sys

from nova_migration_ext.cmd import main
from nova_migration_ext.cmd import paths


class _AppendSource(argparse.Action):
    """Append ``(kind, path)`` to the list both options share.

    One list in command-line order, because that is the order Nova loads
    its --config-file and --config-dir arguments in.
    """

    def __init__(self, option_strings, dest, kind, **kwargs):
        self.kind = kind
        super().__init__(option_strings, dest, **kwargs)

    def __call__(self, parser, namespace, values, option_string=None):
        sources = list(getattr(namespace, self.dest) or ())
        sources.append((self.kind, values))
        setattr(namespace, self.dest, sources)


def register(subparsers):
    parser = subparsers.add_parser(
        'audit', help="check a cloud's migration configuration",
        description=__doc__.split('\n\n')[1],
        epilog=__doc__.split('\n\n')[2],
        formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        '--nova-conf', dest='nova_sources', action=_AppendSource,
        kind='file', metavar='FILE', type=paths.nova_conf_file,
        help='a nova.conf to read (repeatable; later files override '
             'earlier ones, as with --config-file)')
    parser.add_argument(
        '--nova-conf-dir', dest='nova_sources', action=_AppendSource,
        kind='dir', metavar='DIR', type=paths.directory,
        help='a nova.conf.d directory: its *.conf files in sorted order, '
             'as with --config-dir (repeatable)')
    parser.add_argument('--libvirtd-conf', metavar='FILE',
                        type=paths.text_file,
                        help='libvirtd.conf of a compute host')
    parser.add_argument(
        '--libvirtd-sysconfig', metavar='FILE', type=paths.text_file,
        help='/etc/sysconfig/libvirtd or /etc/default/libvirtd')
    parser.add_argument('--format', choices=('text', 'json'),
                        default='text', help='output format (text)')
    parser.add_argument('--strict', action='store_true',
                        help='exit 1 when the worst finding is a warning')
    parser.set_defaults(func=run, nova_sources=None)


def run(args):
    from nova_migration_ext import audit
    from nova_migration_ext.audit import findings
    from nova_migration_ext.audit import report

    if not (args.nova_sources or args.libvirtd_conf
            or args.libvirtd_sysconfig):
        raise main.UsageError(
            'nothing to audit: give --nova-conf FILE, --nova-conf-dir DIR, '
            '--libvirtd-conf FILE and/or --libvirtd-sysconfig FILE')
    try:
        result = audit.run(args.nova_sources or (), args.libvirtd_conf,
                           args.libvirtd_sysconfig)
    except findings.InputError as exc:
        print(report.printable('nova-migration-ext audit: cannot read %s'
                               % exc), file=sys.stderr)
        return 2
    status = findings.exit_status(result.findings, args.strict)
    render = report.as_json if args.format == 'json' else report.text
    print(render(result, status))
    return status
