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
"""etc/nova-migration-ext-scheduler.conf, read as nova-scheduler reads it."""

import os
import shutil

import fixtures
from oslotest import base

from nova_migration_ext import filters
from nova_migration_ext.tests.unit import scheduler_config

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__),
                                    os.pardir, os.pardir, os.pardir))
SNIPPET = os.path.join(ROOT, 'etc', 'nova-migration-ext-scheduler.conf')


class SchedulerSnippetTest(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        tmp = self.useFixture(fixtures.TempDir()).path
        self.nova_conf = os.path.join(tmp, 'nova.conf')
        self.conf_d = os.path.join(tmp, 'nova.conf.d')
        os.mkdir(self.conf_d)
        shutil.copy(SNIPPET, self.conf_d)

    def write_nova_conf(self, text):
        with open(self.nova_conf, 'w') as f:
            f.write(text)

    def test_dropped_into_nova_conf_d(self):
        self.write_nova_conf('[DEFAULT]\ndebug = True\n')
        loaded = scheduler_config.enabled_filter_classes(
            [self.nova_conf], [self.conf_d])
        _available, nova_enabled = scheduler_config.nova_defaults()
        # Nova's defaults first, unchanged, then our four classes as
        # all_filters() loads them.
        self.assertEqual(nova_enabled,
                         [cls.__name__ for cls in loaded[:len(nova_enabled)]])
        self.assertEqual(sorted(filters.all_filters(), key=str),
                         sorted(loaded[len(nova_enabled):], key=str))

    def test_overrides_enabled_filters_of_nova_conf(self):
        # As the snippet warns: a nova.conf.d file wins over nova.conf for
        # the single-valued enabled_filters, while the multi-valued
        # available_filters adds up (Nova's line twice is harmless).
        self.write_nova_conf('[filter_scheduler]\n'
                             'available_filters = '
                             'nova.scheduler.filters.all_filters\n'
                             'enabled_filters = ComputeFilter\n')
        options = scheduler_config.load([self.nova_conf], [self.conf_d])
        self.assertEqual(['nova.scheduler.filters.all_filters',
                          'nova.scheduler.filters.all_filters',
                          'nova_migration_ext.filters.all_filters'],
                         options.filter_scheduler.available_filters)
        loaded = scheduler_config.enabled_filter_classes(
            [self.nova_conf], [self.conf_d])
        self.assertEqual(
            ['ComputeFilter', 'ComputeCapabilitiesFilter',
             'ImagePropertiesFilter', 'ServerGroupAntiAffinityFilter',
             'ServerGroupAffinityFilter', 'MigrationAggregateFilter',
             'MigrationRamFilter', 'HypervisorVersionFilter',
             'SharedStorageFilter', 'CpuCompatibilityFilter'],
            [cls.__name__ for cls in loaded])
