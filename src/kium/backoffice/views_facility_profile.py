"""홈페이지관리 > 시설관리: a facility's 기본정보 수정 and 소개 정보 (FAC-2).

* 기본정보 수정 (``facility_edit``): the record. District officers and the city change
  every field but the district and type; the facility's own staff see only the contact
  fields (phone, e-mail, required documents).
* 소개 정보 (``facility_profile``): introduction, hours, meals, fees, services, the
  temporary-booking review switch and the photos — for the facility's staff too.
* ``address_search``: the 주소검색 dialog's results (htmx), from the configured provider.

Views validate and call ``kium.centres.domain.profile`` / ``photos``; they write nothing.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from kium.backoffice.decorators import backoffice_view, forbidden
from kium.backoffice.views_common import apply_error, nav
from kium.backoffice.views_org import FACILITY_MENUS, _facility_menu, map_context
from kium.centres.domain.errors import FORBIDDEN, OUT_OF_SCOPE
from kium.centres.domain.photos import MAX_PHOTOS, add_photo, delete_photo, max_bytes, move_photo
from kium.centres.domain.profile import (
    can_edit_record,
    profile_of,
    save_profile,
    update_facility,
)
from kium.centres.forms_profile import FacilityProfileForm, PhotoForm
from kium.centres.models import FacilityPhoto
from kium.orgs.address import AddressSearchError, search_addresses
from kium.orgs.domain.errors import OrgError
from kium.orgs.domain.scope import facilities_for_user
from kium.orgs.forms_facility import FacilityEditForm

PHOTO_PREFIX = "photo"


def _facility_or_404(request, code: str):
    return get_object_or_404(
        facilities_for_user(request.user).select_related("district", "dong"), code=code
    )


def _photo_or_404(facility, pk: int) -> FacilityPhoto:
    return get_object_or_404(
        FacilityPhoto.objects.select_related("facility"), pk=pk, facility=facility
    )


def _scope_error(request, exc: OrgError):
    """Out of scope is a 404; a forbidden change is the 403 page; None for the rest."""
    if exc.code == OUT_OF_SCOPE:
        raise Http404(exc.message)
    if exc.code == FORBIDDEN:
        return forbidden(request, exc.message)
    return None


# --- 기본정보 수정 -------------------------------------------------------------------------


@backoffice_view(FACILITY_MENUS)
def facility_edit(request, code: str):
    facility = _facility_or_404(request, code)
    contact_only = not can_edit_record(request.user, facility)
    form = FacilityEditForm(
        request.POST or None, user=request.user, facility=facility, contact_only=contact_only
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                update_facility(actor=request.user, facility=facility, **form.changes())
            except OrgError as exc:
                if (page := _scope_error(request, exc)) is not None:
                    return page
                apply_error(form, exc)
            else:
                messages.success(request, _("시설 기본정보를 저장했습니다."))
                return redirect("backoffice:facility_detail", code=facility.code)
        status = 400
    context = {
        "facility": facility,
        "form": form,
        "contact_only": contact_only,
        **map_context(),
        **nav(request, _facility_menu(request.user)),
    }
    return render(request, "backoffice/org/facility_edit.html", context, status=status)


# --- 소개 정보 ----------------------------------------------------------------------------


def _render_profile(
    request, facility, *, form, photo_form, photo_failed: bool = False, status: int = 200
):
    photos = list(facility.photos.order_by("sort_order", "pk"))
    context = {
        "facility": facility,
        "form": form,
        "photo_form": photo_form,
        # A browser never refills a file input: the page says so next to it.
        "photo_failed": photo_failed,
        "photos": photos,
        "max_photos": MAX_PHOTOS,
        "photos_full": len(photos) >= MAX_PHOTOS,
        "max_megabytes": max_bytes() // (1024 * 1024) or 1,
        **nav(request, _facility_menu(request.user)),
    }
    return render(request, "backoffice/org/facility_profile.html", context, status=status)


@backoffice_view(FACILITY_MENUS)
def facility_profile(request, code: str):
    facility = _facility_or_404(request, code)
    profile = profile_of(facility)
    form = FacilityProfileForm(request.POST or None, profile=profile)
    if request.method == "POST":
        if form.is_valid():
            try:
                save_profile(actor=request.user, facility=facility, **form.cleaned_data)
            except OrgError as exc:
                if (page := _scope_error(request, exc)) is not None:
                    return page
                apply_error(form, exc)
            else:
                messages.success(request, _("시설 소개 정보를 저장했습니다."))
                return redirect("backoffice:facility_profile", code=facility.code)
        return _render_profile(
            request, facility, form=form, photo_form=PhotoForm(prefix=PHOTO_PREFIX), status=400
        )
    return _render_profile(request, facility, form=form, photo_form=PhotoForm(prefix=PHOTO_PREFIX))


@backoffice_view(FACILITY_MENUS)
@require_POST
def facility_photo_add(request, code: str):
    facility = _facility_or_404(request, code)
    photo_form = PhotoForm(request.POST, request.FILES, prefix=PHOTO_PREFIX)
    if photo_form.is_valid():
        try:
            add_photo(
                actor=request.user,
                facility=facility,
                upload=photo_form.cleaned_data["image"],
                alt_text=photo_form.cleaned_data["alt_text"],
            )
        except OrgError as exc:
            if (page := _scope_error(request, exc)) is not None:
                return page
            apply_error(photo_form, exc)
        else:
            messages.success(request, _("사진을 올렸습니다."))
            return redirect("backoffice:facility_profile", code=facility.code)
    return _render_profile(
        request,
        facility,
        form=FacilityProfileForm(profile=profile_of(facility)),
        photo_form=photo_form,
        photo_failed=True,
        status=400,
    )


@backoffice_view(FACILITY_MENUS)
@require_POST
def facility_photo_delete(request, code: str, pk: int):
    facility = _facility_or_404(request, code)
    photo = _photo_or_404(facility, pk)
    try:
        delete_photo(actor=request.user, photo=photo)
    except OrgError as exc:
        if (page := _scope_error(request, exc)) is not None:
            return page
        messages.error(request, exc.message)
    else:
        messages.success(request, _("사진을 지웠습니다."))
    return redirect("backoffice:facility_profile", code=facility.code)


@backoffice_view(FACILITY_MENUS)
@require_POST
def facility_photo_move(request, code: str, pk: int):
    facility = _facility_or_404(request, code)
    photo = _photo_or_404(facility, pk)
    try:
        move_photo(actor=request.user, photo=photo, direction=request.POST.get("direction", ""))
    except OrgError as exc:
        if (page := _scope_error(request, exc)) is not None:
            return page
        messages.error(request, exc.message)
    else:
        messages.success(request, _("사진 순서를 바꿨습니다."))
    return redirect(f"{reverse('backoffice:facility_profile', args=[facility.code])}#photos")


@backoffice_view(FACILITY_MENUS)
@require_GET
def facility_photo(request, code: str, pk: int):
    """The photo file for the back office's thumbnails (scope-checked like the facility)."""
    facility = _facility_or_404(request, code)
    photo = _photo_or_404(facility, pk)
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404(_("사진 파일을 찾을 수 없습니다.")) from exc
    response = FileResponse(handle, content_type=photo.content_type)
    response["Cache-Control"] = "private, max-age=300"
    return response


# --- 주소검색 -----------------------------------------------------------------------------


@backoffice_view(FACILITY_MENUS)
@require_GET
def address_search(request):
    """The 주소검색 dialog's result list (htmx), or a page of its own without htmx."""
    query = request.GET.get("q", "")
    page_number = request.GET.get("page", "1")
    page_number = int(page_number) if page_number.isdigit() and 0 < int(page_number) < 1000 else 1
    result, error = None, ""
    if query.strip():
        try:
            result = search_addresses(query, page_number)
        except AddressSearchError as exc:
            error = exc.message
    context = {"query": query, "result": result, "error": error, "selectable": bool(request.htmx)}
    if request.htmx:
        # htmx swaps only 2xx answers; the message is in the partial either way.
        return render(request, "backoffice/org/_address_results.html", context)
    context.update(nav(request, _facility_menu(request.user)))
    return render(
        request,
        "backoffice/org/address_search.html",
        context,
        status=400 if error else 200,
    )
