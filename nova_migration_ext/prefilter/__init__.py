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

"""Placement narrowing for moves.

Nova's filters, ours included, only see the first ``[scheduler]
max_placement_results`` candidates placement returns, in placement's order.
A move that must stay inside its source's migration domain or shared-storage
domain therefore fails with NoValidHost when none of those candidates is in
the domain. A Nova request filter (``request_filter.narrow_move``) adds the
domain to the move's placement query, as Nova does for its own aggregate
rules; ``narrowing`` decides what to add, from plain values.
"""
