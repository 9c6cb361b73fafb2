"""A month of attendance per child (ATT-4, the guardian's page): care days, taps and
absences read in bulk, three queries whatever the number of children or facilities."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from kium.attendance.domain.queries import MonthDay
from kium.attendance.domain.taps import CARE_STATUSES
from kium.attendance.models import Absence, Tap
from kium.reservations.models import CareDay


@dataclass
class ChildMonth:
    child: object
    rows: list[tuple[object, MonthDay]] = field(default_factory=list)

    @property
    def attended(self) -> int:
        return sum(1 for _facility, day in self.rows if day.live)

    @property
    def absent(self) -> int:
        return sum(1 for _facility, day in self.rows if day.absence is not None)


def _month_bounds(first: dt.date) -> tuple[dt.date, dt.date]:
    return first, (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def children_months(children: list, first: dt.date) -> list[ChildMonth]:
    """The month of each child: one row per (facility, day) with care, a tap or an
    absence, ordered by day then facility name. Three queries whatever the size."""
    start, end = _month_bounds(first)
    ids = [child.pk for child in children]
    expected: set[tuple[int, int, dt.date]] = set()
    facilities: dict[int, object] = {}
    for care in CareDay.objects.filter(
        reservation__child_id__in=ids,
        reservation__status__in=CARE_STATUSES,
        date__gte=start,
        date__lt=end,
    ).select_related("facility", "reservation"):
        facilities[care.facility_id] = care.facility
        expected.add((care.reservation.child_id, care.facility_id, care.date))
    taps: dict[tuple[int, int, dt.date], list[Tap]] = {}
    for tap in (
        Tap.objects.filter(child_id__in=ids, day__gte=start, day__lt=end)
        .select_related("facility")
        .order_by("tapped_at", "pk")
    ):
        facilities[tap.facility_id] = tap.facility
        taps.setdefault((tap.child_id, tap.facility_id, tap.day), []).append(tap)
    absences: dict[tuple[int, int, dt.date], Absence] = {}
    for absence in Absence.objects.filter(
        child_id__in=ids, day__gte=start, day__lt=end
    ).select_related("facility"):
        facilities[absence.facility_id] = absence.facility
        absences[(absence.child_id, absence.facility_id, absence.day)] = absence
    months = {child.pk: ChildMonth(child=child) for child in children}
    keys = sorted(
        expected | set(taps) | set(absences),
        key=lambda k: (k[2], facilities[k[1]].name, k[1]),
    )
    for key in keys:
        child_id, facility_id, day = key
        months[child_id].rows.append(
            (
                facilities[facility_id],
                MonthDay(
                    day=day,
                    expected=key in expected,
                    taps=taps.get(key, []),
                    absence=absences.get(key),
                ),
            )
        )
    return [months[child.pk] for child in children]
