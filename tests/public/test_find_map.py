"""지도서비스 (FIND-1): the map page with its server-rendered list, and the map's JSON."""

import datetime as dt
import re

import pytest
import time_machine
from django.core.cache import cache
from django.urls import reverse

from kium.orgs.enums import FacilityType
from kium.orgs.models import Facility
from tests.centres.test_finder import open_semester2

# 10:00 Seoul on Thursday 2026-10-08.
SEOUL_THURSDAY = dt.datetime(2026, 10, 8, 1, 0, tzinfo=dt.UTC)
MAP = "/find/map/"
DATA = "/find/map/facilities.json"

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    """Facility codes in the server-rendered list, in order."""
    html = response.content.decode()
    listing = html.split("data-find-server-list", 1)[1].split("</ol>", 1)[0]
    return re.findall(r'data-code="([A-Z]{2}[A-Z]{2}\d{3})"', listing)


def test_urls():
    assert reverse("public:find_map") == MAP
    assert reverse("public:find_map_data") == DATA
    assert reverse("public:find_care") == "/find/"


def test_find_care_opens_the_map_keeping_the_search(client):
    response = client.get("/find/")
    assert response.status_code == 302 and response["Location"] == MAP
    response = client.get("/find/?district=NW")
    assert response["Location"] == f"{MAP}?district=NW"


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_anonymous_visitor_sees_map_list_and_form(client, people, settings):
    settings.KIUM_MAP_TILE_URL = "https://tiles.example/{z}/{x}/{y}.png"
    settings.KIUM_MAP_TILE_ATTRIBUTION = "© 예시 지도"
    centre = open_semester2(people.facility("NW", kind="general", name="상계 키움센터"))
    response = client.get(MAP)
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1" in html and "지도서비스" in html
    # The map: labelled region, configured by data- attributes, with a skip link past it.
    assert 'id="find-map"' in html and 'role="region"' in html
    assert 'aria-label="돌봄 시설 지도"' in html
    assert 'data-tile-url="https://tiles.example/{z}/{x}/{y}.png"' in html
    assert 'data-tile-attribution="© 예시 지도"' in html
    assert f'data-url="{DATA}"' in html
    assert 'href="#find-list-title"' in html and 'id="find-list-title"' in html
    assert 'aria-live="polite"' in html
    assert "/static/kium/find.js" in html and "/static/vendor/leaflet/leaflet.js" in html
    assert "leaflet.markercluster.js" in html
    # The list: the facility, its page, and today's state.
    assert listed(response) == [centre.code]
    assert f'href="{reverse("public:facility", args=[centre.code])}"' in html
    assert "상계 키움센터" in html and "지금 이용 가능" in html
    assert "전체 1곳 (1페이지 / 전체 1페이지)" in html
    # The filters, labelled, as a GET form.
    for label in ("시설유형", "센터유형", "자치구", "이용연령", "지금 이용 가능한 시설만"):
        assert label in html
    assert 'method="get"' in html


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_each_filter_narrows_the_list_and_the_data_link_follows(client, people):
    elementary = open_semester2(people.facility("NW", kind="general", ages=["elementary"]))
    hub = people.facility("NW", kind="hub", ages=["elementary"], name="노원 거점센터")
    infant = people.facility("NW", FacilityType.COMMUNITY, ages=["infant"])
    gangnam = people.facility("GN", ages=["middle"])
    closed = people.facility("NW", ages=["elementary"])
    Facility.objects.filter(pk=closed.pk).update(is_operating=False)

    def codes(**params):
        response = client.get(MAP, params)
        assert response.status_code == 200
        return set(listed(response))

    everyone = {elementary.code, hub.code, infant.code, gangnam.code}
    assert codes() == everyone  # facilities out of operation are not on the map
    assert codes(district="NW") == {elementary.code, hub.code, infant.code}
    assert codes(type="CC") == {infant.code}
    assert codes(kind="hub") == {hub.code}
    assert codes(age="elementary") == {elementary.code, hub.code}
    assert codes(district="GN", age="middle") == {gangnam.code}
    assert codes(accepting="on") == {elementary.code}
    assert codes(q="거점") == {hub.code}
    html = client.get(MAP, {"district": "NW", "age": "elementary"}).content.decode()
    assert f'data-url="{DATA}?district=NW&amp;age=elementary"' in html
    assert 'value="NW" selected' in html  # the form keeps the search


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_list_is_paginated(client, people):
    for _ in range(12):
        people.facility("NW")
    first = client.get(MAP)
    assert len(listed(first)) == 10
    assert "전체 12곳 (1페이지 / 전체 2페이지)" in first.content.decode()
    second = client.get(MAP, {"page": 2})
    assert len(listed(second)) == 2
    assert set(listed(first)).isdisjoint(listed(second))


def test_bad_filters_get_korean_messages_and_400(client, people):
    response = client.get(MAP, {"district": "XX", "age": "baby", "q": "가" * 60})
    assert response.status_code == 400
    html = response.content.decode()
    assert "목록에 있는 자치구를 골라 주세요." in html
    assert "목록에 있는 값을 골라 주세요." in html
    assert "검색어는 50자까지 입력할 수 있습니다." in html
    assert 'aria-invalid="true"' in html
    data = client.get(DATA, {"district": "XX"})
    assert data.status_code == 400
    body = data.json()
    assert body["code"] == "invalid" and "검색 조건" in body["message"]
    assert "district" in body["fields"]


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_map_data_shape(client, people):
    centre = open_semester2(people.facility("NW", kind="fusion", name="중계 융합센터"))
    people.facility("NW", lat=None, lng=None)  # cannot be drawn
    response = client.get(DATA)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "max-age=60" in response["Cache-Control"]
    assert response.json() == [
        {
            "code": centre.code,
            "name": "중계 융합센터",
            "type": "UK",
            "kind": "fusion",
            "district": "NW",
            "lat": 37.654,
            "lng": 127.056,
            "address": centre.address,
            "url": f"/facilities/{centre.code}/",
            "accepting": True,
        }
    ]


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_map_data_filters(client, people):
    accepting = open_semester2(people.facility("NW", ages=["elementary"]))
    idle = people.facility("NW", ages=["elementary"])
    other = people.facility("GN", FacilityType.KIDS_CAFE)

    def codes(**params):
        return {row["code"] for row in client.get(DATA, params).json()}

    assert codes() == {accepting.code, idle.code, other.code}
    assert codes(district="GN") == {other.code}
    assert codes(type="SK") == {other.code}
    assert codes(accepting="1") == {accepting.code}
    assert codes(age="elementary", district="NW") == {accepting.code, idle.code}


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_map_data_is_a_fixed_number_of_queries(client, people, django_assert_max_num_queries):
    open_semester2(people.facility("NW"))
    with django_assert_max_num_queries(2):
        assert len(client.get(DATA, {"district": "NW", "accepting": "1"}).json()) == 1
    for _ in range(29):
        open_semester2(people.facility("NW"))
    cache.clear()
    with django_assert_max_num_queries(2):
        assert len(client.get(DATA, {"district": "NW", "accepting": "1"}).json()) == 30


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_map_page_is_a_fixed_number_of_queries(client, people, django_assert_max_num_queries):
    open_semester2(people.facility("NW"))
    with django_assert_max_num_queries(5):
        assert client.get(MAP, {"district": "NW"}).status_code == 200
    for _ in range(29):
        open_semester2(people.facility("NW"))
    with django_assert_max_num_queries(5):
        assert client.get(MAP, {"district": "NW"}).status_code == 200


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_map_data_is_cached_per_search_for_a_minute(client, people, django_assert_num_queries):
    centre = open_semester2(people.facility("NW"))
    assert len(client.get(DATA).json()) == 1
    people.facility("NW")
    with django_assert_num_queries(0):
        assert len(client.get(DATA).json()) == 1  # served from the cache
    assert len(client.get(DATA, {"type": "UK"}).json()) == 2  # another search, fresh
    with time_machine.travel(SEOUL_THURSDAY + dt.timedelta(seconds=61), tick=False):
        assert len(client.get(DATA).json()) == 2
    assert centre.code in {row["code"] for row in client.get(DATA).json()}


@time_machine.travel(SEOUL_THURSDAY, tick=False)
def test_map_and_facility_pages_reference_only_existing_static_files(client, people):
    from tests.test_static_assets import missing_static, static_urls

    centre = people.facility("NW")
    for path in (MAP, reverse("public:facility", args=[centre.code])):
        html = client.get(path).content.decode()
        urls = static_urls(html)
        assert "/static/kium/find.css" in urls and "/static/kium/find.js" in urls
        assert missing_static(urls) == [], path
        # The marker images are handed to find.js by data- attributes.
        for name in ("marker-icon.png", "marker-icon-2x.png", "marker-shadow.png"):
            assert f'"/static/vendor/leaflet/images/{name}"' in html
