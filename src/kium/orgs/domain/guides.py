"""보육반장 관리 and 보육반장 코드 관리 (ACC-7).

Seoul's neighbourhood child-care guides (보육반장) have staff accounts with the role
보육반장 scoped to their district, each linked to one of the city's guide codes. City
officers manage all of them; district officers those of their district.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kium.accounts.enums import ApprovalStatus, UserKind
from kium.accounts.models import User
from kium.core import clock
from kium.core.audit import log_action, snapshot
from kium.orgs.domain.errors import OUT_OF_SCOPE, OrgError
from kium.orgs.domain.roles import grant_initial_role
from kium.orgs.domain.scope import scope_for
from kium.orgs.domain.staff import check_password_policy, clean_contact
from kium.orgs.enums import Duty, ScopeLevel
from kium.orgs.models import ChildcareGuide, District, Dong, GuideCode, Role

GUIDE_ROLE = "보육반장"
CODE_PATTERN = re.compile(r"^[A-Za-z0-9-]{2,20}$")
USERNAME_PATTERN = re.compile(r"^[A-Za-z0-9_]{4,20}$")
CODE_FIELDS = ["code", "district", "dong", "description", "is_active"]
GUIDE_FIELDS = ["guide_code", "active_from", "active_until"]


def guide_codes_for_user(user) -> QuerySet:
    scope = scope_for(user)
    codes = GuideCode.objects.select_related("district", "dong", "guide__user")
    if scope.city:
        return codes
    return codes.filter(district_id__in=scope.district_ids)


def guides_for_user(user) -> QuerySet:
    scope = scope_for(user)
    guides = ChildcareGuide.objects.select_related("user", "user__district", "guide_code")
    if scope.city:
        return guides
    return guides.filter(user__district_id__in=scope.district_ids)


def _check_district(actor, district: District | None) -> District:
    if district is None:
        raise OrgError("district_required", _("자치구를 선택해 주세요."), "district")
    if not scope_for(actor).covers_district(district.pk):
        raise OrgError(OUT_OF_SCOPE, _("자치구를 찾을 수 없습니다."), "district")
    return district


def _check_code_fields(
    code: str, district: District, dong: Dong | None, *, exclude_pk: int | None = None
) -> str:
    code = code.strip().upper()
    if not CODE_PATTERN.match(code):
        raise OrgError("invalid_code", _("코드는 영문·숫자·- 2~20자로 입력해 주세요."), "code")
    if GuideCode.objects.filter(code=code).exclude(pk=exclude_pk).exists():
        raise OrgError("duplicate_code", _("이미 있는 보육반장 코드입니다."), "code")
    if dong is not None and dong.district_id != district.pk:
        raise OrgError("invalid_dong", _("선택한 동이 자치구에 속하지 않습니다."), "dong")
    return code


# --- guide codes ---------------------------------------------------------------------


@transaction.atomic
def create_guide_code(
    *,
    actor,
    code: str,
    district: District,
    dong: Dong | None = None,
    description: str = "",
    is_active: bool = True,
) -> GuideCode:
    _check_district(actor, district)
    code = _check_code_fields(code, district, dong)
    guide_code = GuideCode.objects.create(
        code=code,
        district=district,
        dong=dong,
        description=description,
        is_active=is_active,
        created_by=actor,
        updated_by=actor,
    )
    log_action(actor=actor, action="guide_code.create", obj=guide_code, after=snapshot(guide_code))
    return guide_code


@transaction.atomic
def update_guide_code(
    *,
    actor,
    guide_code: GuideCode,
    code: str,
    district: District,
    dong: Dong | None = None,
    description: str = "",
    is_active: bool = True,
) -> GuideCode:
    _check_district(actor, guide_code.district)
    _check_district(actor, district)
    code = _check_code_fields(code, district, dong, exclude_pk=guide_code.pk)
    linked = getattr(guide_code, "guide", None)
    if linked is not None and linked.user.district_id != district.pk:
        raise OrgError(
            "in_use", _("보육반장에게 지정된 코드는 다른 자치구로 옮길 수 없습니다."), "district"
        )
    before = snapshot(guide_code, CODE_FIELDS)
    guide_code.code, guide_code.district, guide_code.dong = code, district, dong
    guide_code.description, guide_code.is_active = description, is_active
    guide_code.updated_by = actor
    guide_code.save()
    after = snapshot(guide_code, CODE_FIELDS)
    if before != after:
        log_action(
            actor=actor, action="guide_code.update", obj=guide_code, before=before, after=after
        )
    return guide_code


@transaction.atomic
def delete_guide_code(*, actor, guide_code: GuideCode) -> None:
    _check_district(actor, guide_code.district)
    if ChildcareGuide.objects.filter(guide_code=guide_code).exists():
        raise OrgError(
            "in_use", _("보육반장에게 지정된 코드는 삭제할 수 없습니다. 사용안함으로 바꿔 주세요.")
        )
    log_action(actor=actor, action="guide_code.delete", obj=guide_code, before=snapshot(guide_code))
    guide_code.delete()


# --- guides --------------------------------------------------------------------------


def _check_guide_code(guide_code: GuideCode | None, district: District, guide=None) -> None:
    if guide_code is None:
        return
    if guide_code.district_id != district.pk:
        raise OrgError(
            "code_district", _("같은 자치구의 보육반장 코드를 선택해 주세요."), "guide_code"
        )
    if not guide_code.is_active:
        raise OrgError("code_inactive", _("사용하지 않는 코드입니다."), "guide_code")
    holder = ChildcareGuide.objects.filter(guide_code=guide_code).exclude(
        pk=getattr(guide, "pk", None)
    )
    if holder.exists():
        raise OrgError("code_taken", _("다른 보육반장에게 지정된 코드입니다."), "guide_code")


def _check_period(active_from: dt.date | None, active_until: dt.date | None) -> None:
    if active_from and active_until and active_until < active_from:
        raise OrgError(
            "invalid_period", _("활동 종료일은 시작일보다 빠를 수 없습니다."), "active_until"
        )


@transaction.atomic
def create_guide(
    *,
    actor,
    username: str,
    name: str,
    phone: str,
    password: str,
    district: District,
    email: str = "",
    guide_code: GuideCode | None = None,
    active_from: dt.date | None = None,
    active_until: dt.date | None = None,
) -> ChildcareGuide:
    """A 보육반장 account (role 보육반장 for the district), linked to its code."""
    _check_district(actor, district)
    username = username.strip()
    if not USERNAME_PATTERN.match(username):
        raise OrgError(
            "invalid_username", _("아이디는 영문·숫자·_ 4~20자로 입력해 주세요."), "username"
        )
    if User.objects.filter(username__iexact=username).exists():
        raise OrgError("duplicate_username", _("이미 사용 중인 아이디입니다."), "username")
    name, phone, email = clean_contact(name, phone, email)
    check_password_policy(password, User(username=username, name=name, email=email))
    _check_guide_code(guide_code, district)
    _check_period(active_from, active_until)
    role = Role.objects.filter(name=GUIDE_ROLE, is_active=True).first()
    if role is None:
        raise OrgError(
            "role_missing", _("'보육반장' 권한이 없습니다. 권한 관리에서 먼저 만들어 주세요.")
        )
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
        duty=Duty.GUIDE,
        jurisdiction=ScopeLevel.DISTRICT,
        district=district,
    )
    guide = ChildcareGuide.objects.create(
        user=user,
        guide_code=guide_code,
        active_from=active_from,
        active_until=active_until,
        created_by=actor,
        updated_by=actor,
    )
    log_action(actor=actor, action="guide.create", obj=user, after=snapshot(guide, GUIDE_FIELDS))
    grant_initial_role(
        actor=actor, user=user, role=role, scope_level=ScopeLevel.DISTRICT, district=district
    )
    return guide


@transaction.atomic
def update_guide(
    *,
    actor,
    guide: ChildcareGuide,
    name: str,
    phone: str,
    email: str = "",
    guide_code: GuideCode | None = None,
    active_from: dt.date | None = None,
    active_until: dt.date | None = None,
) -> ChildcareGuide:
    user = guide.user
    district = _check_district(actor, user.district)
    name, phone, email = clean_contact(name, phone, email)
    _check_guide_code(guide_code, district, guide)
    _check_period(active_from, active_until)
    before = {**snapshot(user, ["name", "phone", "email"]), **snapshot(guide, GUIDE_FIELDS)}
    user.name, user.phone, user.email = name, phone, email
    user.save(update_fields=["name", "phone", "email"])
    guide.guide_code, guide.active_from, guide.active_until = guide_code, active_from, active_until
    guide.updated_by = actor
    guide.save()
    after = {**snapshot(user, ["name", "phone", "email"]), **snapshot(guide, GUIDE_FIELDS)}
    if before != after:
        log_action(actor=actor, action="guide.update", obj=user, before=before, after=after)
    return guide
