"""FAC-2: changing a facility's record and its public profile (docs/facility-profile.md).

Two kinds of data, two owners:

* the record (``Facility``): name, address, location, area, operating flag … belong to
  the district officers (and the city). Centre staff may correct only their own
  facility's contact fields (phone, e-mail, required documents).
* the profile (``FacilityProfile``): introduction, hours, meals, fees, services and the
  temporary-booking review switch — the centre's own words, so its staff edit them too.

District and facility type never change: they are part of the facility code.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kium.centres.domain.errors import FORBIDDEN, OUT_OF_SCOPE, CentresError
from kium.centres.domain.permissions import require_facility
from kium.centres.enums import MealSupport
from kium.centres.models import FacilityProfile
from kium.core.audit import log_action, snapshot
from kium.core.locking import lock_rows, locked
from kium.orgs.domain.facilities import _check_registration, register_facility
from kium.orgs.enums import FacilityKind, FacilityType
from kium.orgs.models import Facility


class ProfileError(CentresError):
    """Bad input for a facility's record or profile: ``code``, Korean ``message``, ``field``."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(code, message, field)


# --- who may change what -----------------------------------------------------------------

# The district's (and the city's) part of the record.
DISTRICT_FIELDS = frozenset(
    {
        "name",
        "kind",
        "dong",
        "ages",
        "address",
        "address_detail",
        "lat",
        "lng",
        "opened_on",
        "area_m2",
        "is_operating",
    }
)
# What a centre keeps up to date itself.
CENTRE_FIELDS = frozenset({"phone", "email", "required_documents"})
RECORD_FIELDS = DISTRICT_FIELDS | CENTRE_FIELDS

PROFILE_FIELDS = frozenset(
    {
        "introduction",
        "term_open_time",
        "term_close_time",
        "vacation_open_time",
        "vacation_close_time",
        "saturday_open_time",
        "saturday_close_time",
        "meal_support",
        "monthly_fee",
        "daily_fee",
        "fee_note",
        "morning_care",
        "night_care",
        "sick_child_care",
        "temporary_review",
    }
)

LAT_RANGE = (Decimal("33"), Decimal("39"))
LNG_RANGE = (Decimal("124"), Decimal("132"))
MONTHLY_FEE_MAX = 10_000_000
DAILY_FEE_MAX = 1_000_000


def _scope(actor):
    from kium.orgs.domain.scope import scope_for

    return scope_for(actor)


def can_edit_record(actor, facility: Facility) -> bool:
    """Whether ``actor`` may change the district's part of the record (not only contacts)."""
    if actor is None:
        return True
    return _scope(actor).covers_district(facility.district_id)


def can_edit_profile(actor, facility: Facility) -> bool:
    if actor is None:
        return True
    return _scope(actor).covers_facility(facility)


def _require_record(actor, facility: Facility, changed: set[str]) -> None:
    if actor is None:
        return
    scope = _scope(actor)
    if not scope.covers_facility(facility):
        raise CentresError(OUT_OF_SCOPE, _("시설을 찾을 수 없습니다."))
    if scope.covers_district(facility.district_id):
        return
    owned = sorted(changed & DISTRICT_FIELDS)
    if owned:
        raise CentresError(
            FORBIDDEN,
            _(
                "시설명·주소·위치·면적·운영여부 등 시설 기본정보는 자치구 담당자가 "
                "수정합니다. 센터에서는 전화번호·E-mail·필요 서류만 고칠 수 있습니다."
            ),
            owned[0],
        )


# --- the record ---------------------------------------------------------------------------


def _check_record(facility: Facility, values: dict) -> None:
    """The rules registration applies, plus the ones a form would otherwise carry."""
    if not (values["name"] or "").strip():
        raise ProfileError("required", _("시설명을 입력해 주세요."), "name")
    if len(values["name"]) > 100:
        raise ProfileError("too_long", _("시설명은 100자 이내로 입력해 주세요."), "name")
    if not (values["address"] or "").strip():
        raise ProfileError("required", _("주소를 입력해 주세요."), "address")
    if len(values["address"]) > 200:
        raise ProfileError("too_long", _("주소는 200자 이내로 입력해 주세요."), "address")
    if len(values["address_detail"] or "") > 100:
        raise ProfileError(
            "too_long", _("상세주소는 100자 이내로 입력해 주세요."), "address_detail"
        )
    if len(values["required_documents"] or "") > 300:
        raise ProfileError(
            "too_long", _("필요 서류는 300자 이내로 입력해 주세요."), "required_documents"
        )
    if len(values["phone"] or "") > 20:
        raise ProfileError("too_long", _("전화번호는 20자 이내로 입력해 주세요."), "phone")
    if values["email"]:
        try:
            validate_email(values["email"])
        except ValidationError:
            raise ProfileError(
                "invalid_email", _("E-mail 주소 형식이 올바르지 않습니다."), "email"
            ) from None
    lat, lng = values["lat"], values["lng"]
    if (lat is None) != (lng is None):
        missing = "lng" if lng is None else "lat"
        raise ProfileError(
            "incomplete_location", _("위도와 경도를 모두 입력하거나 모두 비워 주세요."), missing
        )
    if lat is not None and not LAT_RANGE[0] <= Decimal(lat) <= LAT_RANGE[1]:
        raise ProfileError("invalid_location", _("위도는 33~39 사이여야 합니다."), "lat")
    if lng is not None and not LNG_RANGE[0] <= Decimal(lng) <= LNG_RANGE[1]:
        raise ProfileError("invalid_location", _("경도는 124~132 사이여야 합니다."), "lng")
    area = values["area_m2"]
    if area is not None and Decimal(area) <= 0:
        raise ProfileError("invalid_area", _("전용면적은 0보다 커야 합니다."), "area_m2")
    _check_registration(
        actor=None,  # scope is checked by the caller; here only the values
        district=facility.district,
        facility_type=facility.facility_type,
        kind=values["kind"],
        dong=values["dong"],
        ages=values["ages"],
    )


@transaction.atomic
def update_facility(*, actor, facility: Facility, **fields) -> Facility:
    """Change the record's fields (any of ``RECORD_FIELDS``); one audit entry.

    Fields not given keep their values. Only changed fields count for the permission
    check, so a centre may send its unchanged name back with a new phone number.
    """
    unknown = set(fields) - RECORD_FIELDS
    if unknown:
        raise TypeError(f"update_facility() got unknown fields: {sorted(unknown)}")
    if "kind" in fields and facility.facility_type == FacilityType.KIUM and not fields["kind"]:
        fields["kind"] = FacilityKind.GENERAL  # as on registration
    for text in ("name", "address", "address_detail", "email", "phone", "required_documents"):
        if text in fields:
            fields[text] = (fields[text] or "").strip()
    if "ages" in fields:
        fields["ages"] = list(fields["ages"] or [])
    changed = {name for name, value in fields.items() if _differs(facility, name, value)}
    _require_record(actor, facility, changed)
    if not changed:
        return facility
    values = {name: getattr(facility, name) for name in RECORD_FIELDS}
    values.update(fields)
    _check_record(facility, values)

    current = lock_rows(Facility.objects.filter(pk=facility.pk)).get()
    before = snapshot(current)
    for name in changed:
        setattr(current, name, fields[name])
    current.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    current.save(update_fields=[*sorted(changed), "updated_by", "updated_at"])
    log_action(
        actor=actor, action="facility.update", obj=current, before=before, after=snapshot(current)
    )
    # The caller's object shows the new values too.
    for name in [*changed, "updated_by", "updated_at"]:
        setattr(facility, name, getattr(current, name))
    return facility


def _differs(facility: Facility, name: str, value) -> bool:
    if name == "dong":
        return facility.dong_id != (value.pk if value is not None else None)
    current = getattr(facility, name)
    if isinstance(current, Decimal) or isinstance(value, Decimal):
        if current is None or value is None:
            return current is not value
        return Decimal(current) != Decimal(value)
    return current != value


@transaction.atomic
def register_facility_with_details(*, actor, address_detail: str = "", **fields) -> Facility:
    """Register (``orgs.domain.facilities.register_facility``) with the 상세주소 as well.

    ``register_facility`` does not take the detail line yet; it is set in the same
    transaction and written to the change log as a second entry.
    """
    facility = register_facility(actor=actor, **fields)
    if (address_detail or "").strip():
        update_facility(actor=actor, facility=facility, address_detail=address_detail)
    return facility


# --- the profile --------------------------------------------------------------------------

HOUR_PAIRS = (
    ("term", gettext_lazy("학기중")),
    ("vacation", gettext_lazy("방학중")),
    ("saturday", gettext_lazy("토요일")),
)


def hour_errors(values: dict) -> list[tuple[str, str]]:
    """(field, message) for every hour pair that is half filled or in the wrong order.

    Forms call it to show every problem at once; ``save_profile`` raises the first.
    """
    errors = []
    for prefix, label in HOUR_PAIRS:
        open_field, close_field = f"{prefix}_open_time", f"{prefix}_close_time"
        opens, closes = values.get(open_field), values.get(close_field)
        if opens is None and closes is None:
            continue
        if opens is None or closes is None:
            missing = open_field if opens is None else close_field
            errors.append(
                (
                    missing,
                    _("%(kind)s 운영시간은 시작시간과 종료시간을 모두 입력해 주세요.")
                    % {"kind": label},
                )
            )
        elif opens >= closes:
            errors.append(
                (
                    close_field,
                    _("%(kind)s 종료시간은 시작시간보다 뒤여야 합니다.") % {"kind": label},
                )
            )
    return errors


def _check_profile(values: dict) -> None:
    for prefix, _label in HOUR_PAIRS:
        for name in (f"{prefix}_open_time", f"{prefix}_close_time"):
            value = values[name]
            if value is not None and not isinstance(value, dt.time):
                raise ProfileError("invalid_time", _("시간을 HH:MM 형식으로 입력해 주세요."), name)
    problems = hour_errors(values)
    if problems:
        field, message = problems[0]
        raise ProfileError("invalid_hours", message, field)
    if values["meal_support"] not in MealSupport.values:
        raise ProfileError(
            "invalid_meal", _("급식·간식 지원을 목록에서 골라 주세요."), "meal_support"
        )
    for name, limit in (("monthly_fee", MONTHLY_FEE_MAX), ("daily_fee", DAILY_FEE_MAX)):
        fee = values[name]
        if fee is None:
            continue
        if isinstance(fee, bool) or not isinstance(fee, int) or fee < 0:
            raise ProfileError("invalid_fee", _("이용료는 0 이상의 숫자로 입력해 주세요."), name)
        if fee > limit:
            raise ProfileError(
                "invalid_fee",
                _("이용료는 %(limit)s원 이하로 입력해 주세요.") % {"limit": f"{limit:,}"},
                name,
            )
    if len(values["introduction"] or "") > 4000:
        raise ProfileError(
            "too_long", _("시설 소개는 4,000자 이내로 입력해 주세요."), "introduction"
        )
    if len(values["fee_note"] or "") > 300:
        raise ProfileError("too_long", _("이용료 안내는 300자 이내로 입력해 주세요."), "fee_note")


def profile_of(facility: Facility) -> FacilityProfile | None:
    """The facility's profile, or None before anyone wrote one."""
    return FacilityProfile.objects.filter(facility=facility).first()


def save_profile(*, actor, facility: Facility, **fields) -> FacilityProfile:
    """Create or change the facility's profile (any of ``PROFILE_FIELDS``); one audit entry.

    The facility's own staff may do this as well as its district and the city.
    """
    unknown = set(fields) - PROFILE_FIELDS
    if unknown:
        raise TypeError(f"save_profile() got unknown fields: {sorted(unknown)}")
    require_facility(actor, facility)
    for text in ("introduction", "fee_note"):
        if text in fields:
            fields[text] = (fields[text] or "").strip()
    with locked(f"facility-profile:{facility.pk}"):
        profile = lock_rows(FacilityProfile.objects.filter(facility=facility)).first()
        before = snapshot(profile) if profile is not None else None
        user = actor if getattr(actor, "is_authenticated", False) else None
        if profile is None:
            profile = FacilityProfile(facility=facility, created_by=user)
        values = {name: getattr(profile, name) for name in PROFILE_FIELDS}
        values.update(fields)
        _check_profile(values)
        for name, value in fields.items():
            setattr(profile, name, value)
        profile.updated_by = user
        profile.save()
        log_action(
            actor=actor,
            action="facility_profile.save",
            obj=profile,
            before=before,
            after=snapshot(profile),
        )
    return profile
