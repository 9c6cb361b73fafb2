"""Database constraints of quarters, operating periods and closed days (DESIGN rule 5)."""

import datetime as dt
import itertools

import pytest
from django.db import IntegrityError, transaction

from kium.centres.models import ClosedDay, OperatingPeriod, Quarter

D = dt.date


def test_default_quarters_cover_2026_and_2027_without_overlap(db):
    for year in (2026, 2027):
        terms = set(Quarter.objects.filter(year=year).values_list("term", flat=True))
        assert terms == {"semester1", "summer_vacation", "semester2", "winter_vacation"}
    rows = list(Quarter.objects.order_by("start"))
    for earlier, later in itertools.pairwise(rows):
        assert earlier.end < later.start
    winter = Quarter.objects.get(year=2027, term="winter_vacation")
    assert winter.end == D(2028, 2, 29)  # 2028 is a leap year
    assert Quarter.objects.get(year=2026, term="semester1").name == "1학기"


def test_quarter_unique_per_year_and_term(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Quarter.objects.create(year=2026, term="semester1", start=D(2030, 3, 2), end=D(2030, 7, 1))


def test_quarter_start_not_after_end(db):
    with pytest.raises(IntegrityError), transaction.atomic():
        Quarter.objects.create(year=2030, term="semester1", start=D(2030, 7, 2), end=D(2030, 3, 1))


def _period(facility, quarter, **fields):
    values = {
        "start": quarter.start,
        "end": quarter.end,
        "open_time": dt.time(13),
        "close_time": dt.time(20),
    }
    values.update(fields)
    return OperatingPeriod.objects.create(facility=facility, quarter=quarter, **values)


def test_operating_period_constraints(people, semester1):
    facility = people.facility("NW")
    with pytest.raises(IntegrityError), transaction.atomic():
        _period(facility, semester1, open_time=dt.time(20), close_time=dt.time(13))
    with pytest.raises(IntegrityError), transaction.atomic():
        _period(facility, semester1, saturday_open_time=dt.time(10))
    with pytest.raises(IntegrityError), transaction.atomic():
        _period(facility, semester1, start=D(2026, 5, 1), end=D(2026, 4, 1))
    _period(facility, semester1, saturday_open_time=dt.time(10), saturday_close_time=dt.time(14))
    with pytest.raises(IntegrityError), transaction.atomic():
        _period(facility, semester1)


def test_closed_day_unique_per_facility_and_for_the_city(people):
    one, two = people.facility("NW"), people.facility("NW")
    day = D(2026, 4, 15)
    ClosedDay.objects.create(facility=None, date=day, reason="시 휴무")
    ClosedDay.objects.create(facility=one, date=day, reason="소독")
    ClosedDay.objects.create(facility=two, date=day, reason="소독")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClosedDay.objects.create(facility=None, date=day, reason="중복")
    with pytest.raises(IntegrityError), transaction.atomic():
        ClosedDay.objects.create(facility=one, date=day, reason="중복")
