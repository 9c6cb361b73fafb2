"""The pure rules of the engine: windows, lengths, hours, priority, offer deadlines.

No database access here, so the rules are cheap to test exhaustively (hypothesis).
See docs/reservations.md for the reasons behind each number.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator

from django.conf import settings

from kium.core import clock
from kium.reservations.enums import PriorityRule

# RES-5: temporary care from today up to today + 14 days.
TEMPORARY_WINDOW_DAYS = 14
# RES-1: regular care lasts at least 30 days (calendar days, first and last included).
REGULAR_MIN_DAYS = 30
# Regular applications reach at most a year ahead (a quarter plus its extension fits).
REGULAR_MAX_DAYS = 366
# RES-8: a day's temporary waitlist holds at most twice the capacity.
WAITLIST_FACTOR = 2
LOW_GRADES = (1, 2, 3)
ONE_DAY = dt.timedelta(days=1)


def setting(name: str, default):
    return getattr(settings, name, default)


def temporary_window(today: dt.date) -> tuple[dt.date, dt.date]:
    return today, today + dt.timedelta(days=TEMPORARY_WINDOW_DAYS)


def in_temporary_window(day: dt.date, today: dt.date) -> bool:
    first, last = temporary_window(today)
    return first <= day <= last


def regular_length_ok(start: dt.date, end: dt.date) -> bool:
    return (end - start).days + 1 >= REGULAR_MIN_DAYS


def dates_on_weekdays(start: dt.date, end: dt.date, weekdays: Iterable[int]) -> Iterator[dt.date]:
    wanted = set(weekdays)
    day = start
    while day <= end:
        if day.weekday() in wanted:
            yield day
        day += ONE_DAY


def within_hours(
    start: dt.time, end: dt.time, open_time: dt.time | None, close_time: dt.time | None
) -> bool:
    if open_time is None or close_time is None:
        return False
    return open_time <= start < end <= close_time


def waitlist_capacity(capacity: int, temporary_places: int) -> int:
    """RES-8: at most 2 × capacity wait for a day (a hub's capacity is its temporary places)."""
    return WAITLIST_FACTOR * max(capacity, temporary_places)


# --- priority -------------------------------------------------------------------------


def matches_rule(rule: str, *, grade: int | None, household: dict[str, bool]) -> bool:
    working = household.get("dual_earner", False) or household.get("single_parent", False)
    low_grade = grade in LOW_GRADES
    if rule == PriorityRule.WORKING_LOW_GRADE:
        return working and low_grade
    if rule == PriorityRule.MANY_CHILDREN_LOW_GRADE:
        return household.get("many_children", False) and low_grade
    if rule == PriorityRule.WORKING:
        return working
    if rule == PriorityRule.COMPLEX_RESIDENT:
        return household.get("complex_resident", False)
    if rule == PriorityRule.LOW_GRADE:
        return low_grade
    return False


def priority_rank(rules: list[str], *, grade: int | None, household: dict[str, bool]) -> int:
    """0-based index of the first of the centre's rules the applicant meets; len(rules) if none.

    Lower ranks come first; equal ranks keep the order of arrival.
    """
    for index, rule in enumerate(rules):
        if matches_rule(rule, grade=grade, household=household):
            return index
    return len(rules)


# --- offers ---------------------------------------------------------------------------


def offer_deadline(*, now: dt.datetime, first_day: dt.date, regular: bool) -> dt.datetime:
    """Until when a freed place waits for the first in line to accept it.

    Single-day care: until the cut-off hour the day before (default 18:00), at most
    ``KIUM_OFFER_HOURS`` (24) from now; if that leaves less than an hour, or the day is
    today, ``KIUM_OFFER_SAME_DAY_HOURS`` (2) from now. Regular care: 48 hours.
    """
    now = clock.to_seoul(now)
    if regular:
        return now + dt.timedelta(hours=setting("KIUM_OFFER_REGULAR_HOURS", 48))
    same_day = now + dt.timedelta(hours=setting("KIUM_OFFER_SAME_DAY_HOURS", 2))
    cutoff_hour = setting("KIUM_OFFER_CUTOFF_HOUR", 18)
    day_before = dt.datetime.combine(first_day - ONE_DAY, dt.time(cutoff_hour), now.tzinfo)
    capped = min(day_before, now + dt.timedelta(hours=setting("KIUM_OFFER_HOURS", 24)))
    if first_day <= now.date() or capped - now < dt.timedelta(hours=1):
        return same_day
    return capped


# --- extension ------------------------------------------------------------------------


def extension_cutoff(quarter_end: dt.date) -> dt.date:
    """The last day a guardian can stop the automatic continuation (inclusive)."""
    return quarter_end - dt.timedelta(days=setting("KIUM_EXTENSION_CUTOFF_DAYS", 14))
