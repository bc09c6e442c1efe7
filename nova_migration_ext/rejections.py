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

"""One log line per filter and request, whatever the size of the fleet.

A live migration on 10,000 hosts may reject thousands; an operator needs
how many, why, and a few host names to look at, not one line per host.
The reasons are the filters' own words, as explain shows them per host.
"""

# Reasons named in the line, the most frequent first; the rest are counted.
MAX_REASONS = 5
# Hosts named per reason.
MAX_HOSTS = 3


class Tally:
    """Hosts grouped by reason, in the order reasons were first seen."""

    __slots__ = ('hosts', '_by_reason')

    def __init__(self):
        self.hosts = 0
        self._by_reason = {}

    def add(self, host, reason):
        self.hosts += 1
        entry = self._by_reason.get(reason)
        if entry is None:
            self._by_reason[reason] = [1, [host]]
            return
        entry[0] += 1
        if len(entry[1]) < MAX_HOSTS:
            entry[1].append(host)

    def __bool__(self):
        return bool(self.hosts)

    def text(self):
        """'REASON (N hosts: a, b, c, ...); ...; and K more reasons on M
        hosts'.
        """
        # sorted() is stable: equally frequent reasons keep first-seen order.
        ranked = sorted(self._by_reason.items(), key=lambda item: -item[1][0])
        parts = []
        for reason, (count, hosts) in ranked[:MAX_REASONS]:
            more = ', ...' if count > len(hosts) else ''
            parts.append('%s (%s: %s%s)' % (
                reason, _hosts(count), ', '.join(hosts), more))
        rest = ranked[MAX_REASONS:]
        if rest:
            parts.append('and %d more reasons on %s' % (
                len(rest), _hosts(sum(count for _r, (count, _h) in rest))))
        return '; '.join(parts)


class Summary:
    """What one filter did to one request's hosts."""

    __slots__ = ('seen', 'rejected', 'let_through')

    def __init__(self):
        self.seen = 0
        self.rejected = Tally()
        # Hosts whose facts were unknown and on_lookup_error let through.
        self.let_through = Tally()

    def lines(self, filter_name, description, instance_uuid):
        """The log lines for this request: none when every host passed."""
        said = []
        if self.rejected:
            said.append('%s rejected %d of %s for %s of %s: %s' % (
                filter_name, self.rejected.hosts, _hosts(self.seen),
                description, instance_uuid, self.rejected.text()))
        if self.let_through:
            said.append('%s let %s through for %s of %s: %s' % (
                filter_name, _hosts(self.let_through.hosts), description,
                instance_uuid, self.let_through.text()))
        return said


def _hosts(count):
    return '%d host%s' % (count, '' if count == 1 else 's')
