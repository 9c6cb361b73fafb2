"""FAC-2 screens: 신규 시설 등록 (every field), 기본정보 수정, 주소검색, the detail page."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from django.urls import reverse

from kium.core.models import AuditEntry
from kium.orgs.models import District, Dong, Facility
from tests.backoffice.conftest import assert_login_redirect


def registration(district_code="NW", **extra):
    district = District.objects.get(code=district_code)
    dong = Dong.objects.create(district=district, name=f"{district.name} 등록시험동")
    data = {
        "name": "노원 지도 키움센터",
        "district": district.pk,
        "facility_type": "UK",
        "kind": "general",
        "dong": dong.pk,
        "ages": ["elementary", "middle"],
        "required_documents": "재직증명서, 주민등록등본",
        "address": "서울특별시 노원구 노해로 437",
        "address_detail": "노원구청 별관 2층",
        "lat": "37.654321",
        "lng": "127.056789",
        "opened_on": "2026-03-02",
        "email": "map@example.kr",
        "phone": "02-2116-3114",
        "area_m2": "99.50",
    }
    data.update(extra)
    return data


# --- 신규 시설 등록 --------------------------------------------------------------------


def test_registration_form_offers_every_field(people, login):
    html = login(people.district_officer("NW")).get(reverse("backoffice:facility_new")).content
    html = html.decode()
    for name in (
        "name",
        "district",
        "dong",
        "ages",
        "required_documents",
        "address",
        "address_detail",
        "lat",
        "lng",
        "opened_on",
        "email",
        "area_m2",
        "facility_type",
        "kind",
        "phone",
    ):
        assert f'name="{name}"' in html, name
    assert 'id="location-map"' in html
    assert 'data-tile-url="https://tile.openstreetmap.org/{z}/{x}/{y}.png"' in html
    assert ">주소검색</button>" in html
    assert 'id="address-search-modal"' in html
    assert "vendor/leaflet/leaflet.js" in html and "kium/facility-form.js" in html


def test_map_tiles_follow_the_settings(people, login, settings):
    settings.KIUM_MAP_TILE_URL = "https://tiles.example.kr/{z}/{x}/{y}.png"
    settings.KIUM_MAP_TILE_ATTRIBUTION = "© 예시 지도"
    html = login(people.district_officer("NW")).get(reverse("backoffice:facility_new"))
    html = html.content.decode()
    assert 'data-tile-url="https://tiles.example.kr/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="© 예시 지도"' in html


def test_registration_round_trip_with_location(people, login):
    officer = people.district_officer("NW")
    client = login(officer)
    response = client.post(reverse("backoffice:facility_new"), registration())
    assert response.status_code == 302
    facility = Facility.objects.get(name="노원 지도 키움센터")
    assert response["Location"] == reverse("backoffice:facility_detail", args=[facility.code])
    assert facility.lat == Decimal("37.654321") and facility.lng == Decimal("127.056789")
    assert facility.address_detail == "노원구청 별관 2층"
    assert facility.required_documents == "재직증명서, 주민등록등본"
    assert facility.ages == ["elementary", "middle"]
    assert facility.area_m2 == Decimal("99.50")
    # The edit form shows the stored location back, ready for the map.
    html = client.get(reverse("backoffice:facility_edit", args=[facility.code])).content
    html = html.decode()
    assert 'value="37.654321"' in html and 'value="127.056789"' in html
    assert 'value="노원구청 별관 2층"' in html
    assert AuditEntry.objects.filter(action="facility.register", actor=officer).exists()


def test_registration_errors_keep_everything_typed(people, login):
    client = login(people.district_officer("NW"))
    data = registration(
        name="입력한 시설명", lat="37.5", lng="", email="not-an-email", area_m2="-3"
    )
    response = client.post(reverse("backoffice:facility_new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    for typed in (
        'value="입력한 시설명"',
        'value="노원구청 별관 2층"',
        "재직증명서, 주민등록등본",
        'value="37.5"',
        'value="not-an-email"',
        'value="02-2116-3114"',
        'value="2026-03-02"',
    ):
        assert typed in html, typed
    assert "위도와 경도를 모두 입력하거나 모두 비워 주세요." in html
    assert 'id="id_lng_error"' in html and 'id="id_email_error"' in html
    assert re.search(r'value="middle"[^>]*checked', html)
    assert not Facility.objects.filter(name="입력한 시설명").exists()


def test_registration_refuses_a_location_outside_korea(people, login):
    client = login(people.district_officer("NW"))
    response = client.post(reverse("backoffice:facility_new"), registration(lat="51.5"))
    assert response.status_code == 400
    assert "위도는 33~39 사이여야 합니다." in response.content.decode()


def test_registration_without_location_is_fine(people, login):
    client = login(people.district_officer("NW"))
    response = client.post(reverse("backoffice:facility_new"), registration(lat="", lng=""))
    assert response.status_code == 302
    assert Facility.objects.get(name="노원 지도 키움센터").lat is None


# --- 기본정보 수정 ---------------------------------------------------------------------


def edit_data(facility, **extra):
    dong, _ = Dong.objects.get_or_create(district=facility.district, name="수정화면시험동")
    data = {
        "name": facility.name,
        "kind": facility.kind,
        "dong": dong.pk,
        "ages": ["elementary"],
        "required_documents": "",
        "address": facility.address,
        "address_detail": "",
        "lat": "37.600001",
        "lng": "127.000002",
        "opened_on": "",
        "email": facility.email,
        "phone": "",
        "area_m2": "66.00",
        "is_operating": "on",
    }
    data.update(extra)
    return data


def test_district_officer_edits_the_record(people, login, nw):
    officer = people.district_officer("NW")
    client = login(officer)
    url = reverse("backoffice:facility_edit", args=[nw.code])
    html = client.get(url).content.decode()
    assert 'name="district"' not in html and 'name="facility_type"' not in html
    assert 'id="location-map"' in html
    data = edit_data(nw, name="고친 이름", address_detail="3층", area_m2="120", kind="hub")
    data.pop("is_operating")  # unticked: no longer operating
    response = client.post(url, data)
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:facility_detail", args=[nw.code])
    nw.refresh_from_db()
    assert nw.name == "고친 이름" and nw.address_detail == "3층"
    assert nw.area_m2 == Decimal("120") and nw.kind == "hub"
    assert nw.is_operating is False
    assert nw.lat == Decimal("37.600001")
    assert nw.dong.name == "수정화면시험동"
    entry = AuditEntry.objects.get(action="facility.update", object_id=str(nw.pk))
    assert entry.actor == officer and entry.after["name"] == "고친 이름"


def test_edit_errors_keep_input(people, login, nw):
    client = login(people.district_officer("NW"))
    url = reverse("backoffice:facility_edit", args=[nw.code])
    response = client.post(url, edit_data(nw, name="", address_detail="남길 상세", lat="x"))
    assert response.status_code == 400
    html = response.content.decode()
    assert 'value="남길 상세"' in html
    assert 'id="id_name_error"' in html and 'id="id_lat_error"' in html
    nw.refresh_from_db()
    assert nw.name and nw.address_detail == ""


def test_edit_dong_must_be_of_the_facility_district(people, login, nw):
    gangnam = Dong.objects.create(district=District.objects.get(code="GN"), name="수정시험동")
    client = login(people.district_officer("NW"))
    url = reverse("backoffice:facility_edit", args=[nw.code])
    response = client.post(url, edit_data(nw, dong=gangnam.pk))
    assert response.status_code == 400
    nw.refresh_from_db()
    assert nw.dong_id is None


def test_edit_scope(people, login, nw, gn, client):
    url = reverse("backoffice:facility_edit", args=[nw.code])
    assert login(people.district_officer("GN")).get(url).status_code == 404
    assert login(people.district_officer("GN")).post(url, edit_data(nw)).status_code == 404
    assert login(people.centre_manager(gn)).get(url).status_code == 404
    client.logout()
    assert_login_redirect(client.get(url), url)
    assert_login_redirect(client.post(url, edit_data(nw)), url)
    nw.refresh_from_db()
    assert not AuditEntry.objects.filter(action="facility.update").exists()


def test_centre_manager_edits_only_contacts(people, login, nw):
    manager = people.centre_manager(nw)
    client = login(manager)
    url = reverse("backoffice:facility_edit", args=[nw.code])
    html = client.get(url).content.decode()
    assert 'name="phone"' in html and 'name="email"' in html
    assert 'name="name"' not in html and 'name="address"' not in html
    assert 'name="area_m2"' not in html and 'name="is_operating"' not in html
    old_name = nw.name
    response = client.post(
        url,
        {
            "phone": "02-999-8888",
            "email": "centre@example.kr",
            "required_documents": "가족관계증명서",
            # a crafted post cannot reach the district's fields
            "name": "센터가 바꾼 이름",
            "is_operating": "",
            "area_m2": "1",
        },
    )
    assert response.status_code == 302
    nw.refresh_from_db()
    assert nw.phone == "02-999-8888" and nw.required_documents == "가족관계증명서"
    assert nw.name == old_name and nw.is_operating is True and nw.area_m2 == Decimal("66")


# --- 주소검색 -------------------------------------------------------------------------


def test_address_search_dialog_results(people, login, settings):
    settings.KIUM_ADDRESS_PROVIDER = "demo"
    client = login(people.district_officer("NW"))
    url = reverse("backoffice:address_search")
    response = client.get(url, {"q": "노원구청"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html
    assert 'data-road-address="서울특별시 노원구 노해로 437"' in html
    assert "01689" in html
    # Without htmx it is a page of its own, the addresses as text.
    page = client.get(url, {"q": "노원구청"}).content.decode()
    assert "<html" in page and "서울특별시 노원구 노해로 437" in page
    assert "data-address-choice" not in page


def test_address_search_bad_query(people, login):
    client = login(people.district_officer("NW"))
    url = reverse("backoffice:address_search")
    response = client.get(url, {"q": "가"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200  # htmx swaps 2xx only; the message is in it
    assert "두 글자 이상" in response.content.decode()
    assert client.get(url, {"q": "가"}).status_code == 400


def test_address_search_provider_down(people, login, settings):
    settings.KIUM_ADDRESS_PROVIDER = "juso"
    settings.KIUM_JUSO_API_KEY = ""
    client = login(people.district_officer("NW"))
    response = client.get(
        reverse("backoffice:address_search"), {"q": "노해로 437"}, HTTP_HX_REQUEST="true"
    )
    assert "주소를 직접 입력해 주세요" in response.content.decode()


def test_address_search_needs_a_backoffice_user(people, login, client, db):
    url = reverse("backoffice:address_search")
    assert_login_redirect(client.get(url, {"q": "노원"}), url)
    assert login(people.guardian()).get(url, {"q": "노원"}).status_code == 403


# --- 시설 상세 -----------------------------------------------------------------------


@pytest.mark.parametrize("who", ["officer", "manager"])
def test_detail_links_both_screens(people, login, nw, who):
    user = people.district_officer("NW") if who == "officer" else people.centre_manager(nw)
    html = login(user).get(reverse("backoffice:facility_detail", args=[nw.code])).content
    html = html.decode()
    assert reverse("backoffice:facility_edit", args=[nw.code]) in html
    assert reverse("backoffice:facility_profile", args=[nw.code]) in html
    assert ("기본정보 수정" in html) is (who == "officer")
    assert "등록된 소개 정보가 없습니다." in html
