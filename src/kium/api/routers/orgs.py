"""Facilities (public list and detail, staff registration) and staff accounts (API.md).

GET and POST /facilities share this router on purpose: one path must live in one router,
or Django would route the POST to the router that only knows GET.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict
from decimal import Decimal
from typing import Literal

from django.core.exceptions import ObjectDoesNotExist
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema, Status

from kium.api.errors import ApiError
from kium.api.security import bearer
from kium.centres.domain.availability import availability, operating_period_on
from kium.centres.domain.finder import age_condition
from kium.core import clock
from kium.orgs.domain.capacity import (
    effective_capacity,
    temporary_quota,
    with_effective_capacity,
)
from kium.orgs.domain.errors import FORBIDDEN, OUT_OF_SCOPE, OrgError
from kium.orgs.domain.facilities import register_facility
from kium.orgs.domain.scope import facilities_for_user, has_menu, is_backoffice_user, scope_for
from kium.orgs.domain.staff import create_staff_account, role_names
from kium.orgs.enums import FacilityType
from kium.orgs.models import District, Dong, Facility, Role

router = Router()

TypeCode = Literal["UK", "CC", "GI", "SK"]
KindCode = Literal["general", "fusion", "hub"]
AgeCode = Literal["infant", "kindergarten", "elementary", "middle", "elementary_middle"]
FACILITY_MENUS = ("homepage.facilities", "homepage.kium", "org.departments")
MealCode = Literal["none", "snack", "meal", "meal_snack"]
ServiceCode = Literal["morning_care", "night_care", "sick_child_care"]


class FacilityOut(Schema):
    code: str
    name: str
    type: str
    kind: str | None
    district: str
    address: str
    lat: float | None
    lng: float | None
    capacity: int
    temporary_quota: int
    operating: bool


class TimeRangeOut(Schema):
    open: str = Field(..., description="HH:MM")
    close: str = Field(..., description="HH:MM")


class HoursOut(Schema):
    quarter: str = Field(..., description="1학기 | 여름방학 | 2학기 | 겨울방학")
    start: dt.date
    end: dt.date
    weekday: TimeRangeOut
    saturday: TimeRangeOut | None


class UsualHoursOut(Schema):
    term: TimeRangeOut | None = Field(..., description="학기 중")
    vacation: TimeRangeOut | None = Field(..., description="방학 중")
    saturday: TimeRangeOut | None = Field(..., description="토요일")


class ProfileOut(Schema):
    introduction: str
    meal_support: MealCode = Field(..., description="급식·간식 지원")
    monthly_fee: int | None = Field(..., description="정기돌봄 월 이용료(원)")
    daily_fee: int | None = Field(..., description="일시돌봄 1일 이용료(원)")
    fee_note: str
    services: list[ServiceCode] = Field(
        ..., description="추가 서비스: 아침돌봄, 야간돌봄, 아픈아이 돌봄"
    )
    usual_hours: UsualHoursOut


class PhotoOut(Schema):
    url: str
    alt_text: str


class FacilityDetailOut(FacilityOut):
    dong: str | None
    phone: str
    email: str
    opened_on: dt.date | None
    ages: list[str]
    area_m2: float | None
    hours: HoursOut | None = Field(
        ..., description="이번 분기 운영기간과 운영시간 (등록 전이면 null)"
    )
    profile: ProfileOut | None = Field(..., description="시설 소개 정보 (등록 전이면 null)")
    photos: list[PhotoOut]


class DayOut(Schema):
    date: dt.date
    open: bool
    regular_free: int
    temporary_free: int
    waitlist: int


class AvailabilityOut(Schema):
    days: list[DayOut]


class ErrorOut(Schema):
    code: str
    message: str


class AvailabilityFilter(Schema):
    # ``from`` is a Python keyword, hence the aliases.
    date_from: dt.date | None = Field(
        None, alias="from", description="첫날 YYYY-MM-DD (기본값: 서울 기준 오늘)"
    )
    date_to: dt.date | None = Field(
        None, alias="to", description="마지막 날 YYYY-MM-DD (기본값: 첫날 + 13일, 최대 93일)"
    )


class FacilityPage(Schema):
    count: int
    results: list[FacilityOut]


class FacilityIn(Schema):
    name: str = Field(..., min_length=1, max_length=100)
    district: str = Field(..., min_length=2, max_length=2)
    type: TypeCode
    kind: KindCode | None = None
    dong: str = Field(..., min_length=1, max_length=30)
    address: str = Field(..., min_length=1, max_length=200)
    lat: Decimal = Field(..., ge=33, le=39, max_digits=9, decimal_places=6)
    lng: Decimal = Field(..., ge=124, le=132, max_digits=9, decimal_places=6)
    area_m2: Decimal = Field(..., gt=0, max_digits=8, decimal_places=2)
    ages: list[AgeCode] = Field(..., min_length=1)
    email: str = Field(..., max_length=254)
    phone: str = Field("", max_length=20)
    opened_on: dt.date | None = None


class StaffIn(Schema):
    facility: str = Field(..., max_length=7)
    name: str = Field(..., min_length=1, max_length=50)
    phone: str = Field(..., max_length=20)
    email: str = Field("", max_length=254)
    password: str = Field(..., max_length=128)
    role: str | None = Field(None, max_length=50)


class StaffOut(Schema):
    username: str
    role: str
    name: str
    facility: str


def _facility_out(facility: Facility) -> dict:
    capacity = effective_capacity(facility)
    return {
        "code": facility.code,
        "name": facility.name,
        "type": facility.facility_type,
        "kind": facility.kind or None,
        "district": facility.district.code,
        "address": facility.address,
        "lat": float(facility.lat) if facility.lat is not None else None,
        "lng": float(facility.lng) if facility.lng is not None else None,
        "capacity": capacity,
        "temporary_quota": temporary_quota(capacity, facility.kind),
        "operating": facility.is_operating,
    }


def _facility_detail_out(facility: Facility, request) -> dict:
    return {
        **_facility_out(facility),
        "dong": facility.dong.name if facility.dong_id else None,
        "phone": facility.phone,
        "email": facility.email,
        "opened_on": facility.opened_on,
        "ages": list(facility.ages or []),
        "area_m2": float(facility.area_m2) if facility.area_m2 is not None else None,
        "hours": _hours_out(operating_period_on(facility=facility, day=clock.today())),
        "profile": _profile_out(facility),
        "photos": [
            {
                "url": request.build_absolute_uri(reverse("public:facility_photo", args=[p.pk])),
                "alt_text": p.alt_text,
            }
            for p in facility.photos.all()
        ],
    }


def _profile_out(facility: Facility) -> dict | None:
    try:
        profile = facility.profile
    except ObjectDoesNotExist:
        return None
    services = [name for name in SERVICE_FLAGS if getattr(profile, name)]
    return {
        "introduction": profile.introduction,
        "meal_support": profile.meal_support,
        "monthly_fee": profile.monthly_fee,
        "daily_fee": profile.daily_fee,
        "fee_note": profile.fee_note,
        "services": services,
        "usual_hours": {
            "term": _time_range(profile.term_open_time, profile.term_close_time),
            "vacation": _time_range(profile.vacation_open_time, profile.vacation_close_time),
            "saturday": _time_range(profile.saturday_open_time, profile.saturday_close_time),
        },
    }


SERVICE_FLAGS = ("morning_care", "night_care", "sick_child_care")


def _time_range(start: dt.time | None, end: dt.time | None) -> dict | None:
    if start is None or end is None:
        return None
    return {"open": f"{start:%H:%M}", "close": f"{end:%H:%M}"}


def _hours_out(period) -> dict | None:
    if period is None:
        return None
    return {
        "quarter": period.quarter.name,
        "start": period.start,
        "end": period.end,
        "weekday": _time_range(period.open_time, period.close_time),
        "saturday": _time_range(period.saturday_open_time, period.saturday_close_time),
    }


def _raise_org_error(exc: OrgError):
    if exc.code == OUT_OF_SCOPE:
        raise ApiError(404, "not_found", _("찾을 수 없습니다.")) from exc
    if exc.code == FORBIDDEN:
        raise ApiError(403, "forbidden", exc.message) from exc
    fields = {exc.field: [exc.message]} if exc.field else None
    raise ApiError(400, exc.code, exc.message, fields) from exc


def _staff_user(request):
    user = request.auth
    if not is_backoffice_user(user):
        raise ApiError(403, "forbidden", _("담당자 계정만 사용할 수 있습니다."))
    return user


# --- public ------------------------------------------------------------------------------


@router.get("/facilities", response=FacilityPage, tags=["public"])
def list_facilities(
    request,
    district: str | None = Query(None, max_length=2),
    type: TypeCode | None = None,
    kind: KindCode | None = None,
    age: AgeCode | None = None,
    q: str | None = Query(None, max_length=50),
    operating: bool | None = Query(
        None, description="운영 중인 시설만(true) 또는 운영 중지만(false)"
    ),
    page: int = Query(1, ge=1, le=100_000),
    page_size: int = Query(20, ge=1, le=100),
):
    """Facilities of every type, filtered; always two queries (count and page).

    ``age`` matches as the portal's map does (finder.AGE_MATCHES): 초등학생 also finds
    초중생 centres, 유치원생 also finds 영유아 facilities.
    """
    rows = with_effective_capacity(Facility.objects.select_related("district"))
    if district:
        rows = rows.filter(district__code=district.upper())
    if type:
        rows = rows.filter(facility_type=type)
    if kind:
        rows = rows.filter(kind=kind)
    if age:
        rows = rows.filter(age_condition(age))
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(address__icontains=q))
    if operating is not None:
        rows = rows.filter(is_operating=operating)
    count = rows.count()
    start = (page - 1) * page_size
    results = [_facility_out(f) for f in rows[start : start + page_size]]
    return {"count": count, "results": results}


@router.get("/facilities/{code}", response=FacilityDetailOut, tags=["public"])
def get_facility(request, code: str):
    facility = (
        with_effective_capacity(Facility.objects.select_related("district", "dong", "profile"))
        .filter(code=code.upper())
        .first()
    )
    if facility is None:
        raise ApiError(404, "not_found", _("시설을 찾을 수 없습니다."))
    return _facility_detail_out(facility, request)


# Two weeks from the first day: temporary care's booking window (DESIGN).
DEFAULT_AVAILABILITY_DAYS = 14
MAX_AVAILABILITY_DAYS = 93
# The years quarters may have (Quarter's check constraint); also keeps date arithmetic
# and the holiday calendar away from year 1 and 9999.
MIN_DATE, MAX_DATE = dt.date(2000, 1, 1), dt.date(2100, 12, 31)


def _availability_range(start: dt.date | None, end: dt.date | None) -> tuple[dt.date, dt.date]:
    for name, value in (("from", start), ("to", end)):
        if value is not None and not MIN_DATE <= value <= MAX_DATE:
            raise ApiError(
                400,
                "invalid",
                _("입력값을 확인해 주세요."),
                {name: [_("2000년부터 2100년 사이의 날짜를 입력해 주세요.")]},
            )
    start = start or clock.today()
    end = end or start + dt.timedelta(days=DEFAULT_AVAILABILITY_DAYS - 1)
    if end < start:
        raise ApiError(400, "invalid_range", _("종료일은 시작일과 같거나 그 뒤여야 합니다."))
    if (end - start).days + 1 > MAX_AVAILABILITY_DAYS:
        raise ApiError(
            400,
            "range_too_long",
            _("한 번에 %(days)d일까지 조회할 수 있습니다.") % {"days": MAX_AVAILABILITY_DAYS},
        )
    return start, end


@router.get(
    "/facilities/{code}/availability",
    response={200: AvailabilityOut, 400: ErrorOut, 404: ErrorOut},
    tags=["public"],
)
def get_availability(request, code: str, filters: Query[AvailabilityFilter]):
    """Open days and free places per day; three queries whatever the range."""
    start, end = _availability_range(filters.date_from, filters.date_to)
    facility = with_effective_capacity(Facility.objects.filter(code=code.upper())).first()
    if facility is None:
        raise ApiError(404, "not_found", _("시설을 찾을 수 없습니다."))
    days = availability(facility=facility, start=start, end=end)
    return {"days": [asdict(day) for day in days]}


# --- staff ---------------------------------------------------------------------------


@router.post("/facilities", response={201: FacilityDetailOut}, auth=bearer, tags=["staff"])
def create_facility(request, payload: FacilityIn):
    """Register a facility; it gets the next code of its district and type (ORG-3)."""
    user = _staff_user(request)
    if not any(has_menu(user, code) for code in FACILITY_MENUS):
        raise ApiError(403, "forbidden", _("시설을 등록할 권한이 없습니다."))
    district = District.objects.filter(code=payload.district.upper()).first()
    if district is None or not scope_for(user).covers_district(district.pk):
        raise ApiError(404, "not_found", _("자치구를 찾을 수 없습니다."))
    dong = Dong.objects.filter(district=district, name=payload.dong, is_active=True).first()
    if dong is None:
        raise ApiError(
            400,
            "invalid",
            _("입력값을 확인해 주세요."),
            {"dong": [_("이 자치구에 없는 동입니다.")]},
        )
    try:
        validate_email(payload.email)
    except DjangoValidationError as exc:
        raise ApiError(
            400,
            "invalid",
            _("입력값을 확인해 주세요."),
            {"email": [_("이메일 주소를 확인해 주세요.")]},
        ) from exc
    if payload.kind and payload.type != FacilityType.KIUM:
        raise ApiError(
            400,
            "invalid",
            _("입력값을 확인해 주세요."),
            {"kind": [_("센터유형은 우리동네키움센터에만 지정할 수 있습니다.")]},
        )
    try:
        facility = register_facility(
            actor=user,
            district=district,
            facility_type=payload.type,
            name=payload.name.strip(),
            address=payload.address.strip(),
            kind=payload.kind or "",
            dong=dong,
            lat=payload.lat,
            lng=payload.lng,
            area_m2=payload.area_m2,
            ages=list(payload.ages),
            email=payload.email,
            phone=payload.phone,
            opened_on=payload.opened_on,
        )
    except OrgError as exc:
        _raise_org_error(exc)
    facility = Facility.objects.select_related("district", "dong").get(pk=facility.pk)
    return Status(201, _facility_detail_out(facility, request))


@router.post("/staff", response={201: StaffOut}, auth=bearer, tags=["staff"])
def create_staff(request, payload: StaffIn):
    """A staff account for a facility: facility code + next number (ORG-4)."""
    user = _staff_user(request)
    facility = facilities_for_user(user).filter(code=payload.facility.upper()).first()
    if facility is None:
        raise ApiError(404, "not_found", _("시설을 찾을 수 없습니다."))
    if not has_menu(user, "org.staff"):
        raise ApiError(403, "forbidden", _("담당자 계정을 만들 권한이 없습니다."))
    role = None
    if payload.role:
        role = Role.objects.filter(name=payload.role, is_active=True).first()
        if role is None:
            raise ApiError(
                400, "invalid", _("입력값을 확인해 주세요."), {"role": [_("없는 권한입니다.")]}
            )
    try:
        account = create_staff_account(
            actor=user,
            facility=facility,
            name=payload.name,
            phone=payload.phone,
            email=payload.email,
            password=payload.password,
            role=role,
        )
    except OrgError as exc:
        _raise_org_error(exc)
    return Status(
        201,
        {
            "username": account.username,
            "role": role_names(account),
            "name": account.name,
            "facility": facility.code,
        },
    )
