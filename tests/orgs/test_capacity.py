from decimal import Decimal

import pytest

from kium.orgs.domain.capacity import capacity_for_area, temporary_quota


@pytest.mark.parametrize(
    ("area", "expected"),
    [
        (None, 0),
        (Decimal("0"), 0),
        (Decimal("3.29"), 0),
        (Decimal("3.3"), 1),
        (Decimal("33.00"), 10),
        (Decimal("66.00"), 20),
        (Decimal("65.99"), 19),
        (Decimal("210.5"), 63),
        ("80", 24),
    ],
)
def test_capacity_is_floor_of_area_over_3_3(area, expected):
    assert capacity_for_area(area) == expected


@pytest.mark.parametrize(
    ("capacity", "kind", "expected"),
    [
        (20, "general", 4),
        (24, "general", 4),
        (30, "fusion", 6),
        (5, "general", 1),
        (4, "general", 0),
        (0, "general", 0),
        (20, "hub", 20),
        (3, "hub", 3),
        (20, "", 0),
    ],
)
def test_temporary_quota(capacity, kind, expected):
    assert temporary_quota(capacity, kind) == expected
