"""연계돌봄 (아동별 현황, ATT-3): find a child among those who used a facility in the
staff member's scope, then see that child's history across every such facility —
reservations (facility, care type, period, status) and attendance per month per facility.

Every read starts from the user's scope (reservations_for_user, taps_for_user,
absences_for_user, facilities_for_user): facilities outside it never show, and a child
who used none of the scope's facilities is a 404. The child page leaves an access record.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kium.attendance.domain.linked import linked_children_for_user, linked_month, linked_summary
from kium.backoffice.decorators import backoffice_view
from kium.backoffice.views_common import nav, paginate
from kium.backoffice.views_reservations import record_list_access
from kium.core import clock
from kium.core.audit import record_access
from kium.orgs.forms import KiumForm, MonthField, date_field
from kium.reservations.domain.queries import reservations_for_user

LINKED_MENU = "reservations.linked"
MAX_RESERVATIONS = 200


class LinkedSearchForm(KiumForm):
    name = forms.CharField(label=gettext_lazy("아동 이름"), required=False, max_length=50)
    birth_date = date_field(gettext_lazy("생년월일"))

    def clean(self):
        data = super().clean()
        empty = not (data.get("name") or "").strip() and not data.get("birth_date")
        if empty and not self.errors:
            self.add_error("name", gettext_lazy("아동 이름이나 생년월일을 입력해 주세요."))
        return data


class LinkedMonthForm(KiumForm):
    month = MonthField(label=gettext_lazy("조회 월 (YYYY-MM)"))


@backoffice_view(LINKED_MENU)
def search(request):
    form = LinkedSearchForm(request.GET or None)
    context = {"form": form, **nav(request, LINKED_MENU)}
    status = 200
    if form.is_bound:
        if form.is_valid():
            rows = linked_children_for_user(request.user).select_related("guardian")
            name = form.cleaned_data["name"].strip()
            if name:
                rows = rows.filter(name__icontains=name)
            if form.cleaned_data["birth_date"]:
                rows = rows.filter(birth_date=form.cleaned_data["birth_date"])
            pages = paginate(request, rows.order_by("name", "birth_date", "pk"), default=20)
            page_rows = list(pages["page_obj"])
            if page_rows:
                record_list_access(
                    request,
                    page_rows,
                    action="attendance.linked.search",
                    label=_("연계돌봄 아동 검색"),
                    subject=page_rows[0],
                )
            context.update({"rows": page_rows, "searched": True, **pages})
        else:
            status = 400
    return render(request, "backoffice/linked/search.html", context, status=status)


@backoffice_view(LINKED_MENU)
def child_detail(request, child_pk: int):
    child = get_object_or_404(
        linked_children_for_user(request.user).select_related("guardian"), pk=child_pk
    )
    form = LinkedMonthForm(request.GET or None)
    context = {"form": form, "child": child, **nav(request, LINKED_MENU)}
    record_access(actor=request.user, action="attendance.linked.child", subject=child)
    if form.is_bound and not form.is_valid():
        return render(request, "backoffice/linked/child.html", context, status=400)
    month = form.cleaned_data["month"] if form.is_bound else None
    first = (month or clock.today()).replace(day=1)
    reservations = list(
        reservations_for_user(request.user)
        .filter(child=child)
        .order_by("-created_at", "-pk")[:MAX_RESERVATIONS]
    )
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    context.update(
        {
            "first": first,
            "reservations": reservations,
            "month_groups": linked_month(request.user, child, first),
            "summary": linked_summary(request.user, child, first),
            "previous_month": f"{previous:%Y-%m}",
            "next_month": f"{following:%Y-%m}",
        }
    )
    return render(request, "backoffice/linked/child.html", context)
