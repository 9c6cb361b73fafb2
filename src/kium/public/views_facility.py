"""A facility's public page (FAC-2 profile, 실시간 이용현황), its photos, and 관심시설.

The page is public; 관심시설 is for guardians (centres.domain.favourites decides).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ObjectDoesNotExist
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy
from django.views.decorators.http import require_GET, require_POST

from kium.accounts.enums import UserKind
from kium.centres.domain import finder
from kium.centres.domain.availability import availability, operating_period_on
from kium.centres.domain.errors import CentresError
from kium.centres.domain.favourites import (
    MAX_FAVOURITES,
    add_favourite,
    favourite_facilities,
    is_favourite,
    remove_favourite,
)
from kium.centres.domain.holidays import public_holidays
from kium.centres.domain.queries import closed_days_for
from kium.centres.models import FacilityPhoto
from kium.core import clock
from kium.orgs.domain.capacity import effective_capacity, temporary_quota
from kium.orgs.enums import AgeGroup, FacilityType
from kium.orgs.models import Facility
from kium.public.views_account import guardian_required

# 실시간 이용현황: today and the next 13 days, temporary care's booking window (RES-5).
AVAILABILITY_DAYS = 14
# Only image types are served as such; anything else would be a download, never a page.
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp", "image/gif"}
PHOTO_MAX_AGE = 24 * 3600
MAX_ID = 2**63 - 1
WEEKDAYS = (
    pgettext_lazy("weekday", "월"),
    pgettext_lazy("weekday", "화"),
    pgettext_lazy("weekday", "수"),
    pgettext_lazy("weekday", "목"),
    pgettext_lazy("weekday", "금"),
    pgettext_lazy("weekday", "토"),
    pgettext_lazy("weekday", "일"),
)


def _reserve_href(code: str) -> str:
    """The reservation page once its issue registers ``public:reserve``; "" until then."""
    try:
        return reverse("public:reserve", args=[code])
    except NoReverseMatch:
        return ""


def _takes_reservations(facility: Facility) -> bool:
    """Whether the reservation engine takes any care type here (it alone decides)."""
    try:
        from kium.reservations.domain.booking import check_care_type
        from kium.reservations.domain.errors import ReservationError
        from kium.reservations.enums import CareType
    except ImportError:  # no reservation engine in this installation
        return facility.facility_type == FacilityType.KIUM and facility.is_operating
    for care_type in CareType.values:
        try:
            check_care_type(facility, care_type)
        except ReservationError:
            continue
        return True
    return False


def _facility_or_404(code: str) -> Facility:
    facility = (
        finder.public_facilities()
        .select_related("dong", "profile")
        .filter(code=(code or "").upper()[:7])
        .first()
    )
    if facility is None:
        raise Http404(_("시설을 찾을 수 없습니다."))
    return facility


def _profile(facility: Facility):
    try:
        return facility.profile
    except ObjectDoesNotExist:
        return None


def _closed_reasons(facility: Facility, start: dt.date, end: dt.date) -> dict[dt.date, str]:
    reasons: dict[dt.date, str] = {}
    for year in range(start.year, end.year + 1):
        for day, name in public_holidays(year).items():
            if start <= day <= end:
                reasons[day] = name
    for closed in closed_days_for(facility, start, end):
        reasons.setdefault(closed.date, closed.reason)
    return reasons


def _availability_rows(facility: Facility, today: dt.date) -> list[dict]:
    end = today + dt.timedelta(days=AVAILABILITY_DAYS - 1)
    reasons = _closed_reasons(facility, today, end)
    rows = []
    for day in availability(facility=facility, start=today, end=end):
        rows.append(
            {
                "date": day.date,
                "weekday": WEEKDAYS[day.date.weekday()],
                "is_today": day.date == today,
                "open": day.open,
                "regular_free": day.regular_free,
                "temporary_free": day.temporary_free,
                "waitlist": day.waitlist,
                "reason": reasons.get(day.date, ""),
            }
        )
    return rows


def _favourite_context(request: HttpRequest, facility: Facility) -> dict:
    user = request.user
    login_href = ""
    if not user.is_authenticated:
        query = urlencode({"next": reverse("public:facility", args=[facility.code])})
        login_href = f"{reverse('public:login')}?{query}"
    return {
        "facility": facility,
        "is_guardian": user.is_authenticated and user.kind == UserKind.GUARDIAN,
        "is_favourite": is_favourite(user=user, facility=facility),
        "login_href": login_href,
    }


@require_GET
def facility_page(request: HttpRequest, code: str) -> HttpResponse:
    facility = _facility_or_404(code)
    today = clock.today()
    capacity = effective_capacity(facility)
    profile = _profile(facility)
    rows = _availability_rows(facility, today)
    show_temporary = facility.facility_type == FacilityType.KIUM
    takes_reservations = _takes_reservations(facility)
    context = {
        "facility": facility,
        "profile": profile,
        "photos": list(facility.photos.all()),
        "age_labels": [AgeGroup(v).label for v in facility.ages or [] if v in AgeGroup.values],
        "period": operating_period_on(facility=facility, day=today),
        "capacity": capacity,
        "temporary_quota": temporary_quota(capacity, facility.kind),
        "today_row": rows[0] if rows else None,
        "availability_rows": rows,
        "show_temporary": show_temporary,
        "takes_reservations": takes_reservations,
        "reserve_href": _reserve_href(facility.code) if takes_reservations else "",
        "map_href": reverse("public:find_map"),
        "tile_url": settings.KIUM_MAP_TILE_URL,
        "tile_attribution": settings.KIUM_MAP_TILE_ATTRIBUTION,
        "has_services": bool(
            profile and (profile.morning_care or profile.night_care or profile.sick_child_care)
        ),
        "breadcrumb": [
            {"label": _("홍보·자료")},
            {"label": _("돌봄 정보찾기")},
            {"label": _("지도서비스"), "href": reverse("public:find_map")},
            {"label": facility.name},
        ],
        **_favourite_context(request, facility),
    }
    return render(request, "public/facility/detail.html", context)


@require_GET
def facility_photo(request: HttpRequest, pk: int) -> HttpResponse:
    """A facility photo with its stored type; public, so browsers and proxies may keep it."""
    # An id no database column can hold is simply not there (never a 500).
    photo = (
        FacilityPhoto.objects.filter(pk=pk, facility__isnull=False).first()
        if pk <= MAX_ID
        else None
    )
    if photo is None or not photo.image:
        raise Http404(_("사진을 찾을 수 없습니다."))
    try:
        handle = photo.image.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404(_("사진을 찾을 수 없습니다.")) from exc
    content_type = photo.content_type if photo.content_type in IMAGE_TYPES else ""
    response = FileResponse(
        handle, content_type=content_type or "application/octet-stream", as_attachment=False
    )
    response["Cache-Control"] = f"public, max-age={PHOTO_MAX_AGE}"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_POST
def favourite_toggle(request: HttpRequest, code: str) -> HttpResponse:
    """관심시설 on or off (``action`` = add | remove); htmx swaps only the button."""
    facility = _facility_or_404(code)
    user = request.user
    if not user.is_authenticated:
        query = urlencode({"next": reverse("public:facility", args=[facility.code])})
        return redirect(f"{reverse('public:login')}?{query}")
    if user.kind != UserKind.GUARDIAN:
        return render(request, "public/account/guardians_only.html", status=403)
    action = request.POST.get("action")
    error = ""
    status = 200
    try:
        if action == "add":
            add_favourite(user=user, facility=facility)
            notice = _("관심시설에 등록했습니다.")
        elif action == "remove":
            remove_favourite(user=user, facility=facility)
            notice = _("관심시설에서 뺐습니다.")
        else:
            error, notice, status = _("요청을 확인해 주세요."), "", 400
    except CentresError as exc:
        error, notice, status = exc.message, "", 400
    if request.htmx:
        context = {
            **_favourite_context(request, facility),
            "notice": notice,
            "error": error,
            "oob": True,
        }
        return render(request, "public/facility/_favourite.html", context, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, notice)
    target = request.POST.get("next")
    if target == reverse("public:favourites"):
        return redirect(target)
    return redirect("public:facility", code=facility.code)


@guardian_required
@require_GET
def favourites(request: HttpRequest) -> HttpResponse:
    """관심시설 목록 with today's free places (one query for the whole list)."""
    today = clock.today()
    items = []
    for facility in favourite_facilities(user=request.user, day=today):
        regular, temporary = finder.free_places_today(facility, today)
        items.append(
            {
                "facility": facility,
                "open": finder.is_open_today(facility, today),
                "regular_free": regular,
                "temporary_free": temporary,
                "show_temporary": facility.facility_type == FacilityType.KIUM,
            }
        )
    context = {
        "title": _("관심시설"),
        "items": items,
        "today": today,
        "max_favourites": MAX_FAVOURITES,
        "map_href": reverse("public:find_map"),
    }
    return render(request, "public/facility/favourites.html", context)
