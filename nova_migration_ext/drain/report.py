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

"""A drain's plan and its outcome, as tables or JSON."""

import dataclasses
import json


PLAN_COLUMNS = ('INSTANCE', 'NAME', 'STATUS', 'MOVE', 'TO', 'REASON')
RESULT_COLUMNS = ('INSTANCE', 'NAME', 'MOVE', 'FROM', 'TO', 'RESULT',
                  'DURATION', 'REASON')


def plan_table(plan):
    rows = [(item.uuid, item.name, item.status, item.move or '-',
             item.destination or '-', item.reason)
            for item in plan.items]
    lines = ['Plan to drain %s: %d instance(s)'
             % (plan.host, len(plan.items))]
    if plan.service_disabled_reason is not None:
        lines.append('compute service already disabled: %s' % (
            plan.service_disabled_reason or 'no reason given'))
    lines.append('')
    lines.extend(_table(PLAN_COLUMNS, rows) if rows else ['  (no instance)'])
    lines.append('')
    lines.append(plan_verdict(plan))
    return '\n'.join(lines)


def plan_verdict(plan):
    if plan.unplaced:
        return ('Refused: %d instance(s) would have no destination once the '
                'others are placed: %s. Nothing was moved or disabled.' % (
                    len(plan.unplaced),
                    ', '.join(_label(i) for i in plan.unplaced)))
    if plan.needs_operator:
        return ('The host cannot be emptied: %d instance(s) need the '
                'operator first (%s); the others can move.' % (
                    len(plan.needs_operator),
                    ', '.join(_label(i) for i in plan.needs_operator)))
    return 'The host can be emptied: every instance has a destination.'


def outcome_table(host, outcomes, emptied, note=''):
    rows = [(o.instance, o.name, o.move or '-', o.source,
             o.destination or '-', _result(o), _duration(o.duration),
             o.reason) for o in outcomes]
    lines = ['Drain of %s' % host, '']
    lines.extend(_table(RESULT_COLUMNS, rows) if rows else ['  (no instance)'])
    lines.append('')
    if note:
        lines.append(note)
    lines.append('%s is empty.' % host if emptied
                 else '%s is not empty.' % host)
    return '\n'.join(lines)


def as_json(plan, outcomes=None, emptied=None):
    data = {'plan': plan.to_dict()}
    if outcomes is not None:
        data['result'] = [dataclasses.asdict(o) for o in outcomes]
        data['emptied'] = emptied
    return json.dumps(data, indent=2, sort_keys=True)


def _result(outcome):
    if outcome.result in ('still running', 'not started', 'skipped') and (
            outcome.now_on):
        return '%s (on %s, %s)' % (outcome.result, outcome.now_on,
                                   outcome.status)
    return outcome.result


def _duration(seconds):
    if seconds is None:
        return '-'
    minutes, seconds = divmod(int(round(seconds)), 60)
    return '%d:%02d' % (minutes, seconds)


def _label(item):
    return item.name or item.uuid


def _table(columns, rows):
    widths = [max([len(c)] + [len(str(r[i])) for r in rows])
              for i, c in enumerate(columns)]
    # The last column (the reason) is not padded.
    widths[-1] = 0
    out = ['  '.join(c.ljust(w) for c, w in zip(columns, widths)).rstrip()]
    for row in rows:
        out.append('  '.join(str(v).ljust(w)
                             for v, w in zip(row, widths)).rstrip())
    return out
