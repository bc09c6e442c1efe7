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

"""What a scheduling request is doing: a boot or one kind of move."""

BOOT = 'boot'
LIVE = 'live'
COLD = 'cold'
RESIZE = 'resize'
EVACUATE = 'evacuate'
UNSHELVE = 'unshelve'

ALL = (BOOT, LIVE, COLD, RESIZE, EVACUATE, UNSHELVE)

# Moves that leave a source host behind; a boot and an unshelve have none.
WITH_SOURCE = frozenset((LIVE, COLD, RESIZE, EVACUATE))

DESCRIPTION = {
    BOOT: 'boot',
    LIVE: 'live migration',
    COLD: 'cold migration',
    RESIZE: 'resize',
    EVACUATE: 'evacuate',
    UNSHELVE: 'unshelve',
}
