"""Scope (ACC-5) in one place: every staff query goes through a ``..._for_user()``.

A user's reach is the union of their role assignments: city (all of Seoul), districts,
facilities. A superuser holds 개발자권한: every menu, all of Seoul. Objects outside the
reach are simply not in the queryset, so views answer 404 (DESIGN rule 8).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Q, QuerySet

from kium.accounts.enums import ApprovalStatus, UserKind
from kium.orgs.enums import ScopeLevel
from kium.orgs.menus import ALL_MENU_CODES

_CACHE_ATTR = "_kium_scope"


@dataclass(frozen=True)
class Scope:
    city: bool = False
    district_ids: frozenset[int] = field(default_factory=frozenset)
    facility_ids: frozenset[int] = field(default_factory=frozenset)
    menus: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_empty(self) -> bool:
        return not (self.city or self.district_ids or self.facility_ids)

    def facility_q(self, prefix: str = "") -> Q:
        """A filter for rows that belong to a facility (``prefix`` leads to the facility)."""
        if self.city:
            return Q()
        return Q(**{f"{prefix}id__in": self.facility_ids}) | Q(
            **{f"{prefix}district_id__in": self.district_ids}
        )

    def covers_district(self, district_id: int | None) -> bool:
        return self.city or (district_id is not None and district_id in self.district_ids)

    def covers_facility(self, facility) -> bool:
        return (
            self.city
            or facility.id in self.facility_ids
            or facility.district_id in self.district_ids
        )


NO_SCOPE = Scope()


def is_backoffice_user(user) -> bool:
    return bool(
        user is not None
        and user.is_authenticated
        and user.is_active
        and (
            user.is_superuser
            or (user.kind == UserKind.STAFF and user.approval_status == ApprovalStatus.APPROVED)
        )
    )


def scope_for(user) -> Scope:
    """The user's reach, computed once per request and kept on the user object."""
    if not is_backoffice_user(user):
        return NO_SCOPE
    cached = getattr(user, _CACHE_ATTR, None)
    if cached is not None:
        return cached
    scope = _compute_scope(user)
    setattr(user, _CACHE_ATTR, scope)
    return scope


def forget_scope(user) -> None:
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def _compute_scope(user) -> Scope:
    if user.is_superuser:
        return Scope(city=True, menus=frozenset(ALL_MENU_CODES))
    from kium.orgs.models import RoleAssignment

    city = False
    districts: set[int] = set()
    facilities: set[int] = set()
    menus: set[str] = set()
    assignments = RoleAssignment.objects.filter(user=user, role__is_active=True).select_related(
        "role"
    )
    for assignment in assignments:
        menus.update(assignment.role.menus)
        if assignment.scope_level == ScopeLevel.CITY:
            city = True
        elif assignment.scope_level == ScopeLevel.DISTRICT:
            districts.add(assignment.district_id)
        else:
            facilities.add(assignment.facility_id)
    return Scope(
        city=city,
        district_ids=frozenset(districts),
        facility_ids=frozenset(facilities),
        menus=frozenset(menus) & frozenset(ALL_MENU_CODES),
    )


def menu_codes_for(user) -> frozenset[str]:
    return scope_for(user).menus


def has_menu(user, code: str) -> bool:
    return code in scope_for(user).menus


# --- the ..._for_user() queries ------------------------------------------------------


def facilities_for_user(user) -> QuerySet:
    from kium.orgs.models import Facility

    scope = scope_for(user)
    if scope.is_empty:
        return Facility.objects.none()
    return Facility.objects.filter(scope.facility_q())


def districts_for_user(user) -> QuerySet:
    """Districts the user may act in: all for the city, own districts, or facilities'."""
    from kium.orgs.models import District, Facility

    scope = scope_for(user)
    if scope.city:
        return District.objects.all()
    facility_districts = Facility.objects.filter(id__in=scope.facility_ids).values("district_id")
    return District.objects.filter(Q(id__in=scope.district_ids) | Q(id__in=facility_districts))


def departments_for_user(user) -> QuerySet:
    from kium.orgs.models import Department

    scope = scope_for(user)
    if scope.is_empty:
        return Department.objects.none()
    if scope.city:
        return Department.objects.all()
    return Department.objects.filter(
        Q(district_id__in=scope.district_ids) | Q(facility_id__in=scope.facility_ids)
    )


def staff_for_user(user) -> QuerySet:
    """Staff accounts in reach: a district sees its own and its facilities' staff."""
    from kium.accounts.models import User

    scope = scope_for(user)
    staff = User.objects.filter(kind=UserKind.STAFF)
    if scope.is_empty:
        return staff.none()
    if scope.city:
        return staff
    return staff.filter(
        Q(facility_id__in=scope.facility_ids)
        | Q(facility__district_id__in=scope.district_ids)
        | Q(facility__isnull=True, district_id__in=scope.district_ids)
    )


def roles_grantable_by(user) -> QuerySet:
    """A district grants only roles no wider than its own (ACC-5)."""
    from kium.orgs.models import Role

    scope = scope_for(user)
    roles = Role.objects.filter(is_active=True)
    if scope.city:
        return roles
    if scope.district_ids:
        held = set(scope.menus)
        allowed = [
            role.pk for role in roles.exclude(level=ScopeLevel.CITY) if set(role.menus) <= held
        ]
        return roles.filter(pk__in=allowed)
    return roles.none()


# --- logs: district officers see the entries of accounts in their scope ----------------


def _staff_ids_in_scope(user):
    return staff_for_user(user).values("id")


def login_history_for_user(user) -> QuerySet:
    """접속이력: all for the city; for others, the logins of staff in their scope."""
    from kium.accounts.models import LoginHistory

    scope = scope_for(user)
    if scope.is_empty:
        return LoginHistory.objects.none()
    if scope.city:
        return LoginHistory.objects.all()
    return LoginHistory.objects.filter(user_id__in=_staff_ids_in_scope(user))


def audit_entries_for_user(user) -> QuerySet:
    """변경이력: all for the city; for others, what staff in their scope did."""
    from kium.core.models import AuditEntry

    scope = scope_for(user)
    if scope.is_empty:
        return AuditEntry.objects.none()
    if scope.city:
        return AuditEntry.objects.all()
    return AuditEntry.objects.filter(actor_id__in=_staff_ids_in_scope(user))


def access_records_for_user(user) -> QuerySet:
    """개인정보 접속기록: all for the city; for others, reads by staff in their scope."""
    from kium.core.models import AccessRecord

    scope = scope_for(user)
    if scope.is_empty:
        return AccessRecord.objects.none()
    if scope.city:
        return AccessRecord.objects.all()
    return AccessRecord.objects.filter(actor_id__in=_staff_ids_in_scope(user))
