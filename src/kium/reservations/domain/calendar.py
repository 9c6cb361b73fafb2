"""Reads for the back office's 예약관리 screens (RES-6, RES-9, RES-11).

Every function takes rows or a facility the caller already fetched through the scoped
queries (``reservations_for_user`` / ``facilities_for_user``) and answers in a fixed
number of queries, whatever the number of rows: the screens list many applicants, and a
query per row would not survive a semester's intake wave.

Nothing here writes: a day nobody booked yet has no ``DayLoad`` row, and its counters
are read as the facility's current capacities with nothing taken (what ``loads_for``
would create), so a GET never creates rows.
"""

from __future__ import annotations

import calendar as pycalendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from kium.centres.domain.queries import operating_days
from kium.centres.models import OperatingPeriod, Quarter
from kium.core import clock
from kium.core.clock import SEOUL
from kium.orgs.domain.capacity import with_effective_capacity
from kium.orgs.models import Facility
from kium.reservations.domain import policy
from kium.reservations.domain.documents import missing_documents
from kium.reservations.domain.extension import ExtensionState, candidates
from kium.reservations.domain.places import capacities, full_days
from kium.reservations.enums import SINGLE_DAY_TYPES, CareType, Status
from kium.reservations.models import CentrePolicy, DayLoad, Reservation, ReservationDocument

# The place check of the application list reads three queries per facility; a page that
# mixes more facilities than this shows the check only for the first ones.
MAX_PLACE_CHECK_FACILITIES = 5
# Statuses of care that is (or was) in use: the 이용자관리 lists and the daily list.
IN_USE_STATUSES = (Status.CONFIRMED, Status.COMPLETED)
# The regular line under review: applications to decide and those waiting for a place.
REVIEW_STATUSES = (Status.PENDING, Status.WAITLISTED)


# --- filtering ------------------------------------------------------------------------


def _seoul_midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time.min, tzinfo=SEOUL)


def filter_reservations(
    rows: QuerySet[Reservation],
    *,
    facility: Facility | None = None,
    care_type: str = "",
    statuses: Iterable[str] = (),
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    basis: str = "use",
    q: str = "",
) -> QuerySet[Reservation]:
    """Narrow already-scoped rows by the list filters.

    ``basis`` "use": the day or period of care overlaps [date_from, date_to];
    "applied": the application was made within it (Seoul dates, both ends included).
    """
    if facility is not None:
        rows = rows.filter(facility=facility)
    if care_type:
        rows = rows.filter(care_type=care_type)
    statuses = [status for status in statuses if status]
    if statuses:
        rows = rows.filter(status__in=statuses)
    if basis == "applied":
        if date_from:
            rows = rows.filter(created_at__gte=_seoul_midnight(date_from))
        if date_to:
            rows = rows.filter(created_at__lt=_seoul_midnight(date_to + dt.timedelta(days=1)))
    else:
        if date_from:
            rows = rows.filter(Q(date__gte=date_from) | Q(end_date__gte=date_from))
        if date_to:
            rows = rows.filter(Q(date__lte=date_to) | Q(start_date__lte=date_to))
    q = (q or "").strip()
    if q:
        rows = rows.filter(Q(child__name__icontains=q) | Q(guardian__name__icontains=q))
    return rows


def in_review_order(rows: QuerySet[Reservation]) -> QuerySet[Reservation]:
    """The centre's priority (rank from its rules), then order of arrival (queued_at)."""
    return rows.order_by("priority_rank", "queued_at", "pk")


def newest_first(rows: QuerySet[Reservation]) -> QuerySet[Reservation]:
    return rows.order_by("-created_at", "-pk")


# --- documents --------------------------------------------------------------------------


def document_gaps(reservations: Iterable[Reservation]) -> dict[int, list[str]]:
    """RES-6 items still missing per reservation, in two queries for any number of rows.

    The rule is documents.missing_documents; only the reads are done in bulk here.
    """
    rows = list(reservations)
    if not rows:
        return {}
    uploaded: dict[int, set[str]] = defaultdict(set)
    for reservation_id, kind in ReservationDocument.objects.filter(
        reservation_id__in=[r.pk for r in rows]
    ).values_list("reservation_id", "kind"):
        uploaded[reservation_id].add(kind)
    facility_ids = {r.facility_id for r in rows if r.care_type == CareType.REGULAR}
    requires = (
        dict(
            CentrePolicy.objects.filter(facility_id__in=facility_ids).values_list(
                "facility_id", "requires_admission_documents"
            )
        )
        if facility_ids
        else {}
    )
    gaps = {}
    for r in rows:
        gaps[r.pk] = missing_documents(
            r,
            uploaded_kinds=uploaded[r.pk],
            requires_admission=requires.get(r.facility_id, True),
        )
    return gaps


# --- places -------------------------------------------------------------------------------


def _facilities_with_capacity(ids: Iterable[int]) -> dict[int, Facility]:
    return {
        f.pk: f
        for f in with_effective_capacity(Facility.objects.filter(pk__in=list(ids))).select_related(
            "profile"
        )
    }


def read_loads(facility: Facility, start: dt.date, end: dt.date) -> dict[dt.date, DayLoad]:
    """The facility's counters for every day in [start, end]; unsaved rows for new days."""
    loads = {
        load.date: load
        for load in DayLoad.objects.filter(facility_id=facility.pk, date__gte=start, date__lte=end)
    }
    shared, quota, waitlist = capacities(facility)
    day = start
    while day <= end:
        if day not in loads:
            loads[day] = DayLoad(
                facility_id=facility.pk,
                date=day,
                shared_capacity=shared,
                quota_capacity=quota,
                waitlist_capacity=waitlist,
            )
        day += dt.timedelta(days=1)
    return loads


@dataclass(frozen=True)
class PlaceCheck:
    """Whether every requested day of a regular application still has a shared place."""

    checked: bool
    days: int = 0
    full: tuple[dt.date, ...] = ()

    @property
    def ok(self) -> bool:
        return self.checked and self.days > 0 and not self.full


def place_checks(
    reservations: Iterable[Reservation], *, today: dt.date | None = None
) -> dict[int, PlaceCheck]:
    """The place check of the pending / waiting regular applications among ``reservations``.

    Per facility: its operating days over the applications' span (two queries), its
    counters (one), as the approval would see them (regular_days from today, full_days).
    """
    today = today or clock.today()
    wanted = [
        r
        for r in reservations
        if r.care_type == CareType.REGULAR
        and r.status in REVIEW_STATUSES
        and r.end_date is not None
        and r.end_date >= today
    ]
    by_facility: dict[int, list[Reservation]] = defaultdict(list)
    for r in wanted:
        by_facility[r.facility_id].append(r)
    checked_ids = list(by_facility)[:MAX_PLACE_CHECK_FACILITIES]
    facilities = _facilities_with_capacity(checked_ids) if checked_ids else {}
    result: dict[int, PlaceCheck] = {r.pk: PlaceCheck(checked=False) for r in wanted}
    for facility_id in checked_ids:
        facility = facilities.get(facility_id)
        if facility is None:
            continue
        rows = by_facility[facility_id]
        start = max(today, min(r.start_date for r in rows))
        end = max(r.end_date for r in rows)
        open_days = operating_days(facility, start, end)
        loads = read_loads(facility, start, end) if open_days else {}
        for r in rows:
            weekdays = set(r.weekdays)
            first = max(r.start_date, today)
            days = [d for d in open_days if first <= d <= r.end_date and d.weekday() in weekdays]
            result[r.pk] = PlaceCheck(
                checked=True, days=len(days), full=tuple(full_days(loads, days))
            )
    return result


# --- the day's children ------------------------------------------------------------------


@dataclass
class HourGroup:
    hour: int
    rows: list[Reservation] = field(default_factory=list)


@dataclass
class DailyUsers:
    facility: Facility
    day: dt.date
    is_open: bool
    load: DayLoad
    groups: list[HourGroup]
    rows: list[Reservation]

    @property
    def count(self) -> int:
        return len(self.rows)

    @property
    def regular_count(self) -> int:
        return sum(1 for r in self.rows if r.care_type == CareType.REGULAR)

    @property
    def single_count(self) -> int:
        return self.count - self.regular_count


def daily_rows(facility: Facility, day: dt.date) -> QuerySet[Reservation]:
    """Who is expected at ``facility`` on ``day``: single-day care of that date and
    regular care holding a place that day (a CareDay), confirmed or completed."""
    return (
        Reservation.objects.filter(facility=facility, status__in=IN_USE_STATUSES)
        .filter(
            Q(care_type__in=SINGLE_DAY_TYPES, date=day)
            | Q(care_type=CareType.REGULAR, days__date=day)
        )
        .select_related("child", "guardian")
        .distinct()
        .order_by("start_time", "child__name", "pk")
    )


def daily_users(facility: Facility, day: dt.date) -> DailyUsers:
    """The 일일 이용자관리 page: the day's children grouped by hour of arrival."""
    rows = list(daily_rows(facility, day))
    groups: dict[int, HourGroup] = {}
    for r in rows:
        groups.setdefault(r.start_time.hour, HourGroup(r.start_time.hour)).rows.append(r)
    load = read_loads(facility, day, day)[day]
    return DailyUsers(
        facility=facility,
        day=day,
        is_open=bool(operating_days(facility, day, day)),
        load=load,
        groups=[groups[hour] for hour in sorted(groups)],
        rows=rows,
    )


# --- waitlists ----------------------------------------------------------------------------


@dataclass
class DayLine:
    day: dt.date
    rows: list[tuple[int, Reservation]]


@dataclass
class Waitlists:
    days: list[DayLine]
    regular: list[tuple[int, Reservation]]
    offers: list[Reservation]


def waitlists(facility: Facility, *, today: dt.date | None = None) -> Waitlists:
    """The single-day lines per day (arrival order) and the regular line (priority order),
    with the open offers; three queries."""
    today = today or clock.today()
    single = (
        Reservation.objects.filter(
            facility=facility,
            care_type__in=SINGLE_DAY_TYPES,
            status=Status.WAITLISTED,
            date__gte=today,
        )
        .select_related("child", "guardian")
        .order_by("date", "queued_at", "pk")
    )
    lines: dict[dt.date, list[tuple[int, Reservation]]] = {}
    for r in single:
        line = lines.setdefault(r.date, [])
        line.append((len(line) + 1, r))
    regular = in_review_order(
        Reservation.objects.filter(
            facility=facility, care_type=CareType.REGULAR, status=Status.WAITLISTED
        ).select_related("child", "guardian")
    )
    offers = (
        Reservation.objects.filter(facility=facility, status=Status.OFFERED)
        .select_related("child", "guardian")
        .order_by("offer_expires_at", "pk")
    )
    return Waitlists(
        days=[DayLine(day, rows) for day, rows in sorted(lines.items())],
        regular=list(enumerate(regular, start=1)),
        offers=list(offers),
    )


# --- capacity calendar --------------------------------------------------------------------


@dataclass(frozen=True)
class DayCell:
    day: dt.date
    is_open: bool
    load: DayLoad
    is_today: bool

    @property
    def shared_full(self) -> bool:
        return self.load.shared_free <= 0

    @property
    def quota_full(self) -> bool:
        return self.load.quota_free <= 0


@dataclass
class MonthGrid:
    facility: Facility
    year: int
    month: int
    weeks: list[list[DayCell | None]]

    @property
    def first(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    @property
    def previous(self) -> dt.date:
        return (self.first - dt.timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> dt.date:
        return (self.first + dt.timedelta(days=32)).replace(day=1)


def month_grid(facility: Facility, year: int, month: int) -> MonthGrid:
    """A month of the facility's places, weeks from Sunday (as Korean calendars print)."""
    first = dt.date(year, month, 1)
    last = dt.date(year, month, pycalendar.monthrange(year, month)[1])
    open_days = set(operating_days(facility, first, last))
    loads = read_loads(facility, first, last)
    today = clock.today()
    weeks = []
    for week in pycalendar.Calendar(firstweekday=6).monthdatescalendar(year, month):
        weeks.append(
            [
                DayCell(day, day in open_days, loads[day], day == today)
                if day.month == month
                else None
                for day in week
            ]
        )
    return MonthGrid(facility=facility, year=year, month=month, weeks=weeks)


# --- extension ------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExtensionRow:
    reservation: Reservation
    state: ExtensionState


def extension_rows(*, facility: Facility, quarter: Quarter) -> list[ExtensionRow]:
    """이용기간 연장관리: the candidates of ``quarter`` with their state, in three queries.

    The same answer as extension.state_of for each row (tests/reservations keep them
    equal); state_of costs three queries a row.
    """
    rows = list(candidates(facility=facility, quarter=quarter))
    if not rows:
        return []
    ends = [r.end_date for r in rows]
    quarters = list(Quarter.objects.filter(start__lte=max(ends), end__gte=min(ends)))
    period_ends: dict[int, set[dt.date]] = {q.pk: {q.end} for q in quarters}
    for quarter_id, end in OperatingPeriod.objects.filter(
        facility_id=facility.pk, quarter__in=quarters
    ).values_list("quarter_id", "end"):
        period_ends[quarter_id].add(end)
    result = []
    for r in rows:
        ending = next((q for q in quarters if q.start <= r.end_date <= q.end), None)
        cutoff = policy.extension_cutoff(ending.end) if ending else None
        result.append(ExtensionRow(r, _extension_state(r, ending, period_ends, cutoff)))
    return result


def _extension_state(r: Reservation, ending, period_ends, cutoff) -> ExtensionState:
    extension = getattr(r, "extension", None)
    if extension is not None and extension.status == Status.CONFIRMED:
        return ExtensionState("extended", _("연장 완료"), cutoff)
    if extension is not None and extension.status in (Status.WAITLISTED, Status.PENDING):
        return ExtensionState("waiting", _("연장 대기(정원 초과)"), cutoff)
    extendable = (
        r.care_type == CareType.REGULAR
        and r.status in IN_USE_STATUSES
        and ending is not None
        and r.end_date in period_ends.get(ending.pk, set())
    )
    if not extendable:
        return ExtensionState("not_extendable", _("연장 대상 아님"), cutoff)
    if r.extension_stopped_at:
        return ExtensionState("stopped", _("보호자 연장 중단"), cutoff)
    return ExtensionState("continuing", _("자동 연장 예정"), cutoff)


def quarter_for_day(day: dt.date) -> Quarter | None:
    """The quarter containing ``day``, else the next one to start."""
    found = Quarter.objects.filter(start__lte=day, end__gte=day).first()
    return found or Quarter.objects.filter(start__gt=day).order_by("start").first()


def centre_may_extend(quarter: Quarter, *, today: dt.date | None = None) -> bool:
    """The centre extends (one row or all) only after the guardians' cut-off has passed:
    until then each guardian may still stop the continuation (Seoul's rule since 2025)."""
    today = today or clock.today()
    return today > policy.extension_cutoff(quarter.end)
