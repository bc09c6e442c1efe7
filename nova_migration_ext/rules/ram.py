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

"""Room for an instance's RAM, computed like Nova's former RamFilter."""

from nova_migration_ext.rules import numbers
from nova_migration_ext import verdict


def room_for(requested_mb, total_mb, free_mb, ratio, ratio_cap=None,
             headroom_mb=0, arriving_mb=0):
    """total x ratio - used >= requested + headroom.

    ``ratio_cap`` bounds the host's allocation ratio (live migration);
    ``free_mb`` may be negative on an overcommitted host; ``arriving_mb``
    is used too though ``free_mb`` does not count it yet.
    """
    requested = _size(requested_mb)
    if requested is None:
        return _not_a_size(requested_mb)
    total = numbers.as_number(total_mb)
    if total is None or total < 0:
        return verdict.unknown('total_usable_ram_mb=%r is not a size'
                               % (total_mb,))
    free = numbers.as_number(free_mb)
    if free is None:
        return verdict.unknown('free_ram_mb=%r is not a number' % (free_mb,))
    host_ratio = numbers.as_number(ratio)
    if host_ratio is None or host_ratio <= 0:
        return verdict.unknown('ram_allocation_ratio=%r is not a positive '
                               'number' % (ratio,))
    applied = host_ratio if ratio_cap is None else min(host_ratio, ratio_cap)
    used = total - free + arriving_mb
    usable = total * applied - used
    if usable >= requested + headroom_mb:
        return verdict.PASS
    return verdict.reject(
        'usable RAM %s < %s needed (%s x ratio %g - %s used%s)'
        % (numbers.mb(usable), _need(requested, headroom_mb),
           numbers.mb(total), applied, numbers.mb(used),
           _arriving(arriving_mb)))


_INFINITY = float('inf')
_NUMBER_TYPES = (int, float)


def room_checker(requested_mb, ratio_cap=None, headroom_mb=0):
    """``room_for`` with the request's values bound, as a function of a
    host's (total_mb, free_mb, ratio, arriving_mb=0).

    Hosts report plain numbers: those are decided by arithmetic alone; a
    rejection, and anything unusual, goes through room_for for its checks
    and its reason, so the verdicts are room_for's.
    """
    requested = _size(requested_mb)
    if requested is None or numbers.as_number(headroom_mb) is None:
        def slow(total_mb, free_mb, ratio, arriving_mb=0):
            return room_for(requested_mb, total_mb, free_mb, ratio,
                            ratio_cap, headroom_mb, arriving_mb)
        return slow
    needed = requested + headroom_mb
    passes = verdict.PASS

    def check(total_mb, free_mb, ratio, arriving_mb=0):
        if (type(total_mb) in _NUMBER_TYPES
                and type(free_mb) in _NUMBER_TYPES
                and type(ratio) in _NUMBER_TYPES
                and 0 <= total_mb < _INFINITY
                and -_INFINITY < free_mb < _INFINITY
                and 0 < ratio < _INFINITY):
            applied = (ratio if ratio_cap is None or ratio < ratio_cap
                       else ratio_cap)
            if (total_mb * applied - (total_mb - free_mb + arriving_mb)
                    >= needed):
                return passes
        return room_for(requested_mb, total_mb, free_mb, ratio, ratio_cap,
                        headroom_mb, arriving_mb)
    return check


def mem_available_for(requested_mb, mem_available_mb, headroom_mb=0,
                      arriving_mb=0):
    """MemAvailable - arriving >= requested + headroom.

    MemAvailable is what the kernel can give without swapping, as the host
    published it; a live copy needs that much real memory on arrival, and
    so do the copies arriving since the host published it.
    """
    requested = _size(requested_mb)
    if requested is None:
        return _not_a_size(requested_mb)
    available = _size(mem_available_mb)
    if available is None:
        return verdict.unknown('MemAvailable %r MB is not a size'
                               % (mem_available_mb,))
    if available - arriving_mb >= requested + headroom_mb:
        return verdict.PASS
    if arriving_mb:
        return verdict.reject(
            'MemAvailable %s - %s arriving < %s needed'
            % (numbers.mb(available), numbers.mb(arriving_mb),
               _need(requested, headroom_mb)))
    return verdict.reject('MemAvailable %s < %s needed'
                          % (numbers.mb(available),
                             _need(requested, headroom_mb)))


def _size(value):
    """A non-negative number of MiB, or None."""
    number = numbers.as_number(value)
    return None if number is None or number < 0 else number


def _not_a_size(requested_mb):
    return verdict.unknown('instance RAM %r MB is not a size'
                           % (requested_mb,))


def _arriving(arriving_mb):
    """', of which 2048 MB arriving by live migration', or nothing."""
    if not arriving_mb:
        return ''
    return ', of which %s arriving by live migration' % numbers.mb(arriving_mb)


def _need(requested, headroom_mb):
    """'2560 MB (2048 MB + 512 MB headroom)', or '2048 MB' without."""
    if not headroom_mb:
        return numbers.mb(requested)
    return '%s (%s + %s headroom)' % (numbers.mb(requested + headroom_mb),
                                      numbers.mb(requested),
                                      numbers.mb(headroom_mb))
