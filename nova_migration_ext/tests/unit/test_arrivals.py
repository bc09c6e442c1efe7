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

"""RAM arriving by live migration that a host's report does not count."""

import datetime

import testtools

from nova_migration_ext import arrivals
from nova_migration_ext.rules import ram

REPORT = datetime.datetime(2026, 12, 5, 12, 0, 0)
UTC = datetime.timezone.utc


def at(seconds):
    return REPORT + datetime.timedelta(seconds=seconds)


class UnreportedTest(testtools.TestCase):

    def setUp(self):
        super().setUp()
        self.arriving = arrivals.Arrivals(
            by_node={('tight', 'tight'): (
                arrivals.Arrival(1024, at(-30)),   # in the report
                arrivals.Arrival(2048, at(30)),    # after it
                arrivals.Arrival(512, at(30).replace(tzinfo=UTC)))},
            by_provider={'rp-tight': (
                # Destination chosen, not recorded yet.
                arrivals.Arrival(256, source_host='src'),)})

    def test_what_the_report_cannot_have_seen(self):
        self.assertEqual(2048 + 512 + 256, self.arriving.unreported_mb(
            'tight', 'tight', 'rp-tight', REPORT))

    def test_an_aware_report_time_compares(self):
        self.assertEqual(2048 + 512 + 256, self.arriving.unreported_mb(
            'tight', 'tight', 'rp-tight', REPORT.replace(tzinfo=UTC)))

    def test_no_report_time_counts_everything(self):
        self.assertEqual(1024 + 2048 + 512 + 256, self.arriving.unreported_mb(
            'tight', 'tight', 'rp-tight', None))

    def test_other_hosts_and_the_source_get_nothing(self):
        self.assertEqual(0, self.arriving.unreported_mb(
            'roomy', 'roomy', 'rp-roomy', REPORT))
        self.assertEqual(0, arrivals.Arrivals(by_provider={
            'rp-src': (arrivals.Arrival(256, source_host='src'),)}
        ).unreported_mb('src', 'src', 'rp-src', REPORT))


class RoomWithArrivalsTest(testtools.TestCase):

    def test_arrivals_are_used_ram_and_said_so(self):
        # 3072 x 1.0 - 512 reported used - 2048 arriving = 512 < 1024.
        result = ram.room_for(1024, 3072, 2560, 1.5, ratio_cap=1.0,
                              arriving_mb=2048)
        self.assertFalse(result.ok)
        self.assertEqual('usable RAM 512 MB < 1024 MB needed (3072 MB x '
                         'ratio 1 - 2560 MB used, of which 2048 MB arriving '
                         'by live migration)', result.reason)
        self.assertTrue(ram.room_for(1024, 3072, 2560, 1.5, ratio_cap=1.0,
                                     arriving_mb=1024).ok)

    def test_mem_available_minus_arrivals(self):
        result = ram.mem_available_for(1024, 3000, arriving_mb=2048)
        self.assertEqual('MemAvailable 3000 MB - 2048 MB arriving < 1024 MB '
                         'needed', result.reason)
        self.assertTrue(ram.mem_available_for(1024, 3072,
                                              arriving_mb=2048).ok)
