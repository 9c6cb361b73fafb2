"""ORG-4 staff accounts: numbering, defaults, 사용여부."""

import pytest

from kium.accounts.models import User
from kium.core.models import AuditEntry
from kium.orgs.domain.errors import OrgError
from kium.orgs.domain.scope import scope_for
from kium.orgs.domain.staff import create_staff_account, set_staff_active
from kium.orgs.models import Department, Role

PASSWORD = "centre2026pw"


def make(actor, facility, **kwargs):
    defaults = {"name": "김담당", "phone": "010-1234-5678", "email": "", "password": PASSWORD}
    defaults.update(kwargs)
    return create_staff_account(actor=actor, facility=facility, **defaults)


def test_accounts_are_numbered_per_facility(people):
    officer = people.district_officer("NW")
    facility = people.facility("NW")
    other = people.facility("NW")
    first = make(officer, facility)
    second = make(officer, facility)
    elsewhere = make(officer, other)
    assert first.username == f"{facility.code}001"
    assert second.username == f"{facility.code}002"
    assert elsewhere.username == f"{other.code}001"
    assert (first.staff_number, second.staff_number) == (1, 2)


def test_new_account_is_approved_must_change_password_and_has_centre_role(people):
    officer = people.district_officer("NW")
    facility = people.facility("NW")
    user = make(officer, facility, email="kim@example.kr")
    assert user.is_approved
    assert user.approved_by == officer
    assert user.must_change_password
    assert user.check_password(PASSWORD)
    assert user.phone == "01012345678"
    assert user.department == Department.objects.get(facility=facility)
    assignment = user.role_assignments.get()
    assert assignment.role.name == "센터관리자_우리동네키움센터"
    assert assignment.facility == facility
    assert scope_for(user).facility_ids == frozenset({facility.pk})
    assert AuditEntry.objects.filter(action="staff.create", object_id=str(user.pk)).exists()


def test_default_role_follows_facility_type(people):
    city = people.city_officer()
    gi = people.facility("NW", facility_type="GI")
    user = make(city, gi)
    assert user.role_assignments.get().role.name == "센터관리자_지역아동센터"


def test_numbers_are_never_reused_after_deletion(people):
    officer = people.district_officer("NW")
    facility = people.facility("NW")
    make(officer, facility)
    second = make(officer, facility)
    second.delete()
    third = make(officer, facility)
    assert third.username == f"{facility.code}003"


def test_twenty_accounts_in_a_row_never_share_a_number(people):
    officer = people.district_officer("NW")
    facility = people.facility("NW")
    names = [make(officer, facility, phone=f"0101234{n:04d}").username for n in range(20)]
    assert len(set(names)) == 20
    assert names[-1] == f"{facility.code}020"


def test_a_username_taken_at_sign_up_is_skipped(people):
    officer = people.district_officer("NW")
    facility = people.facility("NW")
    people.staff(username=f"{facility.code}001")
    user = make(officer, facility)
    assert user.username == f"{facility.code}002"


def test_password_policy_and_contact_checks(people):
    officer = people.district_officer("NW")
    facility = people.facility("NW")
    with pytest.raises(OrgError) as err:
        make(officer, facility, password="short1")
    assert err.value.field == "password"
    with pytest.raises(OrgError) as err:
        make(officer, facility, phone="12345")
    assert err.value.field == "phone"
    with pytest.raises(OrgError) as err:
        make(officer, facility, name=" ")
    assert err.value.field == "name"
    # Nothing was created and no number was spent.
    assert not User.objects.filter(facility=facility).exists()
    assert make(officer, facility).username.endswith("001")


def test_other_district_and_centre_managers_cannot_create(people):
    facility = people.facility("NW")
    with pytest.raises(OrgError) as err:
        make(people.district_officer("GN"), facility)
    assert err.value.code == "out_of_scope"
    with pytest.raises(OrgError) as err:
        make(people.centre_manager(facility), facility)
    assert err.value.code == "forbidden"


def test_explicit_role_must_be_grantable(people):
    officer = people.district_officer("NW")
    facility = people.facility("NW")
    with pytest.raises(OrgError):
        make(officer, facility, role=Role.objects.get(name="시관리자_우리동네키움센터"))
    assert not User.objects.filter(facility=facility).exists()


def test_enable_disable_is_scoped_and_audited(people):
    officer = people.district_officer("NW")
    facility = people.facility("NW")
    user = make(officer, facility)
    set_staff_active(actor=officer, user=user, active=False)
    user.refresh_from_db()
    assert not user.is_active
    assert AuditEntry.objects.filter(action="staff.disable", object_id=str(user.pk)).exists()
    with pytest.raises(OrgError) as err:
        set_staff_active(actor=people.district_officer("GN"), user=user, active=True)
    assert err.value.code == "out_of_scope"
    with pytest.raises(OrgError):
        set_staff_active(actor=officer, user=officer, active=False)
    city = people.city_officer(district_code="NW")
    with pytest.raises(OrgError) as err:
        set_staff_active(actor=officer, user=city, active=False)
    assert err.value.code == "forbidden"
