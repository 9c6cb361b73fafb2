"""예약관리 > 이용자관리 per care type, 일일 이용자관리, 대기 현황 and 정원 달력 (RES-8,
RES-11). Reads only: every list is scoped, fixed in its number of queries, and leaves one
access record per page view when it shows people.
"""

from __future__ import annotations

import datetime as dt

from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kium.backoffice.decorators import backoffice_view, forbidden
from kium.backoffice.views_common import PER_PAGE_CHOICES, nav, paginate, reasoned_download
from kium.backoffice.views_reservations import (
    facility_out_of_scope,
    record_list_access,
    side_menu,
)
from kium.core import clock
from kium.orgs.domain.scope import has_menu
from kium.reservations.domain.calendar import (
    daily_users,
    filter_reservations,
    month_grid,
    waitlists,
)
from kium.reservations.domain.exports import daily_workbook, users_workbook
from kium.reservations.domain.queries import reservations_for_user
from kium.reservations.enums import CareType
from kium.reservations.forms import (
    CalendarForm,
    DailyForm,
    FacilityPickForm,
    UserFilterForm,
    kium_facilities,
)

USERS_MENUS = {
    CareType.REGULAR: "reservations.regular",
    CareType.TEMPORARY: "reservations.temporary",
    CareType.SICK: "reservations.sick",
}
DAILY_MENU = "reservations.daily"
# 대기 현황 and 정원 달력 serve both the review of applications and the day's planning.
PLACES_MENUS = ("reservations.applications", "reservations.daily")


def _titles(care_type: str) -> str:
    return {
        CareType.REGULAR: _("정기돌봄 이용자관리"),
        CareType.TEMPORARY: _("일시돌봄 이용자관리"),
        CareType.SICK: _("아픈아이 돌봄 이용자관리"),
    }[care_type]


def _single_facility_code(user) -> str:
    """The code of the user's only 키움센터, so a centre's staff need not pick it."""
    codes = list(kium_facilities(user).values_list("code", flat=True)[:2])
    return codes[0] if len(codes) == 1 else ""


def bound_with_defaults(request, form_class, **defaults):
    """A form bound to the query, the facility and other blanks filled with defaults.

    Unbound (the bare page) when no facility is given or implied.
    """
    data = request.GET.copy()
    if not data.get("facility"):
        code = _single_facility_code(request.user)
        if not code:
            return form_class(initial=defaults, user=request.user)
        data["facility"] = code
    for key, value in defaults.items():
        if not data.get(key):
            data[key] = value
    form = form_class(data, user=request.user)
    facility_out_of_scope(form)
    return form


# --- 이용자관리 per care type ---------------------------------------------------------


def _filtered_users(request, care_type: str):
    form = UserFilterForm(request.GET or None, user=request.user)
    facility_out_of_scope(form)
    rows = reservations_for_user(request.user).filter(care_type=care_type)
    if form.is_bound and not form.is_valid():
        return form, rows.none()
    filters = form.filters() if form.is_bound else UserFilterForm.default_filters()
    rows = filter_reservations(rows, **filters)
    if care_type == CareType.REGULAR:
        rows = rows.order_by("-start_date", "child__name", "pk")
    else:
        rows = rows.order_by("-date", "start_time", "child__name", "pk")
    return form, rows


def _require_users_menu(request, care_type: str):
    if not has_menu(request.user, USERS_MENUS[care_type]):
        return forbidden(request)
    return None


@backoffice_view(tuple(USERS_MENUS.values()))
def users(request, care_type: str):
    """정기 / 일시 / 아픈아이 돌봄 이용자관리: care in use (이용확정) or done (이용완료)."""
    if (page := _require_users_menu(request, care_type)) is not None:
        return page
    form, rows = _filtered_users(request, care_type)
    pages = paginate(request, rows)
    page_rows = list(pages["page_obj"])
    sick = care_type == CareType.SICK
    record_list_access(
        request,
        page_rows,
        action="reservation.sick.list" if sick else "reservation.users.list",
        label=_titles(care_type),
    )
    context = {
        "form": form,
        "care_type": care_type,
        "title": _titles(care_type),
        "rows": page_rows,
        "is_sick": sick,
        "is_regular": care_type == CareType.REGULAR,
        "export_url": reverse(f"backoffice:reservation_users_{care_type}_export"),
        "per_page_choices": PER_PAGE_CHOICES,
        "per_page": pages["paginator"].per_page,
        **pages,
        **nav(request, USERS_MENUS[care_type]),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "backoffice/reservations/users.html", context, status=status)


@backoffice_view(tuple(USERS_MENUS.values()))
def users_export(request, care_type: str):
    if (page := _require_users_menu(request, care_type)) is not None:
        return page
    form, rows = _filtered_users(request, care_type)
    list_name = f"backoffice:reservation_users_{care_type}"
    if form.is_bound and not form.is_valid():
        return redirect(f"{reverse(list_name)}?{request.GET.urlencode()}")
    return reasoned_download(
        request,
        what=f"reservation_users_{care_type}",
        label=_titles(care_type),
        rows=rows,
        workbook=lambda items: users_workbook(items, care_type=care_type),
        filename_stem=f"reservation_users_{care_type}",
        back_url=list_name,
        menu_code=USERS_MENUS[care_type],
    )


# --- 일일 이용자관리 ---------------------------------------------------------------------


def _daily(request):
    form = bound_with_defaults(request, DailyForm, date=clock.today().isoformat())
    if not form.is_bound or not form.is_valid():
        return form, None
    data = form.cleaned_data
    return form, daily_users(data["facility"], data["date"])


@backoffice_view(DAILY_MENU)
def daily(request):
    """일일 이용자관리: who is expected that day, by hour of arrival, against the places."""
    form, day = _daily(request)
    if day is not None:
        record_list_access(
            request,
            day.rows,
            action="reservation.daily.list",
            label=_("일일 이용자관리 %(day)s") % {"day": f"{day.day:%Y.%m.%d}"},
            subject=day.facility,
        )
    context = {
        "form": form,
        "daily": day,
        "previous_day": day.day - dt.timedelta(days=1) if day else None,
        "next_day": day.day + dt.timedelta(days=1) if day else None,
        **nav(request, DAILY_MENU),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "backoffice/reservations/daily.html", context, status=status)


@backoffice_view(DAILY_MENU)
def daily_export(request):
    _form, day = _daily(request)
    if day is None:
        return redirect(f"{reverse('backoffice:reservation_daily')}?{request.GET.urlencode()}")
    return reasoned_download(
        request,
        what="reservation_daily",
        label=_("일일 이용자 %(day)s") % {"day": f"{day.day:%Y.%m.%d}"},
        rows=day.rows,
        workbook=lambda _items: daily_workbook(day),
        filename_stem=f"daily_{day.facility.code}_{day.day:%Y%m%d}",
        back_url="backoffice:reservation_daily",
        menu_code=DAILY_MENU,
    )


# --- 대기 현황 and 정원 달력 ---------------------------------------------------------------


@backoffice_view(PLACES_MENUS)
def waitlist(request):
    """대기 현황: each day's single-day line and the regular line, with open offers."""
    form = bound_with_defaults(request, FacilityPickForm)
    lines = None
    if form.is_bound and form.is_valid():
        facility = form.cleaned_data["facility"]
        lines = waitlists(facility)
        shown = [r for line in lines.days for _n, r in line.rows]
        shown += [r for _n, r in lines.regular] + lines.offers
        record_list_access(
            request,
            shown,
            action="reservation.waitlist.list",
            label=_("대기 현황"),
            subject=facility,
        )
    context = {
        "form": form,
        "lines": lines,
        "facility": form.cleaned_data["facility"] if lines is not None else None,
        **side_menu(request, PLACES_MENUS),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "backoffice/reservations/waitlist.html", context, status=status)


@backoffice_view(PLACES_MENUS)
def capacity_calendar(request):
    """정원 달력: a month of shared and quota places used, waiting counts, closed days."""
    form = bound_with_defaults(request, CalendarForm)
    grid = None
    if form.is_bound and form.is_valid():
        month = form.cleaned_data["month"] or clock.today().replace(day=1)
        grid = month_grid(form.cleaned_data["facility"], month.year, month.month)
    context = {
        "form": form,
        "grid": grid,
        "facility": grid.facility if grid is not None else None,
        **side_menu(request, PLACES_MENUS),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "backoffice/reservations/calendar.html", context, status=status)
