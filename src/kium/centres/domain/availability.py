"""Free places per day of a facility (API "availability"), see docs/quarters.md.

Free places come from the reservation engine's day counters (reservations.DayLoad):
regular care may use the shared places left; temporary care the shared places left plus
the temporary quota left; ``waitlist`` is the number waiting for that day. A day nobody
booked yet has its full places.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from kium.centres.domain.queries import operating_days
from kium.centres.models import OperatingPeriod
from kium.orgs.domain.capacity import effective_capacity, temporary_quota
from kium.orgs.enums import FacilityKind, FacilityType

ONE_DAY = dt.timedelta(days=1)


@dataclass(frozen=True)
class DayAvailability:
    date: dt.date
    open: bool
    regular_free: int
    temporary_free: int
    waitlist: int


def places(facility) -> tuple[int, int]:
    """(regular, temporary-only) places of the facility on an operating day.

    A hub (거점형) 키움센터 takes only temporary care, so all its places are temporary;
    general and fusion centres add the temporary quota on top of their capacity; other
    facility types do not take temporary bookings through this engine.
    """
    capacity = effective_capacity(facility)
    if facility.facility_type != FacilityType.KIUM:
        return capacity, 0
    if facility.kind == FacilityKind.HUB:
        return 0, capacity
    return capacity, temporary_quota(capacity, facility.kind)


def availability(*, facility, start: dt.date, end: dt.date) -> list[DayAvailability]:
    """One entry per date in [start, end]; a fixed number of queries for any range."""
    from kium.reservations.models import DayLoad

    open_days = set(operating_days(facility, start, end))
    # With no open day the places do not matter (and cost no query).
    regular, temporary = places(facility) if open_days else (0, 0)
    loads = (
        {
            load.date: load
            for load in DayLoad.objects.filter(
                facility_id=facility.pk, date__gte=start, date__lte=end
            )
        }
        if open_days
        else {}
    )
    # Only 키움센터 take temporary care through the reservation engine.
    takes_temporary = facility.facility_type == FacilityType.KIUM
    days = []
    day = start
    while day <= end:
        is_open = day in open_days
        load = loads.get(day)
        if not is_open:
            free_regular = free_temporary = waiting = 0
        elif load is None:
            free_regular, free_temporary, waiting = regular, regular + temporary, 0
            free_temporary = free_temporary if takes_temporary else 0
        else:
            free_regular = max(0, load.shared_capacity - load.shared_used)
            free_temporary = free_regular + max(0, load.quota_capacity - load.quota_used)
            free_temporary = free_temporary if takes_temporary else 0
            waiting = load.waitlisted
        days.append(
            DayAvailability(
                date=day,
                open=is_open,
                regular_free=free_regular,
                temporary_free=free_temporary,
                waitlist=waiting,
            )
        )
        day += ONE_DAY
    return days


def operating_period_on(*, facility, day: dt.date) -> OperatingPeriod | None:
    """The facility's operating period in the quarter containing ``day`` (one query).

    The period of the quarter, not only a period covering ``day``: a centre whose
    period starts next week still shows this quarter's hours.
    """
    return (
        OperatingPeriod.objects.select_related("quarter")
        .filter(facility=facility, quarter__start__lte=day, quarter__end__gte=day)
        .first()
    )
