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
"""A loopback OpenStack cloud: separate services on 127.0.0.1.

``python -m nova_migration_ext.tests.cloud up|down|status`` (``tox -e
cloud``): MariaDB and RabbitMQ from Debian, keystone, placement, glance,
neutron (API only) and Nova's api, conductor, scheduler and fake computes
from PyPI, every one a process of its own under one state directory.
"""
