"""출결 확인 for guardians (ATT-4): own children only, staff 403, anonymous → login, and a
month table whose query count does not grow with children, facilities or days."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from kium.attendance.domain import taps
from kium.attendance.domain.cards import register_card
from tests.attendance.support import NOW, TODAY, Setup, at, care

pytestmark = pytest.mark.django_db

URL = "/accounts/attendance/"
MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def setup(people):
    return Setup(people)


def _tap(setup, hour, minute=0, nonce=None, day=TODAY, uid="04A2241B", reader=None):
    return taps.record_tap(
        reader=reader or setup.reader,
        card_uid=uid,
        tapped_at=at(hour, minute, day),
        nonce=nonce or f"n-{uid}-{day}-{hour}-{minute}",
    )


def test_url_and_header_link(client, setup):
    assert reverse("public:attendance") == URL
    client.force_login(setup.guardian, backend=MODEL_BACKEND)
    page = client.get(reverse("public:my_reservations")).content.decode()
    assert f'href="{URL}"' in page


def test_guardian_sees_own_child_month(client, people, setup):
    _tap(setup, 11, 5)
    _tap(setup, 12, 40)
    yesterday = TODAY - dt.timedelta(days=1)
    care(setup.facility, setup.child, day=yesterday)
    taps.mark_absent(
        actor=setup.manager,
        child=setup.child,
        facility=setup.facility,
        day=yesterday,
        reason="감기",
    )
    client.force_login(setup.guardian, backend=MODEL_BACKEND)
    answer = client.get(URL)
    assert answer.status_code == 200
    html = answer.content.decode()
    assert setup.child.name in html
    assert setup.facility.name in html
    assert "11:05" in html and "12:40" in html
    assert "감기" in html
    assert "2026.10.06" in html and "2026.10.05" in html
    # month navigation: previous month has nothing, next month is the future (no link)
    assert "month=2026-09" in html
    assert "month=2026-11" not in html
    before = client.get(URL, {"month": "2026-09"}).content.decode()
    assert "11:05" not in before
    assert "이 달 출결 기록이 없습니다." in before


def test_bad_month_is_a_400_with_message(client, setup):
    client.force_login(setup.guardian, backend=MODEL_BACKEND)
    answer = client.get(URL, {"month": "2026-13"})
    assert answer.status_code == 400
    html = answer.content.decode()
    assert "YYYY-MM" in html
    assert 'value="2026-13"' in html


def test_another_guardians_child_is_404_and_not_shown(client, people, setup):
    _tap(setup, 11, 5)
    other = people.guardian()
    other_child = people.child(other, name="이바람")
    client.force_login(other, backend=MODEL_BACKEND)
    assert client.get(URL, {"child": setup.child.pk}).status_code == 404
    assert client.get(URL, {"child": "abc"}).status_code == 404
    html = client.get(URL).content.decode()
    assert other_child.name in html
    assert setup.child.name not in html
    assert "11:05" not in html
    # the owner may pick their child
    client.force_login(setup.guardian, backend=MODEL_BACKEND)
    html = client.get(URL, {"child": setup.child.pk}).content.decode()
    assert "11:05" in html


def test_staff_403_and_anonymous_login(client, setup):
    answer = client.get(URL)
    assert answer.status_code == 302
    assert answer["Location"].startswith(reverse("public:login"))
    assert "next=" in answer["Location"]
    client.force_login(setup.manager, backend=MODEL_BACKEND)
    assert client.get(URL).status_code == 403


def _grow(people, setup, n):
    """n more children of the guardian, each with care and taps at a new facility."""
    for i in range(n):
        facility = people.facility("NW")
        kid = people.child(setup.guardian, name=f"아이{i}")
        care(facility, kid)
        care(facility, kid, day=TODAY - dt.timedelta(days=1))
        uid = f"CAFE{i:04d}"
        register_card(actor=setup.manager_of(facility), facility=facility, child=kid, card_uid=uid)
        reader = setup.reader_of(facility)
        _tap(setup, 11, i, uid=uid, reader=reader)
        _tap(setup, 12, i, uid=uid, reader=reader)
        taps.mark_absent(
            actor=setup.manager_of(facility),
            child=kid,
            facility=facility,
            day=TODAY - dt.timedelta(days=2),
            reason="여행",
        )


class GrowingSetup(Setup):
    def __init__(self, people):
        super().__init__(people)
        self._people, self._managers, self._readers = people, {}, {}

    def manager_of(self, facility):
        if facility == self.facility:
            return self.manager
        return self._managers.setdefault(facility.pk, self._people.centre_manager(facility))

    def reader_of(self, facility):
        from kium.attendance.domain.readers import register_reader

        if facility.pk not in self._readers:
            self._readers[facility.pk] = register_reader(
                actor=self.manager_of(facility), facility=facility, name="리더기"
            )[0]
        return self._readers[facility.pk]


def test_month_table_query_count_is_fixed(client, people, django_assert_num_queries):
    setup = GrowingSetup(people)
    _tap(setup, 11, 5)
    client.force_login(setup.guardian, backend=MODEL_BACKEND)
    client.get(URL)  # warm caches (session, menus)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(URL).status_code == 200
    _grow(people, setup, 4)
    with django_assert_num_queries(len(small.captured_queries)):
        html = client.get(URL).content.decode()
    assert "아이3" in html and "여행" in html
