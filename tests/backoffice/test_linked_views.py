"""연계돌봄 (ATT-3): one child's history across the facilities the staff scope covers;
other district 404, guardian 403, anonymous → login, access records, fixed query counts."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from kium.attendance.domain import taps
from kium.attendance.domain.cards import register_card
from kium.attendance.domain.readers import register_reader
from kium.core.models import AccessRecord
from tests.attendance.support import NOW, TODAY, Setup, at, care
from tests.backoffice.conftest import assert_login_redirect

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def setup(people):
    """A child who used a NW centre (taps) and a GN centre (a reservation and a tap)."""
    s = Setup(people)
    taps.record_tap(reader=s.reader, card_uid="04A2241B", tapped_at=at(11, 5), nonce="a")
    s.gn = people.facility("GN")
    s.gn_manager = people.centre_manager(s.gn)
    care(s.gn, s.child, day=TODAY.replace(day=1))
    register_card(actor=s.gn_manager, facility=s.gn, child=s.child, card_uid="GN000001")
    s.gn_reader, _token = register_reader(actor=s.gn_manager, facility=s.gn, name="GN")
    taps.record_tap(reader=s.gn_reader, card_uid="GN000001", tapped_at=at(10, 20), nonce="b")
    return s


def _child_url(setup, month="2026-10"):
    return f"{reverse('backoffice:linked_child', args=[setup.child.pk])}?month={month}"


def test_urls_and_menu():
    assert reverse("backoffice:linked") == "/admin/reservations/linked/"


def test_city_sees_every_facility(client, people, login, setup):
    login(people.city_officer())
    html = client.get(_child_url(setup)).content.decode()
    assert setup.facility.name in html and setup.gn.name in html
    assert "11:05" in html and "10:20" in html


def test_district_officer_sees_only_own_district(client, people, login, setup):
    officer = people.district_officer("NW")
    login(officer)
    answer = client.get(_child_url(setup))
    assert answer.status_code == 200
    html = answer.content.decode()
    assert setup.facility.name in html
    assert "11:05" in html
    assert setup.gn.name not in html
    assert "10:20" not in html
    record = AccessRecord.objects.get(actor=officer, action="attendance.linked.child")
    assert record.subject_id == str(setup.child.pk)


def test_search_in_scope(client, people, login, setup):
    other_guardian = people.guardian()
    stranger = people.child(other_guardian, name="김하늘")  # same name, no facility used
    login(people.district_officer("NW"))
    url = reverse("backoffice:linked")
    answer = client.get(url, {"name": "하늘"})
    assert answer.status_code == 200
    html = answer.content.decode()
    assert reverse("backoffice:linked_child", args=[setup.child.pk]) in html
    assert reverse("backoffice:linked_child", args=[stranger.pk]) not in html
    assert AccessRecord.objects.filter(action="attendance.linked.search").exists()
    answer = client.get(url, {"birth_date": setup.child.birth_date.isoformat()})
    assert reverse("backoffice:linked_child", args=[setup.child.pk]) in answer.content.decode()
    # nothing to search by, or a bad date: 400 with the message, typed value kept
    assert client.get(url, {"name": ""}).status_code == 400
    answer = client.get(url, {"name": "하늘", "birth_date": "2018-99-01"})
    assert answer.status_code == 400
    assert "YYYY.MM.DD" in answer.content.decode()
    assert 'value="하늘"' in answer.content.decode()


def test_other_district_404_guardian_403_anonymous(client, people, login, setup):
    url = _child_url(setup)
    assert_login_redirect(client.get(url), url)
    login(people.district_officer("GS"))
    assert client.get(url).status_code == 404
    search = client.get(reverse("backoffice:linked"), {"name": "하늘"}).content.decode()
    assert reverse("backoffice:linked_child", args=[setup.child.pk]) not in search
    login(setup.guardian)
    assert client.get(url).status_code == 403
    assert client.get(reverse("backoffice:linked")).status_code == 403


def test_bad_month_is_400(client, people, login, setup):
    login(people.city_officer())
    answer = client.get(_child_url(setup, month="10-2026"))
    assert answer.status_code == 400
    assert "YYYY-MM" in answer.content.decode()


def test_query_count_does_not_grow(client, people, login, setup, django_assert_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    login(people.city_officer())
    client.get(_child_url(setup))
    with CaptureQueriesContext(connection) as small:
        assert client.get(_child_url(setup)).status_code == 200
    for i in range(4):
        facility = people.facility("NW")
        manager = people.centre_manager(facility)
        care(facility, setup.child)
        register_card(actor=manager, facility=facility, child=setup.child, card_uid=f"X{i:07d}")
        reader, _token = register_reader(actor=manager, facility=facility, name="R")
        taps.record_tap(reader=reader, card_uid=f"X{i:07d}", tapped_at=at(9, i), nonce="c")
    with django_assert_num_queries(len(small.captured_queries)):
        assert client.get(_child_url(setup)).status_code == 200
