"""POST/GET /api/v1/reservations and the state-changing operations (API.md)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kium.core.models import AccessRecord
from tests.conftest import bearer
from tests.factories.people import PASSWORD
from tests.reservations.support import NEXT_DAY, NOW, open_centre

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def _guardian(client, people):
    parent = people.guardian()
    kid = people.child(parent, grade=2)
    return parent, kid, bearer(client, parent.username, PASSWORD)


def _temporary(centre, kid, day=NEXT_DAY):
    return {
        "facility": centre.code,
        "child": kid.pk,
        "care_type": "temporary",
        "date": day.isoformat(),
        "start_time": "14:00",
        "end_time": "18:00",
    }


def _post(client, headers, body):
    return client.post("/api/v1/reservations", body, content_type="application/json", **headers)


def test_temporary_booking_confirmed_then_waitlisted_then_full(client, people):
    centre = open_centre(people, area="3.30")  # one place, waitlist 2
    answers = []
    for _ in range(4):
        _, kid, headers = _guardian(client, people)
        answers.append(_post(client, headers, _temporary(centre, kid)))
    assert [a.status_code for a in answers] == [201, 201, 201, 409]
    assert [a.json().get("status") for a in answers[:3]] == ["confirmed", "waitlisted"] * 1 + [
        "waitlisted"
    ]
    assert [a.json()["waitlist_position"] for a in answers[:3]] == [None, 1, 2]
    assert answers[3].json()["code"] == "full"
    assert answers[3].json()["message"] == "그날은 정원과 대기 인원이 모두 찼습니다."


@pytest.mark.parametrize(
    ("change", "code"),
    [
        ({"date": "2026-10-30"}, "outside_booking_window"),
        ({"date": "2026-10-09"}, "not_operating_day"),
        ({"start_time": "09:00"}, "outside_hours"),
    ],
)
def test_rule_refusals_are_422_with_the_rule_code(client, people, change, code):
    centre = open_centre(people)
    _, kid, headers = _guardian(client, people)
    answer = _post(client, headers, {**_temporary(centre, kid), **change})
    assert answer.status_code == 422
    assert answer.json()["code"] == code


def test_duplicate_is_422(client, people):
    centre = open_centre(people)
    _, kid, headers = _guardian(client, people)
    assert _post(client, headers, _temporary(centre, kid)).status_code == 201
    answer = _post(client, headers, _temporary(centre, kid))
    assert (answer.status_code, answer.json()["code"]) == (422, "duplicate")


def test_regular_application_is_pending_and_too_short_is_refused(client, people):
    centre = open_centre(people)
    _, kid, headers = _guardian(client, people)
    body = {
        "facility": centre.code,
        "child": kid.pk,
        "care_type": "regular",
        "start_date": "2026-10-07",
        "end_date": "2026-12-31",
        "weekdays": [0, 2, 4],
        "start_time": "13:00",
        "end_time": "18:00",
    }
    answer = _post(client, headers, body)
    assert answer.status_code == 201
    assert answer.json()["status"] == "pending"
    short = _post(client, headers, {**body, "end_date": "2026-10-20"})
    assert (short.status_code, short.json()["code"]) == (422, "too_short")


def test_someone_elses_child_or_unknown_facility_is_404(client, people):
    centre = open_centre(people)
    _, _kid, headers = _guardian(client, people)
    _, other_kid, _ = _guardian(client, people)
    assert _post(client, headers, _temporary(centre, other_kid)).status_code == 404
    body = {**_temporary(centre, other_kid), "facility": "ZZUK999"}
    assert _post(client, headers, body).status_code == 404


def test_anonymous_is_401_and_staff_cannot_book(client, people):
    centre = open_centre(people)
    _, kid, _ = _guardian(client, people)
    assert _post(client, {}, _temporary(centre, kid)).status_code == 401
    officer = people.district_officer("NW")
    answer = _post(client, bearer(client, officer.username, PASSWORD), _temporary(centre, kid))
    assert answer.status_code == 403


def test_bad_body_is_400_in_korean(client, people):
    _, _, headers = _guardian(client, people)
    answer = _post(client, headers, {"facility": "NWUK001", "care_type": "weekly"})
    assert answer.status_code == 400
    assert answer.json()["code"] == "invalid"
    assert "care_type" in answer.json()["fields"]


def test_dates_must_be_iso_not_unix_times(client, people):
    centre = open_centre(people)
    _, kid, headers = _guardian(client, people)
    answer = _post(client, headers, {**_temporary(centre, kid), "date": 0})
    assert answer.status_code == 400
    assert answer.json()["fields"]["date"] == ["날짜는 YYYY-MM-DD 형식으로 입력해 주세요."]
    listed = client.get("/api/v1/reservations", {"date": "0"}, **headers)
    assert listed.status_code == 400


def test_cancel_offers_and_accept(client, people):
    centre = open_centre(people, area="3.30")
    _, kid1, headers1 = _guardian(client, people)
    _, kid2, headers2 = _guardian(client, people)
    first = _post(client, headers1, _temporary(centre, kid1)).json()
    second = _post(client, headers2, _temporary(centre, kid2)).json()
    # Another guardian cannot touch it.
    assert client.post(f"/api/v1/reservations/{first['id']}/cancel", **headers2).status_code == 404
    cancelled = client.post(f"/api/v1/reservations/{first['id']}/cancel", **headers1)
    assert cancelled.status_code == 200
    assert cancelled.json()["status"] == "cancelled"
    mine = client.get(f"/api/v1/reservations/{second['id']}", **headers2).json()
    assert mine["status"] == "offered"
    assert mine["offer_expires_at"].startswith("2026-10-06T")
    accepted = client.post(f"/api/v1/reservations/{second['id']}/accept", **headers2)
    assert (accepted.status_code, accepted.json()["status"]) == (200, "confirmed")
    again = client.post(f"/api/v1/reservations/{second['id']}/accept", **headers2)
    assert (again.status_code, again.json()["code"]) == (409, "invalid_transition")


def test_expired_offer_is_409(client, people, frozen_clock):
    centre = open_centre(people, area="3.30")
    _, kid1, headers1 = _guardian(client, people)
    _, kid2, headers2 = _guardian(client, people)
    first = _post(client, headers1, _temporary(centre, kid1)).json()
    second = _post(client, headers2, _temporary(centre, kid2)).json()
    client.post(f"/api/v1/reservations/{first['id']}/cancel", **headers1)
    frozen_clock.shift(dt.timedelta(hours=9))
    answer = client.post(f"/api/v1/reservations/{second['id']}/accept", **headers2)
    assert (answer.status_code, answer.json()["code"]) == (409, "offer_expired")
    mine = client.get(f"/api/v1/reservations/{second['id']}", **headers2).json()
    assert mine["status"] == "expired"


def test_staff_list_is_scoped_and_recorded(client, people):
    centre = open_centre(people)
    elsewhere = open_centre(people, district="GN")
    _, kid, headers = _guardian(client, people)
    _post(client, headers, _temporary(centre, kid))
    _post(client, headers, _temporary(elsewhere, kid))
    officer = people.district_officer("NW")
    staff_headers = bearer(client, officer.username, PASSWORD)
    listed = client.get("/api/v1/reservations", {"date": NEXT_DAY.isoformat()}, **staff_headers)
    assert listed.status_code == 200
    assert [r["facility"] for r in listed.json()["results"]] == [centre.code]
    assert AccessRecord.objects.filter(action="reservation.list").count() == 1
    mine = client.get("/api/v1/reservations", **headers).json()
    assert mine["count"] == 2


def test_staff_approve_and_reject(client, people):
    centre = open_centre(people)
    _, kid, headers = _guardian(client, people)
    body = {
        "facility": centre.code,
        "child": kid.pk,
        "care_type": "regular",
        "start_date": "2026-10-07",
        "end_date": "2026-12-31",
        "weekdays": [0, 1, 2, 3, 4],
        "start_time": "13:00",
        "end_time": "18:00",
        "privacy_consent": True,
        "pickup_consent": True,
    }
    applied = _post(client, headers, body).json()
    outsider = bearer(client, people.district_officer("GN").username, PASSWORD)
    url = f"/api/v1/reservations/{applied['id']}"
    assert client.post(f"{url}/approve", **outsider).status_code == 404
    assert client.post(f"{url}/approve", **headers).status_code == 403
    manager = bearer(client, people.centre_manager(centre).username, PASSWORD)
    approved = client.post(f"{url}/approve", **manager)
    assert (approved.status_code, approved.json()["status"]) == (200, "confirmed")
    _, kid2, headers2 = _guardian(client, people)
    other = _post(client, headers2, {**body, "child": kid2.pk}).json()
    rejected = client.post(
        f"/api/v1/reservations/{other['id']}/reject",
        {"reason": "정원 초과"},
        content_type="application/json",
        **manager,
    )
    assert rejected.status_code == 200
    assert rejected.json()["decision_reason"] == "정원 초과"


def test_a_lock_timeout_is_503_busy_and_nothing_is_written(client, people, monkeypatch):
    from kium.core.locking import LockTimeout
    from kium.reservations.domain import booking
    from kium.reservations.models import Reservation

    centre = open_centre(people)
    _, kid, headers = _guardian(client, people)

    def busy(facility_id):
        raise LockTimeout(f"reservations:places:{facility_id}")

    monkeypatch.setattr(booking, "facility_lock", busy)
    answer = _post(client, headers, _temporary(centre, kid))
    assert (answer.status_code, answer.json()["code"]) == (503, "busy")
    assert answer["Retry-After"] == "5"
    assert not Reservation.objects.exists()
