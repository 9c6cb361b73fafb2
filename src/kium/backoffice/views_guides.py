"""보육반장 관리 and 보육반장 코드 관리 (ACC-7)."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kium.backoffice.decorators import backoffice_view
from kium.backoffice.views_common import apply_error, nav, paginate
from kium.core.audit import record_access
from kium.orgs.domain.errors import OUT_OF_SCOPE, OrgError
from kium.orgs.domain.guides import (
    create_guide,
    create_guide_code,
    delete_guide_code,
    guide_codes_for_user,
    guides_for_user,
    update_guide,
    update_guide_code,
)
from kium.orgs.domain.staff import set_staff_active
from kium.orgs.forms import GuideCodeForm, GuideCreateForm, GuideForm

CODES_MENU = "org.guide_codes"
GUIDES_MENU = "org.guides"


# --- 보육반장 코드 -------------------------------------------------------------------


@backoffice_view(CODES_MENU)
def guide_codes(request):
    rows = guide_codes_for_user(request.user)
    context = {**paginate(request, rows), **nav(request, CODES_MENU)}
    return render(request, "backoffice/guides/codes.html", context)


def _code_form_view(request, guide_code=None):
    initial = None
    if guide_code is not None:
        initial = {
            "code": guide_code.code,
            "district": guide_code.district_id,
            "dong": guide_code.dong_id,
            "description": guide_code.description,
            "is_active": guide_code.is_active,
        }
    form = GuideCodeForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            fields = {
                key: form.cleaned_data[key]
                for key in ("code", "district", "dong", "description", "is_active")
            }
            try:
                if guide_code is None:
                    create_guide_code(actor=request.user, **fields)
                else:
                    update_guide_code(actor=request.user, guide_code=guide_code, **fields)
            except OrgError as exc:
                if exc.code == OUT_OF_SCOPE and guide_code is not None:
                    raise Http404 from exc
                apply_error(form, exc)
            else:
                messages.success(request, _("보육반장 코드를 저장했습니다."))
                return redirect("backoffice:guide_codes")
        status = 400
    context = {"form": form, "guide_code": guide_code, **nav(request, CODES_MENU)}
    return render(request, "backoffice/guides/code_form.html", context, status=status)


@backoffice_view(CODES_MENU)
def guide_code_new(request):
    return _code_form_view(request)


@backoffice_view(CODES_MENU)
def guide_code_edit(request, pk: int):
    return _code_form_view(request, get_object_or_404(guide_codes_for_user(request.user), pk=pk))


@backoffice_view(CODES_MENU)
@require_POST
def guide_code_delete(request, pk: int):
    guide_code = get_object_or_404(guide_codes_for_user(request.user), pk=pk)
    try:
        delete_guide_code(actor=request.user, guide_code=guide_code)
    except OrgError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("보육반장 코드를 삭제했습니다."))
    return redirect("backoffice:guide_codes")


# --- 보육반장 ------------------------------------------------------------------------


@backoffice_view(GUIDES_MENU)
def guides(request):
    rows = guides_for_user(request.user).order_by("-created_at", "-pk")
    context = {**paginate(request, rows), **nav(request, GUIDES_MENU)}
    return render(request, "backoffice/guides/list.html", context)


@backoffice_view(GUIDES_MENU)
def guide_new(request):
    form = GuideCreateForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                guide = create_guide(
                    actor=request.user,
                    username=data["username"],
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    password=data["password"],
                    district=data["district"],
                    guide_code=data["guide_code"],
                    active_from=data["active_from"],
                    active_until=data["active_until"],
                )
            except OrgError as exc:
                apply_error(form, exc)
            else:
                messages.success(
                    request,
                    _("보육반장 계정 %(u)s을(를) 만들었습니다.") % {"u": guide.user.username},
                )
                return redirect("backoffice:guide_edit", pk=guide.pk)
        status = 400
    context = {"form": form, "guide": None, **nav(request, GUIDES_MENU)}
    return render(request, "backoffice/guides/form.html", context, status=status)


@backoffice_view(GUIDES_MENU)
def guide_edit(request, pk: int):
    guide = get_object_or_404(guides_for_user(request.user), pk=pk)
    initial = {
        "name": guide.user.name,
        "phone": guide.user.phone,
        "email": guide.user.email,
        "guide_code": guide.guide_code_id,
        "active_from": guide.active_from,
        "active_until": guide.active_until,
    }
    form = GuideForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                update_guide(
                    actor=request.user,
                    guide=guide,
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    guide_code=data["guide_code"],
                    active_from=data["active_from"],
                    active_until=data["active_until"],
                )
            except OrgError as exc:
                if exc.code == OUT_OF_SCOPE:
                    raise Http404 from exc
                apply_error(form, exc)
            else:
                messages.success(request, _("보육반장 정보를 저장했습니다."))
                return redirect("backoffice:guide_edit", pk=guide.pk)
        status = 400
    else:
        record_access(actor=request.user, action="guide.view", subject=guide.user)
    context = {"form": form, "guide": guide, **nav(request, GUIDES_MENU)}
    return render(request, "backoffice/guides/form.html", context, status=status)


@backoffice_view(GUIDES_MENU)
@require_POST
def guide_set_active(request, pk: int):
    guide = get_object_or_404(guides_for_user(request.user), pk=pk)
    active = request.POST.get("active") == "1"
    try:
        set_staff_active(actor=request.user, user=guide.user, active=active)
    except OrgError as exc:
        if exc.code == OUT_OF_SCOPE:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("사용여부를 바꿨습니다."))
    return redirect("backoffice:guide_edit", pk=guide.pk)
