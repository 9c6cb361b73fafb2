"""사용자관리: 담당자 가입승인, 접속이력, 변경이력, 개인정보 접속기록 and its monthly review."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kium.backoffice.decorators import backoffice_view
from kium.backoffice.views_common import apply_error, nav, paginate, reasoned_download
from kium.core import clock
from kium.core.audit import record_access
from kium.orgs.domain import exports
from kium.orgs.domain.approvals import approve_staff, pending_staff_for_user, reject_staff
from kium.orgs.domain.errors import OrgError
from kium.orgs.domain.reviews import complete_review, review_summary
from kium.orgs.domain.scope import (
    access_records_for_user,
    audit_entries_for_user,
    login_history_for_user,
)
from kium.orgs.forms import (
    AccessFilterForm,
    ApprovalForm,
    AuditFilterForm,
    LoginFilterForm,
    MonthForm,
    RejectForm,
    ReviewForm,
)

RETENTION_NOTE = gettext_lazy("변경이력은 3년, 접속이력과 개인정보 접속기록은 2년간 보관됩니다.")


# --- 담당자 가입승인 -----------------------------------------------------------------


@backoffice_view("users.approvals")
def approvals(request):
    rows = pending_staff_for_user(request.user)
    context = {**paginate(request, rows), **nav(request, "users.approvals")}
    return render(request, "backoffice/users/approvals.html", context)


@backoffice_view("users.approvals")
def approval_detail(request, pk: int):
    applicant = get_object_or_404(pending_staff_for_user(request.user), pk=pk)
    decision = request.POST.get("decision") if request.method == "POST" else None
    approve_form = ApprovalForm(
        request.POST if decision == "approve" else None, applicant=applicant
    )
    reject_form = RejectForm(request.POST if decision == "reject" else None)
    status = 200
    if decision == "approve":
        if approve_form.is_valid():
            try:
                approve_staff(
                    actor=request.user, user=applicant, role=approve_form.cleaned_data["role"]
                )
            except OrgError as exc:
                apply_error(approve_form, exc)
            else:
                messages.success(
                    request, _("%(name)s 님의 가입을 승인했습니다.") % {"name": applicant.name}
                )
                return redirect("backoffice:approvals")
        status = 400
    elif decision == "reject":
        if reject_form.is_valid():
            try:
                reject_staff(
                    actor=request.user, user=applicant, reason=reject_form.cleaned_data["reason"]
                )
            except OrgError as exc:
                apply_error(reject_form, exc)
            else:
                messages.success(
                    request, _("%(name)s 님의 가입을 반려했습니다.") % {"name": applicant.name}
                )
                return redirect("backoffice:approvals")
        status = 400
    else:
        record_access(actor=request.user, action="staff.approval.view", subject=applicant)
    context = {
        "applicant": applicant,
        "approve_form": approve_form,
        "reject_form": reject_form,
        **nav(request, "users.approvals"),
    }
    return render(request, "backoffice/users/approval_detail.html", context, status=status)


# --- logs ----------------------------------------------------------------------------


def _date_filters(rows, data):
    if data.get("date_from"):
        rows = rows.filter(at__date__gte=data["date_from"])
    if data.get("date_to"):
        rows = rows.filter(at__date__lte=data["date_to"])
    return rows


@backoffice_view("users.logins")
def login_history(request):
    form = LoginFilterForm(request.GET or None)
    rows = login_history_for_user(request.user).select_related("user")
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            rows = rows.filter(username__icontains=data["actor"])
        if data["success"]:
            rows = rows.filter(success=data["success"] == "1")
        rows = _date_filters(rows, data)
    context = {
        "form": form,
        "retention_note": RETENTION_NOTE,
        **paginate(request, rows),
        **nav(request, "users.logins"),
    }
    return render(request, "backoffice/users/logins.html", context)


@backoffice_view("users.audit")
def audit_log(request):
    form = AuditFilterForm(request.GET or None)
    rows = audit_entries_for_user(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            rows = rows.filter(actor_username__icontains=data["actor"])
        if data["action"]:
            rows = rows.filter(action__icontains=data["action"])
        if data["object_type"]:
            rows = rows.filter(object_type__icontains=data["object_type"])
        rows = _date_filters(rows, data)
    context = {
        "form": form,
        "retention_note": RETENTION_NOTE,
        **paginate(request, rows),
        **nav(request, "users.audit"),
    }
    return render(request, "backoffice/users/audit.html", context)


def _filtered_access(request):
    form = AccessFilterForm(request.GET or None)
    rows = access_records_for_user(request.user)
    if form.is_valid():
        data = form.cleaned_data
        if data["actor"]:
            rows = rows.filter(actor_username__icontains=data["actor"])
        if data["action"]:
            rows = rows.filter(action__icontains=data["action"])
        rows = _date_filters(rows, data)
    return form, rows


@backoffice_view("users.access")
def access_records(request):
    form, rows = _filtered_access(request)
    context = {
        "form": form,
        "retention_note": RETENTION_NOTE,
        **paginate(request, rows),
        **nav(request, "users.access"),
    }
    return render(request, "backoffice/users/access.html", context)


@backoffice_view("users.access")
def access_records_export(request):
    _filter_form, rows = _filtered_access(request)
    return reasoned_download(
        request,
        what="access_records",
        label=_("개인정보 접속기록"),
        rows=rows,
        workbook=exports.access_records_workbook,
        filename_stem="access_records",
        back_url="backoffice:access_records",
        menu_code="users.access",
    )


# --- 접속기록 월간점검 ---------------------------------------------------------------


def _default_month() -> dt.date:
    """Last month: the review looks back at a finished month."""
    first = clock.today().replace(day=1)
    return (first - dt.timedelta(days=1)).replace(day=1)


@backoffice_view("users.review")
def monthly_review(request):
    month_form = MonthForm(request.GET or None)
    month = month_form.cleaned_data["month"] if month_form.is_valid() else _default_month()
    if not month_form.is_bound:
        month_form = MonthForm(initial={"month": f"{month:%Y-%m}"})
    review_form = ReviewForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if review_form.is_valid():
            try:
                complete_review(
                    actor=request.user, month=month, note=review_form.cleaned_data["note"]
                )
            except OrgError as exc:
                apply_error(review_form, exc)
            else:
                messages.success(
                    request, _("%(month)s 점검을 완료했습니다.") % {"month": f"{month:%Y.%m}"}
                )
                return redirect(f"{request.path}?month={month:%Y-%m}")
        status = 400
    context = {
        "month_form": month_form,
        "review_form": review_form,
        "summary": review_summary(actor=request.user, month=month),
        "month": month,
        **nav(request, "users.review"),
    }
    return render(request, "backoffice/users/review.html", context, status=status)
