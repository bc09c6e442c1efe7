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

"""An explain report as a terminal table or as JSON."""

import json

from nova_migration_ext import operations

PASS = '.'
FAIL = 'X'
TITLES = {
    operations.LIVE: 'Live migration',
    operations.COLD: 'Cold migration',
    operations.RESIZE: 'Resize',
    operations.EVACUATE: 'Evacuation',
}


def as_json(report):
    return json.dumps(report.to_dict(), indent=2, sort_keys=True)


def as_table(report):
    """Hosts as rows, one column per filter, then the reasons."""
    lines = _heading(report)
    lines.append('')
    lines.extend(_legend(report))
    lines.append('')
    lines.extend(_grid(report))
    reasons = _reasons(report)
    if reasons:
        lines.append('')
        lines.append('Why:')
        lines.extend(reasons)
    lines.append('')
    lines.extend(_verdict(report))
    return '\n'.join(lines)


def _heading(report):
    source = report.source
    where = [source['hypervisor']]
    if source['storage_domains']:
        where.append('storage %s' % ','.join(source['storage_domains']))
    if source['migration_domains']:
        where.append('migration domain %s'
                     % ','.join(source['migration_domains']))
    lines = ['%s of server %s (flavor %s)' % (
        TITLES[report.operation], report.server, report.flavor),
        'from %s: %s' % (source['host'], ', '.join(where))]
    if report.requested_host:
        lines.append('requested host: %s' % report.requested_host)
    return lines


def _legend(report):
    lines = ['Filters ([filter_scheduler] enabled_filters; %s passes, %s '
             'rejects):' % (PASS, FAIL)]
    for number, name in enumerate(report.filters, 1):
        idle = report.idle_filters.get(name)
        lines.append('  %2d %s%s' % (number, name,
                                     ' (%s)' % idle if idle else ''))
    return lines


def _grid(report):
    width = max([len('HOST')] + [len(h.host) for h in report.hosts])
    numbers = [str(n) for n in range(1, len(report.filters) + 1)]
    rows = [['HOST'.ljust(width), 'PLACEMENT', ' '.join(numbers),
             'WEIGHT'.rjust(7), 'RESULT']]
    for host in report.hosts:
        if host.skipped:
            marks = ' '.join(' ' * len(n) for n in numbers)
            placement = '-'
        else:
            marks = ' '.join(
                (PASS if result.passed else FAIL).rjust(len(number))
                for number, result in zip(numbers, host.filters))
            placement = 'yes' if host.candidate else 'no'
        weight = '%7.3f' % host.weight if host.weight is not None else (
            '-'.rjust(7))
        rows.append([host.host.ljust(width), placement.ljust(9), marks,
                     weight, _result(report, host)])
    return ['  '.join(row).rstrip() for row in rows]


def _result(report, host):
    if host.skipped:
        return 'skipped: %s' % host.skipped
    if host.rank is None:
        return 'rejected'
    if host.host == report.pick:
        return 'pick'
    return '#%d' % host.rank


def _reasons(report):
    width = max(len(h.host) for h in report.hosts)
    digits = len(str(len(report.filters)))
    lines = []
    for host in report.hosts:
        said = []
        if not host.skipped and not host.candidate:
            said.append('placement: %s' % host.placement_reason)
        for number, result in enumerate(host.filters, 1):
            if not result.passed:
                said.append('%*d %s: %s' % (digits, number, result.name,
                                            result.reason or 'rejected'))
            elif result.reason:
                said.append('%*d %s let it through: %s' % (
                    digits, number, result.name, result.reason))
        for index, text in enumerate(said):
            name = host.host if index == 0 else ''
            lines.append('  %s  %s' % (name.ljust(width), text))
    return lines


def _verdict(report):
    if report.pick is None:
        lines = ['Nova would pick: no host (NoValidHost)']
    else:
        lines = ['Nova would pick: %s' % report.pick]
    if report.pick_note:
        lines.append('  (%s: %s)' % (report.pick_note,
                                     ', '.join(report.pick_among)))
    lines.extend('Note: %s' % note for note in report.notes)
    return lines
