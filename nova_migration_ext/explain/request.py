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

"""The RequestSpec the conductor would hand the scheduler for one move.

Built from the instance's stored RequestSpec the way nova-api and the
conductor build it (compute/api.py, conductor/manager.py and
conductor/tasks/{live_migrate,migrate}.py in Nova 34), but kept in memory:
nothing here saves an object or asks anything but read-only questions.
"""

import dataclasses
import typing

from nova_migration_ext.explain import errors
from nova_migration_ext import move as move_mod
from nova_migration_ext import operations

# The operations explain can build a request for: moves with a source.
OPERATIONS = (operations.LIVE, operations.COLD, operations.EVACUATE,
              operations.RESIZE)

# vm_states nova-api accepts for each move (its check_instance_state).
_VM_STATES = {
    operations.LIVE: ('active', 'paused'),
    operations.COLD: ('active', 'stopped'),
    operations.RESIZE: ('active', 'stopped'),
    operations.EVACUATE: ('active', 'stopped', 'error'),
}


@dataclasses.dataclass
class MoveRequest:
    """A request ready for the scheduler's filters, its Move pinned."""

    spec: typing.Any
    instance: typing.Any
    move: move_mod.Move
    flavor_name: str


def build(ctx, server_uuid, operation, flavor, host, placement_client):
    """The MoveRequest of ``operation`` for server ``server_uuid``.

    ``flavor`` (name or id) is the new flavor of a resize; ``host`` a
    requested destination, checked by the filters like nova-api's
    ``host`` without ``force``. ``placement_client`` makes a
    SchedulerReportClient, to ask whether the source allows a cold
    migration to itself.
    Raises Refused when Nova would refuse the move before scheduling.
    """
    from nova import context as nova_context
    from nova import objects

    _check_arguments(operation, flavor)
    mapping = _instance_mapping(ctx, server_uuid)
    with nova_context.target_cell(ctx, mapping.cell_mapping) as cctxt:
        instance = _instance(cctxt, server_uuid)
        _check_state(cctxt, instance, operation)
        new_flavor = (_flavor(cctxt, flavor, instance)
                      if operation == operations.RESIZE else None)
        destination = _destination(cctxt, host, instance)
        source = objects.ComputeNode.get_by_host_and_nodename(
            cctxt, instance.host, instance.node)
        spec = objects.RequestSpec.get_by_instance_uuid(ctx, server_uuid)
        _prepare(cctxt, spec, instance, operation, new_flavor,
                 same_host=_same_host_allowed(cctxt, operation, source,
                                              placement_client))
        # Moves stay in the instance's cell (cross-cell resize needs a
        # policy explain does not assume).
        destination.cell = mapping.cell_mapping
        spec.requested_destination = destination
        arriving = move_mod.arrivals_for(cctxt, operation, server_uuid)
    move = move_mod.Move(
        operation, server_uuid,
        source=move_mod.source_facts(ctx, source),
        requested_ram_mb=spec.flavor.memory_mb,
        current_ram_mb=instance.flavor.memory_mb,
        volume_backed=spec.is_bfv, arriving=arriving)
    # The instance has no task_state for this move yet, so our filters
    # could not tell which move this is: tell them.
    move_mod.remember(spec, move)
    return MoveRequest(spec, instance, move, spec.flavor.name)


def _check_arguments(operation, flavor):
    if operation not in OPERATIONS:
        raise errors.Refused('unknown operation %r: use one of %s'
                             % (operation, ', '.join(OPERATIONS)))
    if operation == operations.RESIZE and not flavor:
        raise errors.Refused('a resize needs --flavor (the new flavor\'s '
                             'name or id)')
    if flavor and operation != operations.RESIZE:
        raise errors.Refused('--flavor applies to --operation resize only, '
                             'not %s' % operation)


def _instance_mapping(ctx, server_uuid):
    from nova import exception
    from nova import objects
    from oslo_utils import uuidutils

    if not uuidutils.is_uuid_like(server_uuid):
        raise errors.Refused('%r is not a server UUID' % (server_uuid,))
    try:
        mapping = objects.InstanceMapping.get_by_instance_uuid(
            ctx, server_uuid)
    except exception.InstanceMappingNotFound:
        raise errors.Refused('no server %s in this deployment' % server_uuid)
    if not mapping.cell_mapping:
        raise errors.Refused('server %s is still being built: it has no '
                             'host to move from' % server_uuid)
    return mapping


def _instance(cctxt, server_uuid):
    from nova import exception
    from nova import objects

    try:
        return objects.Instance.get_by_uuid(
            cctxt, server_uuid,
            expected_attrs=['flavor', 'info_cache', 'system_metadata',
                            'numa_topology', 'pci_requests'])
    except exception.InstanceNotFound:
        raise errors.Refused('no server %s in this deployment' % server_uuid)


def _check_state(cctxt, instance, operation):
    """Refuse what nova-api or the conductor would refuse before
    scheduling, saying which move would work instead.
    """
    from nova import objects
    from nova import servicegroup

    what = '%s of server %s' % (operations.DESCRIPTION[operation],
                                instance.uuid)
    if not instance.host:
        raise errors.Refused('%s: the server has no host (status %s)'
                             % (what, _status_name(instance.vm_state)))
    if instance.vm_state not in _VM_STATES[operation]:
        if operation == operations.LIVE and instance.vm_state == 'stopped':
            raise errors.Refused('%s: the server is SHUTOFF and only a '
                                 'running server can be live-migrated; use '
                                 '--operation cold' % what)
        raise errors.Refused(
            '%s: the server is %s; Nova allows it from %s only' % (
                what, _status_name(instance.vm_state),
                ', '.join(_status_name(s) for s in _VM_STATES[operation])))
    if instance.task_state is not None:
        raise errors.Refused('%s: the server is busy (task_state %s)'
                             % (what, instance.task_state))
    service = objects.Service.get_by_compute_host(cctxt, instance.host)
    up = servicegroup.API().service_is_up(service)
    if operation == operations.EVACUATE and up:
        raise errors.Refused(
            '%s: the compute service on %s is up, and Nova evacuates only '
            'from a host whose compute service is down; use --operation '
            'live or cold' % (what, instance.host))
    if operation != operations.EVACUATE and not up:
        raise errors.Refused(
            '%s: the compute service on %s is down; use --operation '
            'evacuate' % (what, instance.host))


def _status_name(vm_state):
    from nova.api.openstack import common
    return common.status_from_state(vm_state)


def _flavor(cctxt, name_or_id, instance):
    from nova import exception
    from nova import objects

    try:
        flavor = objects.Flavor.get_by_flavor_id(cctxt, name_or_id,
                                                 read_deleted='no')
    except exception.FlavorNotFound:
        try:
            flavor = objects.Flavor.get_by_name(cctxt, name_or_id)
        except exception.FlavorNotFoundByName:
            raise errors.Refused('no flavor with id or name %r'
                                 % (name_or_id,))
    if flavor.flavorid == instance.flavor.flavorid:
        raise errors.Refused('server %s already has flavor %s: a resize '
                             'needs another one; use --operation cold to '
                             'move it as it is'
                             % (instance.uuid, flavor.name))
    return flavor


def _destination(cctxt, host, instance):
    from nova import exception
    from nova import objects

    if not host:
        return objects.Destination()
    if host == instance.host:
        raise errors.Refused('--host %s is the server\'s own host' % host)
    try:
        nodes = objects.ComputeNodeList.get_all_by_host(cctxt, host)
    except exception.ComputeHostNotFound:
        raise errors.Refused('--host %s: no compute host of that name in '
                             'the server\'s cell' % host)
    # Like nova-api: the first node of the host (one per libvirt host).
    return objects.Destination(host=nodes[0].host,
                               node=nodes[0].hypervisor_hostname)


def _prepare(cctxt, spec, instance, operation, new_flavor, same_host):
    """What nova-api and the conductor change on the stored spec."""
    from nova.compute import utils as compute_utils
    from nova.scheduler import utils as scheduler_utils

    spec.reset_forced_destinations()
    spec.ignore_hosts = [] if same_host else [instance.host]
    spec.retry = None
    if operation == operations.RESIZE:
        _resize_to(spec, instance, new_flavor)
    elif operation == operations.COLD:
        spec.flavor = instance.flavor
    spec.requested_resources, spec.request_level_params = (
        _port_resources(cctxt, instance))
    spec.generate_request_groups_from_pci_requests()
    scheduler_utils.setup_instance_group(cctxt, spec)
    spec.ensure_project_and_user_id(instance)
    spec.ensure_network_information(instance)
    if 'is_bfv' not in spec:
        # Nova's heal_reqspec_is_bfv would also save the spec.
        spec.is_bfv = compute_utils.is_volume_backed_instance(cctxt, instance)


def _same_host_allowed(cctxt, operation, source, placement_client):
    """Whether the move may land on its source (nova-api's rule)."""
    import nova.conf
    import os_traits

    if operation == operations.RESIZE:
        return nova.conf.CONF.allow_resize_to_same_host
    if operation == operations.COLD:
        traits = placement_client().get_provider_traits(
            cctxt, source.uuid).traits
        return os_traits.COMPUTE_SAME_HOST_COLD_MIGRATE in traits
    return False


def _resize_to(spec, instance, new_flavor):
    from nova import exception
    from nova import objects
    from nova.pci import request as pci_request
    from nova.virt import hardware

    spec.flavor = new_flavor
    try:
        spec.numa_topology = hardware.numa_get_constraints(
            new_flavor, instance.image_meta)
    except exception.Invalid as exc:
        raise errors.Refused('resize to %s: %s' % (new_flavor.name, exc))
    requests = pci_request.get_pci_requests_from_flavor(new_flavor)
    requests.instance_uuid = instance.uuid
    # A port's PCI request does not change with the flavor.
    requests.requests.extend(
        request for request in spec.pci_requests.requests or []
        if request.source == objects.InstancePCIRequest.NEUTRON_PORT)
    spec.pci_requests = requests


def _port_resources(cctxt, instance):
    """The resource requests of the server's ports, from neutron."""
    from nova.network import neutron
    from nova import objects

    if not (instance.info_cache and instance.info_cache.network_info):
        return [], objects.RequestLevelParams()
    try:
        return neutron.API().get_requested_resource_for_instance(
            cctxt, instance.uuid)
    except Exception as exc:
        raise errors.Unavailable(
            'cannot read the resource requests of server %s\'s ports from '
            'neutron: %s' % (instance.uuid, errors.one_line(exc)))
