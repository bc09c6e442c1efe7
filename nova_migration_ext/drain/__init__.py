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

"""``drain``: empty a compute host, planned and checked before the first
move.

``plan`` schedules every instance of the host through explain's engine,
consuming each destination's resources before the next; ``runner`` makes
the moves through Nova's API (``client``), each watched to its end by a
``moves.Move``; ``display`` shows them as they go and ``report`` the end.
"""
