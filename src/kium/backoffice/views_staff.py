"""담당자 관리 (ACC-3, ORG-4): the staff list, new accounts, 사용여부, unlock, histories."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kium.accounts.models import LoginHistory
from kium.backoffice.decorators import backoffice_view, forbidden
from kium.backoffice.views_common import apply_error, nav, paginate, reasoned_download
from kium.core.audit import record_access
from kium.core.models import AuditEntry
from kium.orgs.domain import exports
from kium.orgs.domain.errors import OUT_OF_SCOPE, OrgError
from kium.orgs.domain.roles import describe_scope
from kium.orgs.domain.scope import facilities_for_user, has_menu, roles_grantable_by
from kium.orgs.domain.staff import (
    check_can_unlock,
    create_staff_account,
    set_staff_active,
    staff_rows_for_user,
)
from kium.orgs.forms import StaffCreateForm, StaffFilterForm

MENU = "org.staff"


def _filtered_staff(request):
    form = StaffFilterForm(request.GET or None, user=request.user)
    rows = staff_rows_for_user(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["q"]:
            rows = rows.filter(Q(username__icontains=data["q"]) | Q(name__icontains=data["q"]))
        if data["district"]:
            rows = rows.filter(
                Q(district=data["district"]) | Q(facility__district=data["district"])
            )
        if data["department"]:
            rows = rows.filter(department=data["department"])
        if data["approval"]:
            rows = rows.filter(approval_status=data["approval"])
    return form, rows


def _staff_or_404(request, pk: int):
    return get_object_or_404(staff_rows_for_user(request.user), pk=pk)


@backoffice_view(MENU)
def staff_list(request):
    form, rows = _filtered_staff(request)
    can_assign = has_menu(request.user, "org.assignments")
    context = {
        "form": form,
        "can_assign": can_assign,
        "roles": roles_grantable_by(request.user) if can_assign else [],
        **paginate(request, rows),
        **nav(request, MENU),
    }
    return render(request, "backoffice/staff/list.html", context)


@backoffice_view(MENU)
def staff_new(request):
    code = request.GET.get("facility", "")
    facility = get_object_or_404(facilities_for_user(request.user), code=code)
    if not request.scope.covers_district(facility.district_id):
        return forbidden(request, _("담당자 계정은 자치구 또는 서울시 담당자가 만듭니다."))
    form = StaffCreateForm(request.POST or None, user=request.user, facility=facility)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = create_staff_account(
                    actor=request.user,
                    facility=facility,
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    password=data["password"],
                    role=data["role"],
                )
            except OrgError as exc:
                if exc.code == OUT_OF_SCOPE:
                    raise Http404 from exc
                apply_error(form, exc)
            else:
                messages.success(
                    request,
                    _("담당자 계정 %(username)s을(를) 만들었습니다.") % {"username": user.username}
                    + " "
                    + _("첫 로그인 때 비밀번호를 바꾸게 됩니다."),
                )
                return redirect("backoffice:staff_detail", pk=user.pk)
        status = 400
    context = {"form": form, "facility": facility, **nav(request, MENU)}
    return render(request, "backoffice/staff/new.html", context, status=status)


@backoffice_view(MENU)
def staff_detail(request, pk: int):
    account = _staff_or_404(request, pk)
    record_access(actor=request.user, action="staff.view", subject=account)
    assignments = [
        {"assignment": a, "scope": describe_scope(a)} for a in account.role_assignments.all()
    ]
    context = {
        "account": account,
        "locked": _is_locked(account),
        "assignments": assignments,
        "can_assign": has_menu(request.user, "org.assignments"),
        "is_self": account.pk == request.user.pk,
        **nav(request, MENU),
    }
    return render(request, "backoffice/staff/detail.html", context)


def _is_locked(account) -> bool | None:
    """Whether repeated failed logins locked the account (None: cannot tell yet)."""
    try:
        from kium.accounts.domain.unlock import is_account_locked
    except ImportError:
        return None
    return is_account_locked(username=account.username)


@backoffice_view(MENU)
@require_POST
def staff_set_active(request, pk: int):
    account = _staff_or_404(request, pk)
    active = request.POST.get("active") == "1"
    try:
        set_staff_active(actor=request.user, user=account, active=active)
    except OrgError as exc:
        if exc.code == OUT_OF_SCOPE:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            _("계정을 사용으로 바꿨습니다.") if active else _("계정을 미사용으로 바꿨습니다."),
        )
    return redirect("backoffice:staff_detail", pk=account.pk)


@backoffice_view(MENU)
@require_POST
def staff_unlock(request, pk: int):
    """An officer unlocks a locked account (ACC-2); the unlock lives in accounts."""
    account = _staff_or_404(request, pk)
    try:
        check_can_unlock(actor=request.user, user=account)
    except OrgError as exc:
        messages.error(request, exc.message)
        return redirect("backoffice:staff_detail", pk=account.pk)
    try:
        from kium.accounts.domain.unlock import unlock_account
    except ImportError:
        messages.error(request, _("계정잠금해제 기능이 아직 준비되지 않았습니다."))
        return redirect("backoffice:staff_detail", pk=account.pk)
    unlock_account(actor=request.user, user=account)
    messages.success(request, _("계정 잠금을 해제했습니다."))
    return redirect("backoffice:staff_detail", pk=account.pk)


@backoffice_view(MENU)
def staff_logins(request, pk: int):
    """접속이력 of one account."""
    account = _staff_or_404(request, pk)
    record_access(actor=request.user, action="staff.logins.view", subject=account)
    rows = LoginHistory.objects.filter(user=account).order_by("-at", "-pk")
    context = {"account": account, **paginate(request, rows), **nav(request, MENU)}
    return render(request, "backoffice/staff/logins.html", context)


@backoffice_view(MENU)
def staff_changes(request, pk: int):
    """변경이력 of one account: every audit entry about it, whoever made the change."""
    account = _staff_or_404(request, pk)
    rows = AuditEntry.objects.filter(object_type="accounts.user", object_id=str(account.pk))
    context = {"account": account, **paginate(request, rows), **nav(request, MENU)}
    return render(request, "backoffice/staff/changes.html", context)


@backoffice_view(MENU)
def staff_export(request):
    """Excel of the (filtered) staff list, after a reason is given and recorded."""
    _filters, rows = _filtered_staff(request)
    return reasoned_download(
        request,
        what="staff_list",
        label=_("담당자 목록"),
        rows=rows,
        workbook=exports.staff_workbook,
        filename_stem="staff",
        back_url="backoffice:staff_list",
        menu_code=MENU,
    )
