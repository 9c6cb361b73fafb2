"""Back-office home, top-menu entry points and the honest "준비 중" page."""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kium.backoffice.decorators import backoffice_view, forbidden
from kium.backoffice.views_common import menu_href, nav
from kium.orgs.domain.approvals import pending_staff_for_user
from kium.orgs.domain.departments import (
    unmapped_departments_for_user,
    unmapped_facilities_for_user,
)
from kium.orgs.domain.scope import facilities_for_user, has_menu, menu_codes_for
from kium.orgs.menus import BACKOFFICE_MENUS, MENU_ITEMS

# Which later piece of work brings each menu that has no screen yet (keyed by item code
# or by top-menu code).
LATER_WORK = {
    "users.guardians": gettext_lazy("이용자(보호자·아동) 관리 작업"),
    "system.quarters": gettext_lazy("이용분기·운영기간 작업"),
    "system.holidays": gettext_lazy("휴무일 관리 작업"),
    "reservations": gettext_lazy("예약관리(예약 엔진) 작업"),
    "boards": gettext_lazy("게시판관리 작업"),
    "homepage": gettext_lazy("홈페이지관리(시설관리) 작업"),
    "cms": gettext_lazy("CMS 작업"),
    "stats": gettext_lazy("통계관리 작업"),
}
DASHBOARD_FACILITIES = 10


@backoffice_view()
def dashboard(request):
    user = request.user
    facilities = facilities_for_user(user).select_related("district")
    context = {
        "facility_count": facilities.count(),
        "facilities": facilities[:DASHBOARD_FACILITIES],
        "show_mapping": has_menu(user, "org.mapping") or has_menu(user, "org.departments"),
        "show_approvals": has_menu(user, "users.approvals") and request.scope.city,
    }
    if context["show_mapping"]:
        context["unmapped_departments"] = unmapped_departments_for_user(user).count()
        context["unmapped_facilities"] = unmapped_facilities_for_user(user).count()
    if context["show_approvals"]:
        context["pending_approvals"] = pending_staff_for_user(user).count()
    return render(request, "backoffice/dashboard.html", context)


@backoffice_view()
def top_menu(request, code: str):
    """/admin/m/<code>/: the first item of the top menu that the user holds."""
    top = next((t for t in BACKOFFICE_MENUS if t.code == code), None)
    if top is None:
        raise Http404
    held = menu_codes_for(request.user)
    item = next((i for i in top.items if i.code in held), None)
    if item is None:
        return forbidden(request)
    return redirect(menu_href(item))


@backoffice_view()
def menu(request, code: str):
    """A menu item whose screen a later piece of work brings; it says which."""
    item = MENU_ITEMS.get(code)
    if item is None:
        raise Http404
    if not has_menu(request.user, code):
        return forbidden(request)
    if item.url_name:
        # The screen exists now: this address keeps working as a shortcut to it.
        try:
            return redirect(reverse(item.url_name))
        except NoReverseMatch:
            pass
    top = next(t for t in BACKOFFICE_MENUS if item in t.items)
    later = LATER_WORK.get(code) or LATER_WORK.get(top.code) or _("이후 작업")
    context = {"item": item, "top": top, "later": later, **nav(request, code)}
    return render(request, "backoffice/menu_pending.html", context)
