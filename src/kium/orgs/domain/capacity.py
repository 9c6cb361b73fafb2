"""Capacity rules (DESIGN "reservation engine"), kept small so API and pages agree.

* capacity = floor(전용면적 m² / 3.3): 66 m² → 20 children.
* general and fusion 키움센터 add a temporary-only quota of 20 % of capacity, rounded
  down, at least 1 where capacity ≥ 5 (20 regular + 4 temporary in DOMAIN.md);
* a hub (거점형) centre has only temporary places, so its quota is its whole capacity;
* other facility types (열린육아방, 지역아동센터, 키즈카페) do not take temporary care
  bookings through this engine: their quota is 0.

A district or city officer may approve a different capacity (정원 변경 요청, RES-3):
the latest approved request wins over the area rule (``effective_capacity``). Lists
annotate it (``with_effective_capacity``) so a page of facilities stays one query.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from django.db.models import OuterRef, QuerySet, Subquery

from kium.orgs.enums import FacilityKind

AREA_PER_CHILD_M2 = Decimal("3.3")
TEMPORARY_SHARE = Decimal("0.2")
MIN_CAPACITY_FOR_QUOTA = 5
# Name of the annotation carrying the latest approved capacity (None: no override).
APPROVED_ATTR = "approved_capacity"


def capacity_for_area(area_m2: Decimal | int | float | str | None) -> int:
    """Places a room of ``area_m2`` holds; no area yet means no places."""
    if area_m2 is None:
        return 0
    area = Decimal(str(area_m2))
    if area <= 0:
        return 0
    return int((area / AREA_PER_CHILD_M2).to_integral_value(rounding=ROUND_FLOOR))


def temporary_quota(capacity: int, kind: str) -> int:
    """Temporary-only places on top of ``capacity`` for a centre of this kind."""
    if capacity <= 0:
        return 0
    if kind == FacilityKind.HUB:
        return capacity
    if kind not in (FacilityKind.GENERAL, FacilityKind.FUSION):
        return 0
    quota = int((capacity * TEMPORARY_SHARE).to_integral_value(rounding=ROUND_FLOOR))
    if capacity >= MIN_CAPACITY_FOR_QUOTA:
        quota = max(quota, 1)
    return quota


def approved_capacity_subquery(facility_ref: str = "pk") -> Subquery:
    """The latest approved requested capacity of the facility at ``facility_ref``."""
    # Imported here: centres depends on orgs, not the other way round at import time.
    from kium.centres.models import CapacityRequest, CapacityRequestStatus

    latest = CapacityRequest.objects.filter(
        facility_id=OuterRef(facility_ref), status=CapacityRequestStatus.APPROVED
    ).order_by("-decided_at", "-pk")
    return Subquery(latest.values("requested_capacity")[:1])


def with_effective_capacity(facilities: QuerySet) -> QuerySet:
    """Facilities annotated with their approved capacity, so no query per row."""
    return facilities.annotate(**{APPROVED_ATTR: approved_capacity_subquery()})


def approved_capacity(facility) -> int | None:
    """The latest approved capacity; from the annotation when present, else one query."""
    if APPROVED_ATTR in facility.__dict__:
        return facility.__dict__[APPROVED_ATTR]
    from kium.centres.models import CapacityRequest, CapacityRequestStatus

    return (
        CapacityRequest.objects.filter(facility=facility, status=CapacityRequestStatus.APPROVED)
        .order_by("-decided_at", "-pk")
        .values_list("requested_capacity", flat=True)
        .first()
    )


def effective_capacity(facility) -> int:
    """Places of the facility: an approved override, else floor(area / 3.3)."""
    approved = approved_capacity(facility)
    if approved is not None:
        return approved
    return capacity_for_area(facility.area_m2)
