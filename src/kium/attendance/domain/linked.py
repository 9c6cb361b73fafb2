"""연계돌봄 (ATT-3) reads: children who used a facility in the user's scope, and one
child's month and 12-month summary at every such facility (a fixed number of queries)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from kium.accounts.models import Child
from kium.attendance.domain.queries import MonthDay, absences_for_user, taps_for_user
from kium.attendance.domain.taps import CARE_STATUSES
from kium.orgs.domain.scope import scope_for
from kium.reservations.domain.queries import reservations_for_user
from kium.reservations.models import CareDay

SUMMARY_MONTHS = 12


def linked_children_for_user(user):
    """Children with a reservation or a tap at a facility in the user's scope."""
    if scope_for(user).is_empty:
        return Child.objects.none()
    reserved = reservations_for_user(user).values("child_id")
    tapped = taps_for_user(user).filter(child__isnull=False).values("child_id")
    return Child.objects.filter(Q(pk__in=reserved) | Q(pk__in=tapped))


def linked_month(user, child, first: dt.date) -> list[dict]:
    """The month at each facility in scope: [{facility, days: [MonthDay]}]. Three queries."""
    last = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    scope = scope_for(user)
    facilities: dict[int, object] = {}
    expected: set[tuple[int, dt.date]] = set()
    for care in CareDay.objects.filter(
        scope.facility_q("facility__"),
        reservation__child=child,
        reservation__status__in=CARE_STATUSES,
        date__gte=first,
        date__lt=last,
    ).select_related("facility"):
        facilities[care.facility_id] = care.facility
        expected.add((care.facility_id, care.date))
    taps: dict[tuple[int, dt.date], list] = {}
    for tap in (
        taps_for_user(user)
        .filter(child=child, day__gte=first, day__lt=last)
        .order_by("tapped_at", "pk")
    ):
        facilities[tap.facility_id] = tap.facility
        taps.setdefault((tap.facility_id, tap.day), []).append(tap)
    absences = {}
    for absence in absences_for_user(user).filter(child=child, day__gte=first, day__lt=last):
        facilities[absence.facility_id] = absence.facility
        absences[(absence.facility_id, absence.day)] = absence
    groups: dict[int, list[MonthDay]] = {}
    for key in sorted(expected | set(taps) | set(absences), key=lambda k: (k[1], k[0])):
        groups.setdefault(key[0], []).append(
            MonthDay(
                day=key[1],
                expected=key in expected,
                taps=taps.get(key, []),
                absence=absences.get(key),
            )
        )
    ordered = sorted(groups, key=lambda pk: (facilities[pk].name, pk))
    return [{"facility": facilities[pk], "days": groups[pk]} for pk in ordered]


def linked_summary(user, child, first: dt.date) -> list[dict]:
    """Attended and absent days per month per facility, the 12 months up to ``first``."""
    start = first
    for _step in range(SUMMARY_MONTHS - 1):
        start = (start - dt.timedelta(days=1)).replace(day=1)
    end = (first.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
    cells: dict[tuple[dt.date, int], dict] = {}

    def cell(month, facility_id, facility_name):
        return cells.setdefault(
            (month, facility_id),
            {"month": month, "facility": facility_name, "attended": 0, "absent": 0},
        )

    attended = (
        taps_for_user(user)
        .filter(child=child, day__gte=start, day__lt=end, voided_at__isnull=True)
        .annotate(month=TruncMonth("day"))
        .values("month", "facility_id", "facility__name")
        .annotate(days=Count("day", distinct=True))
    )
    for row in attended:
        cell(row["month"], row["facility_id"], row["facility__name"])["attended"] = row["days"]
    absent = (
        absences_for_user(user)
        .filter(child=child, day__gte=start, day__lt=end)
        .annotate(month=TruncMonth("day"))
        .values("month", "facility_id", "facility__name")
        .annotate(days=Count("pk"))
    )
    for row in absent:
        cell(row["month"], row["facility_id"], row["facility__name"])["absent"] = row["days"]
    return sorted(cells.values(), key=lambda c: (c["month"], c["facility"]), reverse=True)
