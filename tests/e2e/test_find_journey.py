"""돌봄 정보찾기 in a real browser: a parent finds a centre on the map and opens its page,
with the mouse and with the keyboard alone."""

from __future__ import annotations

import re

import pytest
from django.urls import NoReverseMatch, reverse
from playwright.sync_api import expect

from kium.centres.domain.periods import set_operating_period
from kium.centres.models import Quarter
from kium.core import clock
from tests.factories import people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


@pytest.fixture(autouse=True)
def no_tiles(settings):
    """No map tiles from the internet in tests; the map still draws its markers."""
    settings.KIUM_MAP_TILE_URL = ""


def open_this_quarter(facility):
    import datetime as dt

    today = clock.today()
    quarter = Quarter.objects.filter(start__lte=today, end__gte=today).first()
    if quarter is not None:
        set_operating_period(
            actor=None,
            facility=facility,
            quarter=quarter,
            weekday_hours=(dt.time(13, 0), dt.time(20, 0)),
        )
    return facility


def centres():
    mine = open_this_quarter(
        people.facility("NW", kind="general", ages=["elementary"], name="상계 햇살 키움센터")
    )
    people.facility("NW", "CC", ages=["infant"], name="노원 공동육아방")
    people.facility("GN", ages=["elementary"], name="강남 키움센터")
    return mine


def test_parent_filters_the_map_and_opens_a_centre(page):
    centre = centres()
    page.goto(f"{page.base_url}{reverse('public:home')}")
    page.get_by_role("link", name=re.compile("돌봄 정보찾기")).first.click()
    expect(page).to_have_url(re.compile(r"/find/map/$"))
    expect(page.get_by_role("region", name="돌봄 시설 지도")).to_be_visible()

    search = page.get_by_role("search", name="돌봄 시설 검색")
    search.get_by_label("자치구").select_option(label="노원구")
    search.get_by_label("이용연령").select_option(label="초등학생")
    search.get_by_role("button", name="검색").click()
    expect(page).to_have_url(re.compile(r"district=NW"))

    # The list follows the map once its data is in: only the matching centre.
    live = page.locator("[data-find-live-list]")
    expect(live).to_be_visible()
    expect(live.get_by_role("link", name="상계 햇살 키움센터")).to_be_visible()
    expect(live.get_by_role("link")).to_have_count(1)
    expect(page.locator("#find-count")).to_contain_text("지도 영역 안 1곳")
    expect(page.locator(".leaflet-marker-icon[alt='상계 햇살 키움센터']")).to_have_count(1)

    # "지도에서 보기" puts the keyboard on the centre's marker and opens its popup.
    live.get_by_role("button", name=re.compile("지도에서 보기")).click()
    expect(page.locator(".leaflet-popup")).to_contain_text("상계 햇살 키움센터")
    expect(page.locator(".leaflet-marker-icon[alt='상계 햇살 키움센터']")).to_be_focused()

    live.get_by_role("link", name="상계 햇살 키움센터").click()
    expect(page).to_have_url(re.compile(rf"/facilities/{centre.code}/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("상계 햇살 키움센터")
    expect(page.get_by_role("heading", name="실시간 이용현황")).to_be_visible()
    table = page.get_by_role("table", name=re.compile("날짜별 빈자리"))
    expect(table.get_by_role("row")).to_have_count(15)  # header and 14 days
    try:
        reserve = reverse("public:reserve", args=[centre.code])
    except NoReverseMatch:  # the reservation page is another piece of work
        expect(page.get_by_role("button", name="예약 준비 중")).to_be_disabled()
    else:
        expect(page.get_by_role("link", name="예약하기", exact=True)).to_have_attribute(
            "href", reserve
        )


def test_keyboard_only_reaches_the_list_and_opens_a_facility(page):
    centre = centres()
    page.goto(f"{page.base_url}{reverse('public:find_map')}?district=NW")
    expect(page.locator("[data-find-live-list] a").first).to_be_visible()

    skip = page.get_by_role("link", name="지도 건너뛰고 시설 목록으로 가기")
    for _ in range(80):
        page.keyboard.press("Tab")
        if skip.evaluate("el => el === document.activeElement"):
            break
    expect(skip).to_be_focused()
    page.keyboard.press("Enter")
    expect(page.locator("#find-list-title")).to_be_focused()

    # The next stops are the list's links; the map's own controls are skipped.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert focused in {"상계 햇살 키움센터", "노원 공동육아방"}
    for _ in range(10):
        if page.evaluate("document.activeElement.textContent") == "상계 햇살 키움센터":
            break
        page.keyboard.press("Tab")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(rf"/facilities/{centre.code}/$"))
    expect(page.get_by_role("heading", name="실시간 이용현황")).to_be_visible()


def test_list_works_without_javascript(browser, live_server):
    from kium.orgs.reference import ensure_reference_data

    ensure_reference_data()
    centres()
    context = browser.new_context(java_script_enabled=False, locale="ko-KR")
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}{reverse('public:find_map')}")
        page.get_by_label("자치구").select_option(label="강남구")
        page.get_by_role("button", name="검색").click()
        listing = page.locator("[data-find-server-list]")
        expect(listing.get_by_role("link")).to_have_count(1)
        expect(listing.get_by_role("link", name="강남 키움센터")).to_be_visible()
        expect(page.get_by_text("지도는 자바스크립트를 켜야 보입니다.")).to_be_visible()
    finally:
        context.close()
