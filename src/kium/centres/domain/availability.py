"""Free places per day of a facility (API "availability"), see docs/quarters.md.

Until the reservation engine lands (issue "reservations"), the free counts are the
facility's places on every operating day: nothing is booked yet, so nobody waits.
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
    open_days = set(operating_days(facility, start, end))
    # With no open day the places do not matter (and cost no query).
    regular, temporary = places(facility) if open_days else (0, 0)
    days = []
    day = start
    while day <= end:
        is_open = day in open_days
        # TODO(reservations issue): subtract the day's bookings from the free counts
        # and report the length of its waitlist; until then nothing is booked.
        days.append(
            DayAvailability(
                date=day,
                open=is_open,
                regular_free=regular if is_open else 0,
                temporary_free=temporary if is_open else 0,
                waitlist=0,
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
