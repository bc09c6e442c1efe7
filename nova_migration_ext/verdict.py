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

"""The outcome of one rule for one candidate host."""

import typing


class Verdict(typing.NamedTuple):
    """``ok`` is True (pass), False (reject) or None (cannot tell).

    ``reason`` names the values compared; it is the text logged by the
    filters and shown by ``explain``.
    """

    ok: typing.Optional[bool]
    reason: str = ''

    @property
    def unknown(self):
        return self.ok is None


# Shared so the common case allocates nothing on the scheduler's hot path.
PASS = Verdict(True)


def reject(reason):
    return Verdict(False, reason)


def unknown(reason):
    return Verdict(None, reason)


def resolve(verdict, on_unknown):
    """Turn a cannot-tell verdict into the configured pass or reject."""
    if verdict.ok is not None:
        return verdict
    return Verdict(on_unknown == 'pass',
                   '%s; on_lookup_error=%s' % (verdict.reason, on_unknown))
