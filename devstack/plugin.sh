#!/bin/bash
#
# devstack/plugin.sh - nova-migration-ext devstack plugin.
#
# stack.sh, unstack.sh and clean.sh source this file with the mode and the
# phase as arguments. Every phase can run again on the same files: each edit
# checks what is already there.

_OPERATIONS='(boot|live|cold|resize|evacuate|unshelve)'
_MOVES='(live|cold|resize|evacuate|unshelve)'

# [migration_ext] option, devstack variable, valid values (regex), and the
# words that say so in an error.
_MIGRATION_EXT_OPTIONS=(
    "on_lookup_error MIGRATION_EXT_ON_LOOKUP_ERROR ^(pass|reject)$ pass_or_reject"
    "live_migration_ram_allocation_ratio MIGRATION_EXT_LIVE_RAM_RATIO ^[0-9]+([.][0-9]+)?$ a_number_>=_0"
    "ram_headroom_mb MIGRATION_EXT_RAM_HEADROOM_MB ^[0-9]+$ a_whole_number_of_MiB_>=_0"
    "ram_check_operations MIGRATION_EXT_RAM_CHECK_OPERATIONS ^$_OPERATIONS(,$_OPERATIONS)*$ a_comma-separated_list_of_boot,live,cold,resize,evacuate,unshelve"
    "shared_storage_operations MIGRATION_EXT_SHARED_STORAGE_OPERATIONS ^$_MOVES(,$_MOVES)*$ a_comma-separated_list_of_live,cold,resize,evacuate,unshelve"
    "hypervisor_version_operations MIGRATION_EXT_HYPERVISOR_VERSION_OPERATIONS ^$_MOVES(,$_MOVES)*$ a_comma-separated_list_of_live,cold,resize,evacuate,unshelve"
)

function install_migration_ext {
    setup_develop "$MIGRATION_EXT_DIR"
}

# Add our filter function to the multi-valued available_filters. Nova uses
# its own all_filters only while the option is unset, so adding a first
# value must bring Nova's line along or Nova's filters disappear.
function _migration_ext_available_filters {
    local conf=$1
    local current
    current=" $(iniget_multiline "$conf" filter_scheduler available_filters) "
    if [[ $current == *" $MIGRATION_EXT_AVAILABLE_FILTERS "* ]]; then
        return 0
    fi
    if [[ -z ${current// /} ]]; then
        iniadd "$conf" filter_scheduler available_filters \
            "$MIGRATION_EXT_NOVA_AVAILABLE_FILTERS"
    fi
    iniadd "$conf" filter_scheduler available_filters \
        "$MIGRATION_EXT_AVAILABLE_FILTERS"
}

# Append our filters to enabled_filters once each. MigrationAggregateFilter
# does all AggregateInstanceExtraSpecsFilter does, without raising on
# malformed metadata: it takes the parent's place rather than running the
# same match twice.
function _migration_ext_enabled_filters {
    local conf=$1
    local current name
    local -a names
    local -a result=()
    current=$(iniget "$conf" filter_scheduler enabled_filters)
    current=${current:-$MIGRATION_EXT_NOVA_DEFAULT_FILTERS}
    IFS=, read -r -a names <<< "${current// /},$MIGRATION_EXT_FILTERS"
    for name in "${names[@]}"; do
        if [[ $name == AggregateInstanceExtraSpecsFilter &&
              ,$MIGRATION_EXT_FILTERS, == *,MigrationAggregateFilter,* ]]; then
            name=MigrationAggregateFilter
        fi
        if [[ -n $name && " ${result[*]} " != *" $name "* ]]; then
            result+=("$name")
        fi
    done
    iniset "$conf" filter_scheduler enabled_filters \
        "$(IFS=,; echo "${result[*]}")"
}

# Refuse a bad value before anything is written.
function _migration_ext_check_options {
    local entry option variable pattern valid
    for entry in "${_MIGRATION_EXT_OPTIONS[@]}"; do
        read -r option variable pattern valid <<< "$entry"
        if [[ -n ${!variable} && ! ${!variable} =~ $pattern ]]; then
            die $LINENO "$variable=${!variable} is not a valid [migration_ext] $option: expected ${valid//_/ }"
        fi
    done
}

function _migration_ext_write_options {
    local conf=$1
    local entry option variable pattern valid
    for entry in "${_MIGRATION_EXT_OPTIONS[@]}"; do
        read -r option variable pattern valid <<< "$entry"
        if [[ -n ${!variable} ]]; then
            iniset "$conf" migration_ext "$option" "${!variable}"
        fi
    done
}

# nova-compute imports compute_driver as nova.virt.<value>; the extension
# subclasses the libvirt driver, so only that driver is replaced. Both files
# are edited: nova-cpu.conf where it already exists, nova.conf for devstacks
# that derive nova-cpu.conf from it when nova-compute starts.
function _migration_ext_compute_driver {
    local conf
    if [[ $VIRT_DRIVER != libvirt ]]; then
        warn $LINENO "MIGRATION_EXT_COMPUTE_DRIVER=True needs VIRT_DRIVER=libvirt, not '$VIRT_DRIVER': compute_driver left alone"
        return 0
    fi
    for conf in "$NOVA_CONF" "$NOVA_CPU_CONF"; do
        if [[ -f $conf &&
              $(iniget "$conf" DEFAULT compute_driver) == libvirt.LibvirtDriver ]]; then
            iniset "$conf" DEFAULT compute_driver migration_ext.LibvirtDriver
        fi
    done
}

function configure_migration_ext {
    _migration_ext_check_options
    if is_service_enabled n-sch; then
        _migration_ext_available_filters "$NOVA_CONF"
        _migration_ext_enabled_filters "$NOVA_CONF"
        _migration_ext_write_options "$NOVA_CONF"
    fi
    if is_service_enabled n-cpu && [[ $MIGRATION_EXT_COMPUTE_DRIVER == True ]]; then
        _migration_ext_compute_driver
    fi
}

if is_service_enabled n-sch n-cpu; then
    if [[ $1 == stack && $2 == install ]]; then
        echo_summary "Installing nova-migration-ext"
        install_migration_ext
    elif [[ $1 == stack && $2 == post-config ]]; then
        echo_summary "Configuring nova-migration-ext"
        configure_migration_ext
    fi
    # unstack and clean: nothing to stop or remove. The filters and the
    # driver run inside Nova's own services, which devstack stops, and the
    # configuration lives in Nova's files, which devstack rewrites.
fi
