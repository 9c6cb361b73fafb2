"""부서 관리, 시설 ID 매핑 and facility registration pages."""

import pytest
from django.urls import reverse

from kium.core.models import AuditEntry
from kium.orgs.models import Department, District, Dong, Facility
from tests.backoffice.conftest import assert_login_redirect


def dept(facility):
    return Department.objects.get(facility=facility)


# --- 부서 관리 -----------------------------------------------------------------------


def test_tree_is_limited_by_scope(people, login, nw, gn):
    html = login(people.district_officer("NW")).get(reverse("backoffice:departments"))
    html = html.content.decode()
    assert nw.name in html and "노원구" in html
    assert gn.name not in html and "강남구" not in html
    html = login(people.city_officer()).get(reverse("backoffice:departments")).content.decode()
    assert "서울특별시" in html and gn.name in html


def test_department_detail_access(people, login, centre_with_all_menus, nw, gn, client):
    url = reverse("backoffice:department_detail", args=[dept(nw).pk])
    response = login(people.district_officer("NW")).get(url)
    assert response.status_code == 200
    html = response.content.decode()
    for label in ("상위부서명", "부서명", "부서코드", "전화번호", "팩스번호", "시설조회"):
        assert label in html
    assert login(people.district_officer("GN")).get(url).status_code == 404
    assert login(centre_with_all_menus(gn)).get(url).status_code == 404
    client.logout()
    assert_login_redirect(client.get(url), url)


def test_department_edit_saves_and_keeps_input_on_error(people, login, nw):
    client = login(people.district_officer("NW"))
    department = dept(nw)
    url = reverse("backoffice:department_detail", args=[department.pk])
    data = {
        "parent": department.parent_id,
        "name": "상계 키움센터",
        "code": "NW-SG",
        "phone": "02-111-2222",
        "fax": "02-111-3333",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    department.refresh_from_db()
    assert (department.name, department.fax) == ("상계 키움센터", "02-111-3333")
    response = client.post(url, {**data, "code": "bad code!", "name": "내가 쓴 이름"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "부서코드는 영문" in html
    assert "내가 쓴 이름" in html


def test_other_district_cannot_edit(people, login, nw):
    department = dept(nw)
    url = reverse("backoffice:department_detail", args=[department.pk])
    response = login(people.district_officer("GN")).post(url, {"name": "x", "code": "XX"})
    assert response.status_code == 404
    department.refresh_from_db()
    assert department.name == nw.name


def test_add_department_in_own_district(people, login, nw, gn):
    client = login(people.district_officer("NW"))
    response = client.get(reverse("backoffice:department_add"))
    assert response.status_code == 200
    parent = dept(nw).parent
    response = client.post(
        reverse("backoffice:department_add"),
        {"parent": parent.pk, "name": "새 센터 부서", "code": "NWUK999", "phone": "", "fax": ""},
    )
    assert response.status_code == 302
    added = Department.objects.get(code="NWUK999")
    assert added.level == "facility" and added.facility is None
    # Another district's parent is not even a choice.
    response = client.post(
        reverse("backoffice:department_add"),
        {"parent": dept(gn).parent_id, "name": "x", "code": "GNX1"},
    )
    assert response.status_code == 400
    assert not Department.objects.filter(code="GNX1").exists()


def test_add_department_asks_for_type_under_a_district(people, login):
    client = login(people.district_officer("NW"))
    nowon = Department.objects.get(level="district", district__code="NW")
    response = client.post(
        reverse("backoffice:department_add"), {"parent": nowon.pk, "name": "x", "code": "NWX1"}
    )
    assert response.status_code == 400
    assert "시설유형을 선택해 주세요" in response.content.decode()


def test_add_department_anonymous(client, db):
    url = reverse("backoffice:department_add")
    assert_login_redirect(client.get(url), url)


# --- 시설 ID 매핑 --------------------------------------------------------------------


@pytest.fixture
def unmapped(people, nw):
    """A hand-added facility department and a facility without its department."""
    officer = people.district_officer("NW")
    department = dept(nw)
    department.facility = None
    department.save()
    return officer, department


def test_facility_search_dialog_and_select(login, unmapped, nw, gn):
    officer, department = unmapped
    client = login(officer)
    url = reverse("backoffice:department_facility_search", args=[department.pk])
    response = client.get(url, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<html" not in html  # a fragment for htmx
    for label in ("순번", "시설명", "자치구", "등록일", "선택"):
        assert label in html
    assert nw.name in html and gn.name not in html
    assert client.get(url).status_code == 200  # also a full page without htmx
    response = client.get(url, {"q": "없는 이름"}, HTTP_HX_REQUEST="true")
    assert nw.name not in response.content.decode()
    response = client.post(
        reverse("backoffice:department_map", args=[department.pk]), {"facility": nw.pk}
    )
    assert response.status_code == 302
    department.refresh_from_db()
    assert department.facility == nw
    assert AuditEntry.objects.filter(action="department.map_facility").exists()


def test_mapping_refuses_out_of_scope(people, login, unmapped, gn, centre_with_all_menus):
    officer, department = unmapped
    client = login(officer)
    response = client.post(
        reverse("backoffice:department_map", args=[department.pk]), {"facility": gn.pk}
    )
    assert response.status_code == 404
    gn_officer = people.district_officer("GN")
    url = reverse("backoffice:department_facility_search", args=[department.pk])
    assert login(gn_officer).get(url).status_code == 404
    assert login(centre_with_all_menus(gn)).get(url).status_code == 404


def test_mapping_page_lists_both_warnings(login, unmapped, nw):
    officer, department = unmapped
    response = login(officer).get(reverse("backoffice:mapping"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "시설이 매핑되지 않은 부서" in html and "부서가 없는 시설" in html
    assert department.code in html and nw.code in html


def test_mapping_page_scope_and_anonymous(people, login, unmapped, nw, client):
    html = login(people.district_officer("GN")).get(reverse("backoffice:mapping"))
    assert nw.code not in html.content.decode()
    client.logout()
    url = reverse("backoffice:mapping")
    assert_login_redirect(client.get(url), url)


def test_unmap(login, people, nw):
    client = login(people.district_officer("NW"))
    response = client.post(reverse("backoffice:department_unmap", args=[dept(nw).pk]))
    assert response.status_code == 302
    assert not Department.objects.filter(facility=nw).exists()
    other = login(people.district_officer("GN"))
    department = Department.objects.get(code=nw.code)
    response = other.post(reverse("backoffice:department_unmap", args=[department.pk]))
    assert response.status_code == 404


# --- facilities ----------------------------------------------------------------------


def facility_data(district_code="NW", **extra):
    district = District.objects.get(code=district_code)
    dong = Dong.objects.create(district=district, name=f"{district.name} 테스트동")
    data = {
        "name": "노원 16호점",
        "district": district.pk,
        "facility_type": "UK",
        "kind": "fusion",
        "dong": dong.pk,
        "ages": ["elementary"],
        "address": "서울특별시 노원구 상계로 1",
        "lat": "37.65",
        "lng": "127.06",
        "area_m2": "99.00",
        "email": "nw16@example.kr",
        "phone": "02-123-4567",
        "opened_on": "2026.03.02",
    }
    data.update(extra)
    return data


def test_register_facility_assigns_code_and_department(people, login):
    for _ in range(15):
        people.facility("NW")
    client = login(people.district_officer("NW"))
    assert client.get(reverse("backoffice:facility_new")).status_code == 200
    response = client.post(reverse("backoffice:facility_new"), facility_data())
    assert response.status_code == 302
    facility = Facility.objects.get(name="노원 16호점")
    assert facility.code == "NWUK016"
    assert response["Location"] == reverse("backoffice:facility_detail", args=["NWUK016"])
    assert dept(facility).parent.facility_type == "UK"
    assert facility.kind == "fusion" and facility.ages == ["elementary"]
    assert facility.created_by.pk is not None


def test_register_facility_errors_keep_input(people, login):
    client = login(people.district_officer("NW"))
    data = facility_data(name="입력한 시설명", area_m2="", email="not-an-email")
    response = client.post(reverse("backoffice:facility_new"), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "입력한 시설명" in html
    assert not Facility.objects.filter(name="입력한 시설명").exists()


def test_register_facility_only_in_own_district(people, login):
    client = login(people.district_officer("NW"))
    response = client.post(reverse("backoffice:facility_new"), facility_data("GN", name="남의 것"))
    assert response.status_code == 400
    assert not Facility.objects.filter(name="남의 것").exists()


def test_centre_manager_cannot_register(people, login, nw):
    response = login(people.centre_manager(nw)).get(reverse("backoffice:facility_new"))
    assert response.status_code == 403


def test_dong_select_depends_on_district(people, login):
    client = login(people.district_officer("NW"))
    nowon = District.objects.get(code="NW")
    Dong.objects.create(district=nowon, name="테스트구역1동")
    Dong.objects.create(district=District.objects.get(code="GN"), name="테스트구역2동")
    response = client.get(reverse("backoffice:dong_options"), {"district": nowon.pk})
    html = response.content.decode()
    assert "테스트구역1동" in html and "테스트구역2동" not in html


def test_facility_list_and_detail_scope(people, login, nw, gn, centre_with_all_menus, client):
    officer = people.district_officer("NW")
    client = login(officer)
    html = client.get(reverse("backoffice:facilities")).content.decode()
    assert nw.code in html and gn.code not in html
    assert "전체 1건 (1페이지 / 전체 1페이지)" in html
    url = reverse("backoffice:facility_detail", args=[nw.code])
    people.centre_manager(nw, name="센터직원")
    response = client.get(url)
    assert response.status_code == 200
    assert "센터직원" in response.content.decode()
    assert login(people.district_officer("GN")).get(url).status_code == 404
    assert login(people.centre_manager(gn)).get(url).status_code == 404
    assert login(centre_with_all_menus(gn)).get(url).status_code == 404
    client.logout()
    assert_login_redirect(client.get(url), url)


def test_facility_list_paginates(people, login):
    for _ in range(12):
        people.facility("NW")
    client = login(people.district_officer("NW"))
    html = client.get(reverse("backoffice:facilities")).content.decode()
    assert "전체 12건 (1페이지 / 전체 2페이지)" in html
    html = client.get(reverse("backoffice:facilities"), {"page": 2}).content.decode()
    assert "전체 12건 (2페이지 / 전체 2페이지)" in html
