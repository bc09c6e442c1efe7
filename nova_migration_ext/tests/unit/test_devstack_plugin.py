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
"""devstack/plugin.sh, run phase by phase as stack.sh runs it.

Against a stand-in for devstack's ini functions (devstack/functions.sh
beside this file) on sample nova.conf files.
"""

import os
import subprocess

import fixtures
from oslo_config import cfg
from oslotest import base

from nova_migration_ext.tests.unit import scheduler_config

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, os.pardir, os.pardir, os.pardir))
STAND_IN = os.path.join(HERE, 'devstack', 'functions.sh')
SETTINGS = os.path.join(ROOT, 'devstack', 'settings')
PLUGIN = os.path.join(ROOT, 'devstack', 'plugin.sh')

NOVA_DEFAULTS = ['ComputeFilter', 'ComputeCapabilitiesFilter',
                 'ImagePropertiesFilter', 'ServerGroupAntiAffinityFilter',
                 'ServerGroupAffinityFilter']
OURS = ['MigrationAggregateFilter', 'MigrationRamFilter',
        'HypervisorVersionFilter', 'SharedStorageFilter',
        'CpuCompatibilityFilter']
NOVA_ALL = 'nova.scheduler.filters.all_filters'
OURS_ALL = 'nova_migration_ext.filters.all_filters'

# What devstack's lib/nova leaves in nova.conf before the post-config phase
# (abridged to the sections that matter here).
DEVSTACK_NOVA_CONF = """\
[DEFAULT]
debug = True
compute_driver = libvirt.LibvirtDriver
instances_path = /opt/stack/data/nova/instances

[filter_scheduler]
enabled_filters = ComputeFilter,ComputeCapabilitiesFilter,\
ImagePropertiesFilter,ServerGroupAntiAffinityFilter,\
ServerGroupAffinityFilter,SameHostFilter,DifferentHostFilter

[libvirt]
virt_type = qemu
"""

# Run like stack.sh: devstack's functions, then the plugin's settings, then
# plugin.sh sourced once per phase with the phase as its arguments.
DRIVER = """
set -o errexit
source "$STAND_IN"
source "$SETTINGS"
for phase in "$@"; do
    source "$PLUGIN" $phase
done
"""


def parse(path):
    """The file as oslo.config reads it: {section: {option: [values]}}."""
    sections = {}
    cfg.ConfigParser(path, sections).parse()
    return sections


class DevstackTestCase(base.BaseTestCase):

    def setUp(self):
        super().setUp()
        self.tmp = self.useFixture(fixtures.TempDir()).path
        self.nova_conf = os.path.join(self.tmp, 'nova.conf')
        self.nova_cpu_conf = os.path.join(self.tmp, 'nova-cpu.conf')
        self.calls = os.path.join(self.tmp, 'calls')
        self.env = {
            'PATH': os.environ.get('PATH', '/usr/bin:/bin'),
            'STAND_IN': STAND_IN,
            'SETTINGS': SETTINGS,
            'PLUGIN': PLUGIN,
            'DEST': '/opt/stack',
            'NOVA_CONF': self.nova_conf,
            'NOVA_CPU_CONF': self.nova_cpu_conf,
            'DEVSTACK_CALLS': self.calls,
            'ENABLED_SERVICES': 'key,n-api,n-cond,n-sch,n-cpu,placement-api',
            'VIRT_DRIVER': 'libvirt',
        }

    def write(self, path, text):
        with open(path, 'w') as f:
            f.write(text)

    def read(self, path):
        with open(path) as f:
            return f.read()

    def run_phases(self, *phases, **variables):
        env = dict(self.env, **variables)
        return subprocess.run(
            ['bash', '-c', DRIVER, 'devstack'] + list(phases), env=env,
            capture_output=True, text=True, check=False)

    def stack(self, *phases, **variables):
        result = self.run_phases(*phases, **variables)
        self.assertEqual(0, result.returncode, result.stderr)
        return result

    def post_config_twice(self, **variables):
        """Run post-config twice; the second run must change nothing."""
        self.stack('stack post-config', **variables)
        first = {path: self.read(path)
                 for path in (self.nova_conf, self.nova_cpu_conf)
                 if os.path.exists(path)}
        self.stack('stack post-config', **variables)
        for path, text in first.items():
            self.assertEqual(text, self.read(path),
                             '%s changed on the second run' % path)


class SchedulerConfigTest(DevstackTestCase):

    def test_devstack_nova_conf(self):
        self.write(self.nova_conf, DEVSTACK_NOVA_CONF)
        self.post_config_twice()
        self.assertEqual({
            'DEFAULT': {
                'debug': ['True'],
                'compute_driver': ['libvirt.LibvirtDriver'],
                'instances_path': ['/opt/stack/data/nova/instances'],
            },
            'filter_scheduler': {
                'available_filters': [NOVA_ALL, OURS_ALL],
                'enabled_filters': [','.join(
                    NOVA_DEFAULTS + ['SameHostFilter', 'DifferentHostFilter']
                    + OURS)],
            },
            'libvirt': {'virt_type': ['qemu']},
        }, parse(self.nova_conf))
        # nova-scheduler would start: every enabled filter is found through
        # available_filters, by Nova's own loading code.
        loaded = scheduler_config.enabled_filter_classes([self.nova_conf])
        self.assertEqual(OURS, [cls.__name__ for cls in loaded[-len(OURS):]])

    def test_no_filter_section_starts_from_nova_defaults(self):
        self.write(self.nova_conf, '[DEFAULT]\ndebug = True\n')
        self.post_config_twice()
        self.assertEqual({
            'available_filters': [NOVA_ALL, OURS_ALL],
            'enabled_filters': [','.join(NOVA_DEFAULTS + OURS)],
        }, parse(self.nova_conf)['filter_scheduler'])
        scheduler_config.enabled_filter_classes([self.nova_conf])

    def test_settings_know_nova_defaults(self):
        result = subprocess.run(
            ['bash', '-c', 'source "$STAND_IN"; source "$SETTINGS"; '
             'echo "$MIGRATION_EXT_NOVA_AVAILABLE_FILTERS"; '
             'echo "$MIGRATION_EXT_NOVA_DEFAULT_FILTERS"'],
            env=self.env, capture_output=True, text=True, check=True)
        available, enabled = result.stdout.splitlines()
        nova_available, nova_enabled = scheduler_config.nova_defaults()
        self.assertEqual(nova_available, [available])
        self.assertEqual(nova_enabled, enabled.split(','))

    def test_other_available_filters_are_kept(self):
        self.write(self.nova_conf,
                   '[filter_scheduler]\n'
                   'available_filters = %s\n'
                   'available_filters = nova.scheduler.filters.all_filters\n'
                   'enabled_filters = ComputeFilter, ImagePropertiesFilter\n'
                   % 'nova.scheduler.filters.compute_filter.ComputeFilter')
        self.post_config_twice()
        self.assertEqual({
            'available_filters': [
                'nova.scheduler.filters.compute_filter.ComputeFilter',
                NOVA_ALL, OURS_ALL],
            'enabled_filters': [','.join(
                ['ComputeFilter', 'ImagePropertiesFilter'] + OURS)],
        }, parse(self.nova_conf)['filter_scheduler'])

    def test_aggregate_extra_specs_filter_is_replaced_in_place(self):
        self.write(self.nova_conf,
                   '[filter_scheduler]\n'
                   'enabled_filters = AggregateInstanceExtraSpecsFilter,'
                   'ComputeFilter,MigrationRamFilter\n')
        self.post_config_twice()
        self.assertEqual(
            ['MigrationAggregateFilter,ComputeFilter,MigrationRamFilter,'
             'HypervisorVersionFilter,SharedStorageFilter,'
             'CpuCompatibilityFilter'],
            parse(self.nova_conf)['filter_scheduler']['enabled_filters'])
        scheduler_config.enabled_filter_classes([self.nova_conf])

    def test_options_from_devstack_variables(self):
        self.write(self.nova_conf, DEVSTACK_NOVA_CONF)
        self.post_config_twice(
            MIGRATION_EXT_ON_LOOKUP_ERROR='reject',
            MIGRATION_EXT_LIVE_RAM_RATIO='1.5',
            MIGRATION_EXT_RAM_HEADROOM_MB='512',
            MIGRATION_EXT_RAM_CHECK_OPERATIONS='boot,live,cold',
            MIGRATION_EXT_SHARED_STORAGE_OPERATIONS='live,evacuate,cold',
            MIGRATION_EXT_HYPERVISOR_VERSION_OPERATIONS='live')
        self.assertEqual({
            'on_lookup_error': ['reject'],
            'live_migration_ram_allocation_ratio': ['1.5'],
            'ram_headroom_mb': ['512'],
            'ram_check_operations': ['boot,live,cold'],
            'shared_storage_operations': ['live,evacuate,cold'],
            'hypervisor_version_operations': ['live'],
        }, parse(self.nova_conf)['migration_ext'])
        options = scheduler_config.migration_ext_options([self.nova_conf])
        self.assertEqual('reject', options.on_lookup_error)
        self.assertEqual(1.5, options.live_migration_ram_allocation_ratio)
        self.assertEqual(512, options.ram_headroom_mb)
        self.assertEqual(['boot', 'live', 'cold'],
                         options.ram_check_operations)

    def test_unset_variables_write_no_options(self):
        self.write(self.nova_conf, DEVSTACK_NOVA_CONF)
        self.stack('stack post-config')
        self.assertNotIn('migration_ext', parse(self.nova_conf))

    def test_bad_variable_is_refused_before_anything_is_written(self):
        self.write(self.nova_conf, DEVSTACK_NOVA_CONF)
        for variable, value, expected in [
                ('MIGRATION_EXT_ON_LOOKUP_ERROR', 'maybe', 'pass or reject'),
                ('MIGRATION_EXT_RAM_HEADROOM_MB', '-5', 'whole number'),
                ('MIGRATION_EXT_LIVE_RAM_RATIO', 'one', 'a number'),
                ('MIGRATION_EXT_SHARED_STORAGE_OPERATIONS', 'live,boot',
                 'live,cold,resize,evacuate,unshelve')]:
            result = self.run_phases('stack post-config', **{variable: value})
            self.assertEqual(1, result.returncode)
            self.assertEqual(1, len(result.stderr.splitlines()),
                             result.stderr)
            self.assertIn('%s=%s is not a valid' % (variable, value),
                          result.stderr)
            self.assertIn(expected, result.stderr)
            self.assertEqual(DEVSTACK_NOVA_CONF, self.read(self.nova_conf))

    def test_compute_only_node_leaves_scheduler_options_alone(self):
        self.write(self.nova_conf, DEVSTACK_NOVA_CONF)
        self.stack('stack post-config', ENABLED_SERVICES='n-cpu',
                   MIGRATION_EXT_ON_LOOKUP_ERROR='reject')
        self.assertEqual(DEVSTACK_NOVA_CONF, self.read(self.nova_conf))


class ComputeDriverTest(DevstackTestCase):

    def test_switches_the_libvirt_driver_in_both_files(self):
        self.write(self.nova_conf, DEVSTACK_NOVA_CONF)
        self.write(self.nova_cpu_conf,
                   '[DEFAULT]\ncompute_driver = libvirt.LibvirtDriver\n')
        self.post_config_twice(MIGRATION_EXT_COMPUTE_DRIVER='True')
        for path in (self.nova_conf, self.nova_cpu_conf):
            self.assertEqual(['migration_ext.LibvirtDriver'],
                             parse(path)['DEFAULT']['compute_driver'])

    def test_off_by_default(self):
        self.write(self.nova_cpu_conf,
                   '[DEFAULT]\ncompute_driver = libvirt.LibvirtDriver\n')
        self.write(self.nova_conf, DEVSTACK_NOVA_CONF)
        self.stack('stack post-config')
        self.assertEqual(
            ['libvirt.LibvirtDriver'],
            parse(self.nova_cpu_conf)['DEFAULT']['compute_driver'])

    def test_other_virt_driver_is_left_alone_with_a_warning(self):
        text = '[DEFAULT]\ncompute_driver = fake.FakeDriver\n'
        self.write(self.nova_cpu_conf, text)
        self.write(self.nova_conf, text)
        result = self.stack('stack post-config', VIRT_DRIVER='fake',
                            ENABLED_SERVICES='n-cpu',
                            MIGRATION_EXT_COMPUTE_DRIVER='True')
        self.assertIn("needs VIRT_DRIVER=libvirt, not 'fake'", result.stderr)
        self.assertEqual(text, self.read(self.nova_cpu_conf))
        self.assertEqual(text, self.read(self.nova_conf))


class PhasesTest(DevstackTestCase):

    def test_install_sets_up_the_checkout(self):
        self.stack('stack install')
        self.assertEqual('setup_develop /opt/stack/nova-migration-ext\n',
                         self.read(self.calls))

    def test_other_phases_are_harmless(self):
        self.write(self.nova_conf, DEVSTACK_NOVA_CONF)
        self.stack('stack pre-install', 'stack extra', 'stack test-config',
                   'unstack', 'clean')
        self.assertEqual(DEVSTACK_NOVA_CONF, self.read(self.nova_conf))
        self.assertFalse(os.path.exists(self.calls))

    def test_nodes_without_nova_services_are_untouched(self):
        self.write(self.nova_conf, DEVSTACK_NOVA_CONF)
        self.stack('stack install', 'stack post-config',
                   ENABLED_SERVICES='key,g-api,c-vol')
        self.assertEqual(DEVSTACK_NOVA_CONF, self.read(self.nova_conf))
        self.assertFalse(os.path.exists(self.calls))


class StandInSemanticsTest(DevstackTestCase):
    """The stand-in behaves as devstack's inc/ini-config.

    On the cases the plugin depends on, as devstack's own tests state them.
    """

    SAMPLE = ('[aaa]\n# handlers=cc\nhandlers = aa, bb\n\n'
              '[eee]\nmulti = foo1\nmulti = foo2\n')

    def ini(self, script, text=SAMPLE):
        self.write(self.nova_conf, text)
        result = subprocess.run(
            ['bash', '-c', 'set -e; source "$STAND_IN"; ' + script],
            env=self.env, capture_output=True, text=True, check=True)
        return result.stdout, self.read(self.nova_conf)

    def test_iniget(self):
        out, _ = self.ini('iniget "$NOVA_CONF" aaa handlers; '
                          'iniget "$NOVA_CONF" aaa missing; '
                          'iniget "$NOVA_CONF" zzz handlers')
        self.assertEqual('aa, bb\n\n\n', out)

    def test_iniset_replaces_keeping_the_separator(self):
        _, text = self.ini('iniset "$NOVA_CONF" aaa handlers "11, 22"')
        self.assertEqual(self.SAMPLE.replace('aa, bb', '11, 22'), text)

    def test_iniset_inserts_after_the_header(self):
        _, text = self.ini('iniset "$NOVA_CONF" eee new 1')
        self.assertEqual(self.SAMPLE.replace('[eee]\n', '[eee]\nnew = 1\n'),
                         text)

    def test_iniset_appends_a_missing_section(self):
        _, text = self.ini('iniset "$NOVA_CONF" fff opt 1')
        self.assertEqual(self.SAMPLE + '\n[fff]\nopt = 1\n', text)

    def test_iniset_creates_a_missing_file(self):
        subprocess.run(['bash', '-c', 'source "$STAND_IN"; '
                        'iniset "$NOVA_CONF" test foo bar'],
                       env=self.env, check=True)
        self.assertEqual('\n[test]\nfoo = bar\n', self.read(self.nova_conf))

    def test_multiline(self):
        out, text = self.ini('iniget_multiline "$NOVA_CONF" eee multi; '
                             'iniadd "$NOVA_CONF" eee multi foo3; '
                             'iniadd "$NOVA_CONF" eee other x y; '
                             'iniget_multiline "$NOVA_CONF" eee multi')
        self.assertEqual('foo1 foo2\nfoo1 foo2 foo3\n', out)
        self.assertEqual({'multi': ['foo1', 'foo2', 'foo3'],
                          'other': ['x', 'y']},
                         parse(self.nova_conf)['eee'])

    def test_iniadd_creates_the_section(self):
        _, text = self.ini('iniadd "$NOVA_CONF" new opt a b')
        self.assertEqual(self.SAMPLE + '\n[new]\nopt = a\nopt = b\n', text)

    def test_inidelete(self):
        _, text = self.ini('inidelete "$NOVA_CONF" eee multi')
        self.assertEqual(self.SAMPLE.replace('multi = foo1\nmulti = foo2\n',
                                             ''), text)
