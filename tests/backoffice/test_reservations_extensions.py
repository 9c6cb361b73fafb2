"""이용기간 연장관리 (RES-9) and 센터 예약 규칙 screens."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kium.centres.domain.periods import set_operating_period
from kium.centres.models import Quarter
from kium.core.models import AccessRecord, AuditEntry
from kium.reservations.domain import extension
from kium.reservations.domain.booking import Household
from kium.reservations.domain.calendar import extension_rows
from kium.reservations.models import CentrePolicy, Reservation
from tests.backoffice.conftest import assert_login_redirect
from tests.backoffice.test_reservations_support import (
    apply,
    book,
    confirmed_regular,
    frozen_clock,  # noqa: F401
    open_centre,
    sheet_rows,
)
from tests.reservations.support import HOURS

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

EXTENSIONS = reverse("backoffice:reservation_extensions")
AFTER_CUTOFF = dt.datetime(2026, 12, 20, 1, tzinfo=dt.UTC)


def _open_winter(centre):
    winter = Quarter.objects.get(year=2026, term="winter_vacation")
    set_operating_period(
        actor=None,
        facility=centre,
        quarter=winter,
        start=dt.date(2027, 1, 4),
        end=winter.end,
        weekday_hours=HOURS,
    )


def _semester2():
    return Quarter.objects.get(year=2026, term="semester2")


def _candidates(people):
    centre = open_centre(people)
    _open_winter(centre)
    going = confirmed_regular(people, centre, child="계속아동")
    stopping = confirmed_regular(people, centre, child="중단아동")
    extension.stop_extension(actor=stopping.guardian, reservation=stopping)
    short = confirmed_regular(people, centre, child="짧은아동", end=dt.date(2026, 12, 18))
    return centre, going, stopping, short


def _url(centre) -> str:
    return f"{EXTENSIONS}?facility={centre.code}&quarter={_semester2().pk}"


def test_list_shows_states_stops_and_the_cutoff(people, login):
    centre, going, _stopping, short = _candidates(people)
    client = login(people.centre_manager(centre))
    response = client.get(EXTENSIONS)  # the only centre, the current quarter
    html = response.content.decode()
    assert response.status_code == 200
    assert "계속아동" in html and "중단아동" in html and "짧은아동" not in html
    assert 'data-state="continuing"' in html and 'data-state="stopped"' in html
    assert "변경 마감일 2026.12.17" in html
    assert 'value="run"' not in html and 'value="extend"' not in html  # before the cut-off
    assert AccessRecord.objects.filter(action="reservation.extensions.list").count() == 1
    response = client.post(_url(centre), {"action": "run"})
    assert response.status_code == 400
    assert "2026.12.17까지는 연장 처리를 할 수 없습니다" in response.content.decode()
    assert not Reservation.objects.filter(extended_from__isnull=False).exists()
    assert short.pk and going.pk


def test_extend_one_then_all_after_the_cutoff(people, login, frozen_clock):  # noqa: F811
    centre, going, stopping, _short = _candidates(people)
    other = confirmed_regular(people, centre, child="또다른아동")
    frozen_clock.move_to(AFTER_CUTOFF)
    client = login(people.centre_manager(centre))
    html = client.get(_url(centre)).content.decode()
    assert 'value="run"' in html and html.count('value="extend"') == 2
    response = client.post(_url(centre), {"action": "extend", "reservation": going.pk})
    assert response.status_code == 302
    assert Reservation.objects.get(extended_from=going).status == "confirmed"
    response = client.post(_url(centre), {"action": "run"})
    assert response.status_code == 302
    assert Reservation.objects.get(extended_from=other).status == "confirmed"
    assert not Reservation.objects.filter(extended_from=stopping).exists()
    assert AuditEntry.objects.filter(action="reservation.extend").count() == 2
    html = client.get(_url(centre)).content.decode()
    assert html.count('data-state="extended"') == 2
    # Extending twice is refused with the engine's message.
    response = client.post(_url(centre), {"action": "extend", "reservation": going.pk})
    assert response.status_code == 400
    assert "이미 연장된 이용입니다." in response.content.decode()


def test_extensions_scope_and_access(people, login, client):
    centre, going, *_ = _candidates(people)
    assert_login_redirect(client.get(EXTENSIONS), EXTENSIONS)
    assert login(people.guardian()).get(EXTENSIONS).status_code == 403
    other = login(people.district_officer("GN"))
    assert other.get(_url(centre)).status_code == 404
    assert other.post(_url(centre), {"action": "run"}).status_code == 404
    # A reservation of another centre cannot be named in this centre's list.
    officer = login(people.district_officer("NW"))
    neighbour = open_centre(people)
    response = officer.post(
        f"{EXTENSIONS}?facility={neighbour.code}&quarter={_semester2().pk}",
        {"action": "extend", "reservation": going.pk},
    )
    assert response.status_code in (400, 404)
    assert not Reservation.objects.filter(extended_from=going).exists()


def test_extensions_export(people, login):
    centre, *_ = _candidates(people)
    client = login(people.district_officer("NW"))
    url = f"{reverse('backoffice:reservation_extensions_export')}?facility={centre.code}"
    url += f"&quarter={_semester2().pk}"
    response = client.post(url, {"reason": "연장 안내"})
    header, rows = sheet_rows(response.content)
    states = {row[header.index("아동")]: row[header.index("연장 상태")] for row in rows}
    assert states == {"계속아동": "자동 연장 예정", "중단아동": "보호자 연장 중단"}


def test_extension_rows_agree_with_state_of(people, frozen_clock):  # noqa: F811
    centre, going, stopping, _short = _candidates(people)
    full = open_centre(people, area="3.30")  # one place
    _open_winter(full)
    waits = confirmed_regular(people, full, child="대기될아동")
    quarter = _semester2()
    before = extension_rows(facility=centre, quarter=quarter)
    assert {row.state.code for row in before} == {"continuing", "stopped"}
    assert all(row.state == extension.state_of(row.reservation) for row in before)
    # Someone takes the only winter place first, so this care's extension has to wait.
    frozen_clock.move_to(dt.datetime(2027, 1, 4, 1, tzinfo=dt.UTC))
    book(people, full, child="겨울일시", day=dt.date(2027, 1, 5))
    frozen_clock.move_to(AFTER_CUTOFF)
    extension.extend(actor=None, reservation=going)
    extension.extend(actor=None, reservation=waits)
    seen = set()
    for facility in (centre, full):
        for row in extension_rows(facility=facility, quarter=quarter):
            fresh = Reservation.objects.get(pk=row.reservation.pk)
            assert row.state == extension.state_of(fresh), fresh
            seen.add(row.state.code)
    assert seen == {"extended", "stopped", "waiting"}
    assert stopping.pk


def test_extensions_query_count_is_fixed(people, login):
    from tests.backoffice.test_reservations_support import count_queries

    centre, *_ = _candidates(people)
    client = login(people.centre_manager(centre))
    few = count_queries(client, _url(centre))
    for n in range(4):
        confirmed_regular(people, centre, child=f"추가{n}")
    assert count_queries(client, _url(centre)) == few


# --- 센터 예약 규칙 -------------------------------------------------------------------------


def _policy_url(centre) -> str:
    return reverse("backoffice:reservation_policy", args=[centre.code])


def test_policy_page_edits_and_reranks(people, login):
    centre = open_centre(people)
    complex_kid = apply(
        people, centre, child="단지아동", grade=5, household=Household(complex_resident=True)
    )
    manager = people.centre_manager(centre)
    client = login(manager)
    page = client.get(_policy_url(centre))
    assert page.status_code == 200
    assert "맞벌이·한부모 가정 저학년(1~3학년)" in page.content.decode()
    data = {
        "rank_complex_resident": "1",
        "rank_working_low_grade": "2",
        "complex_name": "푸른마을",
        "requires_admission_documents": "on",
    }
    response = client.post(_policy_url(centre), data)
    assert response.status_code == 302
    saved = CentrePolicy.objects.get(facility=centre)
    assert saved.priority_rules == ["complex_resident", "working_low_grade"]
    assert saved.requires_admission_documents and saved.complex_name == "푸른마을"
    assert Reservation.objects.get(pk=complex_kid.pk).priority_rank == 0
    assert AuditEntry.objects.get(action="reservation.centre_policy").actor_id == manager.pk
    again = client.get(_policy_url(centre)).content.decode()
    assert 'value="1" selected' in again


def test_policy_errors_stay_on_the_page(people, login):
    centre = open_centre(people)
    client = login(people.district_officer("NW"))
    response = client.post(
        _policy_url(centre), {"rank_working": "1", "rank_low_grade": "1", "complex_name": ""}
    )
    assert response.status_code == 400
    assert "같은 순위를 두 기준에 줄 수 없습니다." in response.content.decode()
    response = client.post(_policy_url(centre), {"rank_complex_resident": "1", "complex_name": ""})
    assert response.status_code == 400
    assert response.context["form"].errors["complex_name"]
    assert CentrePolicy.objects.get(facility=centre).priority_rules == [
        "working_low_grade",
        "many_children_low_grade",
        "working",
    ]


def test_policy_scope(people, login, client):
    centre = open_centre(people)
    url = _policy_url(centre)
    assert_login_redirect(client.get(url), url)
    assert login(people.guardian()).get(url).status_code == 403
    assert login(people.district_officer("GN")).get(url).status_code == 404
    other = login(people.centre_manager(open_centre(people)))
    assert other.post(url, {"rank_working": "1"}).status_code == 404
    assert login(people.city_officer()).get(url).status_code == 200
