"""GET /facilities/{code}/availability and the detail's hours (public, no auth)."""

import datetime as dt

import pytest
import time_machine

from kium.centres.domain.closed_days import add_closed_day
from kium.centres.domain.periods import set_operating_period
from kium.centres.models import Quarter

D = dt.date
WEEKDAY_HOURS = (dt.time(13, 0), dt.time(20, 0))
# 00:30 Seoul on Thursday 2026-10-08 is still Wednesday 10-07 in UTC.
SEOUL_THURSDAY = dt.datetime(2026, 10, 7, 15, 30, tzinfo=dt.UTC)


def open_semester2(facility, *, saturday=None, start=None, end=None):
    quarter = Quarter.objects.get(year=2026, term="semester2")
    return set_operating_period(
        actor=None,
        facility=facility,
        quarter=quarter,
        start=start or quarter.start,
        end=end or quarter.end,
        weekday_hours=WEEKDAY_HOURS,
        saturday_hours=saturday,
    )


def url(facility):
    return f"/api/v1/facilities/{facility.code}/availability"


@pytest.fixture
def centre(people):
    facility = people.facility("NW", kind="general")
    open_semester2(facility)
    return facility


def test_days_in_api_shape(client, centre):
    response = client.get(url(centre), {"from": "2026-10-08", "to": "2026-10-10"})
    assert response.status_code == 200
    assert response.json() == {
        "days": [
            {
                "date": "2026-10-08",
                "open": True,
                "regular_free": 20,
                # Temporary care may use the shared places and the quota: 20 + 4.
                "temporary_free": 24,
                "waitlist": 0,
            },
            # 한글날 and a Saturday without Saturday hours.
            {
                "date": "2026-10-09",
                "open": False,
                "regular_free": 0,
                "temporary_free": 0,
                "waitlist": 0,
            },
            {
                "date": "2026-10-10",
                "open": False,
                "regular_free": 0,
                "temporary_free": 0,
                "waitlist": 0,
            },
        ]
    }


def test_hub_centre_with_saturday_hours_and_closed_days(client, people):
    hub = people.facility("NW", kind="hub")
    open_semester2(hub, saturday=(dt.time(9), dt.time(13)))
    add_closed_day(actor=None, facility=None, date=D(2026, 10, 14), reason="시 지정 휴무일")
    add_closed_day(actor=None, facility=hub, date=D(2026, 10, 15), reason="방역 소독")
    days = client.get(url(hub), {"from": "2026-10-10", "to": "2026-10-16"}).json()["days"]
    summary = [(d["date"][-2:], d["open"], d["regular_free"], d["temporary_free"]) for d in days]
    assert summary == [
        ("10", True, 0, 20),  # Saturday with hours
        ("11", False, 0, 0),  # Sunday
        ("12", True, 0, 20),
        ("13", True, 0, 20),
        ("14", False, 0, 0),  # city-wide closed day
        ("15", False, 0, 0),  # the centre's own closed day
        ("16", True, 0, 20),
    ]


def test_days_outside_the_operating_period_are_closed(client, people):
    facility = people.facility("NW", kind="general")
    open_semester2(facility, start=D(2026, 10, 12), end=D(2026, 10, 16))
    days = client.get(url(facility), {"from": "2026-10-16", "to": "2026-10-19"}).json()["days"]
    assert [d["open"] for d in days] == [True, False, False, False]


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_defaults_are_two_weeks_from_today_in_seoul(client, centre):
    days = client.get(url(centre)).json()["days"]
    assert len(days) == 14
    assert days[0]["date"] == "2026-10-08" and days[-1]["date"] == "2026-10-21"
    only_from = client.get(url(centre), {"from": "2026-11-02"}).json()["days"]
    assert (only_from[0]["date"], only_from[-1]["date"]) == ("2026-11-02", "2026-11-15")
    only_to = client.get(url(centre), {"to": "2026-10-09"}).json()["days"]
    assert [d["date"] for d in only_to] == ["2026-10-08", "2026-10-09"]


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_to_before_the_default_from_is_invalid_range(client, centre):
    response = client.get(url(centre), {"to": "2026-10-07"})
    assert response.status_code == 400 and response.json()["code"] == "invalid_range"


def test_to_before_from_is_invalid_range(client, centre):
    response = client.get(url(centre), {"from": "2026-10-08", "to": "2026-10-07"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid_range" and "종료일" in body["message"]


def test_at_most_93_days(client, centre):
    ok = client.get(url(centre), {"from": "2026-09-01", "to": "2026-12-02"})
    assert ok.status_code == 200 and len(ok.json()["days"]) == 93
    response = client.get(url(centre), {"from": "2026-09-01", "to": "2026-12-03"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "range_too_long" and "93일" in body["message"]


@pytest.mark.parametrize(
    "params",
    [
        {"from": "2026-13-01"},
        {"from": "tomorrow"},
        {"to": "2026-10-08T10:00:00"},
        {"from": ""},
        {"from": "9999-12-31"},
        {"from": "0001-01-01", "to": "0001-01-02"},
    ],
)
def test_bad_dates_are_400_in_korean(client, centre, params):
    response = client.get(url(centre), params)
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"] and set(body["fields"]) <= set(params)
    messages = [m for field_messages in body["fields"].values() for m in field_messages]
    assert all(any("가" <= ch <= "힣" for ch in m) for m in messages)


def test_unknown_facility_is_404(client, db):
    response = client.get("/api/v1/facilities/NWUK999/availability")
    assert response.status_code == 404
    body = response.json()
    assert body["code"] == "not_found" and body["message"]


def test_lowercase_code_is_found(client, centre):
    response = client.get(f"/api/v1/facilities/{centre.code.lower()}/availability")
    assert response.status_code == 200


def test_signed_in_staff_of_another_district_sees_the_same(client, centre, people):
    # Public data: a signed-in user of another district gets no less than anyone.
    client.force_login(
        people.district_officer("GN"), backend="django.contrib.auth.backends.ModelBackend"
    )
    response = client.get(url(centre), {"from": "2026-10-08", "to": "2026-10-08"})
    assert response.status_code == 200 and response.json()["days"][0]["open"] is True


@pytest.mark.parametrize("days", [1, 60])
def test_fixed_number_of_queries(client, centre, django_assert_num_queries, days):
    end = D(2026, 9, 1) + dt.timedelta(days=days - 1)
    # The facility, its operating periods and the closed days in range.
    with django_assert_num_queries(4):
        response = client.get(url(centre), {"from": "2026-09-01", "to": end.isoformat()})
    assert len(response.json()["days"]) == days


# --- detail: hours ----------------------------------------------------------------------


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_detail_shows_this_quarters_hours(client, people):
    facility = people.facility("NW", kind="general")
    open_semester2(
        facility,
        start=D(2026, 8, 24),
        end=D(2026, 12, 30),
        saturday=(dt.time(9, 30), dt.time(13, 0)),
    )
    body = client.get(f"/api/v1/facilities/{facility.code}").json()
    assert body["hours"] == {
        "quarter": "2학기",
        "start": "2026-08-24",
        "end": "2026-12-30",
        "weekday": {"open": "13:00", "close": "20:00"},
        "saturday": {"open": "09:30", "close": "13:00"},
    }


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_detail_without_saturday_hours(client, centre):
    hours = client.get(f"/api/v1/facilities/{centre.code}").json()["hours"]
    assert hours["weekday"] == {"open": "13:00", "close": "20:00"}
    assert hours["saturday"] is None


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_detail_hours_null_without_a_period_this_quarter(client, people):
    facility = people.facility("NW", kind="general")
    quarter = Quarter.objects.get(year=2026, term="semester1")
    set_operating_period(
        actor=None,
        facility=facility,
        quarter=quarter,
        weekday_hours=WEEKDAY_HOURS,
    )
    response = client.get(f"/api/v1/facilities/{facility.code}")
    assert response.status_code == 200 and response.json()["hours"] is None
