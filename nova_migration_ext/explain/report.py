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

"""What an explain run found: plain data, rendered as a table or JSON."""

import dataclasses
import typing


@dataclasses.dataclass
class FilterResult:
    """One enabled filter's answer for one host."""

    name: str
    passed: bool
    reason: str = ''


@dataclasses.dataclass
class HostResult:
    """One compute node, as the scheduler would have seen it.

    ``skipped`` names why the scheduler never hands the host to the filters
    (the source in ``ignore_hosts``); ``candidate`` says whether placement
    returned it, with ``placement_reason`` when it did not. The filters run
    on every host that is not skipped, candidate or not, so that every
    reason shows.
    """

    host: str
    node: str
    candidate: bool = False
    placement_reason: str = ''
    skipped: str = ''
    filters: typing.List[FilterResult] = dataclasses.field(
        default_factory=list)
    weight: typing.Optional[float] = None
    rank: typing.Optional[int] = None

    @property
    def passed(self):
        return (self.candidate and not self.skipped
                and all(result.passed for result in self.filters))

    @property
    def rejections(self):
        return [result for result in self.filters if not result.passed]


@dataclasses.dataclass
class Report:
    """The request, every host's results, the weighed order and the pick."""

    server: str
    operation: str
    source: typing.Mapping
    flavor: str
    requested_host: typing.Optional[str]
    filters: typing.List[str]
    weighers: typing.List[str]
    # Filters that let every host through for this kind of move, and why.
    idle_filters: typing.Mapping[str, str]
    hosts: typing.List[HostResult]
    # The host Nova would pick: the first after weighing. When Nova picks
    # at random, or ties at the top weight leave the order open, it may be
    # any of ``pick_among``, and ``pick_note`` says why.
    pick: typing.Optional[str] = None
    pick_among: typing.List[str] = dataclasses.field(default_factory=list)
    pick_note: str = ''
    notes: typing.List[str] = dataclasses.field(default_factory=list)

    def host(self, name):
        for result in self.hosts:
            if result.host == name:
                return result
        raise KeyError(name)

    def to_dict(self):
        data = dataclasses.asdict(self)
        for host, result in zip(data['hosts'], self.hosts):
            host['passed'] = result.passed
        return data
