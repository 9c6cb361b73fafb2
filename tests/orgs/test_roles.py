"""ACC-4/ACC-5: who may grant which role at which scope."""

import pytest

from kium.core.models import AuditEntry
from kium.orgs.domain.errors import OrgError
from kium.orgs.domain.roles import (
    assign_role,
    batch_assign,
    create_role,
    menus_by_top,
    revoke_assignment,
    update_role,
)
from kium.orgs.domain.scope import scope_for
from kium.orgs.models import District, Role, RoleAssignment


def role(name):
    return Role.objects.get(name=name)


@pytest.fixture
def nw_facility(people):
    return people.facility("NW")


def test_district_officer_grants_centre_role_in_own_facility(people, nw_facility):
    officer = people.district_officer("NW")
    worker = people.staff(facility_obj=nw_facility)
    assignment = assign_role(
        actor=officer,
        user=worker,
        role=role("센터관리자_우리동네키움센터"),
        scope_level="facility",
        facility=nw_facility,
    )
    assert assignment.facility == nw_facility
    assert scope_for(worker).facility_ids == frozenset({nw_facility.pk})
    entry = AuditEntry.objects.get(action="role.assign", object_id=str(worker.pk))
    assert entry.object_type == "accounts.user"
    assert entry.after["role"] == "센터관리자_우리동네키움센터"


def test_district_officer_cannot_grant_city_role_or_city_scope(people):
    officer = people.district_officer("NW")
    target = people.staff(district_code="NW")
    with pytest.raises(OrgError) as err:
        assign_role(
            actor=officer, user=target, role=role("시관리자_우리동네키움센터"), scope_level="city"
        )
    assert err.value.code == "forbidden"
    assert err.value.field == "role"
    with pytest.raises(OrgError) as err:
        assign_role(
            actor=officer, user=target, role=role("구관리자_우리동네키움센터"), scope_level="city"
        )
    assert err.value.code == "scope_too_wide"


def test_district_officer_cannot_grant_role_wider_than_own_menus(people):
    officer = people.district_officer("NW")
    target = people.staff(district_code="NW")
    # 보육반장 grants boards.admin_notices, which 구관리자_우리동네키움센터 does not hold.
    with pytest.raises(OrgError) as err:
        assign_role(
            actor=officer,
            user=target,
            role=role("보육반장"),
            scope_level="district",
            district=District.objects.get(code="NW"),
        )
    assert err.value.code == "forbidden"


def test_district_officer_cannot_grant_in_another_district(people):
    officer = people.district_officer("NW")
    gn_facility = people.facility("GN")
    nw_target = people.staff(district_code="NW")
    with pytest.raises(OrgError) as err:
        assign_role(
            actor=officer,
            user=nw_target,
            role=role("구관리자_우리동네키움센터"),
            scope_level="district",
            district=District.objects.get(code="GN"),
        )
    assert err.value.code == "out_of_scope"
    with pytest.raises(OrgError) as err:
        assign_role(
            actor=officer,
            user=nw_target,
            role=role("센터관리자_우리동네키움센터"),
            scope_level="facility",
            facility=gn_facility,
        )
    assert err.value.code == "out_of_scope"
    # …nor touch an account outside the district.
    gn_target = people.staff(district_code="GN")
    with pytest.raises(OrgError) as err:
        assign_role(
            actor=officer,
            user=gn_target,
            role=role("구관리자_우리동네키움센터"),
            scope_level="district",
            district=District.objects.get(code="NW"),
        )
    assert err.value.code == "out_of_scope"


def test_facility_role_needs_facility_scope_of_matching_type(people, nw_facility):
    city = people.city_officer()
    target = people.staff(facility_obj=nw_facility)
    with pytest.raises(OrgError) as err:
        assign_role(
            actor=city,
            user=target,
            role=role("센터관리자_우리동네키움센터"),
            scope_level="district",
            district=District.objects.get(code="NW"),
        )
    assert err.value.code == "scope_too_wide"
    assert "시설 범위" in err.value.message
    gi = people.facility("NW", facility_type="GI")
    with pytest.raises(OrgError) as err:
        assign_role(
            actor=city,
            user=target,
            role=role("센터관리자_우리동네키움센터"),
            scope_level="facility",
            facility=gi,
        )
    assert err.value.code == "type_mismatch"


def test_centre_manager_grants_nothing(people, nw_facility):
    manager = people.centre_manager(nw_facility)
    colleague = people.staff(facility_obj=nw_facility)
    with pytest.raises(OrgError):
        assign_role(
            actor=manager,
            user=colleague,
            role=role("센터관리자_우리동네키움센터"),
            scope_level="facility",
            facility=nw_facility,
        )


def test_nobody_changes_their_own_rights(people):
    officer = people.district_officer("NW")
    with pytest.raises(OrgError) as err:
        assign_role(
            actor=officer,
            user=officer,
            role=role("구관리자_우리동네키움센터"),
            scope_level="district",
            district=District.objects.get(code="DB"),
        )
    assert err.value.code == "forbidden"
    assert "본인" in err.value.message


def test_duplicate_assignment_is_refused(people, nw_facility):
    city = people.city_officer()
    target = people.staff(facility_obj=nw_facility)
    kwargs = {
        "actor": city,
        "user": target,
        "role": role("센터관리자_우리동네키움센터"),
        "scope_level": "facility",
        "facility": nw_facility,
    }
    assign_role(**kwargs)
    with pytest.raises(OrgError) as err:
        assign_role(**kwargs)
    assert err.value.code == "duplicate"


def test_revoke_is_bounded_and_audited(people, nw_facility):
    city = people.city_officer()
    target = people.staff(district_code="NW")
    city_assignment = assign_role(
        actor=city, user=target, role=role("시관리자_우리동네키움센터"), scope_level="city"
    )
    officer = people.district_officer("NW")
    with pytest.raises(OrgError):
        revoke_assignment(actor=officer, assignment=city_assignment)
    assert RoleAssignment.objects.filter(pk=city_assignment.pk).exists()
    revoke_assignment(actor=city, assignment=city_assignment)
    assert not RoleAssignment.objects.filter(pk=city_assignment.pk).exists()
    assert AuditEntry.objects.filter(action="role.revoke", object_id=str(target.pk)).exists()
    assert not scope_for(target).city


def test_batch_assign_uses_each_accounts_facility(people):
    officer = people.district_officer("NW")
    first, second = people.facility("NW"), people.facility("NW")
    a = people.staff(facility_obj=first)
    b = people.staff(facility_obj=second)
    result = batch_assign(actor=officer, users=[a, b], role=role("센터관리자_우리동네키움센터"))
    assert len(result.assigned) == 2
    assert RoleAssignment.objects.get(user=a).facility == first
    assert RoleAssignment.objects.get(user=b).facility == second
    again = batch_assign(actor=officer, users=[a], role=role("센터관리자_우리동네키움센터"))
    assert again.skipped == [a]


def test_batch_assign_is_all_or_nothing(people):
    officer = people.district_officer("NW")
    ok = people.staff(facility_obj=people.facility("NW"))
    outsider = people.staff(facility_obj=people.facility("GN"))
    with pytest.raises(OrgError) as err:
        batch_assign(actor=officer, users=[ok, outsider], role=role("센터관리자_우리동네키움센터"))
    assert outsider.username in err.value.message
    assert not RoleAssignment.objects.filter(user=ok).exists()


def test_city_officer_creates_and_edits_roles(people):
    city = people.city_officer()
    new = create_role(
        actor=city, name="자치구_통계", level="district", menus=["stats.users", "stats.facilities"]
    )
    assert new.menus == ["stats.facilities", "stats.users"]  # registry order
    assert AuditEntry.objects.filter(action="role.create", object_id=str(new.pk)).exists()
    update_role(actor=city, role=new, name="자치구_통계", level="district", menus=["stats.users"])
    new.refresh_from_db()
    assert new.menus == ["stats.users"]
    with pytest.raises(OrgError) as err:
        create_role(actor=city, name="bad", level="district", menus=["no.such"])
    assert err.value.field == "menus"
    with pytest.raises(OrgError) as err:
        create_role(actor=city, name="자치구_통계", level="district", menus=["stats.users"])
    assert err.value.code == "duplicate_name"


def test_district_officer_cannot_create_roles(people):
    with pytest.raises(OrgError) as err:
        create_role(
            actor=people.district_officer("NW"), name="x", level="district", menus=["stats.users"]
        )
    assert err.value.code == "forbidden"


def test_menus_by_top_groups_in_registry_order():
    groups = menus_by_top(["users.audit", "org.staff", "org.departments"])
    assert [g["code"] for g in groups] == ["org", "users"]
    assert [i.code for i in groups[0]["items"]] == ["org.departments", "org.staff"]
