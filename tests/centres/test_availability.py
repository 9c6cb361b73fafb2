"""Free places per day: open days from the operating-day rule, places from capacity."""

import datetime as dt

from kium.centres.domain.availability import availability, operating_period_on, places
from kium.centres.domain.closed_days import add_closed_day
from kium.centres.domain.holidays import is_public_holiday
from kium.centres.domain.periods import set_operating_period
from kium.centres.models import Quarter
from kium.orgs.enums import FacilityType
from tests.centres.conftest import TERM_HOURS

D = dt.date
HANGEUL_DAY = D(2026, 10, 9)  # 한글날, a Friday
SATURDAY_HOURS = (dt.time(9, 0), dt.time(13, 0))


def by_date(days):
    return {day.date: day for day in days}


def test_one_entry_per_date_in_order(people, open_all_year):
    facility = open_all_year(people.facility("NW", kind="general"))
    days = availability(facility=facility, start=D(2026, 10, 12), end=D(2026, 10, 25))
    assert [d.date for d in days] == [D(2026, 10, 12) + dt.timedelta(days=i) for i in range(14)]
    assert availability(facility=facility, start=D(2026, 10, 13), end=D(2026, 10, 12)) == []


def test_general_centre_counts_on_open_and_closed_days(people, open_all_year):
    facility = open_all_year(people.facility("NW", kind="general"))  # 66 m² → 20 places
    days = by_date(availability(facility=facility, start=D(2026, 10, 8), end=D(2026, 10, 12)))
    thursday = days[D(2026, 10, 8)]
    assert thursday.open
    assert (thursday.regular_free, thursday.temporary_free, thursday.waitlist) == (20, 24, 0)
    assert is_public_holiday(HANGEUL_DAY)
    holiday = days[HANGEUL_DAY]
    assert not holiday.open
    assert (holiday.regular_free, holiday.temporary_free, holiday.waitlist) == (0, 0, 0)
    # No Saturday hours: the weekend is closed; Monday is open again.
    assert not days[D(2026, 10, 10)].open and days[D(2026, 10, 10)].regular_free == 0
    assert not days[D(2026, 10, 11)].open
    assert days[D(2026, 10, 12)].open


def test_hub_centre_has_only_temporary_places(people, open_all_year):
    hub = open_all_year(people.facility("NW", kind="hub"))
    fusion = open_all_year(people.facility("NW", kind="fusion"))
    day = D(2026, 10, 8)
    (hub_day,) = availability(facility=hub, start=day, end=day)
    (fusion_day,) = availability(facility=fusion, start=day, end=day)
    assert (hub_day.regular_free, hub_day.temporary_free) == (0, 20)
    assert (fusion_day.regular_free, fusion_day.temporary_free) == (20, 24)


def test_other_facility_types_have_no_temporary_places(people, open_all_year):
    cafe = open_all_year(people.facility("NW", facility_type=FacilityType.KIDS_CAFE))
    assert places(cafe) == (20, 0)
    (day,) = availability(facility=cafe, start=D(2026, 10, 8), end=D(2026, 10, 8))
    assert day.open and (day.regular_free, day.temporary_free) == (20, 0)


def test_saturday_with_hours_is_open(people, open_all_year):
    facility = open_all_year(people.facility("NW", kind="general"), saturday=SATURDAY_HOURS)
    days = by_date(availability(facility=facility, start=D(2026, 10, 10), end=D(2026, 10, 11)))
    assert days[D(2026, 10, 10)].open and days[D(2026, 10, 10)].regular_free == 20
    assert not days[D(2026, 10, 11)].open  # never on Sunday


def test_city_wide_and_facility_closed_days(people, open_all_year):
    one = open_all_year(people.facility("NW", kind="general"))
    two = open_all_year(people.facility("NW", kind="general"))
    add_closed_day(actor=None, facility=None, date=D(2026, 10, 14), reason="시 지정 휴무일")
    add_closed_day(actor=None, facility=one, date=D(2026, 10, 15), reason="방역 소독")
    first = by_date(availability(facility=one, start=D(2026, 10, 14), end=D(2026, 10, 16)))
    second = by_date(availability(facility=two, start=D(2026, 10, 14), end=D(2026, 10, 16)))
    assert [d.open for d in first.values()] == [False, False, True]
    assert [d.open for d in second.values()] == [False, True, True]
    assert first[D(2026, 10, 15)].temporary_free == 0
    assert second[D(2026, 10, 15)].temporary_free == 24


def test_days_outside_the_operating_period_are_closed(people):
    facility = people.facility("NW", kind="general")
    quarter = Quarter.objects.get(year=2026, term="semester2")
    set_operating_period(
        actor=None,
        facility=facility,
        quarter=quarter,
        start=D(2026, 10, 12),
        end=D(2026, 10, 16),
        weekday_hours=TERM_HOURS,
    )
    days = availability(facility=facility, start=D(2026, 10, 8), end=D(2026, 10, 19))
    assert [d.date for d in days if d.open] == [D(2026, 10, 12) + dt.timedelta(i) for i in range(5)]
    assert all(d.regular_free == 0 for d in days if not d.open)


def test_the_whole_range_costs_a_fixed_number_of_queries(
    people, open_all_year, django_assert_num_queries
):
    facility = open_all_year(people.facility("NW", kind="general"))
    # operating periods, closed days, approved capacity, the day counters
    with django_assert_num_queries(4):
        availability(facility=facility, start=D(2026, 10, 1), end=D(2026, 10, 1))
    with django_assert_num_queries(4):  # the same for three months
        availability(facility=facility, start=D(2026, 9, 1), end=D(2026, 11, 30))


def test_operating_period_on_finds_the_quarters_period(people):
    facility = people.facility("NW", kind="general")
    quarter = Quarter.objects.get(year=2026, term="semester2")
    period = set_operating_period(
        actor=None,
        facility=facility,
        quarter=quarter,
        start=D(2026, 10, 12),
        end=D(2026, 10, 16),
        weekday_hours=TERM_HOURS,
    )
    # Same quarter, before the period starts: still this quarter's hours.
    assert operating_period_on(facility=facility, day=D(2026, 9, 1)) == period
    assert operating_period_on(facility=facility, day=D(2026, 7, 1)) is None  # 1학기
    assert operating_period_on(facility=people.facility("NW"), day=D(2026, 10, 12)) is None
