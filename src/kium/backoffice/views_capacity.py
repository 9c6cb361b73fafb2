"""A facility's 정원 관리 page: capacity, temporary quota and 정원 변경 요청 (RES-2, RES-3).

The centre (or district) asks for a new capacity; a district or city officer approves or
rejects it. The centres domain functions check who may do what and write.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kium.backoffice.decorators import backoffice_view, forbidden
from kium.backoffice.views_common import apply_error, nav
from kium.centres.domain.capacity_requests import (
    MAX_CAPACITY,
    approve_capacity_request,
    can_decide,
    pending_request,
    reject_capacity_request,
    submit_capacity_request,
)
from kium.centres.domain.errors import FORBIDDEN, OUT_OF_SCOPE, CentresError
from kium.centres.models import CapacityRequest
from kium.orgs.domain.capacity import (
    capacity_for_area,
    effective_capacity,
    temporary_quota,
    with_effective_capacity,
)
from kium.orgs.domain.scope import facilities_for_user, menu_codes_for
from kium.orgs.enums import FacilityKind, FacilityType

FACILITY_MENUS = ("homepage.facilities", "homepage.kium")


class CapacityRequestForm(forms.Form):
    requested_capacity = forms.IntegerField(
        label=gettext_lazy("요청 정원(명)"), min_value=1, max_value=MAX_CAPACITY
    )
    reason = forms.CharField(label=gettext_lazy("요청 사유"), max_length=500)


class DecisionForm(forms.Form):
    request_id = forms.IntegerField(widget=forms.HiddenInput)
    decision = forms.ChoiceField(
        choices=[("approve", gettext_lazy("승인")), ("reject", gettext_lazy("반려"))]
    )
    reason = forms.CharField(
        label=gettext_lazy("처리 사유 (반려 시 필수)"), max_length=500, required=False
    )


def _facility_or_404(request, code: str):
    facilities = with_effective_capacity(facilities_for_user(request.user))
    return get_object_or_404(facilities.select_related("district"), code=code)


def _side_menu(request) -> dict:
    held = menu_codes_for(request.user)
    return nav(request, next((code for code in FACILITY_MENUS if code in held), FACILITY_MENUS[0]))


def _places(facility) -> dict:
    capacity = effective_capacity(facility)
    is_kium = facility.facility_type == FacilityType.KIUM
    return {
        "area_capacity": capacity_for_area(facility.area_m2),
        "effective_capacity": capacity,
        "temporary_quota": temporary_quota(capacity, facility.kind) if is_kium else 0,
        "is_hub": is_kium and facility.kind == FacilityKind.HUB,
    }


def _submit(request, facility, form) -> bool:
    if not form.is_valid():
        return False
    try:
        submit_capacity_request(actor=request.user, facility=facility, **form.cleaned_data)
    except CentresError as exc:
        apply_error(form, exc)
        return False
    messages.success(request, _("정원 변경을 요청했습니다."))
    return True


def _decide(request, facility, form):
    """True when done, False for a field error, or a response (403) to return as is."""
    if not form.is_valid():
        return False
    data = form.cleaned_data
    capacity_request = get_object_or_404(CapacityRequest, pk=data["request_id"], facility=facility)
    decide = approve_capacity_request if data["decision"] == "approve" else reject_capacity_request
    try:
        decide(actor=request.user, request=capacity_request, reason=data["reason"])
    except CentresError as exc:
        if exc.code == OUT_OF_SCOPE:
            raise Http404(exc.message) from exc
        if exc.code == FORBIDDEN:
            return forbidden(request, exc.message)
        apply_error(form, exc)
        return False
    done = _("승인했습니다.") if data["decision"] == "approve" else _("반려했습니다.")
    messages.success(request, done)
    return True


@backoffice_view(FACILITY_MENUS)
def facility_capacity(request, code: str):
    facility = _facility_or_404(request, code)
    action = request.POST.get("action") if request.method == "POST" else None
    request_form = CapacityRequestForm(request.POST if action == "request" else None)
    decision_form = DecisionForm(request.POST if action == "decide" else None)
    status = 200
    if action in ("request", "decide"):
        if action == "request":
            result = _submit(request, facility, request_form)
        else:
            result = _decide(request, facility, decision_form)
        if result is True:
            return redirect(reverse("backoffice:facility_capacity", args=[facility.code]))
        if result is not False:
            return result
        status = 400
    elif request.method == "POST":
        status = 400
    context = {
        "facility": facility,
        **_places(facility),
        "request_form": request_form,
        "decision_form": decision_form,
        "pending": pending_request(facility),
        "can_decide": can_decide(request.user, facility),
        "requests": facility.capacity_requests.select_related("requested_by", "decided_by"),
        **_side_menu(request),
    }
    return render(request, "backoffice/centres/capacity.html", context, status=status)
