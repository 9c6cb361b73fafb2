"""Reads for 출결관리 and RF카드관리: every query starts from the user's scope."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import QuerySet

from kium.accounts.models import Child
from kium.attendance.domain.taps import CARE_STATUSES
from kium.attendance.enums import TapEvent
from kium.attendance.models import Absence, Reader, RfCard, Tap
from kium.orgs.domain.scope import scope_for
from kium.reservations.enums import Status
from kium.reservations.models import CareDay

# A child "belongs" to a facility for card registration when a reservation there is live
# or done (not a rejected, cancelled or lapsed application).
CARD_RESERVATION_STATUSES = (
    Status.PENDING,
    Status.CONFIRMED,
    Status.OFFERED,
    Status.WAITLISTED,
    Status.COMPLETED,
)


def readers_for_user(user) -> QuerySet[Reader]:
    scope = scope_for(user)
    if scope.is_empty:
        return Reader.objects.none()
    return Reader.objects.filter(scope.facility_q("facility__")).select_related("facility")


def cards_for_user(user) -> QuerySet[RfCard]:
    scope = scope_for(user)
    if scope.is_empty:
        return RfCard.objects.none()
    return RfCard.objects.filter(scope.facility_q("facility__")).select_related(
        "facility", "child", "registered_by", "retired_by", "replaced_by"
    )


def taps_for_user(user) -> QuerySet[Tap]:
    scope = scope_for(user)
    if scope.is_empty:
        return Tap.objects.none()
    return Tap.objects.filter(scope.facility_q("facility__")).select_related(
        "facility", "child", "reader", "staff"
    )


def absences_for_user(user) -> QuerySet[Absence]:
    scope = scope_for(user)
    if scope.is_empty:
        return Absence.objects.none()
    return Absence.objects.filter(scope.facility_q("facility__")).select_related(
        "facility", "child"
    )


def children_at(facility) -> QuerySet[Child]:
    """Children with a live or completed reservation at ``facility``."""
    return (
        Child.objects.filter(
            reservations__facility=facility,
            reservations__status__in=CARD_RESERVATION_STATUSES,
        )
        .distinct()
        .order_by("name", "pk")
    )


@dataclass
class ChildDay:
    child: Child
    expected: bool = False
    start_time: dt.time | None = None
    end_time: dt.time | None = None
    taps: list[Tap] = field(default_factory=list)
    absence: Absence | None = None

    @property
    def live(self) -> list[Tap]:
        return [t for t in self.taps if t.voided_at is None]

    @property
    def check_in(self) -> dt.datetime | None:
        return next((t.tapped_at for t in self.live if t.event == TapEvent.CHECK_IN), None)

    @property
    def check_out(self) -> dt.datetime | None:
        outs = [t.tapped_at for t in self.live if t.event == TapEvent.CHECK_OUT]
        return outs[-1] if outs else None

    @property
    def present(self) -> bool:
        """Checked in and not (yet) out: the last live tap is a check-in."""
        live = self.live
        return bool(live) and live[-1].event == TapEvent.CHECK_IN

    @property
    def flagged(self) -> bool:
        return any(t.flagged_no_care for t in self.live)


@dataclass
class DaySheet:
    facility: object
    day: dt.date
    rows: list[ChildDay]
    unknown: list[Tap]

    @property
    def expected_count(self) -> int:
        return sum(1 for r in self.rows if r.expected)

    @property
    def arrived_count(self) -> int:
        return sum(1 for r in self.rows if r.live)

    @property
    def absent_count(self) -> int:
        return sum(1 for r in self.rows if r.absence is not None)


def day_sheet(facility, day: dt.date) -> DaySheet:
    """출결관리 for one facility and day: each expected child (a care day that day) with
    taps and absence, then children who tapped without care (flagged), then unknown
    cards. Four queries whatever the size."""
    rows: dict[int, ChildDay] = {}
    care_days = (
        CareDay.objects.filter(facility=facility, date=day, reservation__status__in=CARE_STATUSES)
        .select_related("reservation__child")
        .order_by("reservation__start_time", "reservation__child__name", "pk")
    )
    for care in care_days:
        reservation = care.reservation
        row = rows.setdefault(reservation.child_id, ChildDay(child=reservation.child))
        row.expected = True
        if row.start_time is None or reservation.start_time < row.start_time:
            row.start_time = reservation.start_time
        if row.end_time is None or reservation.end_time > row.end_time:
            row.end_time = reservation.end_time
    unknown: list[Tap] = []
    taps = (
        Tap.objects.filter(facility=facility, day=day)
        .select_related("child", "reader", "staff")
        .order_by("tapped_at", "pk")
    )
    for tap in taps:
        if tap.child_id is None:
            unknown.append(tap)
            continue
        rows.setdefault(tap.child_id, ChildDay(child=tap.child)).taps.append(tap)
    for absence in Absence.objects.filter(facility=facility, day=day).select_related("child"):
        rows.setdefault(absence.child_id, ChildDay(child=absence.child)).absence = absence
    ordered = sorted(
        rows.values(),
        key=lambda r: (not r.expected, r.start_time or dt.time.max, r.child.name, r.child.pk),
    )
    return DaySheet(facility=facility, day=day, rows=ordered, unknown=unknown)


@dataclass
class MonthDay:
    day: dt.date
    expected: bool
    taps: list[Tap]
    absence: Absence | None

    @property
    def live(self) -> list[Tap]:
        return [t for t in self.taps if t.voided_at is None]

    @property
    def check_in(self):
        return next((t.tapped_at for t in self.live if t.event == TapEvent.CHECK_IN), None)

    @property
    def check_out(self):
        outs = [t.tapped_at for t in self.live if t.event == TapEvent.CHECK_OUT]
        return outs[-1] if outs else None


def child_month(child, facility, first: dt.date) -> list[MonthDay]:
    """One child's month at one facility: each day with care, a tap or an absence."""
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    expected = set(
        CareDay.objects.filter(
            facility=facility,
            date__gte=first,
            date__lt=last,
            reservation__child=child,
            reservation__status__in=CARE_STATUSES,
        ).values_list("date", flat=True)
    )
    taps: dict[dt.date, list[Tap]] = {}
    for tap in (
        Tap.objects.filter(child=child, facility=facility, day__gte=first, day__lt=last)
        .select_related("reader", "staff")
        .order_by("tapped_at", "pk")
    ):
        taps.setdefault(tap.day, []).append(tap)
    absences = {
        a.day: a
        for a in Absence.objects.filter(
            child=child, facility=facility, day__gte=first, day__lt=last
        )
    }
    days = sorted(expected | set(taps) | set(absences))
    return [
        MonthDay(day=d, expected=d in expected, taps=taps.get(d, []), absence=absences.get(d))
        for d in days
    ]
