"""ACC-1: a Seoul officer approves or rejects pending staff sign-ups."""

import pytest

from kium.accounts.enums import ApprovalStatus
from kium.core import notify
from kium.core.models import AuditEntry
from kium.orgs.domain.approvals import (
    approve_staff,
    default_role_for,
    pending_staff_for_user,
    reject_staff,
)
from kium.orgs.domain.errors import OrgError
from kium.orgs.domain.scope import is_backoffice_user, scope_for
from kium.orgs.models import Role


@pytest.fixture
def applicant(people):
    return people.staff(approved=False, district_code="NW", jurisdiction="district", duty="kium")


def test_only_city_officers_see_pending_sign_ups(people, applicant):
    assert list(pending_staff_for_user(people.city_officer())) == [applicant]
    assert not pending_staff_for_user(people.district_officer("NW")).exists()


def test_approving_a_district_officer_grants_the_district_role(
    people, applicant, django_capture_on_commit_callbacks
):
    city = people.city_officer()
    assert not is_backoffice_user(applicant)
    with django_capture_on_commit_callbacks(execute=True):
        approve_staff(actor=city, user=applicant)
    applicant.refresh_from_db()
    assert applicant.approval_status == ApprovalStatus.APPROVED
    assert applicant.approved_by == city
    assert applicant.department.level == "district"
    assignment = applicant.role_assignments.get()
    assert assignment.role.name == "구관리자_우리동네키움센터"
    assert assignment.district.code == "NW"
    assert scope_for(applicant).district_ids == frozenset({assignment.district_id})
    assert AuditEntry.objects.filter(action="staff.approve", object_id=str(applicant.pk)).exists()
    assert [n.event for n in notify.sent] == ["staff.approved"]
    assert notify.sent[0].recipient_id == applicant.pk


def test_approver_may_pick_another_district_role(people, applicant):
    approve_staff(
        actor=people.city_officer(), user=applicant, role=Role.objects.get(name="구관리자_보육반장")
    )
    assert applicant.role_assignments.get().role.name == "구관리자_보육반장"


def test_city_applicant_needs_a_city_role(people):
    city_applicant = people.staff(approved=False, jurisdiction="city", duty="")
    assert default_role_for(city_applicant) is None
    with pytest.raises(OrgError) as err:
        approve_staff(actor=people.city_officer(), user=city_applicant)
    assert err.value.field == "role"
    with pytest.raises(OrgError) as err:
        approve_staff(
            actor=people.city_officer(),
            user=city_applicant,
            role=Role.objects.get(name="구관리자_우리동네키움센터"),
        )
    assert err.value.code == "role_mismatch"
    approve_staff(
        actor=people.city_officer(),
        user=city_applicant,
        role=Role.objects.get(name="시관리자_우리동네키움센터"),
    )
    assert scope_for(city_applicant).city


def test_reject_needs_a_reason_and_notifies(people, applicant, django_capture_on_commit_callbacks):
    city = people.city_officer()
    with pytest.raises(OrgError) as err:
        reject_staff(actor=city, user=applicant, reason="  ")
    assert err.value.field == "reason"
    with django_capture_on_commit_callbacks(execute=True):
        reject_staff(actor=city, user=applicant, reason="소속 확인 불가")
    applicant.refresh_from_db()
    assert applicant.approval_status == ApprovalStatus.REJECTED
    assert applicant.rejection_reason == "소속 확인 불가"
    assert not applicant.role_assignments.exists()
    assert notify.sent[0].event == "staff.rejected"
    assert notify.sent[0].context["reason"] == "소속 확인 불가"
    entry = AuditEntry.objects.get(action="staff.reject")
    assert entry.reason == "소속 확인 불가"


def test_district_officers_cannot_approve(people, applicant):
    with pytest.raises(OrgError) as err:
        approve_staff(actor=people.district_officer("NW"), user=applicant)
    assert err.value.code == "forbidden"
    applicant.refresh_from_db()
    assert applicant.approval_status == ApprovalStatus.PENDING


def test_an_account_is_decided_once(people, applicant):
    city = people.city_officer()
    approve_staff(actor=city, user=applicant)
    with pytest.raises(OrgError) as err:
        reject_staff(actor=city, user=applicant, reason="늦은 반려")
    assert err.value.code == "not_pending"
