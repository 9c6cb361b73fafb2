"""권한 관리 (ACC-4) and 권한할당 관리 with 일괄권한지정 (ACC-5)."""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from kium.backoffice.decorators import backoffice_view, forbidden
from kium.backoffice.views_common import apply_error, nav, paginate
from kium.orgs.domain.errors import OUT_OF_SCOPE, OrgError
from kium.orgs.domain.roles import (
    assign_role,
    batch_assign,
    create_role,
    describe_scope,
    menus_by_top,
    revoke_assignment,
    roles_for_listing,
    update_role,
)
from kium.orgs.domain.scope import has_menu
from kium.orgs.domain.staff import staff_rows_for_user
from kium.orgs.forms import AssignmentForm, BatchAssignForm, RoleForm, UserSearchForm
from kium.orgs.models import Role, RoleAssignment

ROLES_MENU = "org.roles"
ASSIGN_MENU = "org.assignments"
RETENTION_NOTE = gettext_lazy("권한 부여·변경·회수 내역은 변경이력에 3년간 보관됩니다.")


def _can_edit_roles(request) -> bool:
    return request.scope.city and has_menu(request.user, ROLES_MENU)


# --- 권한 관리 -----------------------------------------------------------------------


@backoffice_view(ROLES_MENU)
def roles(request):
    context = {
        "roles": roles_for_listing(),
        "can_edit": _can_edit_roles(request),
        "retention_note": RETENTION_NOTE,
        **nav(request, ROLES_MENU),
    }
    return render(request, "backoffice/roles/list.html", context)


@backoffice_view((ROLES_MENU, ASSIGN_MENU))
def role_detail(request, pk: int):
    """[목록]: the menus a role grants, grouped by top menu."""
    role = get_object_or_404(Role, pk=pk)
    context = {
        "role": role,
        "groups": menus_by_top(role.menus),
        "can_edit": _can_edit_roles(request),
        **nav(request, ROLES_MENU if has_menu(request.user, ROLES_MENU) else ASSIGN_MENU),
    }
    return render(request, "backoffice/roles/detail.html", context)


def _role_form_view(request, role: Role | None):
    if not _can_edit_roles(request):
        return forbidden(request, _("권한은 서울시 담당자만 만들거나 고칠 수 있습니다."))
    initial = None
    if role is not None:
        initial = {
            "name": role.name,
            "level": role.level,
            "facility_type": role.facility_type,
            "description": role.description,
            "menus": role.menus,
            "is_active": role.is_active,
        }
    form = RoleForm(request.POST or None, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            fields = {
                "name": data["name"],
                "level": data["level"],
                "menus": data["menus"],
                "facility_type": data["facility_type"],
                "description": data["description"],
            }
            try:
                if role is None:
                    role = create_role(actor=request.user, **fields)
                else:
                    role = update_role(
                        actor=request.user, role=role, is_active=data["is_active"], **fields
                    )
            except OrgError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("권한을 저장했습니다."))
                return redirect("backoffice:role_detail", pk=role.pk)
        status = 400
    context = {
        "form": form,
        "role": role,
        "retention_note": RETENTION_NOTE,
        **nav(request, ROLES_MENU),
    }
    return render(request, "backoffice/roles/form.html", context, status=status)


@backoffice_view(ROLES_MENU)
def role_new(request):
    return _role_form_view(request, None)


@backoffice_view(ROLES_MENU)
def role_edit(request, pk: int):
    return _role_form_view(request, get_object_or_404(Role, pk=pk))


# --- 권한할당 관리 -------------------------------------------------------------------


@backoffice_view(ASSIGN_MENU)
def assignments(request):
    """Pick an account (search) to see and change its assignments."""
    form = UserSearchForm(request.GET or None)
    rows = staff_rows_for_user(request.user)
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        rows = rows.filter(Q(username__icontains=q) | Q(name__icontains=q))
    context = {
        "form": form,
        "retention_note": RETENTION_NOTE,
        **paginate(request, rows),
        **nav(request, ASSIGN_MENU),
    }
    return render(request, "backoffice/roles/assignments.html", context)


@backoffice_view(ASSIGN_MENU)
def assignment_user(request, pk: int):
    account = get_object_or_404(staff_rows_for_user(request.user), pk=pk)
    form = AssignmentForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                assign_role(
                    actor=request.user,
                    user=account,
                    role=data["role"],
                    scope_level=data["scope_level"],
                    district=data["district"],
                    facility=data["facility"],
                )
            except OrgError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("권한을 지정했습니다."))
                return redirect("backoffice:assignment_user", pk=account.pk)
        status = 400
    current = [
        {"assignment": a, "scope": describe_scope(a)} for a in account.role_assignments.all()
    ]
    context = {
        "account": account,
        "current": current,
        "form": form,
        "retention_note": RETENTION_NOTE,
        **nav(request, ASSIGN_MENU),
    }
    return render(request, "backoffice/roles/assignment_user.html", context, status=status)


@backoffice_view(ASSIGN_MENU)
@require_POST
def assignment_remove(request, pk: int):
    assignment = get_object_or_404(
        RoleAssignment.objects.select_related("user", "role", "district", "facility"), pk=pk
    )
    # The account must be in scope; otherwise the assignment does not exist for this user.
    account = get_object_or_404(staff_rows_for_user(request.user), pk=assignment.user_id)
    try:
        revoke_assignment(actor=request.user, assignment=assignment)
    except OrgError as exc:
        if exc.code == OUT_OF_SCOPE:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("권한을 회수했습니다."))
    return redirect("backoffice:assignment_user", pk=account.pk)


@backoffice_view(ASSIGN_MENU)
@require_POST
def assignments_batch(request):
    """일괄권한지정: the staff list's ticked accounts get the chosen role."""
    form = BatchAssignForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            result = batch_assign(
                actor=request.user, users=form.cleaned_data["users"], role=form.cleaned_data["role"]
            )
        except OrgError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(role)s 권한을 %(n)d개 계정에 지정했습니다.")
                % {"role": form.cleaned_data["role"].name, "n": len(result.assigned)},
            )
            if result.skipped:
                messages.info(
                    request,
                    _("이미 같은 권한이 있는 계정 %(n)d개는 건너뛰었습니다.")
                    % {"n": len(result.skipped)},
                )
    else:
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    # Back to the same filtered page of the staff list; only a query string is accepted,
    # so this can never become an open redirect.
    back = request.POST.get("back", "")
    query = back if back.startswith("?") and "//" not in back else ""
    return redirect(f"{reverse('backoffice:staff_list')}{query}")
