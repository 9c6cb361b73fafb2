"""돌봄 정보찾기 (FIND-1): 지도서비스 (map, list and their JSON) and 맞춤형정보.

Public information, no personal data kept: anyone may search. The list under the map is
server-rendered and paginated, so the page works without JavaScript and without the map;
static/kium/find.js draws the map from ``find_map_data`` and lets the list follow it.
See docs/finding-care.md.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from kium.centres.domain import finder
from kium.core import clock
from kium.orgs.enums import AgeGroup, FacilityKind, FacilityType
from kium.orgs.models import District
from kium.public.views_cms import _menu_context

PER_PAGE = 10
MAP_CACHE_SECONDS = 60
# Seoul City Hall: where the map starts before the facilities are loaded.
SEOUL_CENTRE = (37.5665, 126.978)
SELECT = {"class": "krds-form-select"}
INPUT = {"class": "krds-input"}


def _districts():
    return District.objects.order_by("sort_order", "name")


class FindFilterForm(forms.Form):
    """지도서비스 search: every field optional, a GET form that works without JavaScript."""

    type = forms.ChoiceField(
        label=gettext_lazy("시설유형"),
        choices=[("", gettext_lazy("전체")), *FacilityType.choices],
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("센터유형"),
        choices=[("", gettext_lazy("전체")), *FacilityKind.choices],
        required=False,
        widget=forms.Select(attrs=SELECT),
        help_text=gettext_lazy("우리동네키움센터만 해당합니다."),
    )
    district = forms.ModelChoiceField(
        label=gettext_lazy("자치구"),
        queryset=_districts(),
        to_field_name="code",
        required=False,
        empty_label=gettext_lazy("전체"),
        widget=forms.Select(attrs=SELECT),
        error_messages={"invalid_choice": gettext_lazy("목록에 있는 자치구를 골라 주세요.")},
    )
    age = forms.ChoiceField(
        label=gettext_lazy("이용연령"),
        choices=[("", gettext_lazy("전체")), *AgeGroup.choices],
        required=False,
        widget=forms.Select(attrs=SELECT),
    )
    q = forms.CharField(
        label=gettext_lazy("시설명·주소"),
        max_length=50,
        required=False,
        widget=forms.TextInput(attrs={**INPUT, "type": "search"}),
        error_messages={"max_length": gettext_lazy("검색어는 50자까지 입력할 수 있습니다.")},
    )
    accepting = forms.BooleanField(
        label=gettext_lazy("지금 이용 가능한 시설만"),
        required=False,
        help_text=gettext_lazy("오늘 운영하고 빈자리가 있는 시설입니다."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        invalid_choice = gettext_lazy("목록에 있는 값을 골라 주세요.")
        for name in ("type", "kind", "age"):
            self.fields[name].error_messages["invalid_choice"] = invalid_choice

    def clean_q(self) -> str:
        text = self.cleaned_data["q"].strip()
        if "\x00" in text:
            raise forms.ValidationError(_("검색어에 쓸 수 없는 문자가 있습니다."))
        return text

    def filters(self) -> finder.FacilityFilters:
        """The search (only what validated); the public map shows facilities in operation."""
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        district = data.get("district")
        return finder.FacilityFilters(
            district=district.code if district else "",
            facility_type=data.get("type", ""),
            kind=data.get("kind", ""),
            age=data.get("age", ""),
            q=data.get("q", ""),
            accepting=bool(data.get("accepting")),
            operating=True,
        )


def _filter_form(request: HttpRequest) -> FindFilterForm:
    params = request.GET.copy()
    params.pop("page", None)
    return FindFilterForm(params if params else None)


def facility_url(code: str) -> str:
    return reverse("public:facility", args=[code])


def map_url(filters: finder.FacilityFilters) -> str:
    query = filters.query()
    base = reverse("public:find_map")
    return f"{base}?{urlencode(query)}" if query else base


@require_GET
def find_care(request: HttpRequest) -> HttpResponse:
    """/find/: the home page's "돌봄 정보찾기" card opens the map, keeping any search."""
    target = reverse("public:find_map")
    query = request.GET.urlencode()
    return redirect(f"{target}?{query}" if query else target)


@require_GET
def find_map(request: HttpRequest) -> HttpResponse:
    form = _filter_form(request)
    status = 400 if form.is_bound and not form.is_valid() else 200
    filters = form.filters()
    today = clock.today()
    rows = finder.apply_filters(finder.public_facilities(), filters, day=today)
    page_obj = Paginator(rows, PER_PAGE).get_page(request.GET.get("page"))
    items = [
        {"facility": facility, "accepting": finder.is_accepting(facility, today)}
        for facility in page_obj
    ]
    districts = list(_districts())
    data_query = urlencode(filters.query())
    title = _("지도서비스")
    context = {
        "title": title,
        "form": form,
        "page_obj": page_obj,
        "items": items,
        "today": today,
        "map_data_url": reverse("public:find_map_data") + (f"?{data_query}" if data_query else ""),
        "tile_url": settings.KIUM_MAP_TILE_URL,
        "tile_attribution": settings.KIUM_MAP_TILE_ATTRIBUTION,
        "map_centre": SEOUL_CENTRE,
        "map_labels": {
            "types": {value: str(label) for value, label in FacilityType.choices},
            "kinds": {value: str(label) for value, label in FacilityKind.choices},
            "districts": {d.code: d.name for d in districts},
        },
        **_menu_context(request.path, title),
    }
    return render(request, "public/find/map.html", context, status=status)


@require_GET
def find_map_data(request: HttpRequest) -> HttpResponse:
    """The map's facilities as a compact JSON array, for the same search as the page.

    One query for any number of facilities, and cached for a minute per search (the
    "accepting" flag may lag a booking by that minute; the facility page is live).
    """
    form = _filter_form(request)
    if form.is_bound and not form.is_valid():
        fields = {name: [str(e) for e in errors] for name, errors in form.errors.items()}
        return JsonResponse(
            {"code": "invalid", "message": _("검색 조건을 확인해 주세요."), "fields": fields},
            status=400,
        )
    filters = form.filters()
    today = clock.today()
    key = filters.cache_key(today)
    rows = cache.get(key)
    if rows is None:
        rows = finder.map_rows(filters, day=today, url_for=facility_url)
        cache.set(key, rows, MAP_CACHE_SECONDS)
    response = JsonResponse(rows, safe=False)
    response["Cache-Control"] = f"public, max-age={MAP_CACHE_SECONDS}"
    return response


# --- 맞춤형정보 ---------------------------------------------------------------------------


class CustomInfoForm(forms.Form):
    """A child's age (만 나이) or birth date, and the district to search."""

    district = forms.ModelChoiceField(
        label=gettext_lazy("자치구"),
        queryset=_districts(),
        to_field_name="code",
        empty_label=gettext_lazy("선택하세요"),
        widget=forms.Select(attrs=SELECT),
        error_messages={
            "required": gettext_lazy("자치구를 골라 주세요."),
            "invalid_choice": gettext_lazy("목록에 있는 자치구를 골라 주세요."),
        },
    )
    age = forms.IntegerField(
        label=gettext_lazy("아이 나이(만 나이)"),
        required=False,
        min_value=0,
        max_value=finder.ADULT_AGE - 1,
        widget=forms.NumberInput(attrs={**INPUT, "inputmode": "numeric"}),
        help_text=gettext_lazy("만 나이나 생년월일 중 하나를 입력하세요."),
        error_messages={
            "invalid": gettext_lazy("나이는 숫자로 입력해 주세요."),
            "min_value": gettext_lazy("나이는 0세 이상으로 입력해 주세요."),
            "max_value": gettext_lazy("만 18세 미만 아동의 돌봄 정보만 찾을 수 있습니다."),
        },
    )
    birth_date = forms.DateField(
        label=gettext_lazy("생년월일"),
        required=False,
        input_formats=["%Y-%m-%d", "%Y.%m.%d", "%Y%m%d"],
        widget=forms.DateInput(attrs={**INPUT, "type": "date"}, format="%Y-%m-%d"),
        help_text=gettext_lazy(
            "생년월일을 입력하면 연 나이로 따지는 서비스도 정확히 알려 드립니다."
        ),
        error_messages={"invalid": gettext_lazy("생년월일을 2018-03-02 형식으로 입력해 주세요.")},
    )

    def __init__(self, *args, today, **kwargs):
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_birth_date(self):
        birth_date = self.cleaned_data.get("birth_date")
        if birth_date is None:
            return None
        if birth_date > self.today:
            raise forms.ValidationError(_("생년월일은 오늘이나 그 이전 날짜로 입력해 주세요."))
        if finder.international_age(birth_date, self.today) >= finder.ADULT_AGE:
            raise forms.ValidationError(_("만 18세 미만 아동의 돌봄 정보만 찾을 수 있습니다."))
        return birth_date

    def clean(self):
        data = super().clean()
        no_age = data.get("age") is None and "age" not in self.errors
        no_birth_date = data.get("birth_date") is None and "birth_date" not in self.errors
        if no_age and no_birth_date:
            self.add_error("age", _("아이의 만 나이나 생년월일을 입력해 주세요."))
        return data

    def child_age(self) -> finder.ChildAge:
        # The birth date is the more exact of the two when both are given.
        if self.cleaned_data.get("birth_date"):
            return finder.ChildAge.from_birth_date(self.cleaned_data["birth_date"], self.today)
        return finder.ChildAge.from_age(self.cleaned_data["age"])


def _cms_href(slug: str) -> str:
    return reverse("public:cms_page", kwargs={"slug": slug})


@require_http_methods(["GET", "POST"])
def find_custom(request: HttpRequest) -> HttpResponse:
    """맞춤형정보. The form is a POST so a child's birth date never lands in a URL (logs,
    history, referrers); nothing is stored."""
    today = clock.today()
    data = request.POST if request.method == "POST" else None
    form = CustomInfoForm(data, today=today)
    title = _("맞춤형정보")
    context = {"title": title, "form": form, **_menu_context(request.path, title)}
    status = 200
    if request.method == "POST":
        if form.is_valid():
            district = form.cleaned_data["district"]
            age = form.child_age()
            results = []
            for suggestion in finder.suggestions_for(age=age, district=district):
                results.append(
                    {
                        "rule": suggestion.rule,
                        "count": suggestion.count,
                        "caveats": suggestion.caveats,
                        "map_href": map_url(suggestion.map_filters)
                        if suggestion.map_filters
                        else "",
                        "info_links": [
                            {"label": label, "href": _cms_href(slug)}
                            for label, slug in suggestion.rule.info_pages
                        ],
                    }
                )
            context.update({"searched": True, "results": results, "district": district, "age": age})
        else:
            status = 400
    return render(request, "public/find/custom.html", context, status=status)
