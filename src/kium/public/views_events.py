"""행사 및 교육 on the portal (FAC-4): 문화행사 and 마을돌봄자원, published ones only.

Public information, no personal data: anyone may read, nothing is recorded.
"""

from __future__ import annotations

from django import forms
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kium.boards.domain import events as domain
from kium.boards.models import VillageResourceCategory
from kium.core import clock
from kium.orgs.models import District
from kium.public.views_cms import _menu_context

PER_PAGE = 10


class VillageFilterForm(forms.Form):
    district = forms.ModelChoiceField(
        label=gettext_lazy("자치구"),
        queryset=District.objects.order_by("sort_order", "name"),
        required=False,
        empty_label=gettext_lazy("전체"),
        widget=forms.Select(attrs={"class": "krds-form-select"}),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("분류"),
        choices=[("", gettext_lazy("전체")), *VillageResourceCategory.choices],
        required=False,
        widget=forms.Select(attrs={"class": "krds-form-select"}),
    )


def _page(request: HttpRequest, rows):
    return Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))


def events(request: HttpRequest) -> HttpResponse:
    """Upcoming and running events; ``?past=1`` shows the ended ones (지난 행사)."""
    past = request.GET.get("past") == "1"
    title = _("문화행사")
    rows = domain.published_events(today=clock.today(), past=past)
    context = {
        "title": title,
        "past": past,
        "page_obj": _page(request, rows),
        **_menu_context(request.path, title),
    }
    return render(request, "public/events/events.html", context)


def event_detail(request: HttpRequest, pk: int) -> HttpResponse:
    event = domain.published_event(pk)
    if event is None:
        raise Http404(_("행사를 찾을 수 없습니다."))
    context = {"event": event, **_menu_context(request.path, event.title)}
    return render(request, "public/events/event_detail.html", context)


def village_resources(request: HttpRequest) -> HttpResponse:
    title = _("마을돌봄자원")
    form = VillageFilterForm(request.GET or None)
    district, category, status = None, "", 200
    if form.is_bound:
        if form.is_valid():
            district, category = form.cleaned_data["district"], form.cleaned_data["category"]
        else:
            status = 400
    rows = domain.published_village_resources(district=district, category=category)
    context = {
        "title": title,
        "form": form,
        "page_obj": _page(request, rows),
        **_menu_context(request.path, title),
    }
    return render(request, "public/events/village_resources.html", context, status=status)
