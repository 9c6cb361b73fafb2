"""이용분기 관리, 휴무일 관리 and a facility's 예약정보 tab (RES-4, FAC-3).

Views read and validate; the centres domain functions check scope and write.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kium.backoffice.decorators import backoffice_view, forbidden
from kium.backoffice.views_common import apply_error, nav
from kium.centres.domain.closed_days import add_closed_day, remove_closed_day
from kium.centres.domain.errors import FORBIDDEN, OUT_OF_SCOPE, CentresError
from kium.centres.domain.holidays import public_holidays
from kium.centres.domain.periods import set_operating_period
from kium.centres.domain.quarters import define_quarter, update_quarter
from kium.centres.domain.queries import quarters_of_year
from kium.centres.forms import (
    ClosedDayForm,
    OperatingPeriodForm,
    QuarterDatesForm,
    QuarterForm,
)
from kium.centres.models import ClosedDay, OperatingPeriod, Quarter
from kium.core import clock
from kium.orgs.domain.scope import facilities_for_user, menu_codes_for

QUARTERS_MENU = "system.quarters"
HOLIDAYS_MENU = "system.holidays"
FACILITY_MENUS = ("homepage.facilities", "homepage.kium")


def _year(request) -> int:
    """The year asked for in ``?year=``, else this year in Seoul; nonsense falls back."""
    value = request.GET.get("year", "")
    if value.isdigit() and 2000 <= int(value) <= 2100:
        return int(value)
    return clock.today().year


def _years_around(year: int, existing) -> list[int]:
    return sorted({*existing, year - 1, year, year + 1})


def _domain_error(request, form, exc: CentresError):
    """Scope errors are pages of their own; the rest go next to the field."""
    if exc.code == OUT_OF_SCOPE:
        from django.http import Http404

        raise Http404(exc.message)
    if exc.code == FORBIDDEN:
        return forbidden(request, exc.message)
    apply_error(form, exc)
    return None


# --- 이용분기 관리 ------------------------------------------------------------------


@backoffice_view(QUARTERS_MENU)
def quarters(request):
    year = _year(request)
    form = QuarterForm(request.POST or None, initial={"year": year})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                quarter = define_quarter(actor=request.user, **form.cleaned_data)
            except CentresError as exc:
                if (page := _domain_error(request, form, exc)) is not None:
                    return page
            else:
                messages.success(request, _("%(q)s 분기를 등록했습니다.") % {"q": quarter})
                return redirect(f"{reverse('backoffice:quarters')}?year={quarter.year}")
        status = 400
    existing = Quarter.objects.values_list("year", flat=True).distinct()
    context = {
        "form": form,
        "year": year,
        "years": _years_around(year, existing),
        "quarters": quarters_of_year(year),
        "can_edit": request.scope.city,
        **nav(request, QUARTERS_MENU),
    }
    return render(request, "backoffice/centres/quarters.html", context, status=status)


@backoffice_view(QUARTERS_MENU)
def quarter_edit(request, pk: int):
    quarter = get_object_or_404(Quarter, pk=pk)
    form = QuarterDatesForm(
        request.POST or None, initial={"start": quarter.start, "end": quarter.end}
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                update_quarter(actor=request.user, quarter=quarter, **form.cleaned_data)
            except CentresError as exc:
                if (page := _domain_error(request, form, exc)) is not None:
                    return page
            else:
                messages.success(request, _("%(q)s 기간을 저장했습니다.") % {"q": quarter})
                return redirect(f"{reverse('backoffice:quarters')}?year={quarter.year}")
        status = 400
    context = {
        "form": form,
        "quarter": quarter,
        "can_edit": request.scope.city,
        **nav(request, QUARTERS_MENU),
    }
    return render(request, "backoffice/centres/quarter_edit.html", context, status=status)


# --- 휴무일 관리 ------------------------------------------------------------------


@backoffice_view(HOLIDAYS_MENU)
def holidays(request):
    year = _year(request)
    form = ClosedDayForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                day = add_closed_day(actor=request.user, facility=None, **form.cleaned_data)
            except CentresError as exc:
                if (page := _domain_error(request, form, exc)) is not None:
                    return page
            else:
                messages.success(request, _("시 지정 휴무일을 등록했습니다."))
                return redirect(f"{reverse('backoffice:holidays')}?year={day.date.year}")
        status = 400
    closed = ClosedDay.objects.filter(facility__isnull=True, date__year=year).select_related(
        "created_by"
    )
    context = {
        "form": form,
        "year": year,
        "years": _years_around(year, []),
        "closed_days": closed,
        "public_holidays": sorted(public_holidays(year).items()),
        "can_edit": request.scope.city,
        **nav(request, HOLIDAYS_MENU),
    }
    return render(request, "backoffice/centres/holidays.html", context, status=status)


@backoffice_view(HOLIDAYS_MENU)
@require_POST
def holiday_remove(request, pk: int):
    day = get_object_or_404(ClosedDay, pk=pk, facility__isnull=True)
    try:
        remove_closed_day(actor=request.user, closed_day=day)
    except CentresError as exc:
        return forbidden(request, exc.message)
    messages.success(request, _("시 지정 휴무일을 삭제했습니다."))
    return redirect(f"{reverse('backoffice:holidays')}?year={day.date.year}")


# --- 시설 예약정보 탭 ----------------------------------------------------------------


def _facility_or_404(request, code: str):
    return get_object_or_404(
        facilities_for_user(request.user).select_related("district"), code=code
    )


def _side_menu(request) -> dict:
    held = menu_codes_for(request.user)
    return nav(request, next((code for code in FACILITY_MENUS if code in held), FACILITY_MENUS[0]))


def _save_period(request, facility, form) -> bool:
    if not form.is_valid():
        return False
    data = form.cleaned_data
    try:
        set_operating_period(
            actor=request.user,
            facility=facility,
            quarter=data["quarter"],
            start=data["start"],
            end=data["end"],
            weekday_hours=(data["open_time"], data["close_time"]),
            saturday_hours=form.saturday_hours(),
        )
    except CentresError as exc:
        apply_error(form, exc)
        return False
    messages.success(request, _("%(q)s 운영기간을 저장했습니다.") % {"q": data["quarter"]})
    return True


def _save_closed_day(request, facility, form) -> bool:
    if not form.is_valid():
        return False
    try:
        add_closed_day(actor=request.user, facility=facility, **form.cleaned_data)
    except CentresError as exc:
        apply_error(form, exc)
        return False
    messages.success(request, _("휴무일을 등록했습니다."))
    return True


def _period_initial(facility, quarter_id: str) -> dict:
    """``?quarter=<id>`` opens the form on that quarter, with its period if there is one."""
    if not quarter_id.isdigit():
        return {}
    period = OperatingPeriod.objects.filter(facility=facility, quarter_id=quarter_id).first()
    if period is None:
        quarter = Quarter.objects.filter(pk=quarter_id).first()
        if quarter is None:
            return {}
        return {"quarter": quarter.pk, "start": quarter.start, "end": quarter.end}
    return {
        "quarter": period.quarter_id,
        "start": period.start,
        "end": period.end,
        "open_time": period.open_time,
        "close_time": period.close_time,
        "saturday_open_time": period.saturday_open_time,
        "saturday_close_time": period.saturday_close_time,
    }


@backoffice_view(FACILITY_MENUS)
def facility_reservation_info(request, code: str):
    facility = _facility_or_404(request, code)
    year = _year(request)
    year_quarters = Quarter.objects.filter(year=year)
    action = request.POST.get("action") if request.method == "POST" else None
    period_form = OperatingPeriodForm(
        request.POST if action == "period" else None,
        quarters=Quarter.objects.filter(year__in=[year - 1, year, year + 1]),
        initial=_period_initial(facility, request.GET.get("quarter", "")),
    )
    closed_form = ClosedDayForm(request.POST if action == "closed_day" else None)
    status = 200
    if action == "period" or action == "closed_day":
        saved = (
            _save_period(request, facility, period_form)
            if action == "period"
            else _save_closed_day(request, facility, closed_form)
        )
        if saved:
            url = reverse("backoffice:facility_reservation_info", args=[facility.code])
            return redirect(f"{url}?year={year}")
        status = 400
    periods = {
        p.quarter_id: p
        for p in OperatingPeriod.objects.filter(facility=facility, quarter__in=year_quarters)
    }
    rows = [{"quarter": q, "period": periods.get(q.pk)} for q in quarters_of_year(year)]
    context = {
        "facility": facility,
        "year": year,
        "years": _years_around(year, []),
        "rows": rows,
        "period_form": period_form,
        "closed_form": closed_form,
        "closed_days": facility.closed_days.filter(date__year=year),
        "city_closed_days": ClosedDay.objects.filter(facility__isnull=True, date__year=year),
        **_side_menu(request),
    }
    return render(request, "backoffice/centres/reservation_info.html", context, status=status)


@backoffice_view(FACILITY_MENUS)
@require_POST
def facility_closed_day_remove(request, code: str, pk: int):
    facility = _facility_or_404(request, code)
    day = get_object_or_404(ClosedDay, pk=pk, facility=facility)
    remove_closed_day(actor=request.user, closed_day=day)
    messages.success(request, _("휴무일을 삭제했습니다."))
    url = reverse("backoffice:facility_reservation_info", args=[facility.code])
    return redirect(f"{url}?year={day.date.year}")
