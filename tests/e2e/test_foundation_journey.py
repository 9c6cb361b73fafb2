"""Issue 2's journey in a real browser: a district officer signs up, the city approves,
the officer registers a facility and two staff, the centre staff sees only their
facility, and another district's officer gets 404 on it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kium.accounts.models import User
from kium.orgs.models import Facility, RoleAssignment
from tests.factories import people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

OFFICER_PASSWORD = "Kium2026seoul"
STAFF_PASSWORD = "centre2026first"
NEW_STAFF_PASSWORD = "centre2026second"


def login(page, username: str, password: str) -> None:
    page.goto(f"{page.base_url}/admin/login/")
    page.get_by_label("아이디").fill(username)
    page.get_by_label("비밀번호").fill(password)
    page.get_by_role("button", name="로그인").click()


def logout(page) -> None:
    page.context.clear_cookies()


def sign_up_district_officer(page) -> None:
    page.goto(f"{page.base_url}/admin/signup/")
    page.locator("select[name=duty]").select_option("kium")
    page.locator("select[name=jurisdiction]").select_option("district")
    page.locator("select[name=district]").select_option(label="노원구")
    page.locator("input[name=name]").fill("김노원")
    page.locator("input[name=phone]").fill("010-5555-1234")
    page.locator("input[name=username]").fill("nwofficer")
    page.locator("input[name=password1]").fill(OFFICER_PASSWORD)
    page.locator("input[name=password2]").fill(OFFICER_PASSWORD)
    page.locator("input[name=office_phone]").fill("02-2116-3114")
    page.locator("input[name=email]").fill("officer@nowon.example.kr")
    page.get_by_role("button", name="가입 신청").click()
    expect(page.get_by_text("서울시 담당자 승인 후")).to_be_visible()


def approve_as_city_officer(page, city) -> None:
    login(page, city.username, people.PASSWORD)
    page.goto(f"{page.base_url}/admin/users/approvals/")
    page.locator("tr", has_text="nwofficer").get_by_role("link", name="승인/반려").click()
    page.get_by_role("button", name="승인").click()
    expect(page.get_by_text(re.compile("승인"))).not_to_have_count(0)
    logout(page)


def register_facility(page) -> str:
    page.goto(f"{page.base_url}/admin/org/facilities/new/")
    page.locator("input[name=name]").fill("노원21호점 우리동네키움센터")
    page.locator("select[name=district]").select_option(label="노원구")
    page.locator("select[name=facility_type]").select_option("UK")
    page.locator("select[name=kind]").select_option("general")
    # The dong list follows the district through htmx.
    expect(page.locator("select[name=dong] option", has_text="상계1동")).to_have_count(1)
    page.locator("select[name=dong]").select_option(label="상계1동")
    page.locator("label", has_text="초등학생").click()
    expect(page.get_by_label("초등학생", exact=True)).to_be_checked()
    page.locator("input[name=address]").fill("서울특별시 노원구 동일로 1414")
    page.locator("input[name=lat]").fill("37.6543")
    page.locator("input[name=lng]").fill("127.0568")
    page.locator("input[name=area_m2]").fill("66")
    page.locator("input[name=email]").fill("nw21@example.kr")
    page.get_by_role("button", name=re.compile("저장|등록")).click()
    expect(page.get_by_text("NWUK001").first).to_be_visible()
    return "NWUK001"


def add_staff(page, code: str, name: str, phone: str) -> None:
    page.goto(f"{page.base_url}/admin/org/staff/new/?facility={code}")
    page.locator("input[name=name]").fill(name)
    page.locator("input[name=phone]").fill(phone)
    page.locator("input[name=password]").fill(STAFF_PASSWORD)
    page.locator("select[name=role]").select_option(label="센터관리자_우리동네키움센터")
    page.get_by_role("button", name=re.compile("저장|추가|등록")).click()


def test_district_officer_journey(page):
    city = people.city_officer()
    other_district_facility = people.facility("GN")
    gangnam = people.district_officer("GN")

    sign_up_district_officer(page)
    assert User.objects.get(username="nwofficer").approval_status == "pending"

    # A pending officer cannot log in yet.
    login(page, "nwofficer", OFFICER_PASSWORD)
    expect(page.get_by_text("승인 대기")).to_be_visible()

    approve_as_city_officer(page, city)
    officer = User.objects.get(username="nwofficer")
    assert officer.approval_status == "approved"
    assert RoleAssignment.objects.filter(user=officer, district__code="NW").exists()

    login(page, "nwofficer", OFFICER_PASSWORD)
    expect(page.get_by_role("navigation", name="관리자 주메뉴")).to_be_visible()
    code = register_facility(page)
    add_staff(page, code, "이센터", "010-6666-0001")
    add_staff(page, code, "박센터", "010-6666-0002")
    assert sorted(User.objects.filter(facility__code=code).values_list("username", flat=True)) == [
        "NWUK001001",
        "NWUK001002",
    ]
    for username in ("NWUK001001", "NWUK001002"):
        assert RoleAssignment.objects.filter(
            user__username=username, role__name="센터관리자_우리동네키움센터", facility__code=code
        ).exists()
    # The officer cannot reach another district's facility.
    response = page.goto(f"{page.base_url}/admin/org/facilities/{other_district_facility.code}/")
    assert response.status == 404
    logout(page)

    # The centre staff must set their own password, then sees only their facility.
    login(page, "NWUK001001", STAFF_PASSWORD)
    expect(page).to_have_url(re.compile("/admin/password/change/"))
    page.locator("input[name=old_password]").fill(STAFF_PASSWORD)
    page.locator("input[name=password1]").fill(NEW_STAFF_PASSWORD)
    page.locator("input[name=password2]").fill(NEW_STAFF_PASSWORD)
    page.get_by_role("button", name=re.compile("변경")).click()
    page.goto(f"{page.base_url}/admin/org/facilities/")
    rows = page.locator("table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(code)
    response = page.goto(f"{page.base_url}/admin/org/facilities/{other_district_facility.code}/")
    assert response.status == 404
    logout(page)

    # Another district's officer gets 404 on the new facility.
    login(page, gangnam.username, people.PASSWORD)
    response = page.goto(f"{page.base_url}/admin/org/facilities/{code}/")
    assert response.status == 404
    assert Facility.objects.filter(code=code).exists()


def test_five_failures_lock_the_account_in_the_browser(page):
    officer = people.district_officer("NW")
    for _ in range(5):
        login(page, officer.username, "wrong-password-1")
    login(page, officer.username, people.PASSWORD)
    expect(page.get_by_text("계정이 잠겼습니다").first).to_be_visible()
    expect(page.get_by_role("link", name="계정잠금해제").first).to_be_visible()
