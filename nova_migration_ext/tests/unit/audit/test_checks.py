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

"""What each check reports, seen through the CLI's JSON output."""

from nova_migration_ext.tests.unit.audit import utils

OUR_SNIPPET = ('[filter_scheduler]\n'
               'available_filters = nova.scheduler.filters.all_filters\n'
               'available_filters = nova_migration_ext.filters.all_filters')


class CheckTestCase(utils.AuditTestCase):

    def setUp(self):
        super().setUp()
        self.use_fake_flags()

    def nova(self, text, *more):
        path = self.write('nova.conf', text)
        status, report = self.audit_json('--nova-conf', path, *more)
        return status, report['findings']

    def libvirt(self, text, *more):
        path = self.write('libvirtd.conf', text)
        status, report = self.audit_json('--libvirtd-conf', path, *more)
        return status, report['findings']

    def codes(self, found):
        return [(f['severity'], f['code'], f['line']) for f in found]


class TestSchedulerFilters(CheckTestCase):

    def test_our_filters_without_our_provider(self):
        status, found = self.nova(
            '[filter_scheduler]\n'
            'available_filters = nova.scheduler.filters.all_filters\n'
            'enabled_filters = ComputeFilter,\n'
            '    MigrationRamFilter,SharedStorageFilter\n')
        self.assertEqual(2, status)
        self.assertEqual([('error', 'nova.our-filters-unavailable', 4)],
                         self.codes(found))
        self.assertEqual(OUR_SNIPPET, found[0]['fix'])
        self.assertIn('MigrationRamFilter, SharedStorageFilter are enabled',
                      found[0]['message'])

    def test_our_filters_with_nova_default_provider_only(self):
        status, found = self.nova(
            '[filter_scheduler]\n'
            'enabled_filters = ComputeFilter,MigrationAggregateFilter\n')
        self.assertEqual([('error', 'nova.our-filters-unavailable', 2)],
                         self.codes(found))
        self.assertEqual(OUR_SNIPPET, found[0]['fix'])

    def test_our_provider_alone_hides_novas_filters(self):
        status, found = self.nova(
            '[filter_scheduler]\n'
            'available_filters = nova_migration_ext.filters.all_filters\n')
        self.assertEqual([('error', 'nova.filter-unavailable', 2)],
                         self.codes(found))
        self.assertIn('ComputeFilter, ComputeCapabilitiesFilter',
                      found[0]['message'])
        self.assertEqual(OUR_SNIPPET, found[0]['fix'])

    def test_both_aggregate_filters(self):
        status, found = self.nova(
            '[filter_scheduler]\n'
            'available_filters = nova.scheduler.filters.all_filters\n'
            'available_filters = nova_migration_ext.filters.all_filters\n'
            'enabled_filters = AggregateInstanceExtraSpecsFilter,'
            'MigrationAggregateFilter,ComputeFilter\n')
        self.assertEqual(0, status)
        self.assertEqual([('warning', 'nova.double-aggregate-match', 4)],
                         self.codes(found))
        self.assertEqual('[filter_scheduler]\nenabled_filters = '
                         'MigrationAggregateFilter,ComputeFilter',
                         found[0]['fix'])

    def test_removed_filter_on_a_continuation_line(self):
        status, found = self.nova(
            '[filter_scheduler]\n'
            'enabled_filters = ComputeFilter,\n'
            '    RetryFilter,\n'
            '    AggregateCoreFilter\n')
        self.assertEqual([('error', 'nova.filter-removed', 3),
                          ('error', 'nova.filter-removed', 4)],
                         self.codes(found))
        self.assertEqual(['22.0.0 (Victoria)'] * 2,
                         [f['since'] for f in found])
        self.assertIn('SchedulerHostFilterNotFound', found[0]['message'])
        self.assertIn('cpu_allocation_ratio', found[1]['message'])
        self.assertTrue(found[1]['fix'].endswith(
            '\nenabled_filters = ComputeFilter'))

    def test_inline_comment_is_part_of_the_value(self):
        status, found = self.nova(
            '[filter_scheduler]\n'
            'enabled_filters = ComputeFilter  # the one we need\n')
        self.assertEqual([('error', 'nova.filter-unknown', 2)],
                         self.codes(found))
        self.assertIn("'ComputeFilter  # the one we need'",
                      found[0]['message'])
        self.assertIn('no inline comments', found[0]['message'])

    def test_filter_of_a_provider_the_audit_cannot_see(self):
        status, found = self.nova(
            '[filter_scheduler]\n'
            'available_filters = nova.scheduler.filters.all_filters\n'
            'available_filters = blazarnova.scheduler.filters.all\n'
            'enabled_filters = ComputeFilter,BlazarFilter\n')
        self.assertEqual(0, status)
        self.assertEqual([('warning', 'nova.filter-unverified', 4)],
                         self.codes(found))

    def test_removed_class_in_available_filters(self):
        status, found = self.nova(
            '[filter_scheduler]\n'
            'available_filters = nova.scheduler.filters.all_filters\n'
            'available_filters = nova.scheduler.filters.ram_filter.RamFilter\n'
            'enabled_filters = ComputeFilter\n')
        self.assertEqual([('error', 'nova.filter-unloadable', 3)],
                         self.codes(found))
        self.assertEqual('20.0.0 (Train)', found[0]['since'])

    def test_conf_dir_override_is_what_counts(self):
        self.write('nova.conf.d/50-filters.conf',
                   '[filter_scheduler]\nenabled_filters = ComputeFilter\n')
        status, found = self.nova(
            '[filter_scheduler]\nenabled_filters = RamFilter\n',
            '--nova-conf-dir', self.tmp + '/nova.conf.d')
        self.assertEqual((0, []), (status, found))


class TestMovedOptions(CheckTestCase):

    def test_modern_option_already_set(self):
        status, found = self.nova(
            '[DEFAULT]\n'
            'scheduler_default_filters = ComputeFilter\n'
            '[filter_scheduler]\n'
            'enabled_filters = ComputeFilter\n')
        self.assertEqual([('error', 'nova.option-moved', 2)],
                         self.codes(found))
        self.assertIsNone(found[0]['fix'])
        self.assertIn('delete this line', found[0]['message'])

    def test_repeated_available_filters_move_together(self):
        status, found = self.nova(
            '[DEFAULT]\n'
            'scheduler_available_filters = '
            'nova.scheduler.filters.all_filters\n'
            'scheduler_available_filters = nova_migration_ext.filters.'
            'all_filters\n'
            'scheduler_default_filters = ComputeFilter,MigrationRamFilter\n'
            'scheduler_max_attempts = 5\n')
        self.assertEqual([('error', 'nova.option-moved', 3),
                          ('error', 'nova.option-moved', 4),
                          ('error', 'nova.option-moved', 5)],
                         self.codes(found))
        self.assertEqual(OUR_SNIPPET, found[0]['fix'])
        self.assertIn('also set at', found[0]['message'])
        self.assertEqual('[filter_scheduler]\n'
                         'available_filters = '
                         'nova.scheduler.filters.all_filters\n'
                         'available_filters = '
                         'nova_migration_ext.filters.all_filters\n'
                         'enabled_filters = ComputeFilter,MigrationRamFilter',
                         found[1]['fix'])
        self.assertEqual('[scheduler]\nmax_attempts = 5', found[2]['fix'])

    def test_options_without_successor(self):
        status, found = self.nova(
            '[DEFAULT]\n'
            'scheduler_driver = filter_scheduler\n'
            'scheduler_topic = scheduler\n'
            'scheduler_instance_sync_interval = 120\n')
        self.assertEqual(0, status)
        self.assertEqual([('warning', 'nova.option-removed', 2),
                          ('warning', 'nova.option-unknown', 3)],
                         self.codes(found))
        self.assertEqual('23.0.0 (Wallaby)', found[0]['since'])

    def test_task_period_alias_whose_release_is_not_pinned(self):
        status, found = self.nova(
            '[DEFAULT]\nscheduler_driver_task_period = 60\n')
        self.assertEqual([('warning', 'nova.option-removed', 2)],
                         self.codes(found))
        self.assertIsNone(found[0]['since'])
        self.assertIn('periodic_task_interval', found[0]['message'])

    def test_lower_case_default_section_is_never_read(self):
        status, found = self.nova('[default]\ndebug = true\n')
        self.assertEqual([('error', 'nova.section-case', 1)],
                         self.codes(found))
        self.assertEqual('[DEFAULT]', found[0]['fix'])

    def test_byte_order_mark_and_the_rest_of_the_file(self):
        path = self.write('nova.conf', '\ufeff[DEFAULT]\n'
                          'scheduler_max_attempts = 3\n')
        status, report = self.audit_json('--nova-conf', path)
        self.assertEqual([('error', 'nova.byte-order-mark', 1),
                          ('error', 'nova.option-moved', 2)],
                         self.codes(report['findings']))


class TestLiveMigrationOptions(CheckTestCase):

    def test_tunnelled_and_native_tls_stop_nova_compute(self):
        status, found = self.nova(
            '[libvirt]\n'
            'live_migration_tunnelled = true\n'
            'live_migration_with_native_tls = true\n')
        self.assertEqual([('error', 'nova.tunnelled-with-native-tls', 2)],
                         self.codes(found))

    def test_tunnelled_over_tcp(self):
        status, found = self.nova(
            '[libvirt]\nlive_migration_tunnelled = True\n')
        self.assertEqual([('warning', 'nova.migration-unencrypted', 1),
                          ('warning', 'nova.tunnelled-deprecated', 2)],
                         self.codes(found))
        self.assertEqual('23.0.0 (Wallaby)', found[1]['since'])

    def test_tunnelled_over_ssh_is_encrypted(self):
        status, found = self.nova(
            '[libvirt]\nlive_migration_tunnelled = True\n'
            'live_migration_scheme = ssh\n')
        self.assertEqual([('warning', 'nova.tunnelled-deprecated', 2)],
                         self.codes(found))

    def test_explicit_tcp_scheme(self):
        status, found = self.nova(
            '[libvirt]\nvirt_type = kvm\nlive_migration_scheme = tcp\n')
        self.assertEqual([('warning', 'nova.migration-unencrypted', 3)],
                         self.codes(found))
        self.assertEqual('[libvirt]\nlive_migration_with_native_tls = true\n'
                         'live_migration_scheme = tls', found[0]['fix'])

    def test_migration_uri(self):
        status, found = self.nova(
            '[libvirt]\nlive_migration_with_native_tls = true\n'
            'live_migration_uri = qemu+ssh://nova@%s.migration/system\n')
        self.assertEqual([('warning', 'nova.migration-uri-deprecated', 3)],
                         self.codes(found))
        self.assertEqual('15.0.0 (Ocata)', found[0]['since'])
        self.assertEqual('[libvirt]\nlive_migration_scheme = ssh',
                         found[0]['fix'])
        self.assertIn('live_migration_inbound_addr', found[0]['message'])
        self.assertIn('~nova/.ssh/config', found[0]['message'])

    def test_tcp_migration_uri_is_replaced_by_tls(self):
        status, found = self.nova(
            '[libvirt]\nlive_migration_uri = qemu+tcp://%s/system\n')
        self.assertEqual(['nova.migration-uri-deprecated',
                          'nova.migration-unencrypted'],
                         [f['code'] for f in found])
        self.assertEqual('[libvirt]\nlive_migration_scheme = tls\n'
                         'live_migration_with_native_tls = true',
                         found[0]['fix'])

    def test_connection_uri_over_tcp(self):
        status, found = self.nova(
            '[libvirt]\nlive_migration_with_native_tls = true\n'
            'connection_uri = qemu+tcp://172.18.21.1/system\n')
        self.assertEqual([('warning', 'nova.connection-uri-tcp', 3)],
                         self.codes(found))

    def test_post_copy_with_auto_converge(self):
        status, found = self.nova(
            '[libvirt]\nlive_migration_with_native_tls = true\n'
            'live_migration_permit_post_copy = yes\n'
            'live_migration_permit_auto_converge = on\n')
        self.assertEqual((0, [('info', 'nova.auto-converge-unused', 4)]),
                         (status, self.codes(found)))

    def test_invalid_boolean(self):
        status, found = self.nova(
            '[libvirt]\nlive_migration_with_native_tls = enabled\n')
        # Unreadable, so not counted as native TLS either.
        self.assertEqual([('warning', 'nova.migration-unencrypted', 1),
                          ('error', 'nova.invalid-value', 2)],
                         self.codes(found))
        self.assertIn("'enabled' is not a boolean", found[1]['message'])
        self.assertIn('ConfigFileValueError', found[1]['message'])


class TestLegacyFlags(CheckTestCase):

    def test_value_the_helper_rejects(self):
        status, found = self.nova(
            '[libvirt]\nlive_migration_with_native_tls = true\n'
            'live_migration_flag = VIR_MIGRATE_LIVE, VIR_MIGRATE_P2P\n')
        self.assertEqual([('error', 'nova.legacy-migration-flags', 3)],
                         self.codes(found))
        self.assertIn("unknown flag 'VIR_MIGRATE_P2P'", found[0]['message'])
        self.assertEqual('[libvirt]\nlive_migration_with_native_tls = true\n'
                         'live_migration_scheme = tls', found[0]['fix'])

    def test_live_and_block_flags(self):
        status, found = self.nova(
            '[libvirt]\nlive_migration_with_native_tls = true\n'
            'block_migration_flag = VIR_MIGRATE_UNDEFINE_SOURCE, '
            'VIR_MIGRATE_PEER2PEER, VIR_MIGRATE_NON_SHARED_INC, '
            'VIR_MIGRATE_LIVE\n'
            'live_migration_flag = VIR_MIGRATE_UNDEFINE_SOURCE,'
            'VIR_MIGRATE_PEER2PEER,VIR_MIGRATE_LIVE,VIR_MIGRATE_COMPRESSED\n')
        self.assertEqual([('error', 'nova.legacy-migration-flags', 3),
                          ('error', 'nova.legacy-migration-flags', 4)],
                         self.codes(found))
        self.assertIsNone(found[0]['fix'])
        self.assertIn('live_migration_flag at', found[0]['message'])
        self.assertIn('Not expressible with Nova 34 options: '
                      'VIR_MIGRATE_COMPRESSED', found[1]['message'])
        self.assertEqual('[libvirt]', found[1]['fix'])

    def test_block_flag_alone(self):
        status, found = self.nova(
            '[libvirt]\nlive_migration_with_native_tls = true\n'
            'block_migration_flag = VIR_MIGRATE_UNDEFINE_SOURCE, '
            'VIR_MIGRATE_PEER2PEER, VIR_MIGRATE_NON_SHARED_INC\n')
        self.assertEqual([('error', 'nova.legacy-migration-flags', 3)],
                         self.codes(found))
        self.assertEqual('[libvirt] block_migration_flag',
                         found[0]['option'])


class TestLibvirtd(CheckTestCase):

    def test_tcp_with_sasl_is_information(self):
        status, found = self.libvirt('listen_tcp = 1\n')
        self.assertEqual((0, [('info', 'libvirt.tcp-sasl', 1)]),
                         (status, self.codes(found)))

    def test_unauthenticated_tcp_names_the_configured_port(self):
        status, found = self.libvirt(
            'listen_tcp = 1\ntcp_port = "16510"\nauth_tcp = "none"\n')
        self.assertEqual([('error', 'libvirt.tcp-unauthenticated', 3)],
                         self.codes(found))
        self.assertIn('TCP port 16510', found[0]['message'])

    def test_auth_none_without_listen_tcp(self):
        status, found = self.libvirt('auth_tcp = "none"\n')
        self.assertEqual((0, [('warning', 'libvirt.tcp-unauthenticated', 1)]),
                         (status, self.codes(found)))
        self.assertIn('libvirtd-tcp.socket', found[0]['message'])

    def test_unverified_tls_clients(self):
        status, found = self.libvirt('tls_no_verify_certificate = 1\n')
        self.assertEqual([('error', 'libvirt.tls-unverified', 1)],
                         self.codes(found))

    def test_values_of_the_wrong_type(self):
        status, found = self.libvirt(
            'listen_tcp = "1"\nauth_tcp = "anonymous"\nlisten_tls = 2\n')
        self.assertEqual([('error', 'libvirt.invalid-value', 1),
                          ('error', 'libvirt.invalid-value', 2),
                          ('error', 'libvirt.invalid-value', 3)],
                         self.codes(found))
        self.assertEqual('auth_tcp = "sasl"', found[1]['fix'])

    def test_first_assignment_wins(self):
        status, found = self.libvirt(
            'listen_tcp = 0\nauth_tcp = "none"\nlisten_tcp = 1\n')
        self.assertEqual([('warning', 'libvirt.tcp-unauthenticated', 2),
                          ('warning', 'libvirt.ignored-duplicate', 3)],
                         self.codes(found))
        self.assertIn('uses the first assignment (0 at line 1)',
                      found[1]['message'])

    def test_ssh_migrations_need_no_tls_listener(self):
        nova = self.write('nova.conf', '[libvirt]\n'
                          'live_migration_with_native_tls = true\n'
                          'live_migration_scheme = ssh\n')
        status, found = self.libvirt('listen_tls = 0\n', '--nova-conf', nova)
        self.assertEqual((0, []), (status, found))

    def test_debian_default_file(self):
        path = self.write('default-libvirtd', (
            '# Defaults for libvirtd initscript\n'
            'start_libvirtd="yes"\n'
            '# options passed to libvirtd, add "-l" to listen on tcp\n'
            'libvirtd_opts="-d -l"\n'))
        status, report = self.audit_json('--libvirtd-sysconfig', path)
        self.assertEqual(
            [('warning', 'libvirt.listen-with-socket-activation', 4)],
            self.codes(report['findings']))
        self.assertTrue(report['findings'][0]['fix'].startswith(
            'libvirtd_opts="-d"\n'))
