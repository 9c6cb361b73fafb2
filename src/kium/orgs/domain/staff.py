"""Staff accounts officers create and manage (ORG-4, ACC-3).

An account an officer creates for a facility is named facility code + the facility's next
account number (NWUK016 → NWUK016001), taken under the lock in ``codes.next_staff_number``
so numbers are never handed out twice nor reused after a deletion. It is approved (an
officer vouches for it) and must change its initial password at first page login.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from kium.accounts.enums import ApprovalStatus, UserKind
from kium.accounts.models import User
from kium.core import clock
from kium.core.audit import log_action, snapshot
from kium.orgs.domain.codes import NumbersExhausted, next_staff_number, staff_username
from kium.orgs.domain.errors import FORBIDDEN, OUT_OF_SCOPE, OrgError
from kium.orgs.domain.roles import grant_initial_role
from kium.orgs.domain.scope import facilities_for_user, scope_for, staff_for_user
from kium.orgs.enums import ScopeLevel
from kium.orgs.models import Department, Facility, Role, RoleAssignment

# A username someone picked at sign-up may already hold the next number; we skip it
# rather than fail, and give up after this many tries.
MAX_NUMBER_TRIES = 20
PROFILE_FIELDS = ["name", "phone", "email", "is_active", "approval_status", "must_change_password"]


def default_centre_role(facility_type: str) -> Role | None:
    """The facility type's 센터관리자 role (by level and type, so renaming is safe)."""
    return (
        Role.objects.filter(level=ScopeLevel.FACILITY, facility_type=facility_type, is_active=True)
        .order_by("sort_order", "pk")
        .first()
    )


def check_password_policy(password: str, user: User) -> None:
    try:
        validate_password(password, user)
    except ValidationError as exc:
        raise OrgError("password_policy", _(" ").join(exc.messages), "password") from exc


def clean_contact(name: str, phone: str, email: str) -> tuple[str, str, str]:
    name, phone, email = name.strip(), phone.strip().replace("-", ""), email.strip()
    if not name:
        raise OrgError("name_required", _("이름을 입력해 주세요."), "name")
    if not phone.isdigit() or not 10 <= len(phone) <= 11 or not phone.startswith("01"):
        raise OrgError("invalid_phone", _("휴대전화번호를 정확히 입력해 주세요."), "phone")
    if email:
        try:
            validate_email(email)
        except ValidationError as exc:
            raise OrgError(
                "invalid_email", _("이메일 주소를 정확히 입력해 주세요."), "email"
            ) from exc
    return name, phone, email


def _next_free_username(facility: Facility) -> tuple[int, str]:
    for _attempt in range(MAX_NUMBER_TRIES):
        number = next_staff_number(facility=facility)
        username = staff_username(facility.code, number)
        if not User.objects.filter(username=username).exists():
            return number, username
    raise NumbersExhausted(facility.code)


@transaction.atomic
def create_staff_account(
    *,
    actor,
    facility: Facility,
    name: str,
    phone: str,
    email: str,
    password: str,
    role: Role | None = None,
) -> User:
    """담당자 추가: a new approved account for ``facility`` with its first role."""
    if not facilities_for_user(actor).filter(pk=facility.pk).exists():
        raise OrgError(OUT_OF_SCOPE, _("시설을 찾을 수 없습니다."), "facility")
    if not scope_for(actor).covers_district(facility.district_id):
        raise OrgError(FORBIDDEN, _("담당자 계정은 자치구 또는 서울시 담당자가 만듭니다."))
    name, phone, email = clean_contact(name, phone, email)
    role = role or default_centre_role(facility.facility_type)
    if role is None:
        raise OrgError(
            "role_required",
            _("이 시설유형에는 기본 권한이 없습니다. 권한을 선택해 주세요."),
            "role",
        )
    check_password_policy(password, User(username=facility.code, name=name, email=email))
    try:
        number, username = _next_free_username(facility)
    except NumbersExhausted as exc:
        raise OrgError(
            "numbers_exhausted", _("이 시설의 계정 번호(999)를 모두 사용했습니다.")
        ) from exc
    user = User.objects.create_user(
        username=username,
        password=password,
        email=email,
        kind=UserKind.STAFF,
        name=name,
        phone=phone,
        approval_status=ApprovalStatus.APPROVED,
        approved_at=clock.now(),
        approved_by=actor,
        must_change_password=True,
        district=facility.district,
        facility=facility,
        staff_number=number,
        department=Department.objects.filter(facility=facility).first(),
        jurisdiction=ScopeLevel.FACILITY,
    )
    log_action(actor=actor, action="staff.create", obj=user, after=snapshot(user, PROFILE_FIELDS))
    scope_level = role.level  # each role at its own level: the facility, its district, or all
    grant_initial_role(
        actor=actor,
        user=user,
        role=role,
        scope_level=scope_level,
        district=facility.district if scope_level == ScopeLevel.DISTRICT else None,
        facility=facility if scope_level == ScopeLevel.FACILITY else None,
    )
    return user


def _check_manageable(actor, user: User) -> None:
    if not staff_for_user(actor).filter(pk=user.pk).exists():
        raise OrgError(OUT_OF_SCOPE, _("담당자를 찾을 수 없습니다."))
    if user.pk == actor.pk:
        raise OrgError(FORBIDDEN, _("본인 계정은 여기에서 바꿀 수 없습니다."))
    if user.is_superuser and not actor.is_superuser:
        raise OrgError(FORBIDDEN, _("개발자 계정은 바꿀 수 없습니다."))
    if (
        not scope_for(actor).city
        and RoleAssignment.objects.filter(user=user, scope_level=ScopeLevel.CITY).exists()
    ):
        # A district officer never manages a city officer's account.
        raise OrgError(FORBIDDEN, _("서울시 담당자 계정은 바꿀 수 없습니다."))


@transaction.atomic
def set_staff_active(*, actor, user: User, active: bool) -> User:
    """사용여부: disable (keeps the account and its history) or enable again."""
    _check_manageable(actor, user)
    if user.is_active == active:
        return user
    before = {"is_active": user.is_active}
    user.is_active = active
    user.save(update_fields=["is_active"])
    if not active:
        from kium.accounts.domain.tokens import revoke_tokens

        revoke_tokens(user=user)
    log_action(
        actor=actor,
        action="staff.enable" if active else "staff.disable",
        obj=user,
        before=before,
        after={"is_active": active},
    )
    return user


def check_can_unlock(*, actor, user: User) -> None:
    """An officer unlocks only accounts they manage (the unlock itself is in accounts)."""
    _check_manageable(actor, user)


# --- reads -----------------------------------------------------------------------------


def staff_rows_for_user(user) -> QuerySet:
    """The 담당자 목록 of ACC-3, with what the columns need fetched up front."""
    assignments = RoleAssignment.objects.select_related("role", "district", "facility")
    return (
        staff_for_user(user)
        .select_related("department", "facility", "district")
        .prefetch_related(Prefetch("role_assignments", queryset=assignments))
        .order_by("-date_joined", "-pk")
    )


def role_names(user: User) -> str:
    return ", ".join(a.role.name for a in user.role_assignments.all())
