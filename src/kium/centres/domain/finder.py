"""돌봄 정보찾기 (FIND-1): which facilities match a search, which take children today, and
which services fit a child (맞춤형정보). Reads only; see docs/finding-care.md.

Everything here answers for any number of facilities in a fixed number of queries: the
map loads all of Seoul's ~1,500 facilities at once, so "is it open today" and "has it a
free place today" are annotations and set operations, never a query per facility.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.db.models import (
    Count,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
)
from django.utils.translation import gettext_lazy as _

from kium.centres.domain.availability import places
from kium.centres.domain.holidays import is_public_holiday
from kium.centres.domain.queries import SATURDAY, SUNDAY
from kium.centres.models import ClosedDay, OperatingPeriod
from kium.orgs.domain.capacity import APPROVED_ATTR, AREA_PER_CHILD_M2, with_effective_capacity
from kium.orgs.enums import AgeGroup, FacilityType
from kium.orgs.models import District, Facility

# Annotations the bulk "today" rule reads (see annotate_today).
HAS_PERIOD_ATTR = "find_has_period_today"
CLOSED_ATTR = "find_closed_today"
# Today's reservation counter (reservations.DayLoad), joined at most once per facility.
LOAD_RELATION = "find_load_today"
LOAD_ID_ATTR = "find_load_id"
SHARED_FREE_ATTR = "find_shared_free"
QUOTA_FREE_ATTR = "find_quota_free"
WAITLIST_ATTR = "find_waitlisted"

# 이용연령 search: asking for one stage also finds facilities whose 이용연령 covers it.
# 초중생 centres take both school stages; 영유아 (under 6, 영유아보육법) covers the
# 유치원생 ages (만 3~5세), so a kindergartener's parent also sees 영유아 facilities.
AGE_MATCHES: dict[str, tuple[str, ...]] = {
    AgeGroup.INFANT: (AgeGroup.INFANT,),
    AgeGroup.KINDERGARTEN: (AgeGroup.KINDERGARTEN, AgeGroup.INFANT),
    AgeGroup.ELEMENTARY: (AgeGroup.ELEMENTARY, AgeGroup.ELEMENTARY_MIDDLE),
    AgeGroup.MIDDLE: (AgeGroup.MIDDLE, AgeGroup.ELEMENTARY_MIDDLE),
    AgeGroup.ELEMENTARY_MIDDLE: (AgeGroup.ELEMENTARY_MIDDLE,),
}


# --- search ------------------------------------------------------------------------------


@dataclass(frozen=True)
class FacilityFilters:
    """One search of the map, the list and the API; empty values do not filter."""

    district: str = ""  # district code, e.g. "NW"
    facility_type: str = ""  # FacilityType value
    kind: str = ""  # FacilityKind value
    age: str = ""  # AgeGroup value
    q: str = ""
    accepting: bool = False  # only facilities with a free place today
    operating: bool | None = None  # None: both

    def query(self) -> dict[str, str]:
        """The search as the map page's GET parameters (empty ones left out)."""
        params = {
            "district": self.district,
            "type": self.facility_type,
            "kind": self.kind,
            "age": self.age,
            "q": self.q,
            "accepting": "1" if self.accepting else "",
        }
        return {key: value for key, value in params.items() if value}

    def cache_key(self, day: dt.date) -> str:
        # The day is part of the key: "accepting" changes at midnight.
        operating = "" if self.operating is None else str(int(self.operating))
        parts = [*sorted(self.query().items()), ("operating", operating)]
        return f"kium:find:map:v1:{day.isoformat()}:{urlencode(parts)}"


def age_condition(age: str, field_name: str = "ages") -> Q:
    """Facilities whose 이용연령 (a JSON list) holds one of the stages ``age`` matches.

    A text match of the quoted value works on SQLite and PostgreSQL alike.
    """
    condition = Q()
    for value in AGE_MATCHES.get(age, (age,)):
        condition |= Q(**{f"{field_name}__icontains": f'"{value!s}"'})
    return condition


def public_facilities() -> QuerySet[Facility]:
    """Facilities with what every public list shows: district and effective capacity."""
    return with_effective_capacity(Facility.objects.select_related("district"))


def apply_filters(rows: QuerySet[Facility], filters: FacilityFilters, *, day: dt.date):
    if filters.district:
        rows = rows.filter(district__code=filters.district.upper())
    if filters.facility_type:
        rows = rows.filter(facility_type=filters.facility_type)
    if filters.kind:
        rows = rows.filter(kind=filters.kind)
    if filters.age:
        rows = rows.filter(age_condition(filters.age))
    if filters.q:
        text = filters.q.strip()
        rows = rows.filter(Q(name__icontains=text) | Q(address__icontains=text))
    if filters.operating is not None:
        rows = rows.filter(is_operating=filters.operating)
    rows = annotate_today(rows, day)
    if filters.accepting:
        rows = only_accepting(rows, day)
    return rows


# --- today: open, free places, accepting --------------------------------------------------


def _day_is_closed_everywhere(day: dt.date) -> bool:
    """Sundays and public holidays close every facility (docs/quarters.md)."""
    return day.weekday() == SUNDAY or is_public_holiday(day)


def annotate_today(rows: QuerySet[Facility], day: dt.date) -> QuerySet[Facility]:
    """Annotate what the operating-day rule needs for ``day``, inside the one query.

    The rule is ``centres.domain.queries.operating_days``: in operation, inside an
    operating period (a Saturday only when that period has Saturday hours, never a
    Sunday), not a public holiday, not a closed day of the facility or of the city.
    """
    periods = OperatingPeriod.objects.filter(facility=OuterRef("pk"), start__lte=day, end__gte=day)
    if day.weekday() == SATURDAY:
        periods = periods.filter(saturday_open_time__isnull=False)
    closed = ClosedDay.objects.filter(
        Q(facility=OuterRef("pk")) | Q(facility__isnull=True), date=day
    )
    if APPROVED_ATTR not in rows.query.annotations:
        rows = with_effective_capacity(rows)
    # (facility, date) is unique in DayLoad, so the join never repeats a facility.
    load = LOAD_RELATION
    return rows.annotate(
        **{load: FilteredRelation("day_loads", condition=Q(day_loads__date=day))}
    ).annotate(
        **{
            HAS_PERIOD_ATTR: Exists(periods),
            CLOSED_ATTR: Exists(closed),
            LOAD_ID_ATTR: F(f"{load}__id"),
            SHARED_FREE_ATTR: _difference(f"{load}__shared_capacity", f"{load}__shared_used"),
            QUOTA_FREE_ATTR: _difference(f"{load}__quota_capacity", f"{load}__quota_used"),
            WAITLIST_ATTR: F(f"{load}__waitlisted"),
        }
    )


def _difference(minuend: str, subtrahend: str) -> ExpressionWrapper:
    return ExpressionWrapper(F(minuend) - F(subtrahend), output_field=IntegerField())


def is_open_today(facility: Facility, day: dt.date) -> bool:
    """For a row from ``annotate_today(…, day)``: no query."""
    if _day_is_closed_everywhere(day) or not facility.is_operating:
        return False
    return bool(getattr(facility, HAS_PERIOD_ATTR)) and not getattr(facility, CLOSED_ATTR)


def free_places_today(facility: Facility, day: dt.date) -> tuple[int, int]:
    """(regular, temporary) places free on ``day``, as ``availability()`` counts them.

    For a row from ``annotate_today``; no query. Regular care may use the shared places
    left; temporary care the shared places left plus the temporary quota left; a day
    nobody booked yet (no counter row) has its full places. Only 키움센터 take
    temporary care.
    """
    if not is_open_today(facility, day):
        return 0, 0
    takes_temporary = facility.facility_type == FacilityType.KIUM
    if getattr(facility, LOAD_ID_ATTR) is None:
        regular, temporary = places(facility)
        return regular, (regular + temporary) if takes_temporary else 0
    shared_free = max(0, getattr(facility, SHARED_FREE_ATTR))
    quota_free = max(0, getattr(facility, QUOTA_FREE_ATTR))
    return shared_free, (shared_free + quota_free) if takes_temporary else 0


def waitlist_today(facility: Facility, day: dt.date) -> int:
    """Children waiting for ``day`` (0 on a closed day), for an ``annotate_today`` row."""
    if not is_open_today(facility, day):
        return 0
    return getattr(facility, WAITLIST_ATTR) or 0


def is_accepting(facility: Facility, day: dt.date) -> bool:
    """지금 이용 가능: open on ``day`` with a free regular or temporary place."""
    regular, temporary = free_places_today(facility, day)
    return regular + temporary > 0


def only_accepting(rows: QuerySet[Facility], day: dt.date) -> QuerySet[Facility]:
    """The database form of ``is_accepting`` for an ``annotate_today`` queryset.

    With no counter row for the day, every type has a free place exactly when its
    capacity is above zero (``availability.places``): capacity is the approved
    override, else floor(area / 3.3), which is at least 1 exactly when the area is at
    least 3.3 m². With a counter row, a shared place is left, or (키움센터 only, as
    they alone take temporary care) a temporary-quota place.
    """
    if _day_is_closed_everywhere(day):
        return rows.none()
    has_capacity = Q(**{f"{APPROVED_ATTR}__gt": 0}) | Q(
        **{f"{APPROVED_ATTR}__isnull": True}, area_m2__gte=AREA_PER_CHILD_M2
    )
    unbooked = Q(**{f"{LOAD_ID_ATTR}__isnull": True}) & has_capacity
    booked_with_room = Q(**{f"{LOAD_ID_ATTR}__isnull": False}) & (
        Q(**{f"{SHARED_FREE_ATTR}__gt": 0})
        | Q(**{f"{QUOTA_FREE_ATTR}__gt": 0}, facility_type=FacilityType.KIUM)
    )
    return rows.filter(
        unbooked | booked_with_room,
        is_operating=True,
        **{HAS_PERIOD_ATTR: True, CLOSED_ATTR: False},
    )


def accepting_ids(facility_ids, day: dt.date) -> set[int]:
    """The ids among ``facility_ids`` that accept children on ``day``: one query."""
    rows = annotate_today(public_facilities().filter(pk__in=list(facility_ids)), day)
    return {facility.pk for facility in rows if is_accepting(facility, day)}


# --- the map's data -----------------------------------------------------------------------


def _coordinate(value: Decimal | None) -> float | None:
    return None if value is None else round(float(value), 6)


def map_rows(filters: FacilityFilters, *, day: dt.date, url_for) -> list[dict]:
    """The compact rows the map draws: one query for any number of facilities.

    Facilities without coordinates cannot be drawn; they stay in the page's list.
    ``url_for(code)`` gives a facility page's address (views know the URL names).
    """
    rows = apply_filters(public_facilities(), filters, day=day).exclude(lat=None).exclude(lng=None)
    return [
        {
            "code": facility.code,
            "name": facility.name,
            "type": facility.facility_type,
            "kind": facility.kind or None,
            "district": facility.district.code,
            "lat": _coordinate(facility.lat),
            "lng": _coordinate(facility.lng),
            "address": facility.address,
            "url": url_for(facility.code),
            "accepting": is_accepting(facility, day),
        }
        for facility in rows
    ]


# --- 맞춤형정보: services that fit a child -------------------------------------------------

# Ages are 만 나이 (international age) unless the rule says 연 나이 (this year minus the
# birth year, as 서울형 키즈카페 counts). The sources: DOMAIN.md and the seeded CMS pages.
INTERNATIONAL, CALENDAR_YEAR = "international", "calendar_year"
ADULT_AGE = 18


@dataclass(frozen=True)
class ServiceRule:
    key: str
    name: str
    min_age: int
    max_age: int
    reason: str  # why it fits, as one sentence a parent reads
    info_pages: tuple[tuple[str, str], ...]  # (label, CMS slug)
    facility_type: str = ""  # "" = information only (no facility on the map)
    map_age: str = ""  # the 이용연령 filter the map link and the count use
    age_basis: str = INTERNATIONAL
    note: str = ""


SERVICE_RULES: tuple[ServiceRule, ...] = (
    ServiceRule(
        key="kium",
        name=_("우리동네키움센터"),
        facility_type=FacilityType.KIUM,
        map_age=AgeGroup.ELEMENTARY,
        min_age=6,
        max_age=12,
        reason=_("초등학생(만 6~12세)이 이용할 수 있는 우리동네키움센터"),
        note=_("방과 후와 방학 중 정기돌봄, 급할 때는 일시돌봄을 이용할 수 있습니다."),
        info_pages=(
            (_("서비스 소개"), "kium/intro"),
            (_("이용안내"), "kium/guide"),
            (_("예약안내"), "reservations/guide"),
        ),
    ),
    ServiceRule(
        key="local_child",
        name=_("지역아동센터"),
        facility_type=FacilityType.LOCAL_CHILD,
        min_age=0,
        max_age=ADULT_AGE - 1,
        reason=_("18세 미만 아동이 이용할 수 있는 지역아동센터"),
        note=_("돌봄이 더 필요한 가정의 아동이 먼저 이용합니다."),
        info_pages=(
            (_("서비스 소개"), "local-child/intro"),
            (_("이용안내"), "local-child/guide"),
        ),
    ),
    ServiceRule(
        key="community",
        name=_("공동육아방·공동육아나눔터"),
        facility_type=FacilityType.COMMUNITY,
        min_age=0,
        max_age=5,
        reason=_("영유아(만 5세 이하)가 보호자와 함께 이용하는 공동육아방·공동육아나눔터"),
        note=_("대부분 무료이며 회차별로 운영합니다."),
        info_pages=(
            (_("공동육아방 소개"), "community-room/intro"),
            (_("공동육아나눔터 소개"), "sharing/intro"),
        ),
    ),
    ServiceRule(
        key="kids_cafe",
        name=_("서울형 키즈카페"),
        facility_type=FacilityType.KIDS_CAFE,
        min_age=0,
        max_age=9,
        age_basis=CALENDAR_YEAR,
        reason=_("0~9세(연 나이) 아이가 보호자와 함께 이용하는 서울형 키즈카페"),
        note=_("회차별 예약제로 운영합니다."),
        info_pages=((_("서울형 키즈카페 소개"), "kidscafe/intro"),),
    ),
    ServiceRule(
        key="school_care",
        name=_("초등돌봄교실"),
        min_age=6,
        max_age=12,
        reason=_("초등학생이 다니는 학교 안에서 운영하는 초등돌봄교실"),
        note=_("신청은 자녀가 다니는 학교로 합니다."),
        info_pages=((_("서비스 소개"), "school-care/intro"),),
    ),
    ServiceRule(
        key="youth_academy",
        name=_("청소년방과후아카데미"),
        min_age=10,
        max_age=15,
        reason=_("초등학교 고학년과 중학생(만 10~15세 무렵)을 위한 청소년방과후아카데미"),
        note=_("가까운 운영기관에 문의해 신청합니다."),
        info_pages=((_("서비스 소개"), "youth-academy/intro"),),
    ),
    ServiceRule(
        key="child_care_service",
        name=_("아이돌봄 서비스"),
        min_age=0,
        max_age=12,
        reason=_("만 12세 이하 아이의 집으로 아이돌보미가 찾아가는 아이돌봄 서비스"),
        note=_("맞벌이, 질병, 출장 등으로 돌봄 공백이 생긴 가정이 이용합니다."),
        info_pages=((_("서비스 소개"), "child-care-service/intro"),),
    ),
    ServiceRule(
        key="coordinator",
        name=_("육아지원 코디네이터"),
        min_age=0,
        max_age=5,
        reason=_("영유아 가정에 동네 육아 자원을 안내하는 육아지원 코디네이터"),
        info_pages=((_("서비스 소개"), "coordinator/intro"),),
    ),
)


def international_age(birth_date: dt.date, today: dt.date) -> int:
    """만 나이: full years since birth."""
    years = today.year - birth_date.year
    if (today.month, today.day) < (birth_date.month, birth_date.day):
        years -= 1
    return years


def calendar_year_age(birth_date: dt.date, today: dt.date) -> int:
    """연 나이: this year minus the birth year."""
    return today.year - birth_date.year


@dataclass(frozen=True)
class ChildAge:
    """A child's age as a parent gave it: a birth date, or only the 만 나이."""

    international: int
    calendar_year: int | None  # None when only the 만 나이 is known

    @classmethod
    def from_birth_date(cls, birth_date: dt.date, today: dt.date) -> ChildAge:
        return cls(international_age(birth_date, today), calendar_year_age(birth_date, today))

    @classmethod
    def from_age(cls, age: int) -> ChildAge:
        return cls(age, None)

    def stage(self) -> str:
        """The school stage the age usually means, for the page's summary."""
        age = self.international
        if age <= 2:
            return str(_("영아"))
        if age <= 5:
            return str(_("유아(유치원생 나이)"))
        if age <= 12:
            return str(_("초등학생 나이"))
        if age <= 15:
            return str(_("중학생 나이"))
        return str(_("고등학생 나이"))


@dataclass
class Suggestion:
    rule: ServiceRule
    count: int | None = None  # facilities in the district; None for information only
    map_filters: FacilityFilters | None = None
    caveats: list[str] = field(default_factory=list)


def _fits(rule: ServiceRule, age: ChildAge) -> tuple[bool, list[str]]:
    if rule.age_basis == CALENDAR_YEAR:
        if age.calendar_year is not None:
            return rule.min_age <= age.calendar_year <= rule.max_age, []
        # 만 나이 n means 연 나이 n (birthday passed this year) or n + 1 (not yet).
        if age.international + 1 <= rule.max_age:
            return rule.min_age <= age.international, []
        if age.international == rule.max_age:
            return True, [
                str(
                    _(
                        "연 나이로 따지므로 올해 생일이 아직 지나지 않았다면 이용할 수 없습니다. "
                        "생년월일을 입력하면 정확히 알려 드립니다."
                    )
                )
            ]
        return False, []
    return rule.min_age <= age.international <= rule.max_age, []


def suggestions_for(*, age: ChildAge, district: District) -> list[Suggestion]:
    """The services that fit a child of ``age`` in ``district``, in SERVICE_RULES order.

    The facility counts are operating facilities of the district that the map link
    shows (same filters), all counted in one query.
    """
    fitting: list[Suggestion] = []
    for rule in SERVICE_RULES:
        fits, caveats = _fits(rule, age)
        if not fits:
            continue
        suggestion = Suggestion(rule=rule, caveats=caveats)
        if rule.facility_type:
            suggestion.map_filters = FacilityFilters(
                district=district.code, facility_type=rule.facility_type, age=rule.map_age
            )
        fitting.append(suggestion)
    counted = [s for s in fitting if s.map_filters is not None]
    if counted:
        aggregates = {}
        for suggestion in counted:
            condition = Q(facility_type=suggestion.rule.facility_type)
            if suggestion.rule.map_age:
                condition &= age_condition(suggestion.rule.map_age)
            aggregates[suggestion.rule.key] = Count("pk", filter=condition)
        totals = Facility.objects.filter(district=district, is_operating=True).aggregate(
            **aggregates
        )
        for suggestion in counted:
            suggestion.count = totals[suggestion.rule.key]
    return fitting
