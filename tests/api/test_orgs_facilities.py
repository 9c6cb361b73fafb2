"""/facilities (public list and detail, staff registration) and /staff."""

from decimal import Decimal

import pytest

from kium.accounts.domain.tokens import issue_token
from kium.accounts.models import User
from kium.orgs.models import Department, District, Dong, Facility


def auth(user) -> dict:
    key, _ = issue_token(user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {key}"}


def post(client, path, body, user=None):
    headers = auth(user) if user is not None else {}
    return client.post(path, body, content_type="application/json", **headers)


# --- public list -----------------------------------------------------------------------


def test_list_shape_capacity_and_quota(client, people):
    general = people.facility("NW", area_m2=Decimal("66.00"), kind="general")
    hub = people.facility("NW", area_m2=Decimal("99.00"), kind="hub", ages=["elementary"])
    people.facility("GN", facility_type="GI", area_m2=Decimal("40"))
    response = client.get("/api/v1/facilities", {"district": "NW"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 2
    by_code = {row["code"]: row for row in body["results"]}
    row = by_code[general.code]
    assert set(row) == {
        "code", "name", "type", "kind", "district", "address", "lat", "lng",
        "capacity", "temporary_quota", "operating",
    }  # fmt: skip
    assert (row["capacity"], row["temporary_quota"]) == (20, 4)
    assert (by_code[hub.code]["capacity"], by_code[hub.code]["temporary_quota"]) == (30, 30)
    assert row["district"] == "NW" and row["type"] == "UK" and row["operating"] is True
    assert row["lat"] == pytest.approx(37.654)


def test_list_filters(client, people):
    a = people.facility("NW", kind="fusion", ages=["elementary_middle"], name="상계 융합센터")
    b = people.facility("NW", facility_type="CC", ages=["infant"])
    c = people.facility("GN", ages=["middle"])

    def codes(**params):
        return {r["code"] for r in client.get("/api/v1/facilities", params).json()["results"]}

    assert codes(type="CC") == {b.code}
    assert codes(kind="fusion") == {a.code}
    assert codes(age="elementary") == {a.code}
    assert codes(age="middle") == {a.code, c.code}
    assert codes(q="융합") == {a.code}
    assert codes(district="GN") == {c.code}


def test_list_pagination_and_bad_input(client, people):
    for _ in range(5):
        people.facility("NW")
    body = client.get("/api/v1/facilities", {"page_size": 2, "page": 3}).json()
    assert body["count"] == 5 and len(body["results"]) == 1
    response = client.get("/api/v1/facilities", {"page_size": 101})
    assert response.status_code == 400
    assert "page_size" in response.json()["fields"]
    assert client.get("/api/v1/facilities", {"type": "XX"}).status_code == 400
    assert client.get("/api/v1/facilities", {"page": 0}).status_code == 400


@pytest.mark.parametrize("n", [1, 20])
def test_list_uses_a_fixed_number_of_queries(client, people, django_assert_num_queries, n):
    for _ in range(n):
        people.facility("NW")
    with django_assert_num_queries(2):
        response = client.get("/api/v1/facilities", {"page_size": 100})
    assert response.json()["count"] == n


def test_detail(client, people):
    nowon = District.objects.get(code="NW")
    dong = Dong.objects.create(district=nowon, name="테스트상세동")
    facility = people.facility("NW", dong=dong, phone="02-950-0000", ages=["elementary"])
    response = client.get(f"/api/v1/facilities/{facility.code}")
    assert response.status_code == 200
    body = response.json()
    assert body["dong"] == "테스트상세동"
    assert body["phone"] == "02-950-0000"
    assert body["email"] == facility.email
    assert body["capacity"] == 20
    assert client.get("/api/v1/facilities/NWUK999").status_code == 404


def test_list_operating_filter_and_kindergarten_age(client, people):
    open_one = people.facility("NW", facility_type="CC", ages=["infant"])
    closed = people.facility("NW", ages=["elementary"])
    Facility.objects.filter(pk=closed.pk).update(is_operating=False)
    kinder = people.facility("NW", facility_type="SK", ages=["kindergarten"])

    def codes(**params):
        response = client.get("/api/v1/facilities", params)
        assert response.status_code == 200
        return {r["code"] for r in response.json()["results"]}

    assert codes(operating="true") == {open_one.code, kinder.code}
    assert codes(operating="false") == {closed.code}
    assert codes() == {open_one.code, closed.code, kinder.code}
    # The same age rule as the portal's map: 영유아 facilities take 유치원생 ages.
    assert codes(age="kindergarten") == {open_one.code, kinder.code}
    assert codes(age="infant") == {open_one.code}
    assert client.get("/api/v1/facilities", {"operating": "maybe"}).status_code == 400


def test_detail_profile_and_photos(client, people, settings, tmp_path):
    import datetime as dt

    from django.core.files.uploadedfile import SimpleUploadedFile

    from kium.centres.models import FacilityPhoto, FacilityProfile

    settings.MEDIA_ROOT = tmp_path
    facility = people.facility("NW")
    bare = client.get(f"/api/v1/facilities/{facility.code}").json()
    assert bare["profile"] is None and bare["photos"] == []
    FacilityProfile.objects.create(
        facility=facility,
        introduction="소개",
        meal_support="snack",
        monthly_fee=50000,
        daily_fee=2500,
        fee_note="간식비 별도",
        morning_care=True,
        sick_child_care=True,
        term_open_time=dt.time(13, 0),
        term_close_time=dt.time(20, 0),
    )
    second = FacilityPhoto.objects.create(
        facility=facility,
        image=SimpleUploadedFile("b.png", b"x", content_type="image/png"),
        alt_text="마당",
        content_type="image/png",
        sort_order=2,
    )
    first = FacilityPhoto.objects.create(
        facility=facility,
        image=SimpleUploadedFile("a.png", b"x", content_type="image/png"),
        alt_text="교실",
        content_type="image/png",
        sort_order=1,
    )
    body = client.get(f"/api/v1/facilities/{facility.code}").json()
    assert body["profile"] == {
        "introduction": "소개",
        "meal_support": "snack",
        "monthly_fee": 50000,
        "daily_fee": 2500,
        "fee_note": "간식비 별도",
        "services": ["morning_care", "sick_child_care"],
        "usual_hours": {
            "term": {"open": "13:00", "close": "20:00"},
            "vacation": None,
            "saturday": None,
        },
    }
    assert body["photos"] == [
        {"url": f"http://testserver/facilities/photos/{first.pk}/", "alt_text": "교실"},
        {"url": f"http://testserver/facilities/photos/{second.pk}/", "alt_text": "마당"},
    ]
    # The list keeps API.md's fields only.
    row = client.get("/api/v1/facilities").json()["results"][0]
    assert "profile" not in row and "photos" not in row


# --- POST /facilities ------------------------------------------------------------------


@pytest.fixture
def body(db):
    nowon = District.objects.get(code="NW")
    Dong.objects.get_or_create(district=nowon, name="테스트등록동")
    return {
        "name": "노원 16호점",
        "district": "NW",
        "type": "UK",
        "kind": "general",
        "dong": "테스트등록동",
        "address": "서울특별시 노원구 동일로 1",
        "lat": 37.65,
        "lng": 127.06,
        "area_m2": 72.6,
        "ages": ["elementary"],
        "email": "nw16@example.kr",
        "opened_on": "2026-03-02",
    }


def test_district_officer_registers_in_own_district(client, people, body):
    for _ in range(15):
        people.facility("NW")
    response = post(client, "/api/v1/facilities", body, people.district_officer("NW"))
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["code"] == "NWUK016"
    assert (created["capacity"], created["temporary_quota"]) == (22, 4)
    assert created["dong"] == "테스트등록동" and created["opened_on"] == "2026-03-02"
    facility = Facility.objects.get(code="NWUK016")
    assert Department.objects.get(facility=facility).level == "facility"


def test_facility_registration_refusals(client, people, body):
    assert post(client, "/api/v1/facilities", body).status_code == 401
    gn_officer = people.district_officer("GN")
    response = post(client, "/api/v1/facilities", body, gn_officer)
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    manager = people.centre_manager(people.facility("GN"))
    assert post(client, "/api/v1/facilities", body, manager).status_code == 404
    guardian = people.guardian()
    assert post(client, "/api/v1/facilities", body, guardian).status_code == 403
    assert not Facility.objects.filter(name="노원 16호점").exists()


def test_facility_registration_validation(client, people, body):
    officer = people.district_officer("NW")
    response = post(client, "/api/v1/facilities", {**body, "dong": "없는동"}, officer)
    assert response.status_code == 400
    assert "dong" in response.json()["fields"]
    response = post(client, "/api/v1/facilities", {**body, "area_m2": -1}, officer)
    assert response.status_code == 400
    assert "area_m2" in response.json()["fields"]
    response = post(client, "/api/v1/facilities", {**body, "email": "nope"}, officer)
    assert response.json()["fields"] == {"email": ["이메일 주소를 확인해 주세요."]}
    response = post(client, "/api/v1/facilities", {**body, "type": "GI"}, officer)
    assert "kind" in response.json()["fields"]


# --- POST /staff -----------------------------------------------------------------------


def test_create_staff(client, people):
    facility = people.facility("NW")
    officer = people.district_officer("NW")
    payload = {
        "facility": facility.code,
        "name": "박담당",
        "phone": "01012345678",
        "password": "centre2026pw",
    }
    response = post(client, "/api/v1/staff", payload, officer)
    assert response.status_code == 201, response.content
    assert response.json() == {
        "username": f"{facility.code}001",
        "role": "센터관리자_우리동네키움센터",
        "name": "박담당",
        "facility": facility.code,
    }
    second = post(client, "/api/v1/staff", {**payload, "phone": "01012345679"}, officer)
    assert second.json()["username"] == f"{facility.code}002"
    user = User.objects.get(username=f"{facility.code}001")
    assert user.must_change_password and user.is_approved


def test_create_staff_refusals(client, people):
    facility = people.facility("NW")
    payload = {"facility": facility.code, "name": "박", "phone": "01012345678", "password": "pw"}
    assert post(client, "/api/v1/staff", payload).status_code == 401
    assert post(client, "/api/v1/staff", payload, people.district_officer("GN")).status_code == 404
    other_manager = people.centre_manager(people.facility("GN"))
    assert post(client, "/api/v1/staff", payload, other_manager).status_code == 404
    own_manager = people.centre_manager(facility)
    assert post(client, "/api/v1/staff", payload, own_manager).status_code == 403
    response = post(client, "/api/v1/staff", payload, people.district_officer("NW"))
    assert response.status_code == 400
    assert "password" in response.json()["fields"]
    response = post(
        client,
        "/api/v1/staff",
        {**payload, "password": "centre2026pw", "role": "총괄운영"},
        people.district_officer("NW"),
    )
    assert response.status_code == 403
    assert not User.objects.filter(facility=facility, staff_number__isnull=False).exists()


def test_openapi_describes_both_facility_operations(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post"} <= set(paths["/api/v1/facilities"])
    assert "post" in paths["/api/v1/staff"]
    assert "get" in paths["/api/v1/districts/{code}/dongs"]
