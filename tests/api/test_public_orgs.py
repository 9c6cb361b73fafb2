"""Public reference data: /districts and /districts/{code}/dongs."""

from kium.orgs.models import District, Dong


def test_districts_lists_all_25(client, db):
    response = client.get("/api/v1/districts")
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 25
    assert {"code": "NW", "name": "노원구"} in body
    assert {d["code"] for d in body} >= {"GB", "GD", "KC"}


def test_dongs_of_a_district(client, db):
    nowon = District.objects.get(code="NW")
    Dong.objects.filter(district=nowon).delete()
    Dong.objects.create(district=nowon, name="상계1동")
    Dong.objects.create(district=nowon, name="공릉1동")
    Dong.objects.create(district=nowon, name="폐지동", is_active=False)
    response = client.get("/api/v1/districts/NW/dongs")
    assert response.status_code == 200
    assert response.json() == [{"name": "공릉1동"}, {"name": "상계1동"}]
    assert client.get("/api/v1/districts/nw/dongs").status_code == 200


def test_unknown_district_is_404_json(client, db):
    response = client.get("/api/v1/districts/XX/dongs")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"
    assert response.json()["message"]


def test_facility_detail_is_a_fixed_number_of_queries(client, people, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from kium.centres.models import FacilityPhoto, FacilityProfile

    settings.MEDIA_ROOT = tmp_path
    facility = people.facility("NW")
    FacilityProfile.objects.create(facility=facility, introduction="소개")

    def queries_with(photos: int) -> int:
        FacilityPhoto.objects.filter(facility=facility).delete()
        for n in range(photos):
            FacilityPhoto.objects.create(
                facility=facility,
                image=SimpleUploadedFile(f"{n}.png", b"x", content_type="image/png"),
                alt_text=f"사진 {n}",
                content_type="image/png",
            )
        with CaptureQueriesContext(connection) as captured:
            body = client.get(f"/api/v1/facilities/{facility.code}").json()
        assert len(body["photos"]) == photos and body["profile"]["introduction"] == "소개"
        return len(captured)

    assert queries_with(1) == queries_with(8)
