"""Issue 3's officer journey in a real browser: a district officer registers a centre,
finds its address with 주소검색, picks its location on the map, sees it in the facility
list, and a parent then finds it on the public map."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from kium.orgs.models import Facility
from tests.factories import people
from tests.factories.people import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

NAME = "노원30호점 우리동네키움센터"


def _no_tiles(page) -> None:
    # No internet here: answer tile requests with nothing instead of waiting on DNS.
    page.route(re.compile(r".*tile\.openstreetmap\.org.*"), lambda route: route.abort())


def test_officer_registers_a_centre_with_a_map_picked_location(page):
    people.district_officer("NW", username="nwofficer")
    _no_tiles(page)
    page.goto(f"{page.base_url}/admin/login/")
    page.get_by_label("아이디").fill("nwofficer")
    page.get_by_label("비밀번호").fill(PASSWORD)
    page.get_by_role("button", name="로그인").click()
    expect(page).not_to_have_url(re.compile("/admin/login/"))

    page.goto(f"{page.base_url}/admin/org/facilities/new/")
    page.locator("input[name=name]").fill(NAME)
    page.locator("select[name=district]").select_option(label="노원구")
    page.locator("select[name=facility_type]").select_option("UK")
    page.locator("select[name=kind]").select_option("general")
    expect(page.locator("select[name=dong] option", has_text="상계1동")).to_have_count(1)
    page.locator("select[name=dong]").select_option(label="상계1동")
    page.locator("label", has_text="초등학생").click()

    # 주소검색: the dialog searches the provider and fills the address field.
    page.get_by_role("button", name="주소검색").first.click()
    dialog = page.get_by_role("dialog", name="주소검색")
    expect(dialog).to_be_visible()
    dialog.locator("#address-q").fill("노원구청")
    dialog.get_by_role("button", name="검색").click()
    choice = dialog.locator("[data-address-choice]").first
    expect(choice).to_be_visible()
    choice.click()
    expect(page.locator("input[name=address]")).to_have_value(re.compile("노해로 437"))

    # 위치등록: a click on the map fills latitude and longitude.
    expect(page.locator("input[name=lat]")).to_have_value("")
    the_map = page.locator("#location-map")
    the_map.scroll_into_view_if_needed()
    box = the_map.bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.6, box["y"] + box["height"] * 0.4)
    expect(page.locator("input[name=lat]")).to_have_value(re.compile(r"^3[3-9]\.\d{6}$"))
    expect(page.locator("input[name=lng]")).to_have_value(re.compile(r"^1[23]\d\.\d{6}$"))
    picked = (
        page.locator("input[name=lat]").input_value(),
        page.locator("input[name=lng]").input_value(),
    )

    page.locator("input[name=area_m2]").fill("66")
    page.locator("input[name=email]").fill("nw30@example.kr")
    page.get_by_role("button", name=re.compile("^(저장|등록)")).last.click()
    expect(page.get_by_text("NWUK001").first).to_be_visible()
    facility = Facility.objects.get(code="NWUK001")
    assert (f"{facility.lat:.6f}", f"{facility.lng:.6f}") == picked
    assert "노해로 437" in facility.address

    # The officer's list shows it.
    page.goto(f"{page.base_url}/admin/org/facilities/")
    expect(page.get_by_role("link", name=NAME)).to_be_visible()

    # A parent finds it on the public map: in the list beside the map and in its data.
    parent = page.context.browser.new_context(locale="ko-KR", timezone_id="Asia/Seoul")
    public = parent.new_page()
    _no_tiles(public)
    public.goto(f"{page.base_url}/find/map/?district=NW")
    expect(public.get_by_role("link", name=NAME)).to_be_visible()
    data = public.request.get(f"{page.base_url}/find/map/facilities.json?district=NW").json()
    rows = data if isinstance(data, list) else data.get("facilities", data.get("results", []))
    mine = [row for row in rows if row["code"] == "NWUK001"]
    assert mine and (f"{mine[0]['lat']:.6f}", f"{mine[0]['lng']:.6f}") == picked
    parent.close()
