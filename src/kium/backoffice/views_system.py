"""시스템운영관리 > 자치구·동 관리 (ORG-1: codes and 동 are data the city edits)."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kium.backoffice.decorators import backoffice_view, forbidden
from kium.backoffice.views_common import apply_error, nav
from kium.orgs.domain.districts import (
    add_dong,
    districts_with_counts,
    rename_dong,
    set_dong_active,
    update_district,
)
from kium.orgs.domain.errors import OrgError
from kium.orgs.domain.scope import districts_for_user
from kium.orgs.forms import DistrictForm, DongForm
from kium.orgs.models import Dong

MENU = "system.districts"


def _district_or_404(request, pk: int):
    return get_object_or_404(districts_for_user(request.user), pk=pk)


@backoffice_view(MENU)
def districts(request):
    rows = districts_with_counts().filter(pk__in=districts_for_user(request.user).values("pk"))
    context = {"districts": rows, "can_edit": request.scope.city, **nav(request, MENU)}
    return render(request, "backoffice/system/districts.html", context)


@backoffice_view(MENU)
def district_detail(request, pk: int):
    district = _district_or_404(request, pk)
    if request.method == "POST" and not request.scope.city:
        return forbidden(request, _("자치구 정보는 서울시 담당자만 고칠 수 있습니다."))
    action = request.POST.get("action") if request.method == "POST" else None
    district_form = DistrictForm(
        request.POST if action == "district" else None,
        initial={"code": district.code, "name": district.name},
    )
    dong_form = DongForm(request.POST if action == "add_dong" else None)
    status = 200
    if action == "district":
        if district_form.is_valid():
            try:
                update_district(actor=request.user, district=district, **district_form.cleaned_data)
            except OrgError as exc:
                apply_error(district_form, exc)
            else:
                messages.success(request, _("자치구 정보를 저장했습니다."))
                return redirect("backoffice:district_detail", pk=district.pk)
        status = 400
    elif action == "add_dong":
        if dong_form.is_valid():
            try:
                add_dong(actor=request.user, district=district, name=dong_form.cleaned_data["name"])
            except OrgError as exc:
                apply_error(dong_form, exc)
            else:
                messages.success(request, _("동을 추가했습니다."))
                return redirect("backoffice:district_detail", pk=district.pk)
        status = 400
    context = {
        "district": district,
        "district_form": district_form,
        "dong_form": dong_form,
        "dongs": district.dongs.order_by("-is_active", "name"),
        "can_edit": request.scope.city,
        **nav(request, MENU),
    }
    return render(request, "backoffice/system/district_detail.html", context, status=status)


def _dong_or_404(request, pk: int) -> Dong:
    return get_object_or_404(
        Dong.objects.filter(district__in=districts_for_user(request.user)), pk=pk
    )


@backoffice_view(MENU)
@require_POST
def dong_update(request, pk: int):
    """Rename (``name``) or switch 사용여부 (``active``) of one 동."""
    dong = _dong_or_404(request, pk)
    if not request.scope.city:
        return forbidden(request, _("동 정보는 서울시 담당자만 고칠 수 있습니다."))
    try:
        if "active" in request.POST:
            set_dong_active(actor=request.user, dong=dong, active=request.POST["active"] == "1")
        else:
            rename_dong(actor=request.user, dong=dong, name=request.POST.get("name", ""))
    except OrgError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("동 정보를 저장했습니다."))
    return redirect("backoffice:district_detail", pk=dong.district_id)
