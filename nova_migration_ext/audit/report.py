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

"""The audit's findings as text for people or JSON for tools."""

import json
import textwrap

from nova_migration_ext.audit import findings

FORMAT = 'nova-migration-ext-audit'
VERSION = 1


def printable(text):
    # Values read from libvirt files keep undecodable bytes as surrogates;
    # show them escaped rather than fail to print.
    return text.encode('utf-8', 'backslashreplace').decode('utf-8')


def _noun(number, word):
    return '%d %s%s' % (number, word, '' if number == 1 or
                        word == 'info' else 's')


def summary_line(result, status):
    counts = findings.count(result.findings)
    if not result.findings:
        what = 'no findings'
    else:
        what = ', '.join(_noun(counts[s], s) for s in findings.SEVERITIES)
    return 'audit: %s in %s (exit status %d)' % (
        what, _noun(len(result.files), 'file'), status)


def text(result, status):
    blocks = []
    for finding in result.findings:
        where = finding.file if finding.line is None else '%s:%d' % (
            finding.file, finding.line)
        lines = ['%s %s %s (%s)' % (finding.severity.upper(), where,
                                    finding.option, finding.code)]
        lines += textwrap.wrap(finding.message, width=76,
                               initial_indent='    ',
                               subsequent_indent='    ',
                               break_on_hyphens=False)
        if finding.since:
            lines.append('    Since: Nova %s' % finding.since)
        if finding.fix:
            lines.append('    Fix:')
            lines += ['        ' + line for line in finding.fix.split('\n')]
        blocks.append('\n'.join(lines))
    blocks.append(summary_line(result, status))
    return printable('\n\n'.join(blocks))


def as_json(result, status):
    counts = findings.count(result.findings)
    return json.dumps({
        'format': FORMAT,
        'version': VERSION,
        'files': list(result.files),
        'findings': [f.as_dict() for f in result.findings],
        'summary': dict(counts, exit_status=status),
    }, indent=2, sort_keys=True)
