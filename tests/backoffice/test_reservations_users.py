"""이용자관리 per care type, 일일 이용자관리, 대기 현황 and 정원 달력 (RES-8, RES-11)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kium.centres.models import FacilityProfile
from kium.core.models import AccessRecord
from kium.reservations.domain import booking, transitions
from kium.reservations.domain.booking import Household, SickCare
from tests.backoffice.conftest import assert_login_redirect
from tests.backoffice.test_reservations_support import (
    NEXT_DAY,
    apply,
    book,
    confirmed_regular,
    count_queries,
    family,
    frozen_clock,  # noqa: F401
    open_centre,
    sheet_rows,
)
from tests.reservations.support import temporary

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen_clock")]

REGULAR = reverse("backoffice:reservation_users_regular")
TEMPORARY = reverse("backoffice:reservation_users_temporary")
SICK = reverse("backoffice:reservation_users_sick")
DAILY = reverse("backoffice:reservation_daily")
WAITLISTS = reverse("backoffice:reservation_waitlists")
CALENDAR = reverse("backoffice:reservation_calendar")


def _sick(people, centre, *, child="아픈아이"):
    FacilityProfile.objects.update_or_create(facility=centre, defaults={"sick_child_care": True})
    facility = booking.bookable_facility(centre.code)
    guardian, kid = family(people, child=child)
    request = temporary(facility, kid, care_type="sick")
    request.sick = SickCare(
        symptoms="38도 발열", clinic_escort_consent=True, reachable_phone="0212345678"
    )
    return booking.book_single_day(actor=guardian, guardian=guardian, request=request).reservation


# --- 이용자관리 -------------------------------------------------------------------------------


def test_each_list_shows_its_care_in_use_only(people, login):
    centre = open_centre(people)
    confirmed_regular(people, centre, child="정기확정")
    apply(people, centre, child="정기대기")  # pending: not a user yet
    book(people, centre, child="일시확정")
    _sick(people, centre, child="아픈확정")
    client = login(people.centre_manager(centre))
    regular = client.get(REGULAR).content.decode()
    assert "정기확정" in regular and "정기대기" not in regular and "일시확정" not in regular
    temporary_html = client.get(TEMPORARY).content.decode()
    assert "일시확정" in temporary_html and "아픈확정" not in temporary_html
    sick = client.get(SICK).content.decode()
    assert "아픈확정" in sick and "38도 발열" in sick and "0212345678" in sick
    assert AccessRecord.objects.filter(action="reservation.sick.list").count() == 1
    assert AccessRecord.objects.filter(action="reservation.users.list").count() == 2


def test_users_lists_scope_menus_and_login(people, login, client):
    centre = open_centre(people)
    book(people, centre, child="일시확정")
    for url in (REGULAR, TEMPORARY, SICK):
        assert_login_redirect(client.get(url), url)
    other = login(people.district_officer("GN"))
    assert "일시확정" not in other.get(TEMPORARY).content.decode()
    assert other.get(f"{TEMPORARY}?facility={centre.code}").status_code == 404
    # 센터관리자_열린육아방 holds the basic reservation menus, not the per-type user lists.
    basic = people.staff(role="센터관리자_열린육아방", facility_obj=centre)
    assert login(basic).get(SICK).status_code == 403
    assert login(people.guardian()).get(REGULAR).status_code == 403


def test_users_export_includes_the_sick_columns(people, login):
    centre = open_centre(people)
    _sick(people, centre)
    client = login(people.district_officer("NW"))
    url = reverse("backoffice:reservation_users_sick_export")
    response = client.post(url, {"reason": "병원 동행 확인"})
    header, rows = sheet_rows(response.content)
    assert header[-3:] == ["증상", "병원 동행 동의", "연락 가능한 전화번호"]
    assert rows[0][-3:] == ["38도 발열", "동의", "0212345678"]
    assert AccessRecord.objects.get(action="download").subject_type == (
        "export.reservation_users_sick"
    )


def test_users_list_query_count_does_not_grow(people, login):
    centre = open_centre(people)
    book(people, centre)
    client = login(people.centre_manager(centre))
    few = count_queries(client, TEMPORARY)
    for n in range(6):
        book(people, centre, child=f"아동{n}")
    assert count_queries(client, TEMPORARY) == few


# --- 일일 이용자관리 --------------------------------------------------------------------------


def test_daily_groups_the_days_children_by_hour(people, login):
    centre = open_centre(people)
    confirmed_regular(people, centre, child="정기아동")  # 13:00 every weekday
    book(people, centre, child="두시아동", start=(14, 0))
    book(people, centre, child="세시아동", start=(15, 0))
    book(people, centre, child="다른날아동", day=NEXT_DAY + dt.timedelta(days=1))
    manager = people.centre_manager(centre)
    client = login(manager)
    response = client.get(f"{DAILY}?facility={centre.code}&date={NEXT_DAY.isoformat()}")
    html = response.content.decode()
    assert response.status_code == 200
    assert "다른날아동" not in html
    assert html.index("13시 등원") < html.index("정기아동") < html.index("14시 등원")
    assert html.index("두시아동") < html.index("15시 등원") < html.index("세시아동")
    assert "3명 (정기 1명, 일시·아픈아이 2명)" in html
    assert "3 / 10명" in html  # shared places used of capacity
    record = AccessRecord.objects.get(action="reservation.daily.list")
    assert record.subject_id == str(centre.pk)


def test_daily_defaults_to_the_centre_and_today_and_marks_closed_days(people, login):
    centre = open_centre(people)
    client = login(people.centre_manager(centre))
    html = client.get(DAILY).content.decode()
    assert "2026.10.06" in html  # today, the only centre in scope
    closed = client.get(f"{DAILY}?facility={centre.code}&date=2026-10-09").content.decode()
    assert "운영하지 않는 날" in closed  # 한글날


def test_daily_scope_and_export(people, login, client):
    centre = open_centre(people)
    book(people, centre, child="두시아동")
    url = f"{DAILY}?facility={centre.code}&date={NEXT_DAY.isoformat()}"
    assert_login_redirect(client.get(url), url)
    assert login(people.district_officer("GN")).get(url).status_code == 404
    open_centre(people)
    officer = login(people.district_officer("NW"))
    # A district officer with several centres picks one first.
    assert "시설과 날짜를 고르면" in officer.get(DAILY).content.decode()
    export = reverse("backoffice:reservation_daily_export") + url[len(DAILY) :]
    response = officer.post(export, {"reason": "출석 준비"})
    header, rows = sheet_rows(response.content)
    assert rows[0][header.index("아동")] == "두시아동"


def test_daily_query_count_does_not_grow(people, login):
    centre = open_centre(people, area="66.00")
    book(people, centre)
    client = login(people.centre_manager(centre))
    url = f"{DAILY}?facility={centre.code}&date={NEXT_DAY.isoformat()}"
    few = count_queries(client, url)
    for n in range(5):
        book(people, centre, child=f"아동{n}")
        confirmed_regular(people, centre, child=f"정기{n}")
    assert count_queries(client, url) == few


# --- 대기 현황 and 정원 달력 ------------------------------------------------------------------


def test_waitlists_show_day_lines_and_the_regular_line(people, login, frozen_clock):  # noqa: F811
    centre = open_centre(people, area="3.30")  # one place, quota 0, waitlist 2
    book(people, centre, child="자리차지")
    book(people, centre, child="첫대기")
    book(people, centre, child="둘째대기")
    manager = people.centre_manager(centre)
    low = apply(people, centre, child="일반신청", grade=5)
    frozen_clock.shift(dt.timedelta(minutes=1))
    high = apply(people, centre, child="우선신청", grade=2, household=Household(dual_earner=True))
    for waiting in (low, high):
        transitions.put_on_waitlist(actor=manager, reservation=waiting)
    html = login(manager).get(WAITLISTS).content.decode()
    assert html.index("첫대기") < html.index("둘째대기")
    regular_section = html[html.index("정기돌봄 대기") :]
    assert regular_section.index("우선신청") < regular_section.index("일반신청")
    assert AccessRecord.objects.filter(action="reservation.waitlist.list").count() == 1
    assert (
        login(people.district_officer("GN")).get(f"{WAITLISTS}?facility={centre.code}").status_code
        == 404
    )


def test_calendar_month_grid(people, login):
    centre = open_centre(people)
    book(people, centre, child="하루")
    client = login(people.centre_manager(centre))
    response = client.get(f"{CALENDAR}?facility={centre.code}&month=2026-10")
    html = response.content.decode()
    assert response.status_code == 200
    assert "2026년 10월" in html
    day = html[html.index('data-day="2026-10-07"') :]
    assert day.index("정원 1/10") < day.index("</td>")
    assert "별도 0/2" in day[: day.index("</td>")]
    hangul_day = html[html.index('data-day="2026-10-09"') :]
    assert "휴무" in hangul_day[: hangul_day.index("</td>")]
    assert "month=2026-09" in html and "month=2026-11" in html
    assert client.get(f"{CALENDAR}?facility={centre.code}&month=bad").status_code == 400
    assert (
        login(people.district_officer("GN")).get(f"{CALENDAR}?facility={centre.code}").status_code
        == 404
    )


def test_calendar_query_count_is_fixed(people, login):
    centre = open_centre(people)
    client = login(people.centre_manager(centre))
    url = f"{CALENDAR}?facility={centre.code}&month=2026-10"
    empty = count_queries(client, url)
    for n in range(4):
        book(people, centre, child=f"아동{n}", day=NEXT_DAY + dt.timedelta(days=7 * (n % 2)))
    assert count_queries(client, url) == empty


@pytest.mark.parametrize(
    "name",
    [
        "reservation_applications",
        "reservation_applications_export",
        "reservation_offline_new",
        "reservation_users_regular",
        "reservation_users_temporary_export",
        "reservation_daily",
        "reservation_daily_export",
        "reservation_waitlists",
        "reservation_calendar",
        "reservation_extensions",
        "reservation_extensions_export",
    ],
)
def test_every_screen_sends_anonymous_to_login_and_refuses_guardians(people, client, login, name):
    url = reverse(f"backoffice:{name}")
    assert_login_redirect(client.get(url), url)
    assert login(people.guardian()).get(url).status_code == 403


def test_waitlists_query_count_is_fixed(people, login):
    centre = open_centre(people, area="3.30")
    book(people, centre, child="자리")
    book(people, centre, child="대기0")
    client = login(people.centre_manager(centre))
    url = f"{WAITLISTS}?facility={centre.code}"
    few = count_queries(client, url)
    book(people, centre, child="대기1")
    for n in range(3):
        waiting = apply(people, centre, child=f"정기{n}")
        transitions.put_on_waitlist(actor=people.centre_manager(centre), reservation=waiting)
    assert count_queries(client, url) == few
