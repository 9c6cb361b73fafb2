"""예약관리 > 이용기간 연장관리 (RES-9) and 센터 예약 규칙 (a centre's priority rules).

The extension list shows a quarter's candidates with their state; the centre extends one
row or all of them (``run_extensions`` for its facility) once the guardians' cut-off has
passed. The rules page edits the centre's CentrePolicy through its domain function.
"""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kium.backoffice.decorators import backoffice_view
from kium.backoffice.views_common import nav, reasoned_download
from kium.backoffice.views_reservations import (
    apply_reservation_error,
    error_status,
    raise_scope_errors,
    record_list_access,
)
from kium.backoffice.views_reservations_users import bound_with_defaults
from kium.core import clock
from kium.reservations.domain import policy
from kium.reservations.domain.calendar import (
    centre_may_extend,
    extension_rows,
    quarter_for_day,
)
from kium.reservations.domain.centre_policy import policy_of, update_centre_policy
from kium.reservations.domain.errors import ReservationError
from kium.reservations.domain.exports import extensions_workbook
from kium.reservations.domain.extension import extend, quarter_to_extend, run_extensions
from kium.reservations.domain.queries import reservations_for_user
from kium.reservations.forms import CentrePolicyForm, ExtensionFilterForm, kium_facilities

EXTENSIONS_MENU = "reservations.extensions"
POLICY_MENU = "reservations.applications"


# --- 이용기간 연장관리 ---------------------------------------------------------------------


def _extension_form(request):
    quarter = quarter_to_extend() or quarter_for_day(clock.today())
    defaults = {"quarter": str(quarter.pk)} if quarter else {}
    return bound_with_defaults(request, ExtensionFilterForm, **defaults)


def _extension_action(request, facility, quarter):
    """Run 연장 처리 / 일괄 연장; (redirect, None) on success, else (None, error)."""
    if not centre_may_extend(quarter):
        cutoff = policy.extension_cutoff(quarter.end)
        return None, _(
            "보호자가 연장 여부를 바꿀 수 있는 %(day)s까지는 연장 처리를 할 수 없습니다."
        ) % {"day": f"{cutoff:%Y.%m.%d}"}
    action = request.POST.get("action", "")
    if action == "extend":
        pk = request.POST.get("reservation", "")
        reservation = get_object_or_404(
            reservations_for_user(request.user).filter(facility=facility),
            pk=int(pk) if pk.isdigit() else 0,
        )
        created = extend(actor=request.user, reservation=reservation)
        if created.status == "confirmed":
            messages.success(
                request,
                _("%(child)s 아동의 이용기간을 연장했습니다.") % {"child": reservation.child.name},
            )
        else:
            messages.info(request, _("정원이 차서 연장 대기로 등록했습니다."))
    elif action == "run":
        result = run_extensions(quarter=quarter, facility=facility, actor=request.user)
        messages.success(
            request,
            _("일괄 연장: 연장 %(extended)d건, 연장 대기 %(waiting)d건, 제외 %(skipped)d건")
            % {
                "extended": result.extended,
                "waiting": result.waiting,
                "skipped": result.skipped,
            },
        )
    else:
        return None, _("알 수 없는 처리입니다.")
    return redirect(request.get_full_path()), None


@backoffice_view(EXTENSIONS_MENU)
def extensions(request):
    """이용기간 연장관리: candidates, states, guardian stops, cut-off, 연장 처리 / 일괄 연장."""
    form = _extension_form(request)
    rows, facility, quarter, error, status = None, None, None, "", 200
    if form.is_bound and not form.is_valid():
        status = 400
    elif form.is_bound:
        facility, quarter = form.cleaned_data["facility"], form.cleaned_data["quarter"]
        if request.method == "POST":
            try:
                response, error = _extension_action(request, facility, quarter)
            except ReservationError as exc:
                if (page := raise_scope_errors(request, exc)) is not None:
                    return page
                response, error, status = None, exc.message, error_status(exc)
            if response is not None:
                return response
            status = status if status != 200 else 400
        rows = extension_rows(facility=facility, quarter=quarter)
        record_list_access(
            request,
            [row.reservation for row in rows],
            action="reservation.extensions.list",
            label=_("이용기간 연장관리 %(q)s") % {"q": quarter},
            subject=facility,
        )
    context = {
        "form": form,
        "rows": rows,
        "facility": facility,
        "quarter": quarter,
        "cutoff": policy.extension_cutoff(quarter.end) if quarter else None,
        "may_extend": centre_may_extend(quarter) if quarter else False,
        "error": error,
        **nav(request, EXTENSIONS_MENU),
    }
    return render(request, "backoffice/reservations/extensions.html", context, status=status)


@backoffice_view(EXTENSIONS_MENU)
def extensions_export(request):
    form = _extension_form(request)
    if not form.is_bound or not form.is_valid():
        url = reverse("backoffice:reservation_extensions")
        return redirect(f"{url}?{request.GET.urlencode()}")
    facility, quarter = form.cleaned_data["facility"], form.cleaned_data["quarter"]
    rows = extension_rows(facility=facility, quarter=quarter)
    return reasoned_download(
        request,
        what="reservation_extensions",
        label=_("이용기간 연장 대상 %(q)s") % {"q": quarter},
        rows=rows,
        workbook=extensions_workbook,
        filename_stem=f"extensions_{facility.code}_{quarter.year}_{quarter.term}",
        back_url="backoffice:reservation_extensions",
        menu_code=EXTENSIONS_MENU,
    )


# --- 센터 예약 규칙 ---------------------------------------------------------------------


@backoffice_view(POLICY_MENU)
def centre_policy(request, code: str):
    """The centre's priority rules (chosen and ordered), complex name, documents rule."""
    facility = get_object_or_404(kium_facilities(request.user), code=code.upper())
    current = policy_of(facility)
    form = CentrePolicyForm(request.POST or None, centre_policy=current)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                update_centre_policy(
                    actor=request.user,
                    facility=facility,
                    priority_rules=data["priority_rules"],
                    complex_name=data["complex_name"],
                    requires_admission_documents=data["requires_admission_documents"],
                )
            except ReservationError as exc:
                if (page := raise_scope_errors(request, exc)) is not None:
                    return page
                apply_reservation_error(form, exc)
            else:
                messages.success(request, _("센터 예약 규칙을 저장했습니다."))
                return redirect("backoffice:reservation_policy", code=facility.code)
        status = 400
    context = {
        "facility": facility,
        "form": form,
        "current": current,
        **nav(request, POLICY_MENU),
    }
    return render(request, "backoffice/reservations/policy.html", context, status=status)
