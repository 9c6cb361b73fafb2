"""Back office 행사 및 교육 (FAC-4) and 우리동네키움센터현황: gate, scope, forms, lists."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse

from kium.boards.domain import events as domain
from kium.boards.models import CulturalEvent, VillageResource
from kium.orgs.models import Dong, Facility
from tests.backoffice.conftest import assert_login_redirect

D1, D2 = dt.date(2026, 12, 1), dt.date(2026, 12, 3)


def _event(people, code, **fields):
    data = {"title": f"{code} 인형극", "place": "구민회관", "starts_on": D1, "ends_on": D2}
    data.update(fields)
    district = people.district(code) if code else None
    return domain.create_event(actor=people.city_officer(), district=district, **data)


def _resource(people, code, **fields):
    data = {"name": f"{code} 도서관", "category": "library"}
    data.update(fields)
    return domain.create_village_resource(
        actor=people.city_officer(), district=people.district(code), **data
    )


def _event_post(**fields):
    data = {
        "title": "겨울 인형극",
        "district": "",
        "facility": "",
        "place": "구민회관",
        "starts_on": "2026-12-01",
        "ends_on": "2026-12-03",
        "target_ages": "초등학생",
        "description": "<p>안내</p>",
    }
    data.update(fields)
    return data


@pytest.mark.parametrize(
    "name,args",
    [
        ("events", []),
        ("event_edit", []),
        ("village_resources", []),
        ("village_resource_edit", []),
        ("kium_status", []),
    ],
)
def test_anonymous_is_sent_to_the_backoffice_login(client, name, args):
    path = reverse(f"backoffice:{name}", args=args)
    assert_login_redirect(client.get(path), path)


def test_anonymous_edit_of_existing_event_redirects(client, people):
    event = _event(people, "NW")
    path = reverse("backoffice:event_edit", args=[event.pk])
    assert_login_redirect(client.get(path), path)


def test_centre_manager_without_menu_gets_403(login, people, nw):
    client = login(people.centre_manager(nw))
    assert client.get(reverse("backoffice:events")).status_code == 403
    assert client.get(reverse("backoffice:kium_status")).status_code == 403


def test_menu_links_point_to_the_new_pages(login, people):
    client = login(people.district_officer("NW"))
    html = client.get(reverse("backoffice:events")).content.decode()
    assert reverse("backoffice:village_resources") in html
    assert reverse("backoffice:kium_status") in html


# --- 문화행사 --------------------------------------------------------------------------


def test_event_list_is_scoped_for_district_officer(login, people):
    _event(people, "NW")
    _event(people, "GN")
    _event(people, None, title="서울 전체 축제")
    client = login(people.district_officer("NW"))
    response = client.get(reverse("backoffice:events"))
    html = response.content.decode()
    assert response.status_code == 200
    assert "NW 인형극" in html
    assert "GN 인형극" not in html and "서울 전체 축제" not in html


def test_event_list_filters_and_pagination(login, people):
    for i in range(12):
        _event(people, "NW", title=f"행사{i:02d}")
    _event(
        people, "GN", title="강남행사", starts_on=dt.date(2027, 3, 1), ends_on=dt.date(2027, 3, 2)
    )
    client = login(people.city_officer())
    response = client.get(reverse("backoffice:events"), {"district": people.district("NW").pk})
    assert "전체 12건 (1페이지 / 전체 2페이지)" in response.content.decode()
    response = client.get(
        reverse("backoffice:events"), {"date_from": "2027-02-01", "date_to": "2027-03-31"}
    )
    html = response.content.decode()
    assert "강남행사" in html and "행사00" not in html
    response = client.get(reverse("backoffice:events"), {"q": "행사05"})
    assert "전체 1건" in response.content.decode()


def test_event_list_bad_period_is_400_with_message(login, people):
    client = login(people.city_officer())
    response = client.get(
        reverse("backoffice:events"), {"date_from": "2027-03-01", "date_to": "2027-02-01"}
    )
    assert response.status_code == 400
    assert "종료일은 시작일보다 빠를 수 없습니다." in response.content.decode()


def test_city_officer_creates_city_wide_event_sanitised(login, people):
    client = login(people.city_officer())
    response = client.post(
        reverse("backoffice:event_edit"),
        _event_post(description="<p>안내</p><script>alert(1)</script>"),
    )
    assert response.status_code == 302
    event = CulturalEvent.objects.get()
    assert event.district is None
    assert "<script" not in event.description
    assert response["Location"] == reverse("backoffice:event_edit", args=[event.pk])


def test_ends_before_start_shows_korean_error_and_keeps_input(login, people):
    client = login(people.district_officer("NW"))
    response = client.post(
        reverse("backoffice:event_edit"),
        _event_post(
            title="입력 유지 행사",
            district=people.district("NW").pk,
            starts_on="2026-12-03",
            ends_on="2026-12-01",
        ),
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "종료일은 시작일보다 빠를 수 없습니다." in html
    assert 'value="입력 유지 행사"' in html
    assert not CulturalEvent.objects.exists()


def test_district_officer_must_pick_own_district(login, people):
    client = login(people.district_officer("NW"))
    city_wide = client.post(reverse("backoffice:event_edit"), _event_post())
    assert city_wide.status_code == 400
    assert "자치구를 선택해 주세요." in city_wide.content.decode()
    other = client.post(
        reverse("backoffice:event_edit"), _event_post(district=people.district("GN").pk)
    )
    assert other.status_code == 400
    assert not CulturalEvent.objects.exists()


def test_district_officer_edits_own_event(login, people):
    event = _event(people, "NW")
    client = login(people.district_officer("NW"))
    path = reverse("backoffice:event_edit", args=[event.pk])
    assert client.get(path).status_code == 200
    response = client.post(
        path, _event_post(title="수정한 행사", district=people.district("NW").pk, is_published="on")
    )
    assert response.status_code == 302
    event.refresh_from_db()
    assert event.title == "수정한 행사" and event.is_published


def test_district_officer_gets_404_for_other_district_and_city_wide_events(login, people):
    gn = _event(people, "GN")
    citywide = _event(people, None)
    client = login(people.district_officer("NW"))
    for event in (gn, citywide):
        path = reverse("backoffice:event_edit", args=[event.pk])
        assert client.get(path).status_code == 404
        post = client.post(path, _event_post(district=people.district("NW").pk))
        assert post.status_code == 404
    gn.refresh_from_db()
    assert gn.district.code == "GN" and gn.title == "GN 인형극"


# --- 마을돌봄자원 ----------------------------------------------------------------------


def test_resource_list_scoped_and_filtered(login, people):
    _resource(people, "NW", name="노원도서관")
    _resource(people, "NW", name="노원공원", category="park")
    _resource(people, "GN", name="강남도서관")
    client = login(people.district_officer("NW"))
    html = client.get(reverse("backoffice:village_resources")).content.decode()
    assert "노원도서관" in html and "노원공원" in html and "강남도서관" not in html
    html = client.get(
        reverse("backoffice:village_resources"), {"category": "park"}
    ).content.decode()
    assert "노원공원" in html and "노원도서관" not in html
    assert "전체 1건" in html


def test_resource_create_and_dong_error(login, people):
    client = login(people.district_officer("NW"))
    nw = people.district("NW")
    gn_dong = Dong.objects.filter(district__code="GN").first()
    data = {
        "name": "노원어린이도서관",
        "category": "library",
        "district": nw.pk,
        "dong": "",
        "url": "",
    }
    # A dong of another district is not even offered: the form refuses it.
    bad = client.post(reverse("backoffice:village_resource_edit"), {**data, "dong": gn_dong.pk})
    assert bad.status_code == 400
    assert 'value="노원어린이도서관"' in bad.content.decode()
    bad_url = client.post(reverse("backoffice:village_resource_edit"), {**data, "url": "ftp:x"})
    assert bad_url.status_code == 400
    assert "http:// 또는 https://로 시작하는 주소를 입력해 주세요." in bad_url.content.decode()
    ok = client.post(reverse("backoffice:village_resource_edit"), data)
    assert ok.status_code == 302
    assert VillageResource.objects.get().district == nw


def test_resource_of_other_district_is_404(login, people):
    resource = _resource(people, "GN")
    client = login(people.district_officer("NW"))
    path = reverse("backoffice:village_resource_edit", args=[resource.pk])
    assert client.get(path).status_code == 404
    assert client.post(path, {"name": "x"}).status_code == 404


# --- 우리동네키움센터현황 --------------------------------------------------------------


def test_kium_status_page_shows_district_rows_and_total(login, people):
    people.facility("NW", kind="general")  # 66 m² → 20
    closed = people.facility("NW", kind="hub")
    Facility.objects.filter(pk=closed.pk).update(is_operating=False)
    people.facility("GN", kind="fusion")
    client = login(people.district_officer("NW"))
    response = client.get(reverse("backoffice:kium_status"))
    assert response.status_code == 200
    rows = response.context["rows"]
    assert [r.label for r in rows] == ["노원구"]
    nw = rows[0]
    assert (nw.general, nw.hub, nw.operating, nw.closed, nw.total, nw.capacity) == (
        1, 1, 1, 1, 2, 20,
    )  # fmt: skip
    html = response.content.decode()
    assert "합계" in html and "강남구" not in html


def test_kium_status_page_query_count_does_not_grow(login, people, django_assert_max_num_queries):
    client = login(people.city_officer())
    people.facility("NW", kind="general")
    with django_assert_max_num_queries(12) as few:
        client.get(reverse("backoffice:kium_status"))
    for _ in range(19):
        people.facility("GN", kind="general")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("backoffice:kium_status"))
    assert response.context["total"].total == 20
