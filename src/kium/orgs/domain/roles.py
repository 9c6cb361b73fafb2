"""Roles (ACC-4) and role assignments (ACC-5): who may grant what, and where.

Granting is bounded (docs/architecture.md, "The permission model"):

* the role must be in ``roles_grantable_by(actor)``: a district officer grants only
  non-city roles whose menus they hold themselves;
* the scope must lie inside the actor's: a district officer grants in their district or
  its facilities, never the whole city;
* the scope cannot be wider than the role (a facility role needs a facility scope) and a
  role for one facility type fits only facilities of that type.

Every grant and revocation writes an audit entry on the account (변경이력), which is kept
three years.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kium.core.audit import log_action, snapshot
from kium.orgs.domain.errors import FORBIDDEN, OUT_OF_SCOPE, OrgError
from kium.orgs.domain.scope import (
    forget_scope,
    has_menu,
    roles_grantable_by,
    scope_for,
    staff_for_user,
)
from kium.orgs.enums import FacilityType, ScopeLevel
from kium.orgs.menus import ALL_MENU_CODES, BACKOFFICE_MENUS
from kium.orgs.models import District, Facility, Role, RoleAssignment

# Wider scopes rank lower: a role may be given at its own level or narrower.
SCOPE_RANK = {ScopeLevel.CITY: 0, ScopeLevel.DISTRICT: 1, ScopeLevel.FACILITY: 2}
ROLE_FIELDS = ["name", "level", "facility_type", "menus", "description", "is_active"]


# --- reads -----------------------------------------------------------------------------


def menus_by_top(menu_codes: Iterable[str]) -> list[dict]:
    """A role's [목록]: the granted items grouped under their top menu, registry order."""
    held = set(menu_codes)
    groups = []
    for top in BACKOFFICE_MENUS:
        items = [item for item in top.items if item.code in held]
        if items:
            groups.append({"code": top.code, "label": top.label, "items": items})
    return groups


def describe_scope(assignment: RoleAssignment) -> str:
    if assignment.scope_level == ScopeLevel.CITY:
        return _("서울시 전체")
    if assignment.scope_level == ScopeLevel.DISTRICT:
        return str(assignment.district)
    return f"{assignment.facility.name} ({assignment.facility.code})"


# --- assignments ---------------------------------------------------------------------


def _check_target(actor, user) -> None:
    if user.kind != "staff":
        raise OrgError("not_staff", _("담당자 계정에만 권한을 지정할 수 있습니다."), "user")
    if not staff_for_user(actor).filter(pk=user.pk).exists():
        raise OrgError(OUT_OF_SCOPE, _("담당자를 찾을 수 없습니다."), "user")
    if user.pk == actor.pk and not actor.is_superuser:
        # Nobody widens their own rights; another officer has to do it.
        raise OrgError(FORBIDDEN, _("본인의 권한은 변경할 수 없습니다."), "user")


def _check_grant(
    actor, role: Role, scope_level: str, district: District | None, facility: Facility | None
) -> None:
    """Raise unless ``actor`` may hand out ``role`` at this scope (ACC-5)."""
    if scope_level not in SCOPE_RANK:
        raise OrgError("invalid_scope", _("권한 범위를 선택해 주세요."), "scope_level")
    if not roles_grantable_by(actor).filter(pk=role.pk).exists():
        raise OrgError(
            FORBIDDEN, _("'%(role)s' 권한은 부여할 수 없습니다.") % {"role": role.name}, "role"
        )
    if SCOPE_RANK[scope_level] < SCOPE_RANK[ScopeLevel(role.level)]:
        if role.level == ScopeLevel.FACILITY:
            message = _("시설 권한은 시설 범위로만 지정할 수 있습니다.")
        else:
            message = _("자치구 권한은 자치구 또는 시설 범위로만 지정할 수 있습니다.")
        raise OrgError("scope_too_wide", message, "scope_level")
    scope = scope_for(actor)
    if scope_level == ScopeLevel.CITY:
        if not scope.city:
            raise OrgError(FORBIDDEN, _("서울시 전체 범위는 서울시 담당자만 지정할 수 있습니다."))
    elif scope_level == ScopeLevel.DISTRICT:
        if district is None:
            raise OrgError("district_required", _("자치구를 선택해 주세요."), "district")
        if not scope.covers_district(district.pk):
            raise OrgError(OUT_OF_SCOPE, _("자치구를 찾을 수 없습니다."), "district")
    else:
        if facility is None:
            raise OrgError("facility_required", _("시설을 선택해 주세요."), "facility")
        # Granting in a facility is a district's or the city's job, so the district
        # must be covered, not only the facility itself.
        if not scope.covers_district(facility.district_id):
            raise OrgError(OUT_OF_SCOPE, _("시설을 찾을 수 없습니다."), "facility")
        if role.facility_type and role.facility_type != facility.facility_type:
            raise OrgError(
                "type_mismatch",
                _("'%(role)s' 권한은 %(type)s 시설에만 지정할 수 있습니다.")
                % {"role": role.name, "type": FacilityType(role.facility_type).label},
                "role",
            )


def _scope_fields(scope_level: str, district, facility) -> dict:
    return {
        "scope_level": scope_level,
        "district": district if scope_level == ScopeLevel.DISTRICT else None,
        "facility": facility if scope_level == ScopeLevel.FACILITY else None,
    }


def _assignment_summary(assignment: RoleAssignment) -> dict:
    return {
        "role": assignment.role.name,
        "scope_level": assignment.scope_level,
        "district": assignment.district.code if assignment.district_id else None,
        "facility": assignment.facility.code if assignment.facility_id else None,
    }


@transaction.atomic
def assign_role(
    *,
    actor,
    user,
    role: Role,
    scope_level: str,
    district: District | None = None,
    facility: Facility | None = None,
) -> RoleAssignment:
    """Give ``user`` the ``role`` at a scope; raise ``OrgError`` when ACC-5 forbids it."""
    _check_target(actor, user)
    _check_grant(actor, role, scope_level, district, facility)
    fields = _scope_fields(scope_level, district, facility)
    if RoleAssignment.objects.filter(user=user, role=role, **fields).exists():
        raise OrgError("duplicate", _("이미 지정된 권한입니다."), "role")
    assignment = RoleAssignment.objects.create(
        user=user, role=role, created_by=actor, updated_by=actor, **fields
    )
    log_action(actor=actor, action="role.assign", obj=user, after=_assignment_summary(assignment))
    forget_scope(user)
    return assignment


def grant_initial_role(
    *,
    actor,
    user,
    role: Role,
    scope_level: str,
    district: District | None = None,
    facility: Facility | None = None,
) -> RoleAssignment:
    """The first role of an account an officer creates or approves.

    The same ACC-5 limits as ``assign_role``; only the self-assignment rule is moot.
    """
    _check_grant(actor, role, scope_level, district, facility)
    fields = _scope_fields(scope_level, district, facility)
    assignment, _created = RoleAssignment.objects.get_or_create(
        user=user, role=role, **fields, defaults={"created_by": actor, "updated_by": actor}
    )
    log_action(actor=actor, action="role.assign", obj=user, after=_assignment_summary(assignment))
    forget_scope(user)
    return assignment


@transaction.atomic
def revoke_assignment(*, actor, assignment: RoleAssignment) -> None:
    """Remove an assignment; the actor must be able to grant it in the first place."""
    user = assignment.user
    _check_target(actor, user)
    _check_grant(
        actor, assignment.role, assignment.scope_level, assignment.district, assignment.facility
    )
    summary = _assignment_summary(assignment)
    assignment.delete()
    log_action(actor=actor, action="role.revoke", obj=user, before=summary, after=None)
    forget_scope(user)


def default_scope_for(user, role: Role) -> tuple[str, District | None, Facility | None]:
    """The natural scope of ``role`` for ``user`` (일괄권한지정 has no scope picker)."""
    if role.level == ScopeLevel.FACILITY:
        return ScopeLevel.FACILITY, None, user.facility
    if role.level == ScopeLevel.DISTRICT:
        district = user.district or (user.facility.district if user.facility_id else None)
        return ScopeLevel.DISTRICT, district, None
    return ScopeLevel.CITY, None, None


@dataclass
class BatchResult:
    assigned: list
    skipped: list


@transaction.atomic
def batch_assign(*, actor, users: Iterable, role: Role) -> BatchResult:
    """일괄권한지정: give ``role`` to every account at its natural scope, all or nothing.

    Accounts that already hold the role there are skipped; any account that may not get
    it stops the whole batch with a message naming the account.
    """
    assigned, skipped = [], []
    for user in users:
        scope_level, district, facility = default_scope_for(user, role)
        if scope_level == ScopeLevel.FACILITY and facility is None:
            raise OrgError(
                "facility_required",
                _("%(username)s: 소속 시설이 없는 계정에는 시설 권한을 줄 수 없습니다.")
                % {"username": user.username},
                "users",
            )
        if scope_level == ScopeLevel.DISTRICT and district is None:
            raise OrgError(
                "district_required",
                _("%(username)s: 담당지역이 없는 계정에는 자치구 권한을 줄 수 없습니다.")
                % {"username": user.username},
                "users",
            )
        fields = _scope_fields(scope_level, district, facility)
        if RoleAssignment.objects.filter(user=user, role=role, **fields).exists():
            skipped.append(user)
            continue
        try:
            assign_role(
                actor=actor,
                user=user,
                role=role,
                scope_level=scope_level,
                district=district,
                facility=facility,
            )
        except OrgError as exc:
            raise OrgError(exc.code, f"{user.username}: {exc.message}", "users") from exc
        assigned.append(user)
    return BatchResult(assigned=assigned, skipped=skipped)


# --- roles -----------------------------------------------------------------------------


def _check_role_editor(actor) -> None:
    if not (scope_for(actor).city and has_menu(actor, "org.roles")):
        raise OrgError(FORBIDDEN, _("권한은 서울시 담당자만 만들거나 고칠 수 있습니다."))


def _clean_role_fields(
    actor, *, name: str, level: str, facility_type: str, menus: Iterable[str], pk=None
) -> tuple[str, list[str]]:
    name = name.strip()
    if not name:
        raise OrgError("name_required", _("권한명을 입력해 주세요."), "name")
    if Role.objects.filter(name=name).exclude(pk=pk).exists():
        raise OrgError("duplicate_name", _("이미 있는 권한명입니다."), "name")
    if level not in ScopeLevel.values:
        raise OrgError("invalid_level", _("적용범위를 선택해 주세요."), "level")
    if facility_type and facility_type not in FacilityType.values:
        raise OrgError("invalid_type", _("시설유형이 올바르지 않습니다."), "facility_type")
    chosen = [code for code in ALL_MENU_CODES if code in set(menus)]
    if not chosen:
        raise OrgError("menus_required", _("메뉴를 하나 이상 선택해 주세요."), "menus")
    beyond = set(chosen) - set(scope_for(actor).menus)
    if beyond and not actor.is_superuser:
        raise OrgError(
            FORBIDDEN, _("본인이 가진 메뉴 권한보다 넓은 권한은 만들 수 없습니다."), "menus"
        )
    return name, chosen


@transaction.atomic
def create_role(
    *,
    actor,
    name: str,
    level: str,
    menus: Iterable[str],
    facility_type: str = "",
    description: str = "",
) -> Role:
    _check_role_editor(actor)
    name, chosen = _clean_role_fields(
        actor, name=name, level=level, facility_type=facility_type, menus=menus
    )
    role = Role.objects.create(
        name=name,
        level=level,
        facility_type=facility_type,
        menus=chosen,
        description=description,
        sort_order=(Role.objects.count() + 1),
    )
    log_action(actor=actor, action="role.create", obj=role, after=snapshot(role, ROLE_FIELDS))
    return role


@transaction.atomic
def update_role(
    *,
    actor,
    role: Role,
    name: str,
    level: str,
    menus: Iterable[str],
    facility_type: str = "",
    description: str = "",
    is_active: bool = True,
) -> Role:
    _check_role_editor(actor)
    name, chosen = _clean_role_fields(
        actor, name=name, level=level, facility_type=facility_type, menus=menus, pk=role.pk
    )
    if level != role.level and role.assignments.exists():
        raise OrgError(
            "level_in_use", _("지정된 계정이 있는 권한의 적용범위는 바꿀 수 없습니다."), "level"
        )
    before = snapshot(role, ROLE_FIELDS)
    role.name, role.level, role.facility_type = name, level, facility_type
    role.menus, role.description, role.is_active = chosen, description, is_active
    role.save(update_fields=ROLE_FIELDS)
    after = snapshot(role, ROLE_FIELDS)
    if before != after:
        log_action(actor=actor, action="role.update", obj=role, before=before, after=after)
    return role


def roles_for_listing() -> QuerySet:
    return Role.objects.all()
