"""Seeding shared by the bench targets: thousands of rows through ``bulk_create``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable


def guardians_with_a_child(
    prefix: str,
    count: int,
    phone_prefix: str,
    child_fields: Callable[[int], dict],
    *,
    batch_size: int = 1000,
) -> tuple[list, list[int]]:
    """``count`` guardian accounts ``<prefix>00000…`` (phone ``<phone_prefix>nnnnnnn``,
    consents given, no usable password: no hashing) with one child each, the child's
    fields from ``child_fields(n)``. Returns the guardians in order and their child ids
    in the same order."""
    from django.contrib.auth.hashers import make_password

    from kium.accounts.models import Child, User
    from kium.core import clock

    now = clock.now()
    unusable = make_password(None)
    User.objects.bulk_create(
        [
            User(
                username=f"{prefix}{n:05d}",
                password=unusable,
                kind="guardian",
                name=f"보호자{n}",
                phone=f"{phone_prefix}{n:07d}",
                terms_consent_at=now,
                privacy_consent_at=now,
            )
            for n in range(count)
        ],
        batch_size=batch_size,
    )
    guardians = list(User.objects.filter(username__startswith=prefix).order_by("username"))
    Child.objects.bulk_create(
        [
            Child(guardian=guardian, guardian_consent_at=now, **child_fields(n))
            for n, guardian in enumerate(guardians)
        ],
        batch_size=batch_size,
    )
    child_of = dict(Child.objects.filter(guardian__in=guardians).values_list("guardian_id", "pk"))
    return guardians, [child_of[guardian.pk] for guardian in guardians]


def same_child(n: int) -> dict:
    return {"name": "김하늘", "birth_date": dt.date(2018, 3, 2), "sex": "F", "grade": 2}


def kium_centre(*, district, name: str, address: str, lat, lng, area, quarters: list, hours: tuple):
    """A general 우리동네키움센터 registered as an officer would (code, department, audit),
    open on weekdays at ``hours`` for the whole of each of ``quarters``."""
    from kium.centres.domain.periods import set_operating_period
    from kium.orgs.domain.facilities import register_facility

    facility = register_facility(
        actor=None,
        district=district,
        facility_type="UK",
        kind="general",
        name=name,
        address=address,
        lat=lat,
        lng=lng,
        area_m2=area,
    )
    for quarter in quarters:
        set_operating_period(
            actor=None,
            facility=facility,
            quarter=quarter,
            weekday_hours=hours,
        )
    return facility
