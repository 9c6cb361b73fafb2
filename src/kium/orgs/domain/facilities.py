"""Registering and changing facility records (the minimal record; issue 3 adds more)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from kium.core.audit import log_action, snapshot
from kium.orgs.domain.codes import facility_code, next_facility_number
from kium.orgs.enums import FacilityKind, FacilityType
from kium.orgs.models import District, Dong, Facility


class FacilityError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


@transaction.atomic
def register_facility(
    *,
    actor,
    district: District,
    facility_type: str,
    name: str,
    address: str,
    kind: str = "",
    dong: Dong | None = None,
    lat: Decimal | None = None,
    lng: Decimal | None = None,
    area_m2: Decimal | None = None,
    ages: list[str] | None = None,
    email: str = "",
    phone: str = "",
    opened_on: dt.date | None = None,
    required_documents: str = "",
) -> Facility:
    """Create a facility with the next code of its district and type (ORG-3)."""
    if facility_type not in FacilityType.values:
        raise FacilityError("invalid_type", "시설유형이 올바르지 않습니다.")
    if facility_type == FacilityType.KIUM and not kind:
        kind = FacilityKind.GENERAL
    if dong is not None and dong.district_id != district.id:
        raise FacilityError("invalid_dong", "선택한 동이 자치구에 속하지 않습니다.")
    number = next_facility_number(district=district, facility_type=facility_type)
    facility = Facility.objects.create(
        code=facility_code(district.code, facility_type, number),
        district=district,
        facility_type=facility_type,
        registration_number=number,
        kind=kind,
        name=name,
        dong=dong,
        address=address,
        lat=lat,
        lng=lng,
        area_m2=area_m2,
        ages=ages or [],
        email=email,
        phone=phone,
        opened_on=opened_on,
        required_documents=required_documents,
        created_by=actor,
        updated_by=actor,
    )
    log_action(actor=actor, action="facility.register", obj=facility, after=snapshot(facility))
    return facility
