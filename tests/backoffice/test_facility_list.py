"""홈페이지관리 > 시설관리 list (SPEC FAC-1) as the seed deck shows it."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from kium.core.clock import SEOUL
from kium.core.models import AccessRecord
from kium.orgs.models import District, Facility
from tests.backoffice.conftest import assert_login_redirect

URL = "/admin/org/facilities/"


def seoul(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=SEOUL)


def stamp(facility, *, created=None, creator=None, updater=None, **fields) -> Facility:
    """Set what registration does not let a test choose (the tracked columns)."""
    values = dict(fields)
    if created is not None:
        values["created_at"] = created
    if creator is not None:
        values["created_by"] = creator
    if updater is not None:
        values["updated_by"] = updater
    Facility.objects.filter(pk=facility.pk).update(**values)
    facility.refresh_from_db()
    return facility


def codes_in(response) -> list[str]:
    """The facility codes of the table rows, in order."""
    html = response.content.decode()
    body = html.split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r'<span class="kium-code">([A-Z]{4}\d{3})</span>', body)


def numbers_in(response) -> list[int]:
    html = response.content.decode()
    return [int(n) for n in re.findall(r'<td class="kium-row-number">(\d+)</td>', html)]


@pytest.fixture
def officer(people):
    return people.district_officer("NW", name="노원담당")


def test_columns_as_on_the_deck(people, login, officer):
    facility = people.facility("NW", name="노원19호점 우리동네키움센터")
    stamp(
        facility,
        created=seoul(2020, 6, 17, 13, 25, 45),
        creator=officer,
        updater=people.staff(name="수정한사람"),
    )
    response = login(officer).get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    headers = re.findall(r'<th scope="col"[^>]*>(.*?)</th>', html)
    labels = [re.sub(r"<[^>]+>", "", h) for h in headers]
    assert labels == [
        "선택",
        "순번",
        "시설명",
        "자치구",
        "작성자명",
        "작성일시",
        "수정자명",
        "수정일시",
        "운영여부",
    ]
    assert 'type="checkbox" name="facilities"' in html
    assert reverse("backoffice:facility_detail", args=[facility.code]) in html
    assert "2020.06.17 13:25:45" in html
    assert "노원담당" in html and "수정한사람" in html
    assert re.search(r"\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}:\d{2}", html.split("2020.06.17")[1])
    for label in ("조건 검색", "기간 검색", "운영 여부", "검색어를 입력하세요.", "페이지당 목록"):
        assert label in html


def test_newest_first_with_descending_numbers(people, login, officer):
    made = [people.facility("NW") for _ in range(12)]
    for day, facility in enumerate(made, start=1):
        stamp(facility, created=seoul(2026, 3, day, 9))
    client = login(officer)
    first = client.get(URL)
    assert codes_in(first) == [f.code for f in reversed(made)][:10]
    assert numbers_in(first) == list(range(12, 2, -1))
    assert "전체 12건 (1페이지 / 전체 2페이지)" in first.content.decode()
    second = client.get(URL, {"page": 2})
    assert codes_in(second) == [made[1].code, made[0].code]
    assert numbers_in(second) == [2, 1]


def test_per_page(people, login, officer):
    for _ in range(25):
        people.facility("NW")
    client = login(officer)
    assert len(codes_in(client.get(URL))) == 10
    response = client.get(URL, {"per_page": 20})
    assert len(codes_in(response)) == 20
    assert "전체 25건 (1페이지 / 전체 2페이지)" in response.content.decode()
    assert '<option value="20" selected>' in response.content.decode()
    # An unlisted size falls back to the default.
    assert len(codes_in(client.get(URL, {"per_page": 7}))) == 10


def test_district_filter_and_choices_follow_scope(people, login):
    city = people.city_officer()
    nw, gn = people.facility("NW"), people.facility("GN")
    client = login(city)
    response = client.get(URL, {"district": District.objects.get(code="GN").pk})
    assert codes_in(response) == [gn.code]
    assert nw.code not in codes_in(response)
    # A district officer is offered only their district and cannot ask for another.
    client = login(people.district_officer("NW"))
    html = client.get(URL).content.decode()
    assert "노원구" in html and "강남구" not in html
    response = client.get(URL, {"district": District.objects.get(code="GN").pk})
    assert response.status_code == 400
    assert codes_in(response) == []


def test_type_filter(people, login, officer):
    kium = people.facility("NW", "UK")
    cafe = people.facility("NW", "SK")
    response = login(officer).get(URL, {"facility_type": "SK"})
    assert codes_in(response) == [cafe.code]
    assert kium.code not in codes_in(response)
    assert "서울형 키즈카페 목록" in response.content.decode()


def test_condition_search_fields(people, login, officer):
    by_name = people.facility("NW", name="상계무지개센터", address="서울 노원구 한글로 1")
    by_address = people.facility("NW", name="중계센터", address="서울 노원구 무지개로 2")
    by_author = people.facility("NW", name="하계센터", address="서울 노원구 하계로 3")
    stamp(by_author, creator=people.staff(name="무지개"))
    client = login(officer)

    def found(**params):
        return set(codes_in(client.get(URL, params)))

    assert found(field="", q="무지개") == {by_name.code, by_address.code, by_author.code}
    assert found(field="name", q="무지개") == {by_name.code}
    assert found(field="address", q="무지개") == {by_address.code}
    assert found(field="author", q="무지개") == {by_author.code}
    # The typed text stays in the box.
    html = client.get(URL, {"field": "author", "q": "무지개"}).content.decode()
    assert 'value="무지개"' in html


def test_period_filter_uses_seoul_dates_inclusive(people, login, officer):
    before = stamp(people.facility("NW"), created=seoul(2026, 3, 1, 23, 59))
    # 00:30 in Seoul on 3/2 is still 3/1 in UTC: it must count as 3/2.
    early = stamp(people.facility("NW"), created=seoul(2026, 3, 2, 0, 30))
    late = stamp(people.facility("NW"), created=seoul(2026, 3, 5, 23, 59))
    after = stamp(people.facility("NW"), created=seoul(2026, 3, 6, 0, 0))
    client = login(officer)
    response = client.get(URL, {"date_from": "2026-03-02", "date_to": "2026-03-05"})
    assert response.status_code == 200
    assert set(codes_in(response)) == {early.code, late.code}
    assert before.code not in codes_in(response) and after.code not in codes_in(response)
    only_start = set(codes_in(client.get(URL, {"date_from": "2026.03.06"})))
    assert only_start == {after.code}


def test_period_start_after_end_is_an_error_next_to_the_field(people, login, officer):
    people.facility("NW")
    response = login(officer).get(URL, {"date_from": "2026-03-10", "date_to": "2026-03-01"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "종료일은 시작일보다 빠를 수 없습니다." in html
    assert 'id="id_date_to_error"' in html
    assert 'value="2026-03-10"' in html and 'value="2026-03-01"' in html


def test_bad_date_is_a_korean_error(people, login, officer):
    response = login(officer).get(URL, {"date_from": "내일"})
    assert response.status_code == 400
    assert "날짜를 YYYY.MM.DD 형식으로 입력해 주세요." in response.content.decode()


def test_operating_filter(people, login, officer):
    running = people.facility("NW")
    closed = stamp(people.facility("NW"), is_operating=False)
    client = login(officer)
    assert codes_in(client.get(URL, {"operating": "Y"})) == [running.code]
    assert codes_in(client.get(URL, {"operating": "N"})) == [closed.code]
    assert set(codes_in(client.get(URL, {"operating": ""}))) == {running.code, closed.code}


def test_scope_district_and_centre(people, login, nw, gn):
    other_nw = people.facility("NW")
    response = login(people.district_officer("NW")).get(URL)
    assert set(codes_in(response)) == {nw.code, other_nw.code}
    assert gn.code not in response.content.decode()
    response = login(people.centre_manager(nw)).get(URL)
    assert response.status_code == 200
    assert codes_in(response) == [nw.code]
    response = login(people.district_officer("GN")).get(URL)
    assert codes_in(response) == [gn.code]


def test_anonymous_is_sent_to_login(client, db):
    assert_login_redirect(client.get(URL), URL)
    export = reverse("backoffice:facilities_export")
    assert_login_redirect(client.get(export), export)


def _query_count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow(people, login, officer, django_assert_num_queries):
    creator = people.staff(name="작성자")
    updater = people.staff(name="수정자")
    stamp(people.facility("NW"), creator=creator, updater=updater)
    client = login(officer)
    url = f"{URL}?per_page=100"
    client.get(url)  # warm the session and caches the way every later request finds them
    baseline = _query_count(client, url)
    for _ in range(49):
        stamp(people.facility("NW"), creator=creator, updater=updater)
    with django_assert_num_queries(baseline):
        response = client.get(url)
    assert len(codes_in(response)) == 50
    with django_assert_num_queries(baseline):
        client.get(url)


def test_export_asks_reason_and_matches_the_filter(people, login, officer, gn):
    running = people.facility("NW", name="운영중센터")
    stamp(running, creator=officer)
    closed = stamp(people.facility("NW", name="쉬는센터"), is_operating=False)
    client = login(officer)
    url = reverse("backoffice:facilities_export") + "?operating=Y"
    response = client.get(url)
    assert response.status_code == 200
    assert "다운로드 사유" in response.content.decode()
    assert "1건" in response.content.decode()
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert not AccessRecord.objects.filter(action="download").exists()
    response = client.post(url, {"reason": "분기 시설 점검"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    sheet = load_workbook(io.BytesIO(response.content)).active
    header = [cell.value for cell in sheet[1]]
    assert header[:3] == ["순번", "시설코드", "시설명"]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    assert [row[1] for row in rows] == [running.code]
    assert closed.code not in [row[1] for row in rows] and gn.code not in [row[1] for row in rows]
    assert rows[0][header.index("작성자명")] == "노원담당"
    assert rows[0][header.index("운영여부")] == "운영"
    record = AccessRecord.objects.get(action="download")
    assert record.reason == "분기 시설 점검"
    assert record.subject_type == "export.facility_list"


def test_export_with_bad_filter_goes_back_to_the_list(people, login, officer):
    url = reverse("backoffice:facilities_export") + "?date_from=2026-03-10&date_to=2026-03-01"
    response = login(officer).get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(URL + "?")
