"""돌봄 정보찾기 reads (centres.domain.finder): filters, "accepting now" in bulk, the map's
rows and the 맞춤형정보 rules."""

import datetime as dt
from decimal import Decimal

import pytest

from kium.centres.domain import finder
from kium.centres.domain.availability import availability
from kium.centres.domain.capacity_requests import (
    approve_capacity_request,
    submit_capacity_request,
)
from kium.centres.domain.closed_days import add_closed_day
from kium.centres.domain.periods import set_operating_period
from kium.centres.models import Quarter
from kium.orgs.enums import FacilityType
from kium.orgs.models import District, Facility
from tests.centres.conftest import TERM_HOURS

D = dt.date
THURSDAY = D(2026, 10, 8)
HANGEUL_DAY = D(2026, 10, 9)  # a Friday and a public holiday
SATURDAY = D(2026, 10, 10)
SUNDAY = D(2026, 10, 11)
SATURDAY_HOURS = (dt.time(9, 0), dt.time(13, 0))


def open_semester2(facility, *, saturday=None, start=None, end=None):
    quarter = Quarter.objects.get(year=2026, term="semester2")
    set_operating_period(
        actor=None,
        facility=facility,
        quarter=quarter,
        start=start or quarter.start,
        end=end or quarter.end,
        weekday_hours=TERM_HOURS,
        saturday_hours=saturday,
    )
    return facility


def codes(rows) -> set[str]:
    return {facility.code for facility in rows}


def search(day=THURSDAY, **fields):
    filters = finder.FacilityFilters(**fields)
    return codes(finder.apply_filters(finder.public_facilities(), filters, day=day))


# --- filters -----------------------------------------------------------------------------


def test_each_filter_narrows_the_search(people):
    fusion = people.facility("NW", kind="fusion", ages=["elementary_middle"], name="상계 융합센터")
    hub = people.facility("NW", kind="hub", ages=["elementary"], address="서울 노원구 동일로 1")
    community = people.facility("NW", FacilityType.COMMUNITY, ages=["infant"])
    middle = people.facility("GN", ages=["middle"])
    kinder = people.facility("GN", FacilityType.KIDS_CAFE, ages=["kindergarten"])
    closed = people.facility("GN", name="문닫은 센터")
    Facility.objects.filter(pk=closed.pk).update(is_operating=False)
    everyone = {f.code for f in (fusion, hub, community, middle, kinder, closed)}

    assert search() == everyone
    assert search(district="NW") == {fusion.code, hub.code, community.code}
    assert search(district="nw") == {fusion.code, hub.code, community.code}
    assert search(facility_type="CC") == {community.code}
    assert search(kind="hub") == {hub.code}
    assert search(age="elementary") == {fusion.code, hub.code}
    assert search(age="middle") == {fusion.code, middle.code}
    assert search(age="infant") == {community.code}
    # 영유아 facilities take children of kindergarten age too.
    assert search(age="kindergarten") == {kinder.code, community.code}
    assert search(q="융합") == {fusion.code}
    assert search(q="동일로") == {hub.code}
    assert search(operating=True) == everyone - {closed.code}
    assert search(operating=False) == {closed.code}
    assert search(district="NW", age="elementary", kind="fusion") == {fusion.code}


def test_filters_give_the_map_query_and_a_cache_key_per_search():
    filters = finder.FacilityFilters(district="NW", age="elementary", accepting=True)
    assert filters.query() == {"district": "NW", "age": "elementary", "accepting": "1"}
    other = finder.FacilityFilters(district="NW", age="elementary")
    assert filters.cache_key(THURSDAY) != other.cache_key(THURSDAY)
    assert filters.cache_key(THURSDAY) != filters.cache_key(THURSDAY + dt.timedelta(days=1))
    assert filters.cache_key(THURSDAY) == finder.FacilityFilters(
        age="elementary", accepting=True, district="NW"
    ).cache_key(THURSDAY)


# --- accepting now ---------------------------------------------------------------------


def load(facility, *, shared, quota, waitlisted, day=THURSDAY):
    from kium.reservations.models import DayLoad

    DayLoad.objects.create(
        facility=facility,
        date=day,
        shared_capacity=shared[0],
        shared_used=shared[1],
        quota_capacity=quota[0],
        quota_used=quota[1],
        waitlist_capacity=2 * (shared[0] + quota[0]),
        waitlisted=waitlisted,
    )


def approve(officer, facility, capacity):
    # Submitted by the system, decided by the officer (one may not decide one's own).
    request = submit_capacity_request(
        actor=None, facility=facility, requested_capacity=capacity, reason="시험"
    )
    approve_capacity_request(actor=officer, request=request)


@pytest.fixture
def mixed(people):
    """Facilities covering every branch of the operating-day rule and of the places."""
    officer = people.city_officer()
    open_general = open_semester2(people.facility("NW", kind="general"))
    open_hub = open_semester2(people.facility("NW", kind="hub"))
    no_period = people.facility("NW", kind="general")
    own_closed = open_semester2(people.facility("NW", kind="general"))
    add_closed_day(actor=None, facility=own_closed, date=THURSDAY, reason="소독")
    not_operating = open_semester2(people.facility("NW", kind="general"))
    Facility.objects.filter(pk=not_operating.pk).update(is_operating=False)
    tiny = open_semester2(people.facility("NW", kind="general", area_m2=Decimal("3.00")))
    small_override = open_semester2(people.facility("NW", kind="general"))
    approve(officer, small_override, 1)
    # An approved capacity wins over an area too small for one child.
    override_small_area = open_semester2(
        people.facility("NW", kind="general", area_m2=Decimal("2.00"))
    )
    approve(officer, override_small_area, 10)
    saturday_centre = open_semester2(people.facility("NW", kind="fusion"), saturday=SATURDAY_HOURS)
    cafe = open_semester2(people.facility("NW", FacilityType.KIDS_CAFE))
    period_ended = open_semester2(
        people.facility("NW", kind="general"), end=THURSDAY - dt.timedelta(days=1)
    )
    # Today's reservation counters: a centre whose shared places are all taken still
    # takes temporary care from its quota; one with both taken is full; a hub's places
    # are all quota.
    quota_left = open_semester2(people.facility("NW", kind="general"))
    load(quota_left, shared=(20, 20), quota=(4, 1), waitlisted=0)
    full = open_semester2(people.facility("NW", kind="fusion"))
    load(full, shared=(20, 20), quota=(4, 4), waitlisted=3)
    hub_full = open_semester2(people.facility("NW", kind="hub"))
    load(hub_full, shared=(0, 0), quota=(20, 20), waitlisted=1)
    shared_left = open_semester2(people.facility("NW", kind="general"))
    load(shared_left, shared=(20, 5), quota=(4, 4), waitlisted=0)
    return {
        "quota_left": quota_left,
        "full": full,
        "hub_full": hub_full,
        "shared_left": shared_left,
        "open_general": open_general,
        "open_hub": open_hub,
        "no_period": no_period,
        "own_closed": own_closed,
        "not_operating": not_operating,
        "tiny": tiny,
        "small_override": small_override,
        "override_small_area": override_small_area,
        "saturday_centre": saturday_centre,
        "cafe": cafe,
        "period_ended": period_ended,
    }


def per_facility_accepting(day) -> set[str]:
    """The slow reference: availability() facility by facility."""
    accepting = set()
    for facility in Facility.objects.all():
        (entry,) = availability(facility=facility, start=day, end=day)
        if entry.open and entry.regular_free + entry.temporary_free > 0:
            accepting.add(facility.code)
    return accepting


@pytest.mark.parametrize("day", [THURSDAY, HANGEUL_DAY, SATURDAY, SUNDAY])
def test_bulk_accepting_agrees_with_availability_day_by_day(mixed, day):
    reference = per_facility_accepting(day)
    rows = finder.annotate_today(finder.public_facilities(), day)
    in_python = {f.code for f in rows if finder.is_accepting(f, day)}
    in_database = codes(
        finder.only_accepting(finder.annotate_today(finder.public_facilities(), day), day)
    )
    ids = finder.accepting_ids(Facility.objects.values_list("pk", flat=True), day)
    assert in_python == reference
    assert in_database == reference
    assert {f.code for f in Facility.objects.filter(pk__in=ids)} == reference


def test_accepting_now_on_a_thursday(mixed):
    accepting = search(accepting=True)
    assert accepting == {
        mixed[name].code
        for name in (
            "quota_left",
            "shared_left",
            "open_general",
            "open_hub",
            "small_override",
            "override_small_area",
            "saturday_centre",
            "cafe",
        )
    }
    for name in (
        "no_period",
        "own_closed",
        "not_operating",
        "tiny",
        "period_ended",
        "full",
        "hub_full",
    ):
        assert mixed[name].code not in accepting


def test_no_one_accepts_on_holidays_and_sundays_saturday_only_with_hours(mixed):
    assert search(accepting=True, day=HANGEUL_DAY) == set()
    assert search(accepting=True, day=SUNDAY) == set()
    assert search(accepting=True, day=SATURDAY) == {mixed["saturday_centre"].code}


def test_city_wide_closed_day_closes_everyone(mixed, people):
    add_closed_day(actor=None, facility=None, date=THURSDAY, reason="시 지정 휴무")
    assert search(accepting=True) == set()


@pytest.mark.parametrize("day", [THURSDAY, SATURDAY])
def test_free_places_and_waitlist_today_match_availability(mixed, day):
    rows = {f.code: f for f in finder.annotate_today(finder.public_facilities(), day)}
    assert len(rows) == Facility.objects.count()  # the counter join repeats no facility
    for facility in Facility.objects.all():
        (entry,) = availability(facility=facility, start=day, end=day)
        expected = (entry.regular_free, entry.temporary_free, entry.waitlist)
        row = rows[facility.code]
        found = (*finder.free_places_today(row, day), finder.waitlist_today(row, day))
        assert found == expected, facility.name
    if day == THURSDAY:
        full = rows[mixed["full"].code]
        assert finder.free_places_today(full, day) == (0, 0)
        assert finder.waitlist_today(full, day) == 3
        assert finder.free_places_today(rows[mixed["quota_left"].code], day) == (0, 3)


def test_accepting_is_a_fixed_number_of_queries(people, django_assert_max_num_queries):
    for _ in range(3):
        open_semester2(people.facility("NW"))
    with django_assert_max_num_queries(1):
        small = [
            finder.is_accepting(f, THURSDAY)
            for f in finder.apply_filters(
                finder.public_facilities(), finder.FacilityFilters(), day=THURSDAY
            )
        ]
    for _ in range(20):
        open_semester2(people.facility("GN"))
    with django_assert_max_num_queries(1):
        large = [
            finder.is_accepting(f, THURSDAY)
            for f in finder.apply_filters(
                finder.public_facilities(), finder.FacilityFilters(), day=THURSDAY
            )
        ]
    assert all(small) and len(small) == 3
    assert all(large) and len(large) == 23


# --- the map's rows ----------------------------------------------------------------------


def test_map_rows_shape_and_facilities_without_coordinates(mixed, people):
    unplaced = people.facility("NW", lat=None, lng=None)
    rows = finder.map_rows(
        finder.FacilityFilters(operating=True), day=THURSDAY, url_for=lambda code: f"/f/{code}/"
    )
    by_code = {row["code"]: row for row in rows}
    assert unplaced.code not in by_code
    assert mixed["not_operating"].code not in by_code
    row = by_code[mixed["open_hub"].code]
    assert row == {
        "code": mixed["open_hub"].code,
        "name": mixed["open_hub"].name,
        "type": "UK",
        "kind": "hub",
        "district": "NW",
        "lat": 37.654,
        "lng": 127.056,
        "address": mixed["open_hub"].address,
        "url": f"/f/{mixed['open_hub'].code}/",
        "accepting": True,
    }
    assert by_code[mixed["no_period"].code]["accepting"] is False
    assert by_code[mixed["cafe"].code]["kind"] is None


# --- 맞춤형정보 ---------------------------------------------------------------------------


def test_ages_from_a_birth_date():
    birth = D(2018, 3, 2)
    assert finder.international_age(birth, D(2026, 3, 1)) == 7
    assert finder.international_age(birth, D(2026, 3, 2)) == 8
    assert finder.calendar_year_age(birth, D(2026, 1, 1)) == 8
    age = finder.ChildAge.from_birth_date(birth, D(2026, 10, 8))
    assert (age.international, age.calendar_year) == (8, 8)


def keys(suggestions) -> list[str]:
    return [s.rule.key for s in suggestions]


@pytest.fixture
def nowon(db):
    return District.objects.get(code="NW")


@pytest.mark.parametrize(
    ("age", "expected"),
    [
        (0, ["local_child", "community", "kids_cafe", "child_care_service", "coordinator"]),
        (5, ["local_child", "community", "kids_cafe", "child_care_service", "coordinator"]),
        (6, ["kium", "local_child", "kids_cafe", "school_care", "child_care_service"]),
        (9, ["kium", "local_child", "kids_cafe", "school_care", "child_care_service"]),
        (
            10,
            ["kium", "local_child", "school_care", "youth_academy", "child_care_service"],
        ),
        (12, ["kium", "local_child", "school_care", "youth_academy", "child_care_service"]),
        (13, ["local_child", "youth_academy"]),
        (16, ["local_child"]),
        (17, ["local_child"]),
    ],
)
def test_services_by_international_age(nowon, age, expected):
    assert (
        keys(finder.suggestions_for(age=finder.ChildAge.from_age(age), district=nowon)) == expected
    )


def test_kids_cafe_counts_calendar_year_age(nowon):
    today = D(2026, 10, 8)
    # Born 2016-12-01: 만 9세 but 연 나이 10 → no kids café.
    late = finder.ChildAge.from_birth_date(D(2016, 12, 1), today)
    assert late.international == 9
    assert "kids_cafe" not in keys(finder.suggestions_for(age=late, district=nowon))
    # Born 2017-01-05: 만 9세 and 연 나이 9 → kids café.
    early = finder.ChildAge.from_birth_date(D(2017, 1, 5), today)
    assert "kids_cafe" in keys(finder.suggestions_for(age=early, district=nowon))
    # Only the 만 나이 9: allowed, with the caveat that explains the 연 나이 rule.
    (cafe,) = [
        s
        for s in finder.suggestions_for(age=finder.ChildAge.from_age(9), district=nowon)
        if s.rule.key == "kids_cafe"
    ]
    assert cafe.caveats and "연 나이" in cafe.caveats[0]
    assert not [
        s
        for s in finder.suggestions_for(age=finder.ChildAge.from_age(8), district=nowon)
        if s.caveats
    ]


def test_counts_are_operating_facilities_the_map_link_shows(
    people, nowon, django_assert_max_num_queries
):
    people.facility("NW", ages=["elementary"])
    people.facility("NW", ages=["elementary_middle"])
    people.facility("NW", ages=["middle"])  # not for an 8-year-old
    closed = people.facility("NW", ages=["elementary"])
    Facility.objects.filter(pk=closed.pk).update(is_operating=False)
    people.facility("GN", ages=["elementary"])  # another district
    people.facility("NW", FacilityType.LOCAL_CHILD)
    people.facility("NW", FacilityType.KIDS_CAFE)
    people.facility("NW", FacilityType.KIDS_CAFE)
    with django_assert_max_num_queries(1):
        suggestions = finder.suggestions_for(age=finder.ChildAge.from_age(8), district=nowon)
    by_key = {s.rule.key: s for s in suggestions}
    assert by_key["kium"].count == 2
    assert by_key["local_child"].count == 1
    assert by_key["kids_cafe"].count == 2
    assert by_key["school_care"].count is None and by_key["school_care"].map_filters is None
    kium = by_key["kium"].map_filters
    assert kium.query() == {"district": "NW", "type": "UK", "age": "elementary"}
    # The map with the link's filters shows exactly the counted facilities.
    shown = search(**{**kium.__dict__, "operating": True})
    assert len(shown) == by_key["kium"].count
