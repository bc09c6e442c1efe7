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
"""nova-compute with the loopback fake driver.

Nova imports ``compute_driver`` only as ``nova.virt.<value>``: the fake
driver, which lives in our test tree, is registered there as
``nova.virt.loopback_fake`` before Nova's own ``nova-compute`` starts.
"""

import sys

# First: it sets up Nova's threading before anything else is imported.
from nova.cmd import compute  # noqa: H306

from nova_migration_ext.tests.cloud import fake_driver

DRIVER = 'loopback_fake.FactsDriver'


def main():
    sys.modules['nova.virt.loopback_fake'] = fake_driver
    compute.main()


if __name__ == '__main__':
    main()
