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

"""The demo's drain: empty host 'good' with ``nova-migration-ext drain``.

The command runs as an operator runs it, its compute API calls going
through openstacksdk to the embedded Nova. The fake driver's live
migrations are instant; here they copy their memory in steps, recorded on
the migration as libvirt's job monitor does, so the progress shows.
"""

import contextlib
import time

from nova_migration_ext.cmd import main
from nova_migration_ext.tests.functional import sdk

HOST = 'good'
COMMAND = ('drain', HOST, '--parallel', '2', '--poll-interval', '0.2')


def copying_memory(driver, steps=4, seconds=0.3):
    """Make ``driver``'s live migrations report memory copied in
    ``steps`` over ``steps * seconds``, then finish as before.
    """
    finish = driver.live_migration

    def live_migration(context, instance, dest, post_method, recover_method,
                       block_migration=False, migrate_data=None):
        migration = migrate_data.migration
        total = instance.flavor.memory_mb * 1024 * 1024
        for step in range(1, steps + 1):
            time.sleep(seconds)
            migration.memory_total = total
            migration.memory_processed = total * step // steps
            if step < steps:
                # Nova's API refuses to show a remaining count of 0.
                migration.memory_remaining = (total -
                                              migration.memory_processed)
            migration.save()
        return finish(context, instance, dest, post_method, recover_method,
                      block_migration, migrate_data)

    driver.live_migration = live_migration


def play(nova, write):
    """Boot two more servers on 'good', drain it, then undrain it."""
    running = nova._create_server(name='vm-web', host=HOST, flavor_id='2',
                                  networks='none')
    stopped = nova._create_server(name='vm-batch', host=HOST,
                                  flavor_id='2', networks='none')
    nova._stop_server(stopped)
    copying_memory(nova.computes[HOST].driver)
    nova.useFixture(sdk.ConnectTo(nova.admin_api))
    write('Servers on %s: vm-live (moved there above), vm-web (ACTIVE) and '
          'vm-batch (SHUTOFF).' % HOST, '',
          '$ nova-migration-ext %s' % ' '.join(COMMAND), '')
    status = _run(write, *COMMAND)
    if status != 0:
        nova.fail('drain of %s ended with status %d' % (HOST, status))
    for server in (running, stopped):
        if nova.host_of(server) == HOST:
            nova.fail('%s is still on %s' % (server['name'], HOST))
    write('', '$ nova-migration-ext undrain %s' % HOST)
    _run(write, 'undrain', HOST)


def _run(write, *argv):
    class Lines:
        """The command's stdout, through ``write``."""

        def __init__(self):
            self.pending = ''

        def write(self, text):
            self.pending += text
            *lines, self.pending = self.pending.split('\n')
            if lines:
                write(*('  ' + line if line else '' for line in lines))

        def flush(self):
            """Lines go out whole."""

    with contextlib.redirect_stdout(Lines()):
        return main.main(list(argv))
