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

"""The audit's knowledge of Nova, checked against the installed Nova 34."""

import importlib.metadata
import os
import re
import subprocess
import sys
import warnings

from oslo_config import cfg

from nova_migration_ext.audit import checks_nova
from nova_migration_ext.audit import inifile
from nova_migration_ext.audit import nova_filters
from nova_migration_ext.tests.unit.audit import utils


def nova_conf():
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        import nova.conf
    return nova.conf.CONF


def registered(conf, group, name):
    if group == 'DEFAULT':
        return name in conf._opts
    return group in conf._groups and name in conf._groups[group]._opts


class TestNovaFacts(utils.AuditTestCase):

    def setUp(self):
        super().setUp()
        self.assertEqual('34.0.0', importlib.metadata.version('nova'))
        self.conf = nova_conf()

    def test_built_in_filter_list_is_nova_34s(self):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            from nova.scheduler import filters
            names = {cls.__name__ for cls in filters.all_filters()}
        self.assertEqual(names, set(nova_filters.NOVA34_FILTERS))
        self.assertEqual(names, nova_filters.nova_filter_names())

    def test_removed_filters_are_gone_and_defaults_exist(self):
        names = nova_filters.nova_filter_names()
        self.assertEqual(set(), set(nova_filters.REMOVED) & names)
        self.assertEqual(set(), set(nova_filters.DEFAULT_ENABLED) - names)
        options = self.conf._groups['filter_scheduler']._opts
        self.assertEqual(list(nova_filters.DEFAULT_ENABLED),
                         options['enabled_filters']['opt'].default)
        self.assertEqual(list(nova_filters.DEFAULT_AVAILABLE),
                         options['available_filters']['opt'].default)
        self.assertIsInstance(options['available_filters']['opt'],
                              cfg.MultiStrOpt)

    def test_moved_options_land_on_real_options(self):
        for old, (group, name) in checks_nova.MOVED.items():
            self.assertFalse(registered(self.conf, 'DEFAULT', old), old)
            self.assertTrue(registered(self.conf, group, name),
                            (old, group, name))

    def test_gone_and_remaining_default_scheduler_options(self):
        for old in checks_nova.GONE:
            self.assertFalse(registered(self.conf, 'DEFAULT', old), old)
        self.assertFalse(registered(self.conf, 'scheduler', 'driver'))
        self.assertFalse(registered(self.conf, 'scheduler',
                                    'periodic_task_interval'))
        self.assertEqual(
            set(checks_nova.DEFAULT_SCHEDULER_OPTIONS),
            {n for n in self.conf._opts if n.startswith('scheduler_')})

    def test_libvirt_options_the_audit_reads_or_suggests(self):
        for name in ('live_migration_tunnelled',
                     'live_migration_with_native_tls',
                     'live_migration_scheme', 'live_migration_uri',
                     'live_migration_inbound_addr', 'connection_uri',
                     'live_migration_permit_post_copy',
                     'live_migration_permit_auto_converge'):
            self.assertTrue(registered(self.conf, 'libvirt', name), name)
        for name in ('live_migration_flag', 'block_migration_flag'):
            self.assertFalse(registered(self.conf, 'libvirt', name), name)
        for name in ('allow_resize_to_same_host', 'ram_allocation_ratio',
                     'cpu_allocation_ratio', 'disk_allocation_ratio'):
            self.assertTrue(registered(self.conf, 'DEFAULT', name), name)
        opts = self.conf._groups['libvirt']._opts
        self.assertTrue(opts['live_migration_tunnelled']['opt']
                        .deprecated_for_removal)
        self.assertTrue(opts['live_migration_uri']['opt']
                        .deprecated_for_removal)

    def test_our_filter_names_are_the_loaded_classes_names(self):
        from nova_migration_ext import filters
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            classes = filters.all_filters()
        self.assertEqual({cls.__name__ for cls in classes},
                         nova_filters.our_filter_names())

    def test_clean_fixture_reads_the_same_in_nova(self):
        path = utils.fixture('clean/nova.conf')
        conf = cfg.ConfigOpts()
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            import nova.conf.scheduler
        nova.conf.scheduler.register_opts(conf)
        conf(['--config-file', path], project='audit-test',
             default_config_files=[], default_config_dirs=[])
        ours = inifile.NovaConfig.load([('file', path)])
        self.assertEqual(
            conf.filter_scheduler.enabled_filters,
            checks_nova._LIST(ours.last('filter_scheduler',
                                        'enabled_filters').value))
        self.assertEqual(
            conf.filter_scheduler.available_filters,
            [a.value for a in ours.assignments('filter_scheduler',
                                               'available_filters')])
        self.assertIn('MigrationAggregateFilter',
                      conf.filter_scheduler.enabled_filters)


class TestNovaSampleConfig(utils.AuditTestCase):
    """Nova's own sample nova.conf, as oslo-config-generator writes it."""

    def setUp(self):
        super().setUp()
        self.sample = os.path.join(self.tmp, 'nova.conf.sample')
        subprocess.run(
            [sys.executable, '-W', 'ignore', '-m', 'oslo_config.generator',
             '--namespace', 'nova.conf', '--output-file', self.sample],
            check=True, capture_output=True, timeout=300)

    def test_sample_has_no_findings(self):
        status, out, err = self.audit('--strict', '--nova-conf', self.sample)
        self.assertEqual((0, ''), (status, err))
        self.assertIn('no findings', out)

    def test_every_default_uncommented_has_no_errors(self):
        with open(self.sample) as stream:
            text = re.sub(r'(?m)^#([a-z_0-9]+ = )', r'\1', stream.read())
        path = self.write('nova.conf', text)
        status, report = self.audit_json('--nova-conf', path)
        self.assertEqual(0, report['summary']['error'],
                         [f for f in report['findings']
                          if f['severity'] == 'error'])
