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

"""An openstacksdk Connection to the in-process Nova API.

Nova's API fixture answers through wsgi-intercept, which catches every
``requests`` call to its endpoint: openstacksdk's own session reaches it
as it would reach a real cloud. Authentication is the fixture's stub of
keystonemiddleware, which trusts these headers.
"""

import fixtures


def connection(api_client):
    """A Connection acting as ``api_client`` (e.g. the fixture's
    ``admin_api``) does.
    """
    from keystoneauth1 import noauth
    from keystoneauth1 import session
    import openstack.connection

    headers = {
        'X-Auth-User': api_client.auth_user,
        'X-User-Id': api_client.auth_user,
        'X-Auth-Project-Id': api_client.project_id,
        'X-Roles': ','.join(api_client.roles),
    }
    return openstack.connection.Connection(
        session=session.Session(auth=noauth.NoAuth(),
                                additional_headers=headers),
        compute_endpoint_override=api_client.base_url)


class ConnectTo(fixtures.Fixture):
    """``drain`` and ``undrain`` connect to ``api_client``'s cloud."""

    def __init__(self, api_client):
        super().__init__()
        self.api_client = api_client
        self.clouds = []

    def _setUp(self):
        def connect(cloud=None):
            self.clouds.append(cloud)
            return connection(self.api_client)

        self.useFixture(fixtures.MonkeyPatch(
            'nova_migration_ext.drain.client.connect', connect))
