"""Capacity rules (DESIGN "reservation engine"), kept small so API and pages agree.

* capacity = floor(전용면적 m² / 3.3): 66 m² → 20 children.
* general and fusion 키움센터 add a temporary-only quota of 20 % of capacity, rounded
  down, at least 1 where capacity ≥ 5 (20 regular + 4 temporary in DOMAIN.md);
* a hub (거점형) centre has only temporary places, so its quota is its whole capacity;
* other facility types (열린육아방, 지역아동센터, 키즈카페) do not take temporary care
  bookings through this engine: their quota is 0.
"""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal

from kium.orgs.enums import FacilityKind

AREA_PER_CHILD_M2 = Decimal("3.3")
TEMPORARY_SHARE = Decimal("0.2")
MIN_CAPACITY_FOR_QUOTA = 5


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
