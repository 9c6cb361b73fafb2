"""홈페이지관리 > 행사 및 교육 (FAC-4): 문화행사, 마을돌봄자원; and 우리동네키움센터현황.

Every fetch goes through the scoped reads of ``kium.boards.domain.events``: an event or
resource outside the officer's districts is a 404. The forms live here because they
serve these screens only; they read and validate, the domain functions write.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kium.backoffice.decorators import backoffice_view
from kium.backoffice.views_common import apply_error, nav, paginate
from kium.boards.domain import events as domain
from kium.boards.domain.errors import BoardsError
from kium.boards.models import VillageResourceCategory
from kium.orgs.domain.scope import facilities_for_user, scope_for
from kium.orgs.forms import KiumForm, date_field
from kium.orgs.models import District, Dong, Facility

EVENTS_MENU = "homepage.events"
VILLAGE_MENU = "homepage.village"
STATUS_MENU = "homepage.kium_status"


# --- forms -----------------------------------------------------------------------------


class EventFilterForm(KiumForm):
    district = forms.ModelChoiceField(
        label=gettext_lazy("자치구"), queryset=District.objects.none(), required=False
    )
    date_from = date_field(gettext_lazy("기간 시작일"))
    date_to = date_field(gettext_lazy("기간 종료일"))
    q = forms.CharField(label=gettext_lazy("행사명·장소"), required=False, max_length=50)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = domain.event_districts_for_user(user)
        self.fields["district"].empty_label = _("전체")

    def clean(self):
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("종료일은 시작일보다 빠를 수 없습니다."))
        return data


class EventForm(KiumForm):
    title = forms.CharField(
        label=gettext_lazy("행사명"),
        max_length=200,
        error_messages={"required": gettext_lazy("행사명을 입력해 주세요.")},
    )
    district = forms.ModelChoiceField(
        label=gettext_lazy("자치구"), queryset=District.objects.none(), required=False
    )
    facility = forms.ModelChoiceField(
        label=gettext_lazy("주관 시설"), queryset=Facility.objects.none(), required=False
    )
    place = forms.CharField(
        label=gettext_lazy("장소"),
        max_length=200,
        error_messages={"required": gettext_lazy("장소를 입력해 주세요.")},
    )
    starts_on = date_field(gettext_lazy("시작일"), required=True)
    ends_on = date_field(gettext_lazy("종료일"), required=True)
    target_ages = forms.CharField(label=gettext_lazy("대상 연령"), max_length=100, required=False)
    description = forms.CharField(
        label=gettext_lazy("내용 (HTML)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        help_text=gettext_lazy("스크립트와 스타일, 허용되지 않은 속성은 저장할 때 지워집니다."),
    )
    is_published = forms.BooleanField(label=gettext_lazy("포털에 게시"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        district = self.fields["district"]
        district.queryset = domain.event_districts_for_user(user)
        if scope_for(user).city:
            district.empty_label = _("서울시 전체")
        else:
            district.required = True
            district.empty_label = _("--선택--")
            district.error_messages["required"] = _("자치구를 선택해 주세요.")
        facility = self.fields["facility"]
        facility.queryset = facilities_for_user(user).select_related("district")
        facility.empty_label = _("없음")
        for name in ("starts_on", "ends_on"):
            self.fields[name].error_messages["required"] = _("날짜를 입력해 주세요.")

    def clean(self):
        data = super().clean()
        start, end = data.get("starts_on"), data.get("ends_on")
        if start and end and end < start:
            self.add_error("ends_on", _("종료일은 시작일보다 빠를 수 없습니다."))
        return data


class ResourceFilterForm(KiumForm):
    district = forms.ModelChoiceField(
        label=gettext_lazy("자치구"), queryset=District.objects.none(), required=False
    )
    category = forms.ChoiceField(
        label=gettext_lazy("분류"),
        choices=[("", gettext_lazy("전체")), *VillageResourceCategory.choices],
        required=False,
    )
    q = forms.CharField(label=gettext_lazy("자원명·주소"), required=False, max_length=50)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = domain.event_districts_for_user(user)
        self.fields["district"].empty_label = _("전체")


class ResourceForm(KiumForm):
    name = forms.CharField(
        label=gettext_lazy("자원명"),
        max_length=200,
        error_messages={"required": gettext_lazy("자원명을 입력해 주세요.")},
    )
    category = forms.ChoiceField(
        label=gettext_lazy("분류"),
        choices=[("", gettext_lazy("--선택--")), *VillageResourceCategory.choices],
        error_messages={"required": gettext_lazy("분류를 선택해 주세요.")},
    )
    district = forms.ModelChoiceField(
        label=gettext_lazy("자치구"),
        queryset=District.objects.none(),
        error_messages={"required": gettext_lazy("자치구를 선택해 주세요.")},
    )
    dong = forms.ModelChoiceField(
        label=gettext_lazy("동"), queryset=Dong.objects.none(), required=False
    )
    address = forms.CharField(label=gettext_lazy("주소"), max_length=200, required=False)
    phone = forms.CharField(label=gettext_lazy("전화번호"), max_length=20, required=False)
    url = forms.URLField(
        label=gettext_lazy("홈페이지"),
        assume_scheme="https",
        max_length=300,
        required=False,
        error_messages={
            "invalid": gettext_lazy("http:// 또는 https://로 시작하는 주소를 입력해 주세요.")
        },
    )
    description = forms.CharField(
        label=gettext_lazy("설명"), required=False, widget=forms.Textarea(attrs={"rows": 6})
    )
    is_published = forms.BooleanField(label=gettext_lazy("포털에 게시"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        districts = domain.event_districts_for_user(user)
        self.fields["district"].queryset = districts
        self.fields["district"].empty_label = _("--선택--")
        dong = self.fields["dong"]
        dong.queryset = Dong.objects.filter(district__in=districts).select_related("district")
        dong.label_from_instance = lambda d: f"{d.district.name} {d.name}"
        dong.empty_label = _("없음")


# --- 문화행사 --------------------------------------------------------------------------


def _numbered(page_obj, offset: int):
    return [(offset + i, obj) for i, obj in enumerate(page_obj.object_list, start=1)]


@backoffice_view(EVENTS_MENU)
def events(request: HttpRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None, user=request.user)
    rows = domain.events_for_user(request.user)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["district"]:
            rows = rows.filter(district=data["district"])
        # 기간: events that run on at least one day of the period.
        if data["date_from"]:
            rows = rows.filter(ends_on__gte=data["date_from"])
        if data["date_to"]:
            rows = rows.filter(starts_on__lte=data["date_to"])
        if data["q"]:
            rows = rows.filter(Q(title__icontains=data["q"]) | Q(place__icontains=data["q"]))
    pages = paginate(request, rows.order_by("-starts_on", "-pk"))
    context = {
        "form": form,
        "rows": _numbered(pages["page_obj"], pages["row_offset"]),
        **pages,
        **nav(request, EVENTS_MENU),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "backoffice/events/events.html", context, status=status)


def _event_initial(event) -> dict:
    if event is None:
        return {}
    fields = ("title", "district", "facility", "place", "starts_on", "ends_on")
    initial = {name: getattr(event, name) for name in fields}
    initial.update(
        target_ages=event.target_ages,
        description=event.description,
        is_published=event.is_published,
    )
    return initial


@backoffice_view(EVENTS_MENU)
def event_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """등록 (no ``pk``) and 수정; an event outside the officer's districts is a 404."""
    event = get_object_or_404(domain.events_for_user(request.user), pk=pk) if pk else None
    form = EventForm(request.POST or None, initial=_event_initial(event), user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if event is None:
                    event = domain.create_event(actor=request.user, **form.cleaned_data)
                else:
                    domain.update_event(actor=request.user, event=event, **form.cleaned_data)
            except BoardsError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("문화행사를 저장했습니다."))
                return redirect("backoffice:event_edit", pk=event.pk)
        status = 400
    context = {"form": form, "event": event, **nav(request, EVENTS_MENU)}
    return render(request, "backoffice/events/event_form.html", context, status=status)


# --- 마을돌봄자원 ----------------------------------------------------------------------


@backoffice_view(VILLAGE_MENU)
def village_resources(request: HttpRequest) -> HttpResponse:
    form = ResourceFilterForm(request.GET or None, user=request.user)
    rows = domain.village_resources_for_user(request.user)
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["district"]:
            rows = rows.filter(district=data["district"])
        if data["category"]:
            rows = rows.filter(category=data["category"])
        if data["q"]:
            rows = rows.filter(Q(name__icontains=data["q"]) | Q(address__icontains=data["q"]))
    pages = paginate(request, rows)
    context = {
        "form": form,
        "rows": _numbered(pages["page_obj"], pages["row_offset"]),
        **pages,
        **nav(request, VILLAGE_MENU),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "backoffice/events/village_resources.html", context, status=status)


def _resource_initial(resource) -> dict:
    if resource is None:
        return {}
    fields = ("name", "category", "district", "dong", "address", "phone", "url")
    initial = {name: getattr(resource, name) for name in fields}
    initial.update(description=resource.description, is_published=resource.is_published)
    return initial


@backoffice_view(VILLAGE_MENU)
def village_resource_edit(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    resource = (
        get_object_or_404(domain.village_resources_for_user(request.user), pk=pk) if pk else None
    )
    form = ResourceForm(
        request.POST or None, initial=_resource_initial(resource), user=request.user
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                if resource is None:
                    resource = domain.create_village_resource(
                        actor=request.user, **form.cleaned_data
                    )
                else:
                    domain.update_village_resource(
                        actor=request.user, resource=resource, **form.cleaned_data
                    )
            except BoardsError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("마을돌봄자원을 저장했습니다."))
                return redirect("backoffice:village_resource_edit", pk=resource.pk)
        status = 400
    context = {"form": form, "resource": resource, **nav(request, VILLAGE_MENU)}
    return render(request, "backoffice/events/village_resource_form.html", context, status=status)


# --- 우리동네키움센터현황 --------------------------------------------------------------


@backoffice_view(STATUS_MENU)
def kium_status(request: HttpRequest) -> HttpResponse:
    rows, total = domain.kium_status(request.user)
    context = {"rows": rows, "total": total, **nav(request, STATUS_MENU)}
    return render(request, "backoffice/events/kium_status.html", context)
