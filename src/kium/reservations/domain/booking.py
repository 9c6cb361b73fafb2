"""Creating reservations: single-day bookings (일시돌봄, 아픈아이 돌봄) and regular-care
applications (정기돌봄), online by a guardian or offline by centre staff (RES-1…8).

The checks that need no lock run first; the place itself is taken under the facility's
lock in one transaction (lock, check, write — DESIGN rule 4).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Q
from django.utils.translation import gettext as _

from kium.centres.domain.holidays import public_holidays
from kium.centres.models import ClosedDay, FacilityProfile, OperatingPeriod
from kium.core import batch, clock
from kium.core.audit import log_action, snapshot
from kium.core.batch import batched_writes
from kium.core.notify import notify
from kium.orgs.enums import FacilityKind, FacilityType
from kium.orgs.models import Facility
from kium.reservations.domain import errors, facts, policy
from kium.reservations.domain.errors import ReservationError
from kium.reservations.domain.facts import DayFacts
from kium.reservations.domain.places import (
    facility_lock,
    hold_days,
    load_and_new_id,
    pool_for_single_day,
    save_loads,
)
from kium.reservations.enums import (
    ACTIVE_STATUSES,
    CareType,
    Source,
    Status,
)
from kium.reservations.models import CentrePolicy, Reservation

SATURDAY, SUNDAY = 5, 6


@dataclass
class Consents:
    """RES-6 ①–③ given online (time of consent) at application time."""

    privacy: bool = False
    pickup: bool = False


@dataclass
class Household:
    dual_earner: bool = False
    single_parent: bool = False
    many_children: bool = False
    complex_resident: bool = False

    def as_dict(self) -> dict[str, bool]:
        return {
            "dual_earner": self.dual_earner,
            "single_parent": self.single_parent,
            "many_children": self.many_children,
            "complex_resident": self.complex_resident,
        }


@dataclass
class SickCare:
    symptoms: str = ""
    clinic_escort_consent: bool = False
    reachable_phone: str = ""


@dataclass
class Request:
    """What was asked for, whoever asks (the API, the guardian's pages, centre staff)."""

    facility: Facility
    child: object
    care_type: str
    start_time: dt.time
    end_time: dt.time
    date: dt.date | None = None
    start_date: dt.date | None = None
    end_date: dt.date | None = None
    weekdays: list[int] = field(default_factory=list)
    household: Household = field(default_factory=Household)
    consents: Consents = field(default_factory=Consents)
    sick: SickCare = field(default_factory=SickCare)
    note: str = ""


def bookable_facility(code: str) -> Facility | None:
    """The facility with its capacity and profile in one query (the booking hot path)."""
    return facts.facility_and_child(code)[0]


def facility_and_child(
    code: str, child_id: int, guardian, day: dt.date | None = None
) -> tuple[Facility | None, object]:
    """The facility as ``bookable_facility`` gives it and the guardian's own child
    ``child_id`` (None when there is no such child or it is not theirs), in one query;
    with ``day``, that query also reads the day for ``check_single_day``."""
    return facts.facility_and_child(code, child_id, guardian.pk, day)


# --- checks ---------------------------------------------------------------------------


def _profile(facility: Facility) -> FacilityProfile | None:
    try:
        return facility.profile
    except FacilityProfile.DoesNotExist:
        return None


def check_care_type(facility: Facility, care_type: str) -> None:
    """RES-1/3: which facilities take which care through this engine."""
    offered = facility.facility_type == FacilityType.KIUM and facility.is_operating
    if offered and care_type == CareType.REGULAR:
        offered = facility.kind != FacilityKind.HUB
    if offered and care_type == CareType.SICK:
        profile = _profile(facility)
        offered = bool(profile and profile.sick_child_care)
    if not offered:
        messages = {
            CareType.REGULAR: _("이 시설은 정기돌봄을 받지 않습니다."),
            CareType.TEMPORARY: _("이 시설은 일시돌봄을 받지 않습니다."),
            CareType.SICK: _("이 시설은 아픈아이 돌봄을 제공하지 않습니다."),
        }
        raise ReservationError(
            errors.CARE_TYPE_NOT_OFFERED, messages.get(care_type, messages[CareType.TEMPORARY])
        )


def _periods_over(facility: Facility, start: dt.date, end: dt.date) -> list[OperatingPeriod]:
    return list(
        OperatingPeriod.objects.filter(facility=facility, start__lte=end, end__gte=start).order_by(
            "start"
        )
    )


def _closed_on(facility: Facility, start: dt.date, end: dt.date) -> set[dt.date]:
    closed = set(
        ClosedDay.objects.filter(
            Q(facility=facility) | Q(facility__isnull=True), date__gte=start, date__lte=end
        ).values_list("date", flat=True)
    )
    for year in range(start.year, end.year + 1):
        closed.update(day for day in public_holidays(year) if start <= day <= end)
    return closed


def _hours_on(period: OperatingPeriod, day: dt.date) -> tuple[dt.time | None, dt.time | None]:
    if day.weekday() == SATURDAY:
        return period.saturday_open_time, period.saturday_close_time
    return period.open_time, period.close_time


def check_single_day(request: Request, today: dt.date, *, child_id: int | None = None) -> DayFacts:
    """RES-5: today … today + 14, an operating day, within that day's hours.

    Reads the day in one query (``facts.day_facts``); with ``child_id`` that query also
    answers whether the child already has a live booking there that day (``duplicate``).
    """
    day = request.date
    if day is None:
        raise ReservationError(errors.INVALID_REQUEST, _("이용일을 선택해 주세요."), "date")
    if not policy.in_temporary_window(day, today):
        raise ReservationError(
            errors.OUTSIDE_BOOKING_WINDOW,
            _("일시돌봄은 오늘부터 14일 뒤까지 예약할 수 있습니다."),
            "date",
        )
    found = facts.day_facts(request.facility, day, child_id)
    if day.weekday() == SATURDAY:
        open_time, close_time = found.saturday_open_time, found.saturday_close_time
    else:
        open_time, close_time = found.open_time, found.close_time
    if (
        found.period_id is None
        or day.weekday() == SUNDAY
        or open_time is None
        or found.closed_day
        or day in public_holidays(day.year)
    ):
        raise ReservationError(
            errors.NOT_OPERATING_DAY, _("선택한 날은 센터가 운영하지 않는 날입니다."), "date"
        )
    if not policy.within_hours(request.start_time, request.end_time, open_time, close_time):
        raise ReservationError(
            errors.OUTSIDE_HOURS,
            _("이용시간은 그날 운영시간(%(open)s~%(close)s) 안에서 선택해 주세요.")
            % {"open": f"{open_time:%H:%M}", "close": f"{close_time:%H:%M}"},
            "start_time",
        )
    return found


def check_regular(request: Request, today: dt.date) -> list[dt.date]:
    """RES-1/5: ≥ 30 days from today on, chosen weekdays, inside operating periods.

    Returns the operating days the care would use.
    """
    start, end = request.start_date, request.end_date
    if start is None or end is None or start > end:
        raise ReservationError(
            errors.INVALID_REQUEST, _("이용 시작일과 종료일을 확인해 주세요."), "start_date"
        )
    weekdays = sorted(set(request.weekdays))
    if not weekdays or any(day not in range(7) for day in weekdays):
        raise ReservationError(errors.INVALID_REQUEST, _("이용 요일을 선택해 주세요."), "weekdays")
    if start < today or (end - start).days >= policy.REGULAR_MAX_DAYS:
        raise ReservationError(
            errors.OUTSIDE_BOOKING_WINDOW,
            _("정기돌봄은 오늘부터 시작할 수 있고 1년 안의 기간만 신청할 수 있습니다."),
            "start_date",
        )
    if not policy.regular_length_ok(start, end):
        raise ReservationError(
            errors.TOO_SHORT, _("정기돌봄은 30일 이상 신청해야 합니다."), "end_date"
        )
    periods = _periods_over(request.facility, start, end)
    covered = [p for p in periods if p.start <= start <= p.end] and [
        p for p in periods if p.start <= end <= p.end
    ]
    closed = _closed_on(request.facility, start, end)
    days = [
        day
        for day in policy.dates_on_weekdays(start, end, weekdays)
        if day not in closed and _open_in(periods, day)
    ]
    if not covered or not days:
        raise ReservationError(
            errors.NOT_OPERATING_DAY,
            _("신청 기간은 센터의 운영기간 안이어야 하고, 선택한 요일에 운영일이 있어야 합니다."),
            "start_date",
        )
    for period in periods:
        for weekday in weekdays:
            if weekday == SUNDAY:
                continue
            open_time, close_time = (
                (period.saturday_open_time, period.saturday_close_time)
                if weekday == SATURDAY
                else (period.open_time, period.close_time)
            )
            if open_time is None:
                continue
            if not policy.within_hours(request.start_time, request.end_time, open_time, close_time):
                raise ReservationError(
                    errors.OUTSIDE_HOURS,
                    _("이용시간은 운영시간(%(open)s~%(close)s) 안에서 선택해 주세요.")
                    % {"open": f"{open_time:%H:%M}", "close": f"{close_time:%H:%M}"},
                    "start_time",
                )
    return days


def _open_in(periods: list[OperatingPeriod], day: dt.date) -> bool:
    for period in periods:
        if period.start <= day <= period.end:
            open_time, _close = _hours_on(period, day)
            return day.weekday() != SUNDAY and open_time is not None
    return False


def check_child(request: Request, guardian) -> None:
    if request.child is None or request.child.guardian_id != guardian.pk:
        raise ReservationError(errors.NOT_FOUND, _("아동을 찾을 수 없습니다."), "child")


def check_sick(request: Request) -> None:
    sick = request.sick
    if not sick.symptoms.strip():
        raise ReservationError(errors.INVALID_REQUEST, _("증상을 적어 주세요."), "symptoms")
    if not sick.reachable_phone.strip():
        raise ReservationError(
            errors.INVALID_REQUEST, _("연락 가능한 전화번호를 적어 주세요."), "reachable_phone"
        )


def _check_not_duplicate_day(request: Request, day: DayFacts | None = None) -> None:
    if day is not None and day.duplicate is not None:
        taken = day.duplicate
    else:
        taken = (
            Reservation.objects.filter(
                child=request.child, facility=request.facility, status__in=ACTIVE_STATUSES
            )
            .filter(Q(date=request.date) | Q(days__date=request.date))
            .exists()
        )
    if taken:
        raise ReservationError(
            errors.DUPLICATE, _("이 아동은 그날 이 센터에 이미 예약이 있습니다."), "date"
        )


def _check_not_duplicate_regular(request: Request) -> None:
    taken = Reservation.objects.filter(
        child=request.child,
        facility=request.facility,
        care_type=CareType.REGULAR,
        status__in=ACTIVE_STATUSES,
        start_date__lte=request.end_date,
        end_date__gte=request.start_date,
    )
    if taken.exists():
        raise ReservationError(
            errors.DUPLICATE,
            _("이 아동은 같은 기간에 이 센터의 정기돌봄 신청이 이미 있습니다."),
            "start_date",
        )


# --- creation ---------------------------------------------------------------------------


def _base_fields(request: Request, *, guardian, actor, source: str, now) -> dict:
    profile = _profile(request.facility)
    regular = request.care_type == CareType.REGULAR
    fee = None
    if profile is not None:
        fee = profile.monthly_fee if regular else profile.daily_fee
        if request.care_type == CareType.SICK:
            fee = None  # parents pay only the medical bills (DOMAIN.md)
    return {
        "facility": request.facility,
        "child": request.child,
        "guardian": guardian,
        "care_type": request.care_type,
        "source": source,
        "start_time": request.start_time,
        "end_time": request.end_time,
        "application_submitted_at": now,
        "privacy_consent_at": now if request.consents.privacy else None,
        "pickup_consent_at": now if request.consents.pickup else None,
        "fee_amount": fee,
        "note": request.note[:500],
        "created_by": actor if getattr(actor, "is_authenticated", False) else None,
        **request.household.as_dict(),
    }


@dataclass(frozen=True)
class Booked:
    reservation: Reservation
    waitlist_position: int | None


def book_single_day(*, actor, guardian, request: Request, source: str = Source.ONLINE) -> Booked:
    """일시돌봄 / 아픈아이 돌봄: a place at once if one is free, else the day's waitlist.

    Shared capacity first, then the temporary quota (RES-3); the waitlist holds at most
    2 × capacity (RES-8); beyond that ``full``. In the centre's review mode the booking
    is ``pending`` but holds its place all the same.
    """
    today = clock.today()
    check_child(request, guardian)
    check_care_type(request.facility, request.care_type)
    if request.care_type == CareType.SICK:
        check_sick(request)
    day = check_single_day(request, today, child_id=request.child.pk)
    _check_not_duplicate_day(request, day)
    profile = _profile(request.facility)
    now = clock.now()
    fields = _base_fields(request, guardian=guardian, actor=actor, source=source, now=now)
    fields.update(
        date=request.date,
        symptoms=request.sick.symptoms[:500],
        clinic_escort_consent=request.sick.clinic_escort_consent,
        reachable_phone=request.sick.reachable_phone[:20],
    )
    with facility_lock(request.facility.pk):
        loads, new_id = load_and_new_id(request.facility, request.date, Reservation)
        load = loads[request.date]
        pool = pool_for_single_day(load)
        if pool is not None:
            status = Status.PENDING if profile and profile.temporary_review else Status.CONFIRMED
            reservation = Reservation(id=new_id, status=status, pool=pool, **fields)
        elif load.waitlisted < load.waitlist_capacity:
            reservation = Reservation(id=new_id, status=Status.WAITLISTED, queued_at=now, **fields)
            load.waitlisted += 1
        else:
            raise ReservationError(
                errors.FULL, _("그날은 정원과 대기 인원이 모두 찼습니다."), "date"
            )
        if new_id is None:
            reservation.save(force_insert=True)
        # The reservation (its id drawn already), care day, counters, audit entry and
        # outbox row: one round trip on PostgreSQL (core/batch.py).
        with batched_writes():
            if new_id is not None:
                batch.insert(reservation)
            if pool is not None:
                hold_days(reservation, loads, {request.date: pool})
            save_loads([load])
            _record_creation(reservation, actor=actor)
        position = load.waitlisted if reservation.status == Status.WAITLISTED else None
    return Booked(reservation, position)


def apply_regular(*, actor, guardian, request: Request, source: str = Source.ONLINE) -> Booked:
    """정기돌봄 신청: waits for the centre's review (no place is taken yet)."""
    today = clock.today()
    check_child(request, guardian)
    check_care_type(request.facility, CareType.REGULAR)
    check_regular(request, today)
    _check_not_duplicate_regular(request)
    now = clock.now()
    centre_policy = CentrePolicy.objects.filter(facility=request.facility).first()
    rules = centre_policy.priority_rules if centre_policy else CentrePolicy().priority_rules
    rank = policy.priority_rank(
        rules, grade=request.child.grade, household=request.household.as_dict()
    )
    fields = _base_fields(request, guardian=guardian, actor=actor, source=source, now=now)
    fields.update(
        start_date=request.start_date,
        end_date=request.end_date,
        weekdays=sorted(set(request.weekdays)),
        queued_at=now,
        priority_rank=rank,
    )
    with facility_lock(request.facility.pk):
        reservation = Reservation.objects.create(status=Status.PENDING, **fields)
        _record_creation(reservation, actor=actor)
    return Booked(reservation, None)


def _record_creation(reservation: Reservation, *, actor) -> None:
    log_action(
        actor=actor,
        action="reservation.create",
        obj=reservation,
        after=snapshot(
            reservation,
            [
                "facility",
                "child",
                "care_type",
                "status",
                "source",
                "date",
                "start_date",
                "end_date",
                "weekdays",
                "start_time",
                "end_time",
                "pool",
            ],
        ),
    )
    notify(
        f"reservation.{reservation.status}",
        reservation.guardian,
        {
            "reservation": reservation.pk,
            "facility": reservation.facility_id,
            "care_type": reservation.care_type,
        },
    )
