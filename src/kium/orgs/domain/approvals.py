"""담당자 가입승인 (ACC-1): a Seoul officer approves or rejects a pending staff sign-up.

On approval the account also gets its first role, at the scope its 담당관할 names: a
district officer gets 구관리자_우리동네키움센터 for their district unless the approver
picks another district role (docs/decisions/0001); a city officer gets the city role the
approver picks; a centre worker gets the facility type's 센터관리자 role.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kium.accounts.enums import ApprovalStatus, UserKind
from kium.accounts.models import User
from kium.core import clock
from kium.core.audit import log_action
from kium.core.notify import notify
from kium.orgs.domain.errors import FORBIDDEN, OrgError
from kium.orgs.domain.roles import grant_initial_role
from kium.orgs.domain.scope import has_menu, scope_for
from kium.orgs.domain.staff import default_centre_role
from kium.orgs.enums import DepartmentLevel, Duty, FacilityType, ScopeLevel
from kium.orgs.models import Department, Role

DEFAULT_DISTRICT_ROLE = "구관리자_우리동네키움센터"
# A suggestion for the approver of a city officer, by 담당업무.
CITY_ROLE_BY_DUTY = {
    Duty.KIUM: "시관리자_우리동네키움센터",
    Duty.COMMUNITY: "시관리자_열린육아방",
    Duty.LOCAL_CHILD: "시관리자_지역아동센터",
    Duty.GUIDE: "시관리자_보육반장",
    Duty.GENERAL: "총괄운영",
}


def _check_approver(actor) -> None:
    if not (scope_for(actor).city and has_menu(actor, "users.approvals")):
        raise OrgError(FORBIDDEN, _("가입 승인은 서울시 담당자만 할 수 있습니다."))


def pending_staff_for_user(actor) -> QuerySet:
    """Pending staff sign-ups; only city officers with the menu see any (ACC-1)."""
    if not (scope_for(actor).city and has_menu(actor, "users.approvals")):
        return User.objects.none()
    return (
        User.objects.filter(kind=UserKind.STAFF, approval_status=ApprovalStatus.PENDING)
        .select_related("district", "facility")
        .order_by("date_joined", "pk")
    )


def applicant_scope(user: User) -> str:
    """The scope the applicant asked for (담당관할), falling back to what they filled in."""
    if user.jurisdiction in ScopeLevel.values:
        return user.jurisdiction
    if user.facility_id:
        return ScopeLevel.FACILITY
    if user.district_id:
        return ScopeLevel.DISTRICT
    return ScopeLevel.CITY


def role_choices_for(user: User) -> QuerySet:
    """Roles that fit the applicant's scope (the approver picks one of these)."""
    scope_level = applicant_scope(user)
    roles = Role.objects.filter(is_active=True, level=scope_level)
    if scope_level == ScopeLevel.FACILITY and user.facility_id:
        roles = roles.filter(facility_type__in=["", user.facility.facility_type])
    return roles


def default_role_for(user: User) -> Role | None:
    scope_level = applicant_scope(user)
    choices = role_choices_for(user)
    if scope_level == ScopeLevel.DISTRICT:
        return (
            choices.filter(name=DEFAULT_DISTRICT_ROLE).first()
            or choices.filter(facility_type=FacilityType.KIUM).first()
        )
    if scope_level == ScopeLevel.FACILITY:
        return default_centre_role(user.facility.facility_type) if user.facility_id else None
    name = CITY_ROLE_BY_DUTY.get(user.duty)
    return choices.filter(name=name).first() if name else None


def _home_department(user: User, scope_level: str) -> Department | None:
    if scope_level == ScopeLevel.FACILITY:
        return Department.objects.filter(facility_id=user.facility_id).first()
    if scope_level == ScopeLevel.DISTRICT:
        return Department.objects.filter(
            level=DepartmentLevel.DISTRICT, district_id=user.district_id
        ).first()
    return Department.objects.filter(level=DepartmentLevel.CITY).first()


def _pending(user: User) -> None:
    if user.kind != UserKind.STAFF or user.approval_status != ApprovalStatus.PENDING:
        raise OrgError("not_pending", _("승인 대기 중인 가입 신청이 아닙니다."))


@transaction.atomic
def approve_staff(*, actor, user: User, role: Role | None = None) -> User:
    """승인: the account becomes usable and gets its first role."""
    _check_approver(actor)
    _pending(user)
    scope_level = applicant_scope(user)
    role = role or default_role_for(user)
    if role is None:
        raise OrgError("role_required", _("부여할 권한을 선택해 주세요."), "role")
    if role.level != scope_level:
        raise OrgError("role_mismatch", _("신청한 담당관할에 맞는 권한을 선택해 주세요."), "role")
    if scope_level == ScopeLevel.DISTRICT and user.district_id is None:
        raise OrgError("district_missing", _("신청서에 담당지역이 없어 승인할 수 없습니다."))
    if scope_level == ScopeLevel.FACILITY and user.facility_id is None:
        raise OrgError("facility_missing", _("신청서에 소속 시설이 없어 승인할 수 없습니다."))
    before = {"approval_status": user.approval_status}
    user.approval_status = ApprovalStatus.APPROVED
    user.approved_at = clock.now()
    user.approved_by = actor
    user.rejection_reason = ""
    user.department = user.department or _home_department(user, scope_level)
    user.save(
        update_fields=[
            "approval_status",
            "approved_at",
            "approved_by",
            "rejection_reason",
            "department",
        ]
    )
    log_action(
        actor=actor,
        action="staff.approve",
        obj=user,
        before=before,
        after={"approval_status": user.approval_status, "role": role.name},
    )
    grant_initial_role(
        actor=actor,
        user=user,
        role=role,
        scope_level=scope_level,
        district=user.district if scope_level == ScopeLevel.DISTRICT else None,
        facility=user.facility if scope_level == ScopeLevel.FACILITY else None,
    )
    notify(
        "staff.approved", user, {"username": user.username, "name": user.name, "role": role.name}
    )
    return user


@transaction.atomic
def reject_staff(*, actor, user: User, reason: str) -> User:
    """반려: the reason is required; it is kept on the account and sent to the applicant."""
    _check_approver(actor)
    _pending(user)
    reason = reason.strip()
    if not reason:
        raise OrgError("reason_required", _("반려 사유를 입력해 주세요."), "reason")
    before = {"approval_status": user.approval_status}
    user.approval_status = ApprovalStatus.REJECTED
    user.rejection_reason = reason[:500]
    user.save(update_fields=["approval_status", "rejection_reason"])
    log_action(
        actor=actor,
        action="staff.reject",
        obj=user,
        before=before,
        after={"approval_status": user.approval_status},
        reason=reason,
    )
    notify("staff.rejected", user, {"username": user.username, "name": user.name, "reason": reason})
    return user
