"""Registering and changing facility records (the minimal record; issue 3 adds more)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from kium.core.audit import log_action, snapshot
from kium.orgs.domain.codes import facility_code, next_facility_number
from kium.orgs.domain.errors import OUT_OF_SCOPE, OrgError
from kium.orgs.enums import AgeGroup, FacilityKind, FacilityType
from kium.orgs.models import District, Dong, Facility


class FacilityError(OrgError):
    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(code, message, field)


def _check_registration(
    *, actor, district: District, facility_type: str, kind: str, dong: Dong | None, ages
) -> None:
    # ``actor=None`` is the system (migrations, the demo seed, tests' factories).
    if getattr(actor, "is_authenticated", False):
        from kium.orgs.domain.scope import scope_for

        if not scope_for(actor).covers_district(district.pk):
            # Registering is a district's or the city's job: a centre manager's facility
            # scope does not reach the district.
            raise FacilityError(OUT_OF_SCOPE, _("자치구를 찾을 수 없습니다."), "district")
    if facility_type not in FacilityType.values:
        raise FacilityError("invalid_type", _("시설유형이 올바르지 않습니다."), "facility_type")
    if kind and kind not in FacilityKind.values:
        raise FacilityError("invalid_kind", _("센터유형이 올바르지 않습니다."), "kind")
    if kind and facility_type != FacilityType.KIUM:
        raise FacilityError(
            "invalid_kind", _("센터유형은 우리동네키움센터에만 지정할 수 있습니다."), "kind"
        )
    if dong is not None and dong.district_id != district.id:
        raise FacilityError("invalid_dong", _("선택한 동이 자치구에 속하지 않습니다."), "dong")
    unknown = [age for age in ages or [] if age not in AgeGroup.values]
    if unknown:
        raise FacilityError("invalid_ages", _("이용연령이 올바르지 않습니다."), "ages")


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
    """Create a facility with the next code of its district and type (ORG-3).

    Its facility-level department is created and mapped in the same transaction (ORG-6).
    """
    from kium.orgs.domain.departments import ensure_facility_department

    _check_registration(
        actor=actor, district=district, facility_type=facility_type, kind=kind, dong=dong, ages=ages
    )
    if facility_type == FacilityType.KIUM and not kind:
        kind = FacilityKind.GENERAL
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
    ensure_facility_department(actor=actor, facility=facility)
    return facility
