"""조직관리: 부서 관리 (ORG-5), 시설 ID 매핑 (ORG-6) and facility registration (FAC-2).

The facility's edit and profile screens live in ``views_facility_profile``.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kium.backoffice.decorators import backoffice_view, forbidden
from kium.backoffice.views_common import (
    PER_PAGE_CHOICES,
    apply_error,
    nav,
    paginate,
    reasoned_download,
)
from kium.centres.domain.profile import (
    can_edit_record,
    profile_of,
    register_facility_with_details,
)
from kium.orgs.domain import exports
from kium.orgs.domain.departments import (
    add_department,
    department_tree,
    map_facility,
    unmap_facility,
    unmapped_departments_for_user,
    unmapped_facilities_for_user,
    update_department,
)
from kium.orgs.domain.errors import OUT_OF_SCOPE, OrgError
from kium.orgs.domain.queries import facility_list_for_user
from kium.orgs.domain.scope import departments_for_user, facilities_for_user, menu_codes_for
from kium.orgs.domain.staff import staff_rows_for_user
from kium.orgs.enums import AgeGroup, DepartmentLevel, FacilityType
from kium.orgs.forms import (
    DepartmentAddForm,
    DepartmentForm,
    FacilityFilterForm,
    FacilitySearchForm,
    districts_in_reach,
)
from kium.orgs.forms_facility import FacilityRegisterForm
from kium.orgs.models import Department, Dong

DEPARTMENT_MENU = "org.departments"
MAPPING_MENUS = ("org.departments", "org.mapping")
FACILITY_MENUS = ("org.departments", "homepage.facilities", "homepage.kium")
SEARCH_LIMIT = 50


def _facility_menu(user) -> str:
    """The side menu the facility screens sit under: 시설관리 where the user holds it."""
    held = menu_codes_for(user)
    return next((code for code in FACILITY_MENUS[1:] if code in held), DEPARTMENT_MENU)


def _tree(user):
    departments = (
        departments_for_user(user).select_related("facility").order_by("sort_order", "code")
    )
    return department_tree(departments)


def _department_or_404(user, pk: int) -> Department:
    return get_object_or_404(
        departments_for_user(user).select_related("parent", "district", "facility"), pk=pk
    )


# --- 부서 관리 -----------------------------------------------------------------------


@backoffice_view(DEPARTMENT_MENU)
def departments(request):
    context = {"tree": _tree(request.user), **nav(request, DEPARTMENT_MENU)}
    return render(request, "backoffice/org/departments.html", context)


@backoffice_view(DEPARTMENT_MENU)
def department_detail(request, pk: int):
    department = _department_or_404(request.user, pk)
    status = 200
    form = DepartmentForm(request.POST or None, user=request.user, department=department)
    if request.method == "POST":
        if form.is_valid():
            try:
                update_department(
                    actor=request.user,
                    department=department,
                    name=form.cleaned_data["name"],
                    code=form.cleaned_data["code"],
                    phone=form.cleaned_data["phone"],
                    fax=form.cleaned_data["fax"],
                    parent=form.cleaned_data.get("parent"),
                )
            except OrgError as exc:
                if exc.code == OUT_OF_SCOPE:
                    raise Http404 from exc
                apply_error(form, exc)
            else:
                messages.success(request, _("부서 정보를 저장했습니다."))
                return redirect("backoffice:department_detail", pk=department.pk)
        status = 400
    context = {
        "tree": _tree(request.user),
        "department": department,
        "form": form,
        "can_map": department.level == DepartmentLevel.FACILITY,
        **nav(request, DEPARTMENT_MENU),
    }
    return render(request, "backoffice/org/department_detail.html", context, status=status)


@backoffice_view(DEPARTMENT_MENU)
def department_add(request):
    initial = {}
    if request.GET.get("parent", "").isdigit():
        initial["parent"] = request.GET["parent"]
    form = DepartmentAddForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                department = add_department(
                    actor=request.user,
                    parent=data["parent"],
                    name=data["name"],
                    code=data["code"],
                    phone=data["phone"],
                    fax=data["fax"],
                    district=data.get("district"),
                    facility_type=data.get("facility_type") or "",
                )
            except OrgError as exc:
                apply_error(form, exc)
            else:
                messages.success(request, _("부서를 추가했습니다."))
                return redirect("backoffice:department_detail", pk=department.pk)
        status = 400
    context = {"tree": _tree(request.user), "form": form, **nav(request, DEPARTMENT_MENU)}
    return render(request, "backoffice/org/department_add.html", context, status=status)


# --- 시설 ID 매핑 --------------------------------------------------------------------


@backoffice_view(MAPPING_MENUS)
@require_GET
def department_facility_search(request, pk: int):
    """시설조회: facilities of the department's district in scope (htmx dialog or page)."""
    department = _department_or_404(request.user, pk)
    form = FacilitySearchForm(request.GET or None)
    facilities = (
        facilities_for_user(request.user)
        .filter(district_id=department.district_id)
        .select_related("district", "department")
        .order_by("name", "code")
    )
    if form.is_valid() and form.cleaned_data["q"]:
        q = form.cleaned_data["q"]
        facilities = facilities.filter(Q(name__icontains=q) | Q(code__icontains=q))
    context = {
        "department": department,
        "form": form,
        "facilities": facilities[:SEARCH_LIMIT],
        "limit": SEARCH_LIMIT,
    }
    if request.htmx:
        return render(request, "backoffice/org/_facility_search.html", context)
    context.update(nav(request, DEPARTMENT_MENU))
    return render(request, "backoffice/org/facility_search.html", context)


@backoffice_view(MAPPING_MENUS)
@require_POST
def department_map(request, pk: int):
    department = _department_or_404(request.user, pk)
    facility_id = request.POST.get("facility", "")
    facility = get_object_or_404(
        facilities_for_user(request.user), pk=facility_id if facility_id.isdigit() else 0
    )
    try:
        map_facility(actor=request.user, department=department, facility=facility)
    except OrgError as exc:
        if exc.code == OUT_OF_SCOPE:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("시설을 부서에 매핑했습니다."))
    return redirect("backoffice:department_detail", pk=department.pk)


@backoffice_view(MAPPING_MENUS)
@require_POST
def department_unmap(request, pk: int):
    department = _department_or_404(request.user, pk)
    try:
        unmap_facility(actor=request.user, department=department)
    except OrgError as exc:
        if exc.code == OUT_OF_SCOPE:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("시설 매핑을 해제했습니다."))
    return redirect("backoffice:department_detail", pk=department.pk)


@backoffice_view(MAPPING_MENUS)
def mapping(request):
    context = {
        "departments": unmapped_departments_for_user(request.user),
        "facilities": unmapped_facilities_for_user(request.user),
        **nav(request, "org.mapping"),
    }
    return render(request, "backoffice/org/mapping.html", context)


# --- facilities (홈페이지관리 > 시설관리) ------------------------------------------------


def _filtered_facilities(request):
    """The filter form and the facilities it selects; bad filters select nothing."""
    form = FacilityFilterForm(request.GET or None, user=request.user)
    if not form.is_bound:
        return form, facility_list_for_user(request.user)
    if form.is_valid():
        return form, facility_list_for_user(request.user, **form.filters())
    return form, facility_list_for_user(request.user).none()


def _numbered(page_obj, total: int, offset: int) -> list[tuple[int, object]]:
    """순번 as the deck counts: the newest facility carries the highest number."""
    return [(total - offset - i, row) for i, row in enumerate(page_obj)]


def _list_title(form) -> str:
    """ "우리동네키움센터 목록" when one type is chosen, as on the deck."""
    chosen = form.cleaned_data.get("facility_type") if form.is_bound and form.is_valid() else ""
    if chosen:
        return _("%(type)s 목록") % {"type": FacilityType(chosen).label}
    return _("시설 목록")


@backoffice_view(FACILITY_MENUS)
def facilities(request):
    """시설관리 list (FAC-1): filters, numbered rows, per-page choice, Excel download."""
    form, rows = _filtered_facilities(request)
    pages = paginate(request, rows)
    context = {
        "form": form,
        "list_title": _list_title(form),
        "rows": _numbered(pages["page_obj"], pages["paginator"].count, pages["row_offset"]),
        "per_page_choices": PER_PAGE_CHOICES,
        "per_page": pages["paginator"].per_page,
        "can_register": districts_in_reach(request.user).exists(),
        **pages,
        **nav(request, _facility_menu(request.user)),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "backoffice/org/facilities.html", context, status=status)


@backoffice_view(FACILITY_MENUS)
def facilities_export(request):
    """Excel of the filtered list; 작성자명/수정자명 are staff names, so a reason is asked."""
    form, rows = _filtered_facilities(request)
    if form.is_bound and not form.is_valid():
        # The list shows the filter's error next to its field; never a file of nothing.
        return redirect(f"{reverse('backoffice:facilities')}?{request.GET.urlencode()}")
    return reasoned_download(
        request,
        what="facility_list",
        label=_("시설 목록"),
        rows=rows,
        workbook=exports.facilities_workbook,
        filename_stem="facilities",
        back_url="backoffice:facilities",
        menu_code=_facility_menu(request.user),
    )


def map_context() -> dict:
    """The location picker's tile source (a setting: OSM by default, VWorld/Kakao later)."""
    return {
        "map_tile_url": settings.KIUM_MAP_TILE_URL,
        "map_tile_attribution": settings.KIUM_MAP_TILE_ATTRIBUTION,
    }


@backoffice_view(FACILITY_MENUS)
def facility_new(request):
    """신규 시설 등록 (FAC-2): every deck field; 주소검색 dialog and the map picker."""
    if not districts_in_reach(request.user).exists():
        return forbidden(request, _("시설 등록은 자치구 또는 서울시 담당자가 합니다."))
    form = FacilityRegisterForm(request.POST or None, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                facility = register_facility_with_details(
                    actor=request.user,
                    district=data["district"],
                    facility_type=data["facility_type"],
                    name=data["name"],
                    address=data["address"],
                    address_detail=data["address_detail"],
                    kind=data["kind"],
                    dong=data["dong"],
                    lat=data["lat"],
                    lng=data["lng"],
                    area_m2=data["area_m2"],
                    ages=data["ages"],
                    email=data["email"],
                    phone=data["phone"],
                    opened_on=data["opened_on"],
                    required_documents=data["required_documents"],
                )
            except OrgError as exc:
                apply_error(form, exc)
            else:
                messages.success(
                    request, _("시설을 등록했습니다. 시설코드: %(code)s") % {"code": facility.code}
                )
                return redirect("backoffice:facility_detail", code=facility.code)
        status = 400
    context = {"form": form, **map_context(), **nav(request, _facility_menu(request.user))}
    return render(request, "backoffice/org/facility_form.html", context, status=status)


@backoffice_view(FACILITY_MENUS)
def facility_detail(request, code: str):
    facility = get_object_or_404(
        facilities_for_user(request.user).select_related("district", "dong", "created_by"),
        code=code,
    )
    staff = staff_rows_for_user(request.user).filter(facility=facility)
    department = Department.objects.filter(facility=facility).first()
    context = {
        "facility": facility,
        "staff": staff,
        "department": department,
        "ages": [AgeGroup(age).label for age in facility.ages if age in AgeGroup.values],
        "profile": profile_of(facility),
        "photos": list(facility.photos.order_by("sort_order", "pk")),
        "can_add_staff": request.scope.covers_district(facility.district_id),
        "can_edit_record": can_edit_record(request.user, facility),
        **nav(request, _facility_menu(request.user)),
    }
    return render(request, "backoffice/org/facility_detail.html", context)


@backoffice_view()
@require_GET
def dong_options(request):
    """htmx: the 동 of the chosen district as <option>s (public data, no scope needed)."""
    district_id = request.GET.get("district", "")
    dongs = (
        Dong.objects.filter(district_id=district_id, is_active=True)
        if district_id.isdigit()
        else Dong.objects.none()
    )
    return render(request, "backoffice/org/_dong_options.html", {"dongs": dongs})
