"""Public reference data: health, districts and their 행정동 (no auth)."""

from __future__ import annotations

from django.utils.translation import gettext as _
from ninja import Router, Schema

from kium.api.errors import ApiError
from kium.orgs.models import District, Dong

router = Router()


class DistrictOut(Schema):
    code: str
    name: str


class DongOut(Schema):
    name: str


@router.get("/health", tags=["public"])
def health(request):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return {"status": "ok", "database": "ok"}


@router.get("/districts", response=list[DistrictOut], tags=["public"])
def list_districts(request):
    """Seoul's 25 districts with their two-letter codes (ORG-1)."""
    return list(District.objects.order_by("sort_order", "name").values("code", "name"))


@router.get("/districts/{code}/dongs", response=list[DongOut], tags=["public"])
def list_dongs(request, code: str):
    """The district's 행정동 in use."""
    district = District.objects.filter(code=code.upper()).first()
    if district is None:
        raise ApiError(404, "not_found", _("자치구를 찾을 수 없습니다."))
    return list(
        Dong.objects.filter(district=district, is_active=True).order_by("name").values("name")
    )
