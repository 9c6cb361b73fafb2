"""Quarter, operating-period and closed-day rules, and which days a facility is open."""

import datetime as dt

import pytest

from kium.centres.domain.closed_days import add_closed_day, remove_closed_day
from kium.centres.domain.errors import FORBIDDEN, OUT_OF_SCOPE, CentresError
from kium.centres.domain.holidays import public_holidays
from kium.centres.domain.periods import set_operating_period
from kium.centres.domain.quarters import define_quarter, update_quarter
from kium.centres.domain.queries import is_operating_day, operating_days, quarters_of_year
from kium.centres.models import ClosedDay, OperatingPeriod, Quarter
from kium.core.models import AuditEntry
from tests.centres.conftest import TERM_HOURS

D = dt.date


# --- quarters ------------------------------------------------------------------------


def test_city_officer_defines_a_quarter_audited(people):
    officer = people.city_officer()
    quarter = define_quarter(
        actor=officer, year=2028, term="semester1", start=D(2028, 3, 2), end=D(2028, 7, 21)
    )
    assert quarter.name == "1학기" and quarter.created_by == officer
    entry = AuditEntry.objects.get(action="quarter.define", object_id=str(quarter.pk))
    assert entry.actor == officer and entry.after["end"] == "2028-07-21"


def test_overlapping_quarters_are_refused(people):
    officer = people.city_officer()
    define_quarter(
        actor=officer, year=2028, term="semester1", start=D(2028, 3, 2), end=D(2028, 7, 21)
    )
    with pytest.raises(CentresError) as exc:
        define_quarter(
            actor=officer,
            year=2028,
            term="summer_vacation",
            start=D(2028, 7, 21),
            end=D(2028, 8, 20),
        )
    assert exc.value.code == "overlap" and exc.value.field == "start"
    assert "2028 1학기" in exc.value.message
    # Across school years too: 2027's 겨울방학 runs to 2028-02-29.
    with pytest.raises(CentresError) as exc:
        define_quarter(
            actor=officer,
            year=2028,
            term="winter_vacation",
            start=D(2028, 2, 1),
            end=D(2028, 2, 10),
        )
    assert exc.value.code == "overlap"


def test_a_short_summer_vacation_is_just_other_dates(people):
    """RES-4: 2024 had a summer vacation shorter than 5 weeks."""
    officer = people.city_officer()
    define_quarter(
        actor=officer, year=2028, term="semester1", start=D(2028, 3, 2), end=D(2028, 7, 28)
    )
    quarter = define_quarter(
        actor=officer, year=2028, term="summer_vacation", start=D(2028, 7, 29), end=D(2028, 8, 20)
    )
    assert (quarter.end - quarter.start).days + 1 < 35


def test_quarter_date_rules(people):
    officer = people.city_officer()
    with pytest.raises(CentresError) as exc:
        define_quarter(
            actor=officer, year=2028, term="semester1", start=D(2028, 7, 1), end=D(2028, 3, 1)
        )
    assert exc.value.field == "end"
    with pytest.raises(CentresError) as exc:
        define_quarter(
            actor=officer, year=2026, term="semester1", start=D(2030, 3, 2), end=D(2030, 7, 1)
        )
    assert exc.value.code == "duplicate"
    with pytest.raises(CentresError) as exc:
        define_quarter(
            actor=officer, year=2028, term="semester2", start=D(2029, 8, 20), end=D(2029, 12, 31)
        )
    assert exc.value.code == "wrong_year"
    with pytest.raises(CentresError):
        define_quarter(
            actor=officer, year=2028, term="autumn", start=D(2028, 9, 1), end=D(2028, 9, 2)
        )


def test_only_city_officers_change_quarters(people, semester1):
    with pytest.raises(CentresError) as exc:
        define_quarter(
            actor=people.district_officer("NW"),
            year=2028,
            term="semester1",
            start=D(2028, 3, 2),
            end=D(2028, 7, 21),
        )
    assert exc.value.code == FORBIDDEN
    with pytest.raises(CentresError):
        update_quarter(
            actor=people.centre_manager(people.facility("NW")),
            quarter=semester1,
            start=semester1.start,
            end=D(2026, 7, 10),
        )
    assert not Quarter.objects.filter(year=2028).exists()


def test_without_dates_the_period_is_the_whole_quarter(people, semester1):
    facility = people.facility("NW")
    period = set_operating_period(
        actor=None, facility=facility, quarter=semester1, weekday_hours=TERM_HOURS
    )
    assert (period.start, period.end) == (semester1.start, semester1.end)
    narrowed = set_operating_period(
        actor=None,
        facility=facility,
        quarter=semester1,
        start=semester1.start + dt.timedelta(days=7),
        weekday_hours=TERM_HOURS,
    )
    assert (narrowed.start, narrowed.end) == (semester1.start + dt.timedelta(days=7), semester1.end)


def test_update_quarter_keeps_facilities_periods_inside(people, semester1):
    officer = people.city_officer()
    facility = people.facility("NW")
    set_operating_period(
        actor=None,
        facility=facility,
        quarter=semester1,
        start=D(2026, 3, 2),
        end=D(2026, 7, 19),
        weekday_hours=TERM_HOURS,
    )
    with pytest.raises(CentresError) as exc:
        update_quarter(actor=officer, quarter=semester1, start=D(2026, 3, 2), end=D(2026, 7, 17))
    assert exc.value.code == "periods_outside"
    with pytest.raises(CentresError) as exc:
        update_quarter(actor=officer, quarter=semester1, start=D(2026, 3, 2), end=D(2026, 7, 25))
    assert exc.value.code == "overlap"  # runs into 여름방학
    update_quarter(actor=officer, quarter=semester1, start=D(2026, 3, 1), end=D(2026, 7, 19))
    semester1.refresh_from_db()
    assert semester1.start == D(2026, 3, 1)
    entry = AuditEntry.objects.get(action="quarter.update")
    assert entry.before["start"] == "2026-03-02" and entry.after["start"] == "2026-03-01"


def test_quarters_of_year_in_term_order(db):
    assert [q.term for q in quarters_of_year(2026)] == [
        "semester1",
        "summer_vacation",
        "semester2",
        "winter_vacation",
    ]
    assert quarters_of_year(1999) == []


# --- operating periods ---------------------------------------------------------------


def test_period_outside_its_quarter_is_refused(people, semester1):
    facility = people.facility("NW")
    for start, end, field in [
        (D(2026, 3, 1), D(2026, 7, 19), "start"),
        (D(2026, 3, 2), D(2026, 7, 20), "end"),
    ]:
        with pytest.raises(CentresError) as exc:
            set_operating_period(
                actor=None,
                facility=facility,
                quarter=semester1,
                start=start,
                end=end,
                weekday_hours=TERM_HOURS,
            )
        assert exc.value.code == "outside_quarter" and exc.value.field == field
    with pytest.raises(CentresError) as exc:
        set_operating_period(
            actor=None,
            facility=facility,
            quarter=semester1,
            start=D(2026, 3, 2),
            end=D(2026, 7, 19),
            weekday_hours=(dt.time(20), dt.time(13)),
        )
    assert exc.value.code == "invalid_hours"
    assert not OperatingPeriod.objects.exists()


def test_correcting_a_wrong_end_date_is_one_edit(people, semester1):
    """FAQ Q5: the same call corrects the period; the audit shows before and after."""
    facility = people.facility("NW")
    manager = people.centre_manager(facility)
    first = set_operating_period(
        actor=manager,
        facility=facility,
        quarter=semester1,
        start=D(2026, 3, 2),
        end=D(2026, 6, 30),
        weekday_hours=TERM_HOURS,
    )
    fixed = set_operating_period(
        actor=manager,
        facility=facility,
        quarter=semester1,
        start=D(2026, 3, 2),
        end=D(2026, 7, 17),
        weekday_hours=TERM_HOURS,
    )
    assert fixed.pk == first.pk and OperatingPeriod.objects.count() == 1
    entry = AuditEntry.objects.filter(action="operating_period.set").order_by("id").last()
    assert entry.before["end"] == "2026-06-30" and entry.after["end"] == "2026-07-17"
    assert entry.actor == manager


def test_operating_period_scope(people, semester1):
    facility = people.facility("NW")
    for outsider in (people.district_officer("GN"), people.centre_manager(people.facility("NW"))):
        with pytest.raises(CentresError) as exc:
            set_operating_period(
                actor=outsider,
                facility=facility,
                quarter=semester1,
                start=semester1.start,
                end=semester1.end,
                weekday_hours=TERM_HOURS,
            )
        assert exc.value.code == OUT_OF_SCOPE
    set_operating_period(
        actor=people.district_officer("NW"),
        facility=facility,
        quarter=semester1,
        start=semester1.start,
        end=semester1.end,
        weekday_hours=TERM_HOURS,
    )
    assert OperatingPeriod.objects.filter(facility=facility).count() == 1


# --- closed days ---------------------------------------------------------------------


def test_closed_day_permissions_and_duplicates(people):
    nw = people.facility("NW")
    with pytest.raises(CentresError) as exc:
        add_closed_day(
            actor=people.district_officer("NW"), facility=None, date=D(2026, 4, 15), reason="x"
        )
    assert exc.value.code == FORBIDDEN
    with pytest.raises(CentresError) as exc:
        add_closed_day(
            actor=people.district_officer("GN"), facility=nw, date=D(2026, 4, 15), reason="x"
        )
    assert exc.value.code == OUT_OF_SCOPE
    manager = people.centre_manager(nw)
    day = add_closed_day(actor=manager, facility=nw, date=D(2026, 4, 15), reason="방역 소독")
    with pytest.raises(CentresError) as exc:
        add_closed_day(actor=manager, facility=nw, date=D(2026, 4, 15), reason="다시")
    assert exc.value.code == "duplicate" and exc.value.field == "date"
    with pytest.raises(CentresError) as exc:
        add_closed_day(actor=manager, facility=nw, date=D(2026, 4, 16), reason="  ")
    assert exc.value.field == "reason"
    with pytest.raises(CentresError):
        remove_closed_day(actor=people.district_officer("GN"), closed_day=day)
    remove_closed_day(actor=manager, closed_day=day)
    assert not ClosedDay.objects.exists()
    assert list(
        AuditEntry.objects.filter(object_type="centres.closedday")
        .order_by("id")
        .values_list("action", flat=True)
    ) == ["closed_day.add", "closed_day.remove"]


# --- operating days ------------------------------------------------------------------


def test_public_holidays_come_from_the_holidays_package(db):
    year = public_holidays(2026)
    # 2026-03-01 (삼일절) is a Sunday, so 03-02 is its 대체공휴일; 추석 is 09-24..26.
    assert D(2026, 3, 2) in year and "대체" in year[D(2026, 3, 2)]
    assert {D(2026, 9, 24), D(2026, 9, 25), D(2026, 9, 26)} <= set(year)


def test_public_holidays_are_closed(people, open_all_year):
    facility = open_all_year(people.facility("NW"))
    assert not is_operating_day(facility, D(2026, 3, 2))  # 삼일절 대체공휴일 (Monday)
    assert is_operating_day(facility, D(2026, 3, 3))
    assert not is_operating_day(facility, D(2026, 9, 25))  # 추석 (Friday)
    assert not is_operating_day(facility, D(2026, 9, 24))
    assert is_operating_day(facility, D(2026, 9, 23))


def test_weekends_and_days_outside_periods(people, open_all_year):
    weekdays_only = open_all_year(people.facility("NW"))
    with_saturday = open_all_year(people.facility("NW"), saturday=(dt.time(10), dt.time(14)))
    saturday, sunday = D(2026, 4, 18), D(2026, 4, 19)
    assert not is_operating_day(weekdays_only, saturday)
    assert is_operating_day(with_saturday, saturday)
    assert not is_operating_day(with_saturday, sunday)
    no_periods = people.facility("NW")
    assert not is_operating_day(no_periods, D(2026, 4, 15))
    assert not is_operating_day(weekdays_only, D(2027, 3, 3))  # no 2027 period yet


def test_a_city_wide_closed_day_closes_every_facility(people, open_all_year):
    one = open_all_year(people.facility("NW"))
    two = open_all_year(people.facility("GN"))
    day = D(2026, 4, 15)
    assert is_operating_day(one, day) and is_operating_day(two, day)
    add_closed_day(actor=people.city_officer(), facility=None, date=day, reason="시 지정 휴무일")
    assert not is_operating_day(one, day) and not is_operating_day(two, day)


def test_a_facility_closed_day_closes_only_that_facility(people, open_all_year):
    one = open_all_year(people.facility("NW"))
    two = open_all_year(people.facility("NW"))
    day = D(2026, 4, 15)
    add_closed_day(actor=None, facility=one, date=day, reason="방역 소독")
    assert not is_operating_day(one, day)
    assert is_operating_day(two, day)


def test_operating_days_over_a_range(people, open_all_year):
    facility = open_all_year(people.facility("NW"))
    add_closed_day(actor=None, facility=facility, date=D(2026, 3, 5), reason="소독")
    # 2026-03-01 (Sun) … 03-08 (Sun): 03-02 holiday, 03-05 closed, 03-07/08 weekend.
    assert operating_days(facility, D(2026, 3, 1), D(2026, 3, 8)) == [
        D(2026, 3, 3),
        D(2026, 3, 4),
        D(2026, 3, 6),
    ]
    assert operating_days(facility, D(2026, 3, 8), D(2026, 3, 1)) == []


def test_a_facility_not_in_operation_has_no_operating_days(people, open_all_year):
    facility = open_all_year(people.facility("NW"))
    facility.is_operating = False
    facility.save(update_fields=["is_operating"])
    assert not is_operating_day(facility, D(2026, 3, 3))
