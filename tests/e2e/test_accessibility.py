"""Accessibility in a real browser: axe-core finds no serious or critical violation on the
portal's and the back office's main screens, and the main menu works from the keyboard.

axe checks what a person meets: contrast, names of controls, labels, landmarks, scrollable
regions, ARIA use. Minor and moderate findings are left to review; serious and critical
ones fail here, with each rule and the elements it flagged in the message.
"""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from playwright.sync_api import expect

from kium.orgs.models import Department
from tests.factories import people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

BLOCKING = {"serious", "critical"}


def blocking_violations(page) -> list[dict]:
    violations = Axe().run(page).response["violations"]
    return [v for v in violations if v.get("impact") in BLOCKING]


def describe(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"{violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {' '.join(map(str, node['target']))}  {node['html'][:200]}")
    return "\n".join(lines)


def assert_accessible(page, path: str) -> None:
    response = page.goto(f"{page.base_url}{path}")
    assert response.status < 400, f"{path} answered {response.status}"
    page.wait_for_load_state("load")
    violations = blocking_violations(page)
    assert not violations, f"{path}\n{describe(violations)}"


def backoffice_login(page, user) -> None:
    page.goto(f"{page.base_url}{reverse('backoffice:login')}")
    page.locator("input[name=username]").fill(user.username)
    page.locator("input[name=password]").fill(people.PASSWORD)
    page.get_by_role("button", name="로그인").click()
    expect(page.get_by_role("navigation", name="관리자 주메뉴")).to_be_visible()


def city_with_data():
    """A city officer and enough data that lists have rows, pages and badges."""
    officer = people.city_officer()
    facilities = [people.facility("NW") for _ in range(11)]
    people.centre_manager(facilities[0])
    people.staff(approved=False, jurisdiction="district", district_code="NW")
    people.child(people.guardian())
    return officer, facilities[0]


# --- public and sign-in screens -----------------------------------------------------------

PUBLIC_PAGES = {
    "home": "public:home",
    "portal login": "public:login",
    "portal sign-up": "public:signup",
    "back-office login": "backoffice:login",
    "staff sign-up": "backoffice:signup",
}


@pytest.mark.parametrize("url_name", PUBLIC_PAGES.values(), ids=PUBLIC_PAGES.keys())
def test_public_screen_has_no_serious_violation(page, url_name):
    assert_accessible(page, reverse(url_name))


def test_staff_sign_up_with_errors_has_no_serious_violation(page):
    """Errors shown next to the fields must stay readable and tied to their inputs."""
    page.goto(f"{page.base_url}{reverse('backoffice:signup')}")
    page.get_by_role("button", name="가입 신청").click()
    expect(page.locator(".kium-field-error").first).to_be_visible()
    violations = blocking_violations(page)
    assert not violations, describe(violations)


# --- back-office screens (city officer) ---------------------------------------------------

BACKOFFICE_PAGES = {
    "dashboard": "backoffice:dashboard",
    "departments": "backoffice:departments",
    "department selected": "department_detail",
    "facilities": "backoffice:facilities",
    "facility form": "backoffice:facility_new",
    "staff": "backoffice:staff_list",
    "roles": "backoffice:roles",
    "approvals": "backoffice:approvals",
    "audit log": "backoffice:audit_log",
    "facility edit": "facility_edit",
    "facility profile": "facility_profile",
    "reservation applications": "backoffice:reservation_applications",
    "regular users": "backoffice:reservation_users_regular",
    "daily users": "reservation_daily",
    "waitlists": "reservation_waitlists",
    "capacity calendar": "reservation_calendar",
    "extensions": "reservation_extensions",
    "offline registration": "backoffice:reservation_offline_new",
    "linked care search": "backoffice:linked",
    "notification history": "backoffice:notification_history",
    "notification templates": "backoffice:notification_templates",
    "rf cards": "attendance_cards",
    "attendance day": "attendance_day",
}


@pytest.mark.parametrize("target", BACKOFFICE_PAGES.values(), ids=BACKOFFICE_PAGES.keys())
def test_backoffice_screen_has_no_serious_violation(page, target):
    officer, facility = city_with_data()
    if target == "department_detail":
        path = reverse("backoffice:department_detail", args=[facility.department.pk])
    elif target in ("facility_edit", "facility_profile"):
        path = reverse(f"backoffice:{target}", args=[facility.code])
    elif target.startswith(("reservation_", "attendance_")):
        # The per-facility screens, opened for one centre as a centre worker would.
        path = f"{reverse(f'backoffice:{target}')}?facility={facility.code}"
    else:
        path = reverse(target)
    backoffice_login(page, officer)
    assert_accessible(page, path)


def test_facility_form_with_errors_has_no_serious_violation(page):
    officer, _ = city_with_data()
    backoffice_login(page, officer)
    page.goto(f"{page.base_url}{reverse('backoffice:facility_new')}")
    page.get_by_role("button", name="저장").click()
    expect(page.locator(".kium-field-error").first).to_be_visible()
    violations = blocking_violations(page)
    assert not violations, describe(violations)


def test_department_tree_opens_and_closes_by_keyboard(page):
    officer, _ = city_with_data()
    backoffice_login(page, officer)
    page.goto(f"{page.base_url}{reverse('backoffice:departments')}")
    district = Department.objects.get(level="district", district__code="NW")
    toggle = page.locator(f"button[aria-controls='dept-children-{district.pk}']")
    branch = page.locator(f"#dept-children-{district.pk}")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(branch).to_be_hidden()
    toggle.focus()
    page.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(branch).to_be_visible()
    expect(branch.get_by_role("link").first).to_be_visible()
    page.keyboard.press("Space")
    expect(branch).to_be_hidden()


# --- keyboard: the public main menu --------------------------------------------------------


def test_main_menu_opens_with_enter_and_closes_with_escape(page):
    page.goto(f"{page.base_url}{reverse('public:home')}")
    trigger = page.locator("nav[data-kium-menu] button[aria-controls]").first
    panel = page.locator(f"#{trigger.get_attribute('aria-controls')}")
    expect(trigger).to_have_attribute("aria-expanded", "false")
    expect(panel).to_be_hidden()

    # Reach the menu with Tab, as a keyboard user does.
    for _ in range(40):
        page.keyboard.press("Tab")
        if trigger.evaluate("el => el === document.activeElement"):
            break
    expect(trigger).to_be_focused()

    page.keyboard.press("Enter")
    expect(trigger).to_have_attribute("aria-expanded", "true")
    expect(panel).to_be_visible()

    page.keyboard.press("Escape")
    expect(trigger).to_have_attribute("aria-expanded", "false")
    expect(panel).to_be_hidden()
    expect(trigger).to_be_focused()


# --- 돌봄 정보찾기: the map with its list, a facility page, 맞춤형정보 ----------------------


def find_data():
    """Facilities with coordinates, one with a full profile, so every part renders."""
    import datetime as dt

    from kium.centres.models import FacilityProfile

    centre = people.facility("NW", kind="general", ages=["elementary"], phone="02-123-4567")
    for _ in range(3):
        people.facility("NW")
    FacilityProfile.objects.create(
        facility=centre,
        introduction="햇살이 잘 드는 센터입니다.\n텃밭도 있습니다.",
        term_open_time=dt.time(13, 0),
        term_close_time=dt.time(20, 0),
        meal_support="meal_snack",
        monthly_fee=50000,
        daily_fee=2500,
        morning_care=True,
    )
    return centre


@pytest.mark.parametrize("target", ["map", "facility", "custom"])
def test_find_screen_has_no_serious_violation(page, settings, target):
    settings.KIUM_MAP_TILE_URL = ""  # no tiles from the internet; markers still drawn
    centre = find_data()
    if target == "map":
        path = reverse("public:find_map")
    elif target == "facility":
        path = reverse("public:facility", args=[centre.code])
    else:
        path = reverse("public:find_custom")
    response = page.goto(f"{page.base_url}{path}")
    assert response.status < 400
    if target == "map":
        # Check the page as it is once the map and the list that follows it are drawn.
        expect(page.locator("[data-find-live-list] a").first).to_be_visible()
        expect(page.locator("#find-map .leaflet-marker-icon").first).to_be_visible()
    if target == "facility":
        expect(page.locator("[data-facility-map] .leaflet-marker-icon")).to_be_visible()
    violations = blocking_violations(page)
    assert not violations, f"{path}\n{describe(violations)}"


def test_custom_info_results_have_no_serious_violation(page):
    find_data()
    page.goto(f"{page.base_url}{reverse('public:find_custom')}")
    page.get_by_label("자치구").select_option(label="노원구")
    page.get_by_label("아이 나이(만 나이)").fill("8")
    page.get_by_role("button", name="찾기").click()
    expect(page.get_by_role("heading", name="우리 아이에게 맞는 돌봄 서비스")).to_be_visible()
    violations = blocking_violations(page)
    assert not violations, describe(violations)
