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
"""Keystone's catalog and the cloud's first resources, through the API.

One openstacksdk connection does all of it: the ``openstack`` command
would cost two seconds a call.
"""

import keystoneauth1.exceptions
import openstack

from nova_migration_ext.tests.cloud import configs
from nova_migration_ext.tests.cloud import layout

# service type -> (name, URL path on the service's port)
CATALOG = {
    'compute': ('nova', 'nova-api', '/v2.1'),
    'placement': ('placement', 'placement', ''),
    'image': ('glance', 'glance', ''),
    'network': ('neutron', 'neutron', ''),
}
IMAGE = 'loopback-tiny'
# name -> (RAM MiB, vCPUs, disk GiB)
FLAVORS = {'loopback.tiny': (128, 1, 1), 'loopback.small': (192, 1, 1)}


def connect(state):
    cloud = configs.clouds(state.secrets())['clouds']['loopback']
    return openstack.connect(load_yaml_config=False, load_envvars=False,
                             **cloud)


def register_services(state):
    """Service project, users, roles, services and endpoints, once."""
    if state.done('catalog'):
        return
    conn = connect(state)
    identity = conn.identity
    project = (identity.find_project('service', domain_id='default') or
               identity.create_project(name='service', domain_id='default'))
    roles = [identity.find_role(name) or identity.create_role(name=name)
             for name in ('admin', 'service')]
    password = state.secrets()['service']
    for name in configs.SERVICE_USERS:
        user = (identity.find_user(name, domain_id='default') or
                identity.create_user(name=name, password=password,
                                     domain_id='default'))
        for role in roles:
            identity.assign_project_role_to_user(project, user, role)
    for service_type, (name, port_of, path) in CATALOG.items():
        service = (identity.find_service(name) or
                   identity.create_service(name=name, type=service_type))
        existing = {e.interface for e in identity.endpoints(
            service_id=service.id)}
        for interface in ('public', 'internal'):
            if interface not in existing:
                identity.create_endpoint(
                    service_id=service.id, interface=interface,
                    url=layout.url(port_of, path), region_id=layout.REGION)
    state.mark_done('catalog')


def create_image_and_flavors(state):
    if state.done('image-and-flavors'):
        return
    conn = connect(state)
    if not conn.image.find_image(IMAGE):
        # Never booted for real: the fake driver only needs it to exist.
        conn.image.create_image(
            name=IMAGE, data=b'\0' * 65536, disk_format='raw',
            container_format='bare', visibility='public')
    for name, (ram, vcpus, disk) in FLAVORS.items():
        if not conn.compute.find_flavor(name):
            conn.compute.create_flavor(name=name, ram=ram, vcpus=vcpus,
                                       disk=disk)
    state.mark_done('image-and-flavors')


def computes_up(state):
    """Hosts whose nova-compute the API shows up.

    None while keystone or nova-api cannot answer yet.
    """
    try:
        return {service.host for service in connect(state).compute.services()
                if service.binary == 'nova-compute' and service.state == 'up'}
    except (openstack.exceptions.SDKException,
            keystoneauth1.exceptions.ClientException):
        return set()


def create_pair_zone(state):
    """Availability zone ``pair``: the two identical hosts."""
    if state.done('pair-zone'):
        return
    conn = connect(state)
    aggregate = (conn.compute.find_aggregate(layout.PAIR_ZONE) or
                 conn.compute.create_aggregate(
                     name=layout.PAIR_ZONE,
                     availability_zone=layout.PAIR_ZONE))
    for compute in layout.FLEET:
        if compute.zone == layout.PAIR_ZONE and \
                compute.host not in (aggregate.hosts or []):
            conn.compute.add_host_to_aggregate(aggregate, compute.host)
    state.mark_done('pair-zone')
