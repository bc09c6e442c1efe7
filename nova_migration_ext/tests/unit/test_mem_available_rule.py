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
"""rules.ram.mem_available_for: real free memory for a live copy."""

import testtools

from nova_migration_ext.rules import ram


class MemAvailableForTest(testtools.TestCase):

    def test_enough(self):
        self.assertTrue(ram.mem_available_for(2048, '4096').ok)

    def test_exactly_enough_with_headroom(self):
        self.assertTrue(ram.mem_available_for(2048, '2560', 512).ok)

    def test_short_names_the_values(self):
        result = ram.mem_available_for(2048, '1024', 512)
        self.assertEqual(
            (False, 'MemAvailable 1024 MB < 2560 MB '
                    '(2048 MB + 512 MB headroom) needed'), result)

    def test_short_without_headroom(self):
        result = ram.mem_available_for(2048, 2047)
        self.assertEqual((False, 'MemAvailable 2047 MB < 2048 MB needed'),
                         result)

    def test_missing_or_garbage_mem_available_is_unknown(self):
        for value in (None, '', 'lots', 'nan', '-5', True, [], {}):
            result = ram.mem_available_for(512, value)
            self.assertIsNone(result.ok, value)
            self.assertIn('MemAvailable', result.reason)

    def test_garbage_request_is_unknown(self):
        for value in (None, 'big', -1):
            result = ram.mem_available_for(value, '4096')
            self.assertIsNone(result.ok, value)
            self.assertIn('instance RAM', result.reason)
