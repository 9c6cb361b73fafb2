"""자치구·동 관리."""

from django.urls import reverse

from kium.core.models import AuditEntry
from kium.orgs.models import District, Dong
from tests.backoffice.conftest import assert_login_redirect


def test_district_list_and_edit(people, login):
    client = login(people.city_officer())
    html = client.get(reverse("backoffice:districts")).content.decode()
    assert "노원구" in html and "GB" in html and "GD" in html
    gangbuk = District.objects.get(code="GB")
    url = reverse("backoffice:district_detail", args=[gangbuk.pk])
    response = client.post(url, {"action": "district", "code": "KB", "name": "강북구"})
    assert response.status_code == 302
    gangbuk.refresh_from_db()
    assert gangbuk.code == "KB"
    assert AuditEntry.objects.filter(action="district.update").exists()
    response = client.post(url, {"action": "district", "code": "NW", "name": "강북구"})
    assert response.status_code == 400
    assert "다른 자치구가 쓰는 코드" in response.content.decode()


def test_dongs_add_rename_deactivate(people, login):
    client = login(people.city_officer())
    nowon = District.objects.get(code="NW")
    url = reverse("backoffice:district_detail", args=[nowon.pk])
    assert client.post(url, {"action": "add_dong", "name": "테스트신설동"}).status_code == 302
    dong = Dong.objects.get(district=nowon, name="테스트신설동")
    client.post(reverse("backoffice:dong_update", args=[dong.pk]), {"name": "테스트개명동"})
    client.post(reverse("backoffice:dong_update", args=[dong.pk]), {"active": "0"})
    dong.refresh_from_db()
    assert (dong.name, dong.is_active) == ("테스트개명동", False)
    html = client.get(url).content.decode()
    assert "테스트개명동" in html and "미사용" in html


def test_district_screens_are_for_city_officers(people, login, nw, centre_with_all_menus, client):
    nowon = District.objects.get(code="NW")
    url = reverse("backoffice:district_detail", args=[nowon.pk])
    assert login(people.district_officer("NW")).get(url).status_code == 403
    gn_holder = centre_with_all_menus(people.facility("GN"))
    assert login(gn_holder).get(url).status_code == 404
    dong = Dong.objects.create(district=nowon, name="테스트보호동")
    response = login(gn_holder).post(
        reverse("backoffice:dong_update", args=[dong.pk]), {"active": "0"}
    )
    assert response.status_code == 404
    # Even in its own district a centre-level account cannot edit.
    own = centre_with_all_menus(nw)
    response = login(own).post(url, {"action": "district", "code": "ZZ", "name": "노원구"})
    assert response.status_code == 403
    response = login(own).post(reverse("backoffice:dong_update", args=[dong.pk]), {"active": "0"})
    assert response.status_code == 403
    dong.refresh_from_db()
    assert dong.is_active
    nowon.refresh_from_db()
    assert nowon.code == "NW"
    client.logout()
    assert_login_redirect(client.get(url), url)
