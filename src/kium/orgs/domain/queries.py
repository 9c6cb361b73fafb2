"""Reads of the organisation data that screens and exports share."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q, QuerySet

from kium.core.clock import SEOUL
from kium.orgs.domain.scope import facilities_for_user

# 조건 검색: which column the free text is matched against ("" = 전체, all of them).
SEARCH_FIELDS: dict[str, tuple[str, ...]] = {
    "name": ("name__icontains", "code__icontains"),
    "address": ("address__icontains", "address_detail__icontains"),
    "author": ("created_by__name__icontains",),
}


def _seoul_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=SEOUL)


def _text_q(field: str, text: str) -> Q:
    lookups = SEARCH_FIELDS.get(field) or tuple(
        lookup for group in SEARCH_FIELDS.values() for lookup in group
    )
    condition = Q()
    for lookup in lookups:
        condition |= Q(**{lookup: text})
    return condition


def facility_list_for_user(
    user,
    *,
    district=None,
    facility_type: str = "",
    field: str = "",
    text: str = "",
    created_from: dt.date | None = None,
    created_to: dt.date | None = None,
    operating: bool | None = None,
) -> QuerySet:
    """시설관리 list (FAC-1): the user's facilities narrowed by the filters, newest first.

    The period is in Seoul dates and includes both ends: an officer who types
    2026.03.02 means the whole of that day in Seoul, not UTC's.
    """
    rows = facilities_for_user(user).select_related("district", "created_by", "updated_by")
    if district is not None:
        rows = rows.filter(district=district)
    if facility_type:
        rows = rows.filter(facility_type=facility_type)
    if text:
        rows = rows.filter(_text_q(field, text))
    if created_from is not None:
        rows = rows.filter(created_at__gte=_seoul_midnight(created_from))
    if created_to is not None:
        rows = rows.filter(created_at__lt=_seoul_midnight(created_to + dt.timedelta(days=1)))
    if operating is not None:
        rows = rows.filter(is_operating=operating)
    return rows.order_by("-created_at", "-pk")
