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

"""The demo's moves: explain each, compare with stock Nova, then move;
and a drain of a host.

Each server starts on 'source'. For each move the demo prints the explain
table, the host Nova's default filters alone would pick, then makes the
move through the API with no host given and shows where it landed.
"""

import dataclasses
import textwrap

from nova_migration_ext.demo import cloud
from nova_migration_ext.demo import draining
from nova_migration_ext.explain import render
from nova_migration_ext.explain import run
from nova_migration_ext import operations

FLAVOR = '2'  # m1.small: 2 GB of RAM


@dataclasses.dataclass(frozen=True)
class Move:
    server: str
    operation: str
    title: str
    # What going where stock Nova would go costs, when ours go elsewhere.
    stakes: str


MOVES = (
    Move('vm-live', operations.LIVE, 'Live migration of vm-live',
         'Outside its storage domain a live migration must copy the whole '
         'disk (block migration), where that is allowed at all.'),
    Move('vm-cold', operations.COLD, 'Cold migration of vm-cold',
         'Nova itself checks no QEMU version on a cold migration.'),
    Move('vm-evac', operations.EVACUATE, 'Evacuation of vm-evac',
         'Evacuated outside its storage domain, a server is rebuilt from '
         'its image: its disk is lost.'),
)


def play(nova, out):
    """The demo, on the DemoCloud ``nova``; fails the case on a surprise."""
    write = _writer(out)
    _introduce(write)
    servers = {move.server: nova._create_server(
                   name=move.server, host='source', flavor_id=FLAVOR,
                   networks='none')
               for move in MOVES}
    for number, move in enumerate(MOVES, 1):
        server = servers[move.server]
        if move.operation == operations.EVACUATE:
            # Before the source goes down: the drain needs it.
            title = '%d. Drain of host %s' % (number, draining.HOST)
            write('', title, '-' * len(title))
            draining.play(nova, write)
            number += 1
        title = '%d. %s' % (number, move.title)
        write('', title, '-' * len(title))
        if move.operation == operations.EVACUATE:
            nova.force_down('source')
            write('The compute service on source is stopped and forced '
                  'down.')
        write('$ nova-migration-ext explain %s --operation %s'
              % (server['id'], move.operation), '')
        ours = run.explain(server['id'], move.operation)
        write(*('  ' + line if line else ''
                for line in render.as_table(ours).splitlines()))
        stock = _stock_explain(server['id'], move.operation)
        write('', *_compare(ours, stock, move))
        landed = _make(nova, server, move.operation)
        write('Through the API, with no host given: %s is now on %s.'
              % (move.server, landed))
        if landed not in ours.pick_among:
            nova.fail('%s landed on %s, not on %s as explained'
                      % (move.server, landed, ' or '.join(ours.pick_among)))
    write('', 'Every move landed where explain said it would, and the drain '
          'emptied %s.' % draining.HOST)


def _writer(out):
    def write(*lines):
        out.write(''.join(line + '\n' for line in lines))
        out.flush()
    return write


def _introduce(write):
    names = max(len(host.name) for host in cloud.FLEET)
    write('nova-migration-ext demo: Nova 34 in this process (API, '
          'conductor, scheduler,',
          'placement) and %d fake QEMU compute hosts, RAM allocation ratio '
          '%g on each.' % (len(cloud.FLEET), cloud.RAM_ALLOCATION_RATIO), '',
          '  %s  QEMU   RAM    STORAGE  DOMAIN' % 'HOST'.ljust(names))
    for host in cloud.FLEET:
        write('  %s  %s  %2d GB  %-7s  %-6s  %s' % (
            host.name.ljust(names), host.qemu, host.ram_gb, host.storage,
            host.domain, host.note))
    write('', 'enabled_filters: Nova\'s defaults, then ours:')
    write(*_wrapped(cloud.nova_default('enabled_filters') +
                    cloud.OUR_FILTERS))
    write('weighers: Nova\'s defaults (%s).'
          % ', '.join(cloud.nova_default('weight_classes')),
          '[migration_ext] live_migration_ram_allocation_ratio = 1.0 (the '
          'default).',
          'Servers %s (m1.small, 2 GB) start on source.'
          % ', '.join(move.server for move in MOVES))


def _wrapped(names, width=76):
    lines = ['']
    for name in names:
        if lines[-1] and len(lines[-1]) + len(name) + 2 > width:
            lines.append('')
        lines[-1] += ('  ' if not lines[-1] else ' ') + name + ','
    lines[-1] = lines[-1].rstrip(',')
    return lines


def _stock_explain(server_uuid, operation):
    """explain with Nova's default filters, and so without our placement
    narrowing, which applies only when our filters are enabled.
    """
    from nova_migration_ext import conf

    stock_filters = cloud.nova_default('enabled_filters')
    ours = conf.CONF.filter_scheduler.enabled_filters
    conf.CONF.set_override('enabled_filters', stock_filters,
                           group='filter_scheduler')
    try:
        return run.explain(server_uuid, operation,
                           enabled_filters=stock_filters)
    finally:
        conf.CONF.set_override('enabled_filters', ours,
                               group='filter_scheduler')


def _compare(ours, stock, move):
    """What stock Nova's filters would pick, beside ours."""
    line = ('Stock Nova (its default filters, without ours) would pick: %s'
            % (stock.pick or 'no host'))
    if stock.pick == ours.pick:
        return [line + ', the same host.']
    lines = [line + '.']
    if stock.pick:
        lines.extend('  %s there: %s' % (result.name, result.reason)
                     for result in ours.host(stock.pick).rejections)
        lines.extend(textwrap.wrap(move.stakes, 78, initial_indent='  ',
                                   subsequent_indent='  '))
    return lines


def _make(nova, server, operation):
    """Make the move through the API; the host the server is on after."""
    if operation == operations.LIVE:
        server = nova._live_migrate(server)
    elif operation == operations.COLD:
        nova._migrate_server(server)
        server = nova._confirm_resize(server)
    else:
        server = nova._evacuate_server(server)
    return server['OS-EXT-SRV-ATTR:host']
