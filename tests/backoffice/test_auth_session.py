import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from tests.factories.people import PASSWORD

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 24, 0, 0, tzinfo=dt.UTC)
PAGE = "/admin/password/change/"  # any back-office page a plain staff account can open


@pytest.fixture
def traveller():
    with time_machine.travel(START, tick=False) as machine:
        yield machine


@pytest.fixture
def staff_client(client, people, traveller):
    user = people.staff()
    response = client.post("/admin/login/", {"username": user.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_idle_for_thirty_minutes_logs_out(staff_client, traveller):
    traveller.shift(dt.timedelta(minutes=29))
    assert staff_client.get(PAGE).status_code == 200
    traveller.shift(dt.timedelta(minutes=30, seconds=1))
    response = staff_client.get(PAGE)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:login") + "?expired=1")
    assert "_auth_user_id" not in staff_client.session
    login_page = staff_client.get(response["Location"])
    assert "자동으로 로그아웃되었습니다" in login_page.content.decode()


def test_status_poll_does_not_count_as_activity(staff_client, traveller):
    traveller.shift(dt.timedelta(minutes=29))
    status = staff_client.get("/admin/session/status")
    assert status.status_code == 200
    assert status.json()["seconds_left"] == 60
    traveller.shift(dt.timedelta(seconds=50))
    assert staff_client.get("/admin/session/status").json()["seconds_left"] == 10
    traveller.shift(dt.timedelta(seconds=11))
    expired = staff_client.get("/admin/session/status")
    assert expired.status_code == 401
    assert expired.json()["code"] == "session_expired"


def test_extend_refreshes_the_idle_clock(staff_client, traveller):
    traveller.shift(dt.timedelta(minutes=29))
    extended = staff_client.post("/admin/session/extend")
    assert extended.status_code == 200
    assert extended.json()["seconds_left"] == 30 * 60
    traveller.shift(dt.timedelta(minutes=29))
    assert staff_client.get(PAGE).status_code == 200


def test_extend_needs_post(staff_client):
    assert staff_client.get("/admin/session/extend").status_code == 405


def test_twelve_hours_in_all_even_when_active(staff_client, traveller):
    for _ in range(35):  # 35 × 20 min = 11 h 40 min of steady use
        traveller.shift(dt.timedelta(minutes=20))
        assert staff_client.get(PAGE).status_code == 200
    left = staff_client.get("/admin/session/status").json()["seconds_left"]
    assert left == 20 * 60
    traveller.shift(dt.timedelta(minutes=20, seconds=1))
    response = staff_client.get(PAGE)
    assert response.status_code == 302
    assert "expired=1" in response["Location"]


def test_htmx_request_after_expiry_gets_401(staff_client, traveller):
    traveller.shift(dt.timedelta(minutes=31))
    response = staff_client.post("/admin/session/extend", HTTP_HX_REQUEST="true")
    assert response.status_code == 401


def test_status_for_anonymous_is_401(client, db):
    assert client.get("/admin/session/status").status_code == 401
    assert client.post("/admin/session/extend").status_code == 401
