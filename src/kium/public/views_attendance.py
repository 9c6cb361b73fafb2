"""출결 확인 for guardians (ATT-4): each of the member's children, one month by day —
check-in and check-out times, absences, the facility.

Only the guardian's own children are read (``request.user.children``); another child's id
is a 404. The month is read in a fixed number of queries whatever the number of
children, facilities or days (children, care days, taps, absences).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kium.attendance.domain.queries import MonthDay
from kium.attendance.domain.taps import CARE_STATUSES
from kium.attendance.models import Absence, Tap
from kium.core import clock
from kium.public.views_account import guardian_required
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


def _parse_month(value: str) -> dt.date | None:
    try:
        parsed = dt.datetime.strptime(value, "%Y-%m").date()
    except ValueError:
        return None
    return parsed if 2000 <= parsed.year <= 2100 else None


@guardian_required
@require_GET
def attendance(request: HttpRequest) -> HttpResponse:
    this_month = clock.today().replace(day=1)
    raw_month = request.GET.get("month", "").strip()
    error = ""
    first = this_month
    if raw_month:
        parsed = _parse_month(raw_month)
        if parsed is None:
            error = _("월을 YYYY-MM 형식으로 입력해 주세요.")
        else:
            first = parsed
    children = list(request.user.children.order_by("birth_date", "pk"))
    raw_child = request.GET.get("child", "").strip()
    selected = None
    if raw_child:
        selected = next((c for c in children if str(c.pk) == raw_child), None)
        if selected is None:
            raise Http404(_("자녀를 찾을 수 없습니다."))
    shown = [selected] if selected is not None else children
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    context = {
        "children": children,
        "selected": selected,
        "months": children_months(shown, first) if shown else [],
        "first": first,
        "month_value": raw_month if error else f"{first:%Y-%m}",
        "error": error,
        "previous_month": f"{previous:%Y-%m}",
        "next_month": f"{following:%Y-%m}" if following <= this_month else "",
        "is_this_month": first == this_month,
        "this_month": f"{this_month:%Y-%m}",
    }
    return render(request, "public/attendance/month.html", context, status=400 if error else 200)
