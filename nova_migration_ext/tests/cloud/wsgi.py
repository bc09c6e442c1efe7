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
"""WSGI applications for gunicorn: ``wsgi:<service>()``.

Each service finds its configuration through its own environment variable
(``OS_<SERVICE>_CONFIG_DIR``, set by the launcher). keystone and neutron
parse ``sys.argv`` through oslo.config, which under gunicorn holds
gunicorn's options: they get the program name (and neutron its config
files) instead.
"""

import os
import sys


def _argv(program, *args):
    sys.argv = [program, *args]


def keystone():
    _argv('keystone')
    from keystone.wsgi import api
    return api.application


def placement():
    _argv('placement-api')
    from placement.wsgi import api
    return api.application


def glance():
    _argv('glance-api')
    from glance.wsgi import api
    return api.application


def neutron():
    conf_dir = os.environ['OS_NEUTRON_CONFIG_DIR']
    _argv('neutron-api', '--config-file',
          os.path.join(conf_dir, 'neutron.conf'))
    # GET /v2.0/ports joins port_forwardings: its model must be mapped
    # before the first request, though the service plugin is not loaded.
    from neutron.db.models import port_forwarding  # noqa: F401
    from neutron.wsgi import api
    from sqlalchemy import orm
    orm.configure_mappers()
    return api.application


def nova_api():
    _argv('nova-api')
    from nova.wsgi import osapi_compute
    return osapi_compute.application
