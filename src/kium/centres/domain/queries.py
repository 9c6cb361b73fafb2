"""Reads: quarters of a year and the operating-day rule (docs/quarters.md)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from kium.centres.domain.holidays import public_holidays
from kium.centres.enums import TERM_ORDER
from kium.centres.models import ClosedDay, OperatingPeriod, Quarter

SATURDAY, SUNDAY = 5, 6


def quarters_of_year(year: int) -> list[Quarter]:
    """The school year's quarters in term order (1학기 … 겨울방학)."""
    return sorted(Quarter.objects.filter(year=year), key=lambda q: TERM_ORDER[q.term])


def quarter_on(day: dt.date) -> Quarter | None:
    return Quarter.objects.filter(start__lte=day, end__gte=day).first()


def closed_days_for(facility, start: dt.date, end: dt.date):
    """The facility's own closed days and the city-wide ones in the range."""
    return ClosedDay.objects.filter(
        Q(facility=facility) | Q(facility__isnull=True), date__gte=start, date__lte=end
    )


def operating_days(facility, start: dt.date, end: dt.date) -> list[dt.date]:
    """Days in [start, end] the facility is open.

    Open = the facility is in operation, the day lies in one of its operating periods, is
    a weekday (or a Saturday when that period has Saturday hours; never a Sunday), is not
    a Korean public holiday, and is not a closed day (city-wide or the facility's own).
    Three queries whatever the range length.
    """
    if start > end or not facility.is_operating:
        return []
    periods = list(
        OperatingPeriod.objects.filter(facility=facility, start__lte=end, end__gte=start)
    )
    closed = set(closed_days_for(facility, start, end).values_list("date", flat=True))
    holidays: set[dt.date] = set()
    for year in range(start.year, end.year + 1):
        holidays.update(public_holidays(year))
    days = []
    day = start
    while day <= end:
        if day not in closed and day not in holidays and _in_period(periods, day):
            days.append(day)
        day += dt.timedelta(days=1)
    return days


def _in_period(periods: list[OperatingPeriod], day: dt.date) -> bool:
    weekday = day.weekday()
    if weekday == SUNDAY:
        return False
    for period in periods:
        if period.start <= day <= period.end:
            return weekday != SATURDAY or period.opens_on_saturday
    return False


def is_operating_day(facility, day: dt.date) -> bool:
    return operating_days(facility, day, day) == [day]
