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

"""``explain``: a dry run of nova-scheduler for one move, host by host.

``run.explain()`` builds the request the conductor would build, asks
placement and the cell databases for the candidates through Nova's own
scheduler code, runs every enabled filter on every host and weighs the
hosts that pass; ``render`` shows the result.
"""
