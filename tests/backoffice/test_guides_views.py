"""보육반장 관리 and 보육반장 코드 관리 pages (ACC-7)."""

import pytest
from django.urls import reverse

from kium.accounts.models import User
from kium.orgs.models import ChildcareGuide, District, GuideCode
from tests.backoffice.conftest import assert_login_redirect


@pytest.fixture
def nw_guide_officer(people):
    return people.staff(role="구관리자_보육반장", district_code="NW")


@pytest.fixture
def gn_guide_officer(people):
    return people.staff(role="구관리자_보육반장", district_code="GN")


def nw():
    return District.objects.get(code="NW")


def test_code_crud(login, nw_guide_officer):
    client = login(nw_guide_officer)
    assert client.get(reverse("backoffice:guide_code_new")).status_code == 200
    response = client.post(
        reverse("backoffice:guide_code_new"),
        {"code": "NW-001", "district": nw().pk, "description": "상계권역", "is_active": "on"},
    )
    assert response.status_code == 302
    code = GuideCode.objects.get(code="NW-001")
    html = client.get(reverse("backoffice:guide_codes")).content.decode()
    assert "NW-001" in html and "상계권역" in html
    response = client.post(
        reverse("backoffice:guide_code_edit", args=[code.pk]),
        {"code": "NW-001", "district": nw().pk, "description": "중계권역"},
    )
    assert response.status_code == 302
    code.refresh_from_db()
    assert (code.description, code.is_active) == ("중계권역", False)
    response = client.post(reverse("backoffice:guide_code_delete", args=[code.pk]))
    assert response.status_code == 302
    assert not GuideCode.objects.exists()


def test_code_scope(login, nw_guide_officer, gn_guide_officer, client, db):
    code = GuideCode.objects.create(code="NW-001", district=nw())
    url = reverse("backoffice:guide_code_edit", args=[code.pk])
    assert login(gn_guide_officer).get(url).status_code == 404
    html = login(gn_guide_officer).get(reverse("backoffice:guide_codes")).content.decode()
    assert "NW-001" not in html
    response = login(gn_guide_officer).post(
        reverse("backoffice:guide_code_new"), {"code": "NW-002", "district": nw().pk}
    )
    assert response.status_code == 400
    assert not GuideCode.objects.filter(code="NW-002").exists()
    client.logout()
    assert_login_redirect(client.get(url), url)


def test_guide_code_role_alone_cannot_manage_guides(people, login):
    coder = people.staff(role="보육반장코드", district_code="NW")
    client = login(coder)
    assert client.get(reverse("backoffice:guide_codes")).status_code == 200
    assert client.get(reverse("backoffice:guides")).status_code == 403


def test_create_and_edit_guide(login, nw_guide_officer, gn_guide_officer, people):
    code = GuideCode.objects.create(code="NW-001", district=nw())
    client = login(nw_guide_officer)
    response = client.post(
        reverse("backoffice:guide_new"),
        {
            "username": "banjang01",
            "name": "최반장",
            "phone": "010-7777-8888",
            "password": "seoul2026care",
            "district": nw().pk,
            "guide_code": code.pk,
        },
    )
    assert response.status_code == 302
    guide = ChildcareGuide.objects.get(user__username="banjang01")
    assert guide.guide_code == code
    assert guide.user.role_assignments.get().role.name == "보육반장"
    url = reverse("backoffice:guide_edit", args=[guide.pk])
    response = client.post(
        url, {"name": "최반장", "phone": "01077778888", "active_from": "2026.03.01"}
    )
    assert response.status_code == 302
    guide.refresh_from_db()
    assert guide.guide_code is None and str(guide.active_from) == "2026-03-01"
    assert login(gn_guide_officer).get(url).status_code == 404
    response = login(nw_guide_officer).post(
        reverse("backoffice:guide_set_active", args=[guide.pk]), {"active": "0"}
    )
    assert response.status_code == 302
    assert not User.objects.get(username="banjang01").is_active


def test_guide_form_errors_keep_input(login, nw_guide_officer):
    response = login(nw_guide_officer).post(
        reverse("backoffice:guide_new"),
        {
            "username": "banjang02",
            "name": "입력한이름",
            "phone": "01077778888",
            "password": "short",
            "district": nw().pk,
        },
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert "입력한이름" in html and "10~20자" in html


def test_guides_anonymous(client, db):
    url = reverse("backoffice:guides")
    assert_login_redirect(client.get(url), url)
