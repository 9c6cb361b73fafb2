"""권한 관리 and 권한할당 관리 pages."""

from django.urls import reverse

from kium.core.models import AuditEntry
from kium.orgs.models import Role, RoleAssignment
from tests.backoffice.conftest import assert_login_redirect


def role(name):
    return Role.objects.get(name=name)


def test_roles_list_with_menu_lists(people, login):
    client = login(people.city_officer())
    response = client.get(reverse("backoffice:roles"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "구관리자_우리동네키움센터" in html and "[목록]" in html
    assert "3년" in html  # retention of rights changes
    detail = client.get(reverse("backoffice:role_detail", args=[role("보육반장코드").pk]))
    assert detail.status_code == 200
    assert "보육반장 코드 관리" in detail.content.decode()
    assert "조직관리" in detail.content.decode()


def test_roles_anonymous_and_district_officer(people, login, client):
    url = reverse("backoffice:roles")
    assert_login_redirect(client.get(url), url)
    # 구관리자 holds no org.roles menu.
    assert login(people.district_officer("NW")).get(url).status_code == 403


def test_city_officer_creates_role_with_menu_checkboxes(people, login):
    client = login(people.city_officer())
    assert client.get(reverse("backoffice:role_new")).status_code == 200
    response = client.post(
        reverse("backoffice:role_new"),
        {
            "name": "자치구_통계담당",
            "level": "district",
            "facility_type": "",
            "description": "통계만",
            "menus": ["stats.users", "stats.regular"],
        },
    )
    assert response.status_code == 302
    created = Role.objects.get(name="자치구_통계담당")
    assert created.menus == ["stats.users", "stats.regular"]
    assert AuditEntry.objects.filter(action="role.create").exists()
    response = client.post(
        reverse("backoffice:role_edit", args=[created.pk]),
        {"name": "자치구_통계담당", "level": "district", "menus": [], "is_active": "on"},
    )
    assert response.status_code == 400
    assert "자치구_통계담당" in response.content.decode()


def test_role_editing_needs_city_scope(people, login, centre_with_all_menus, nw):
    url = reverse("backoffice:role_new")
    assert login(centre_with_all_menus(nw)).get(url).status_code == 403


def test_assignments_search_and_scope(people, login, nw, gn, centre_with_all_menus):
    mine = people.centre_manager(nw)
    theirs = people.centre_manager(gn)
    client = login(people.district_officer("NW"))
    html = client.get(reverse("backoffice:assignments")).content.decode()
    assert mine.username in html and theirs.username not in html
    url = reverse("backoffice:assignment_user", args=[mine.pk])
    assert client.get(url).status_code == 200
    assert login(people.district_officer("GN")).get(url).status_code == 404
    assert login(centre_with_all_menus(gn)).get(url).status_code == 404


def test_assignments_anonymous(client, db):
    url = reverse("backoffice:assignments")
    assert_login_redirect(client.get(url), url)


def test_add_and_remove_assignment(people, login, nw):
    worker = people.staff(facility_obj=nw)
    officer = people.district_officer("NW")
    client = login(officer)
    url = reverse("backoffice:assignment_user", args=[worker.pk])
    response = client.post(
        url,
        {
            "role": role("센터관리자_우리동네키움센터").pk,
            "scope_level": "facility",
            "facility": nw.pk,
        },
    )
    assert response.status_code == 302
    assignment = RoleAssignment.objects.get(user=worker)
    response = client.post(reverse("backoffice:assignment_remove", args=[assignment.pk]))
    assert response.status_code == 302
    assert not RoleAssignment.objects.filter(user=worker).exists()
    assert list(
        AuditEntry.objects.filter(
            object_type="accounts.user", object_id=str(worker.pk)
        ).values_list("action", flat=True)
    ) == ["role.revoke", "role.assign"]


def test_acc5_errors_show_next_to_the_field(people, login, nw):
    worker = people.staff(facility_obj=nw)
    client = login(people.district_officer("NW"))
    response = client.post(
        reverse("backoffice:assignment_user", args=[worker.pk]),
        {
            "role": role("센터관리자_우리동네키움센터").pk,
            "scope_level": "district",
            "district": worker.facility.district_id,
        },
    )
    assert response.status_code == 400
    assert "시설 권한은 시설 범위로만" in response.content.decode()
    # A city role is not even offered to a district officer.
    response = client.post(
        reverse("backoffice:assignment_user", args=[worker.pk]),
        {"role": role("총괄운영").pk, "scope_level": "city"},
    )
    assert response.status_code == 400
    assert not RoleAssignment.objects.filter(user=worker).exists()


def test_remove_out_of_scope_is_404(people, login, nw):
    worker = people.centre_manager(nw)
    assignment = worker.role_assignments.get()
    response = login(people.district_officer("GN")).post(
        reverse("backoffice:assignment_remove", args=[assignment.pk])
    )
    assert response.status_code == 404
    assert RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_batch_assign_from_staff_list(people, login):
    first, second = people.facility("NW"), people.facility("NW")
    a, b = people.staff(facility_obj=first), people.staff(facility_obj=second)
    client = login(people.district_officer("NW"))
    response = client.post(
        reverse("backoffice:assignments_batch"),
        {"users": [a.pk, b.pk], "role": role("센터관리자_우리동네키움센터").pk, "back": "?page=1"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:staff_list") + "?page=1"
    assert RoleAssignment.objects.get(user=a).facility == first
    assert RoleAssignment.objects.get(user=b).facility == second


def test_batch_assign_refuses_outsiders_and_open_redirects(people, login, gn):
    outsider = people.staff(facility_obj=gn)
    client = login(people.district_officer("NW"))
    response = client.post(
        reverse("backoffice:assignments_batch"),
        {
            "users": [outsider.pk],
            "role": role("센터관리자_우리동네키움센터").pk,
            "back": "//evil.example",
        },
    )
    assert response["Location"] == reverse("backoffice:staff_list")
    assert not RoleAssignment.objects.filter(user=outsider).exists()
