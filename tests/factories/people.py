"""Factories for people, facilities and role assignments used across the suite."""

from __future__ import annotations

import itertools
from decimal import Decimal

from kium.accounts.enums import ApprovalStatus, UserKind
from kium.accounts.models import Child, User
from kium.core import clock
from kium.orgs.domain.facilities import register_facility
from kium.orgs.enums import FacilityType, ScopeLevel
from kium.orgs.models import District, Facility, Role, RoleAssignment

PASSWORD = "kium2026pass"
_seq = itertools.count(1)


def district(code: str = "NW") -> District:
    return District.objects.get(code=code)


def facility(
    district_code: str = "NW", facility_type: str = FacilityType.KIUM, **fields
) -> Facility:
    n = next(_seq)
    defaults = {
        "name": f"테스트 키움센터 {n}호점",
        "address": f"서울특별시 테스트로 {n}",
        "area_m2": Decimal("66.00"),
        "lat": Decimal("37.654"),
        "lng": Decimal("127.056"),
        "email": f"centre{n}@example.kr",
    }
    defaults.update(fields)
    return register_facility(
        actor=None, district=district(district_code), facility_type=facility_type, **defaults
    )


def guardian(username: str | None = None, **fields) -> User:
    n = next(_seq)
    user = User.objects.create_user(
        username=username or f"parent{n}",
        password=PASSWORD,
        kind=UserKind.GUARDIAN,
        name=fields.pop("name", f"보호자{n}"),
        phone=fields.pop("phone", f"0109{n:07d}"),
        terms_consent_at=clock.now(),
        privacy_consent_at=clock.now(),
        **fields,
    )
    return user


def child(guardian_user: User, **fields) -> Child:
    import datetime as dt

    defaults = {
        "name": "김하늘",
        "birth_date": dt.date(2018, 3, 2),
        "sex": "F",
        "guardian_consent_at": clock.now(),
    }
    defaults.update(fields)
    return Child.objects.create(guardian=guardian_user, **defaults)


def staff(
    username: str | None = None,
    *,
    role: str | None = None,
    district_code: str | None = None,
    facility_obj: Facility | None = None,
    city: bool = False,
    approved: bool = True,
    **fields,
) -> User:
    """A staff account, optionally with one role assignment at the given scope."""
    n = next(_seq)
    user = User.objects.create_user(
        username=username or f"staff{n}",
        password=PASSWORD,
        kind=UserKind.STAFF,
        name=fields.pop("name", f"담당자{n}"),
        phone=fields.pop("phone", f"0108{n:07d}"),
        approval_status=ApprovalStatus.APPROVED if approved else ApprovalStatus.PENDING,
        district=district(district_code) if district_code else None,
        facility=facility_obj,
        **fields,
    )
    if role:
        assign(user, role, city=city, district_code=district_code, facility_obj=facility_obj)
    return user


def assign(
    user: User,
    role_name: str,
    *,
    city: bool = False,
    district_code: str | None = None,
    facility_obj: Facility | None = None,
) -> RoleAssignment:
    if city:
        level, dist, fac = ScopeLevel.CITY, None, None
    elif facility_obj is not None:
        level, dist, fac = ScopeLevel.FACILITY, None, facility_obj
    else:
        level, dist, fac = ScopeLevel.DISTRICT, district(district_code or "NW"), None
    return RoleAssignment.objects.create(
        user=user,
        role=Role.objects.get(name=role_name),
        scope_level=level,
        district=dist,
        facility=fac,
    )


def city_officer(**fields) -> User:
    return staff(role="총괄운영", city=True, **fields)


def district_officer(district_code: str = "NW", **fields) -> User:
    return staff(role="구관리자_우리동네키움센터", district_code=district_code, **fields)


def centre_manager(facility_obj: Facility, **fields) -> User:
    return staff(
        role="센터관리자_우리동네키움센터",
        facility_obj=facility_obj,
        district_code=None,
        **fields,
    )
