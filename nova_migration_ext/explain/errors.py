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

"""Why an explain run stops, and with which exit status."""


class ExplainError(Exception):
    """An explain run that cannot go on; the message is one line."""


class Refused(ExplainError):
    """The request itself is wrong (exit status 2): unknown server, a move
    its state does not allow, a missing or unknown flavor or host.
    """


class Unavailable(ExplainError):
    """The deployment cannot answer (exit status 1): a database, placement
    or neutron is unreachable, or nova.conf does not say where they are.
    """


def one_line(exc):
    """An exception as one line: its type and the first line it says."""
    lines = str(exc).strip().splitlines()
    return '%s: %s' % (type(exc).__name__, lines[0] if lines else '')
