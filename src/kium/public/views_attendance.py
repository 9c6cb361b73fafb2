"""출결 확인 for guardians (ATT-4): each of the member's children, one month by day —
check-in and check-out times, absences, the facility.

Only the guardian's own children are read (``request.user.children``); another child's id
is a 404. The month is read in a fixed number of queries whatever the number of
children, facilities or days (children, care days, taps, absences).
"""

from __future__ import annotations

import datetime as dt

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from kium.attendance.domain.months import children_months
from kium.core import clock
from kium.public.views_account import guardian_required


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
