"""자치구·동 관리: district codes are data the city edits (ORG-1), and so are the 동.

Changing a district code does not rename existing facility codes or staff ids: those are
printed on paper and stored in other systems, and ORG-3 says codes are never reused.
New registrations use the new code.
"""

from __future__ import annotations

import re

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.utils.translation import gettext as _

from kium.core.audit import log_action, snapshot
from kium.orgs.domain.errors import FORBIDDEN, OUT_OF_SCOPE, OrgError
from kium.orgs.domain.scope import scope_for
from kium.orgs.models import District, Dong

CODE_PATTERN = re.compile(r"^[A-Z]{2}$")


def districts_with_counts() -> QuerySet:
    return District.objects.annotate(
        dong_count=Count("dongs", filter=Q(dongs__is_active=True), distinct=True),
        facility_count=Count("facilities", distinct=True),
    )


def _check_city(actor) -> None:
    if not scope_for(actor).city:
        raise OrgError(FORBIDDEN, _("자치구 정보는 서울시 담당자만 고칠 수 있습니다."))


@transaction.atomic
def update_district(*, actor, district: District, code: str, name: str) -> District:
    _check_city(actor)
    code, name = code.strip().upper(), name.strip()
    if not CODE_PATTERN.match(code):
        raise OrgError("invalid_code", _("자치구 코드는 영문 대문자 2자로 입력해 주세요."), "code")
    if District.objects.filter(code=code).exclude(pk=district.pk).exists():
        raise OrgError("duplicate_code", _("다른 자치구가 쓰는 코드입니다."), "code")
    if not name:
        raise OrgError("name_required", _("자치구명을 입력해 주세요."), "name")
    if District.objects.filter(name=name).exclude(pk=district.pk).exists():
        raise OrgError("duplicate_name", _("이미 있는 자치구명입니다."), "name")
    before = snapshot(district, ["code", "name"])
    district.code, district.name = code, name
    district.save(update_fields=["code", "name"])
    after = snapshot(district, ["code", "name"])
    if before != after:
        log_action(actor=actor, action="district.update", obj=district, before=before, after=after)
    return district


def _check_dong_name(district: District, name: str, *, exclude_pk: int | None = None) -> str:
    name = name.strip()
    if not name:
        raise OrgError("name_required", _("동 이름을 입력해 주세요."), "name")
    if len(name) > 30:
        raise OrgError("name_too_long", _("동 이름은 30자 이내로 입력해 주세요."), "name")
    if Dong.objects.filter(district=district, name=name).exclude(pk=exclude_pk).exists():
        raise OrgError("duplicate_name", _("이 자치구에 같은 이름의 동이 있습니다."), "name")
    return name


def _check_district_scope(actor, district: District) -> None:
    _check_city(actor)
    if not scope_for(actor).covers_district(district.pk):
        raise OrgError(OUT_OF_SCOPE, _("자치구를 찾을 수 없습니다."))


@transaction.atomic
def add_dong(*, actor, district: District, name: str) -> Dong:
    _check_district_scope(actor, district)
    name = _check_dong_name(district, name)
    dong = Dong.objects.create(district=district, name=name)
    log_action(actor=actor, action="dong.create", obj=dong, after=snapshot(dong))
    return dong


@transaction.atomic
def rename_dong(*, actor, dong: Dong, name: str) -> Dong:
    _check_district_scope(actor, dong.district)
    name = _check_dong_name(dong.district, name, exclude_pk=dong.pk)
    before = {"name": dong.name}
    dong.name = name
    dong.save(update_fields=["name"])
    if before["name"] != name:
        log_action(actor=actor, action="dong.rename", obj=dong, before=before, after={"name": name})
    return dong


@transaction.atomic
def set_dong_active(*, actor, dong: Dong, active: bool) -> Dong:
    """Deactivate rather than delete: facilities and guide codes still point to it."""
    _check_district_scope(actor, dong.district)
    if dong.is_active == active:
        return dong
    dong.is_active = active
    dong.save(update_fields=["is_active"])
    log_action(
        actor=actor,
        action="dong.activate" if active else "dong.deactivate",
        obj=dong,
        before={"is_active": not active},
        after={"is_active": active},
    )
    return dong
