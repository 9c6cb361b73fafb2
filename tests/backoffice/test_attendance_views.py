"""출결관리 and RF카드관리 pages: scoped (other district 404), login required, actions
through the domain, access records, and list sizes that do not grow the query count."""

from __future__ import annotations

import pytest
import time_machine
from django.urls import reverse

from kium.attendance.domain import taps
from kium.attendance.domain.cards import register_card
from kium.attendance.models import Absence, Reader, RfCard, Tap
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
    return Setup(people)


def _day_url(setup):
    return f"{reverse('backoffice:attendance_day')}?facility={setup.facility.code}&date=2026-10-06"


def _pages(setup):
    card = setup.card
    return [
        f"{reverse('backoffice:attendance_cards')}?facility={setup.facility.code}",
        reverse("backoffice:attendance_card", args=[card.pk]),
        f"{reverse('backoffice:attendance_readers')}?facility={setup.facility.code}",
        _day_url(setup),
        f"{reverse('backoffice:attendance_child', args=[setup.child.pk])}"
        f"?facility={setup.facility.code}&month=2026-10",
    ]


def test_pages_for_the_centre_other_district_and_anonymous(client, people, login, setup):
    for url in _pages(setup):
        assert_login_redirect(client.get(url), url)
    login(people.district_officer("GN"))
    for url in _pages(setup):
        assert client.get(url).status_code == 404, url
    login(setup.manager)
    for url in _pages(setup):
        answer = client.get(url)
        assert answer.status_code == 200, url
    assert AccessRecord.objects.filter(actor=setup.manager).exists()


def test_menu_links_lead_to_the_pages(client, login, setup):
    login(setup.manager)
    page = client.get(reverse("backoffice:attendance_cards")).content.decode()
    assert reverse("backoffice:attendance_day") in page
    # the manager's only facility is implied
    assert "04A2241B" in page


def test_register_card_and_card_in_use_message(client, people, login, setup):
    kid = people.child(setup.guardian, name="김바다")
    care(setup.facility, kid)
    client = login(setup.manager)
    url = f"{reverse('backoffice:attendance_cards')}?facility={setup.facility.code}"
    answer = client.post(url, {"child": kid.pk, "card_uid": "04a2241b"})
    assert answer.status_code == 409
    assert "사용 중인 카드" in answer.content.decode()
    assert 'value="04a2241b"' in answer.content.decode()  # what was typed is kept
    answer = client.post(url, {"child": kid.pk, "card_uid": "AB12CD"})
    assert answer.status_code == 302
    assert RfCard.objects.get(card_uid="AB12CD").child == kid


def test_replace_and_retire_from_the_card_page(client, login, setup):
    client = login(setup.manager)
    url = reverse("backoffice:attendance_card", args=[setup.card.pk])
    assert client.post(url, {"action": "retire", "retire-reason": ""}).status_code == 400
    answer = client.post(
        url, {"action": "replace", "replace-card_uid": "CAFE01", "replace-reason": "분실"}
    )
    assert answer.status_code == 302
    setup.card.refresh_from_db()
    assert setup.card.status == "retired"
    assert setup.card.replaced_by.card_uid == "CAFE01"


def test_register_reader_shows_the_token_once_and_revoke(client, login, setup):
    client = login(setup.manager)
    url = f"{reverse('backoffice:attendance_readers')}?facility={setup.facility.code}"
    answer = client.post(url, {"action": "register", "name": "후문"})
    assert answer.status_code == 200
    assert answer["Cache-Control"] == "no-store"
    reader = Reader.objects.get(name="후문")
    page = answer.content.decode()
    assert 'id="new-token"' in page
    assert 'id="new-token"' not in client.get(url).content.decode()
    assert client.post(url, {"action": "revoke", "reader": reader.pk}).status_code == 302
    reader.refresh_from_db()
    assert reader.revoked_at is not None
    assert client.post(url, {"action": "revoke", "reader": 999999}).status_code == 404


def test_day_sheet_shows_expected_children_and_flags(client, people, login, setup):
    taps.record_tap(reader=setup.reader, card_uid="04A2241B", tapped_at=at(12, 50), nonce="a")
    walk_in = people.child(setup.guardian, name="김바다")
    care(setup.facility, walk_in, day=TODAY.replace(day=7))  # care tomorrow, not today
    register_card(actor=setup.manager, facility=setup.facility, child=walk_in, card_uid="AB12")
    taps.record_tap(reader=setup.reader, card_uid="AB12", tapped_at=at(12, 52), nonce="b")
    client = login(setup.manager)
    page = client.get(_day_url(setup)).content.decode()
    assert "12:50" in page and "김바다" in page
    assert "예약 없는 태그" in page


def test_manual_check_in_absent_and_void_from_the_sheet(client, people, login, setup):
    other = people.child(setup.guardian, name="김구름")
    care(setup.facility, other)
    client = login(setup.manager)
    url = _day_url(setup)
    bad = client.post(
        url,
        {
            "action": "manual",
            "manual-child": setup.child.pk,
            "manual-event": "check_in",
            "manual-time": "12:30",
            "manual-reason": "",
        },
    )
    assert bad.status_code == 400
    answer = client.post(
        url,
        {
            "action": "manual",
            "manual-child": setup.child.pk,
            "manual-event": "check_in",
            "manual-time": "12:30",
            "manual-reason": "카드 미지참",
        },
    )
    assert answer.status_code == 302
    tap = Tap.objects.get(manual=True)
    twice = client.post(
        url,
        {
            "action": "manual",
            "manual-child": setup.child.pk,
            "manual-event": "check_in",
            "manual-time": "12:40",
            "manual-reason": "다시",
        },
    )
    assert twice.status_code == 409
    assert "이미 등원" in twice.content.decode()
    answer = client.post(
        url, {"action": "absent", "absent-child": other.pk, "absent-reason": "감기"}
    )
    assert answer.status_code == 302
    assert Absence.objects.get().child == other
    answer = client.post(url, {"action": "void", "target": tap.pk, "reason": "잘못 입력"})
    assert answer.status_code == 302
    tap.refresh_from_db()
    assert tap.voided_at is not None


def test_day_actions_out_of_scope_are_404(client, people, login, setup):
    stranger = Setup(people, district="GN", uid="99AA")
    t = taps.record_tap(reader=stranger.reader, card_uid="99AA", tapped_at=at(12, 50), nonce="z")
    client = login(setup.manager)
    answer = client.post(_day_url(setup), {"action": "void", "target": t.tap.pk, "reason": "x"})
    assert answer.status_code == 404
    t.tap.refresh_from_db()
    assert t.tap.voided_at is None


def test_day_export_asks_for_a_reason(client, login, setup):
    taps.record_tap(reader=setup.reader, card_uid="04A2241B", tapped_at=at(12, 50), nonce="a")
    client = login(setup.manager)
    url = reverse("backoffice:attendance_day_export")
    url = f"{url}?facility={setup.facility.code}&date=2026-10-06"
    assert client.get(url).status_code == 200
    answer = client.post(url, {"reason": "월말 출결 점검"})
    assert answer.status_code == 200
    assert answer["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AccessRecord.objects.filter(action="download").exists()


def _children(people, setup, prefix, n):
    """``n`` more children with care today, a card and a check-in."""
    for i in range(n):
        kid = people.child(setup.guardian, name=f"{prefix}{i}")
        care(setup.facility, kid)
        uid = f"{prefix}{i:04d}"
        register_card(actor=setup.manager, facility=setup.facility, child=kid, card_uid=uid)
        taps.record_tap(reader=setup.reader, card_uid=uid, tapped_at=at(12, 30), nonce=uid)


@pytest.mark.parametrize("name", ["day", "cards"])
def test_lists_do_not_grow_queries(
    client, people, login, setup, django_assert_max_num_queries, name
):
    client = login(setup.manager)
    url = (
        _day_url(setup)
        if name == "day"
        else f"{reverse('backoffice:attendance_cards')}?facility={setup.facility.code}"
    )
    _children(people, setup, "C", 2)
    client.get(url)  # warm the session and scope
    with django_assert_max_num_queries(30) as small:
        assert client.get(url).status_code == 200
    _children(people, setup, "D", 12)
    with django_assert_max_num_queries(len(small.captured_queries)):
        page = client.get(url).content.decode()
    assert "D11" in page or "D0011" in page
