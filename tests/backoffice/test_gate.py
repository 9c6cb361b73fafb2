"""backoffice_view, the top-menu entry points, the 준비 중 page and the dashboard."""

import pytest
from django.urls import reverse

from kium.orgs.models import Department
from tests.backoffice.conftest import assert_login_redirect


def test_anonymous_is_sent_to_the_backoffice_login(client, db):
    url = reverse("backoffice:staff_list")
    response = client.get(url)
    assert_login_redirect(response, url)
    assert response["Location"].startswith(reverse("backoffice:login"))


def test_guardian_and_pending_staff_get_403(people, login):
    for user in (people.guardian(), people.staff(approved=False)):
        response = login(user).get(reverse("backoffice:dashboard"))
        assert response.status_code == 403
        assert "관리자 페이지를 사용할 수 있는 계정이 아닙니다" in response.content.decode()


def test_missing_menu_gets_403_page(people, login, nw):
    manager = people.centre_manager(nw)
    response = login(manager).get(reverse("backoffice:staff_list"))
    assert response.status_code == 403
    assert "권한이 없습니다" in response.content.decode()


def test_top_menu_goes_to_first_held_item(people, login):
    officer = people.district_officer("NW")
    client = login(officer)
    response = client.get(reverse("backoffice:top_menu", args=["org"]))
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:departments")
    # 구관리자 lacks users.approvals: its first users item, 이용자 관리, has no screen yet.
    response = client.get(reverse("backoffice:top_menu", args=["users"]))
    assert response["Location"] == reverse("backoffice:menu", args=["users.guardians"])
    assert client.get(reverse("backoffice:top_menu", args=["cms"])).status_code == 403
    assert client.get(reverse("backoffice:top_menu", args=["nope"])).status_code == 404


def test_menu_page_is_honest_about_later_work(people, login):
    client = login(people.city_officer())
    response = client.get(reverse("backoffice:menu", args=["reservations.training"]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "이 메뉴는 준비 중입니다" in html
    assert "예약관리" in html
    # An item with a screen forwards to it.
    response = client.get(reverse("backoffice:menu", args=["org.staff"]))
    assert response["Location"] == reverse("backoffice:staff_list")
    assert client.get(reverse("backoffice:menu", args=["no.such"])).status_code == 404


def test_menu_page_needs_the_menu(people, login, nw):
    client = login(people.centre_manager(nw))
    assert client.get(reverse("backoffice:menu", args=["cms.pages"])).status_code == 403


def test_dashboard_counts_in_scope(people, login, nw, gn):
    people.staff(approved=False, jurisdiction="district", district_code="NW")
    Department.objects.filter(facility=gn).update(facility=None)
    city = login(people.city_officer()).get(reverse("backoffice:dashboard"))
    html = city.content.decode()
    assert "가입 승인 대기" in html
    assert "1건" in html
    assert "부서가 없는 시설 1곳" in html
    officer = people.district_officer("NW")
    html = login(officer).get(reverse("backoffice:dashboard")).content.decode()
    assert "가입 승인 대기" not in html
    assert "매핑되지 않은 부서나 시설이 없습니다" in html
    assert nw.name in html and gn.name not in html


def test_side_navigation_shows_held_items_only(people, login):
    html = login(people.district_officer("NW")).get(reverse("backoffice:staff_list"))
    html = html.content.decode()
    assert reverse("backoffice:mapping") in html
    assert reverse("backoffice:roles") not in html


def _manage_urls():
    from kium.backoffice.urls_manage import urlpatterns
    from kium.core.converters import FacilityCodeConverter

    args = {"pk": 1, "code": "org"}
    for pattern in urlpatterns:
        converters = pattern.pattern.converters
        yield (
            pattern.name,
            [
                "NWUK001" if isinstance(converters[n], FacilityCodeConverter) else args[n]
                for n in converters
            ],
        )


@pytest.mark.parametrize(("name", "args"), list(_manage_urls()))
def test_every_management_page_sends_anonymous_to_login(client, db, name, args):
    url = reverse(f"backoffice:{name}", args=args)
    for response in (client.get(url), client.post(url)):
        assert_login_redirect(response, url)


@pytest.mark.parametrize(("name", "args"), list(_manage_urls()))
def test_every_management_page_refuses_a_guardian(people, login, name, args):
    client = login(people.guardian())
    url = reverse(f"backoffice:{name}", args=args)
    assert client.get(url).status_code == 403
    assert client.post(url).status_code == 403


def test_every_screen_renders_for_a_city_officer(people, login, nw):
    """A smoke test over every GET screen, with real objects behind the ids."""
    from kium.orgs.models import ChildcareGuide, GuideCode, Role

    city = people.city_officer()
    account = people.centre_manager(nw)
    applicant = people.staff(approved=False, jurisdiction="district", district_code="NW")
    code = GuideCode.objects.create(code="NW-1", district=nw.district)
    guide = ChildcareGuide.objects.create(user=people.staff(district_code="NW"), guide_code=code)
    client = login(city)
    pages = [
        ("dashboard", []),
        ("departments", []),
        ("department_add", []),
        ("department_detail", [nw.department.pk]),
        ("department_facility_search", [nw.department.pk]),
        ("mapping", []),
        ("facilities", []),
        ("facility_new", []),
        ("facility_detail", [nw.code]),
        ("staff_list", []),
        ("staff_export", []),
        ("staff_detail", [account.pk]),
        ("staff_logins", [account.pk]),
        ("staff_changes", [account.pk]),
        ("roles", []),
        ("role_new", []),
        ("role_detail", [Role.objects.first().pk]),
        ("role_edit", [Role.objects.first().pk]),
        ("assignments", []),
        ("assignment_user", [account.pk]),
        ("guides", []),
        ("guide_new", []),
        ("guide_edit", [guide.pk]),
        ("guide_codes", []),
        ("guide_code_new", []),
        ("guide_code_edit", [code.pk]),
        ("approvals", []),
        ("approval_detail", [applicant.pk]),
        ("login_history", []),
        ("audit_log", []),
        ("access_records", []),
        ("access_records_export", []),
        ("monthly_review", []),
        ("districts", []),
        ("district_detail", [nw.district_id]),
    ]
    for name, args in pages:
        response = client.get(reverse(f"backoffice:{name}", args=args))
        assert response.status_code == 200, name
    url = reverse("backoffice:staff_new") + f"?facility={nw.code}"
    assert client.get(url).status_code == 200
