"""내 예약: a guardian's reservations, waitlist positions, offers to accept, cancelling,
documents and consents (RES-6), and the automatic extension of regular care (RES-9).

Only the guardian's own reservations are found (reservations_of_guardian); anything
else is a 404. Every change goes through the reservation domain functions.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from kium.core import clock
from kium.core.net import client_ip
from kium.public.views_account import guardian_required
from kium.public.views_reserve_common import offered_care_types
from kium.reservations.domain import transitions
from kium.reservations.domain.conversion import is_convertible
from kium.reservations.domain.documents import (
    MAX_DOCUMENTS,
    add_document,
    give_consents,
    missing_documents,
    open_document,
)
from kium.reservations.domain.errors import NOT_FOUND, ReservationError
from kium.reservations.domain.extension import state_of, stop_extension
from kium.reservations.domain.places import waitlist_positions
from kium.reservations.domain.queries import reservations_of_guardian
from kium.reservations.enums import ACTIVE_STATUSES, CareType, DocumentKind, Status
from kium.reservations.forms_public import (
    PICKUP_TEXT,
    PRIVACY_TEXT,
    WEEKDAY_NAMES,
    CancelForm,
    ConsentsForm,
    DocumentForm,
)
from kium.reservations.models import ReservationDocument

CANCELLABLE = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)
# The list shows everything current and the most recent history.
MAX_ROWS = 200
AGAIN_FACILITIES = 4


def _own_or_404(request: HttpRequest, pk: int):
    return get_object_or_404(reservations_of_guardian(request.user), pk=pk)


def _item(reservation, positions: dict, today) -> dict:
    last_day = reservation.last_day
    return {
        "reservation": reservation,
        "position": positions.get(reservation.pk),
        "weekday": WEEKDAY_NAMES[reservation.date.weekday()] if reservation.date else "",
        "weekdays": [WEEKDAY_NAMES[day] for day in reservation.weekdays or [] if 0 <= day < 7],
        "current": reservation.status in ACTIVE_STATUSES and last_day >= today,
        "can_cancel": reservation.status in CANCELLABLE and last_day >= today,
        "can_accept": reservation.status == Status.OFFERED,
    }


def _again_links(rows) -> list[dict]:
    """'다시 예약': the centres this family used, with the same child and care type."""
    seen: set[int] = set()
    links = []
    for reservation in rows:
        facility = reservation.facility
        if facility.pk in seen or not facility.is_operating:
            continue
        seen.add(facility.pk)
        query = {"child": reservation.child_id}
        if reservation.care_type != CareType.REGULAR:
            query["care_type"] = reservation.care_type
        links.append(
            {
                "facility": facility,
                "child": reservation.child,
                "href": f"{reverse('public:reserve', args=[facility.code])}?{urlencode(query)}",
            }
        )
        if len(links) == AGAIN_FACILITIES:
            break
    return links


@guardian_required
@require_GET
def my_reservations(request: HttpRequest) -> HttpResponse:
    today = clock.today()
    rows = list(reservations_of_guardian(request.user).order_by("-created_at", "-pk")[:MAX_ROWS])
    positions = waitlist_positions(rows)
    items = [_item(reservation, positions, today) for reservation in rows]
    context = {
        "offers": [item for item in items if item["can_accept"]],
        "current": [item for item in items if item["current"] and not item["can_accept"]],
        "past": [item for item in items if not item["current"] and not item["can_accept"]],
        "again": _again_links(rows),
        "find_href": reverse("public:find_map"),
        "today": today,
    }
    return render(request, "public/reserve/mine.html", context)


@guardian_required
@require_GET
def reservations_home(request: HttpRequest) -> HttpResponse:
    """The portal's '키움센터 예약' entry: a member's reservations are where it starts."""
    return redirect("public:my_reservations")


# --- one reservation -----------------------------------------------------------------------


def _render_detail(
    request,
    reservation,
    *,
    document_form=None,
    consents_form=None,
    action_error: str = "",
    status: int = 200,
) -> HttpResponse:
    today = clock.today()
    documents = list(reservation.documents.all())
    missing = missing_documents(reservation, uploaded_kinds={d.kind for d in documents})
    extension = None
    can_change_extension = False
    if reservation.care_type == CareType.REGULAR and reservation.status in (
        Status.CONFIRMED,
        Status.COMPLETED,
    ):
        extension = state_of(reservation)
        can_change_extension = (
            extension.code in ("continuing", "stopped")
            and extension.cutoff is not None
            and today <= extension.cutoff
        )
    item = _item(reservation, waitlist_positions([reservation]), today)
    can_convert = is_convertible(reservation) and CareType.REGULAR in offered_care_types(
        reservation.facility
    )
    context = {
        **item,
        "documents": documents,
        "missing": [DocumentKind(kind).label for kind in missing],
        "missing_codes": missing,
        "document_form": document_form or DocumentForm(),
        "consents_form": consents_form or ConsentsForm(missing=missing),
        "can_upload": len(documents) < MAX_DOCUMENTS and reservation.status in CANCELLABLE,
        "extension": extension,
        "can_change_extension": can_change_extension,
        "can_convert": can_convert,
        "action_error": action_error,
        "privacy_text": PRIVACY_TEXT,
        "pickup_text": PICKUP_TEXT,
    }
    return render(request, "public/reserve/detail.html", context, status=status)


def _status_for(exc: ReservationError) -> int:
    if exc.code == NOT_FOUND:
        raise Http404(exc.message)
    return 409 if exc.http_status == 409 else 400


@guardian_required
@require_GET
def reservation_detail(request: HttpRequest, pk: int) -> HttpResponse:
    return _render_detail(request, _own_or_404(request, pk))


@guardian_required
@require_http_methods(["GET", "POST"])
def reservation_cancel(request: HttpRequest, pk: int) -> HttpResponse:
    """GET asks to confirm; POST cancels (freed places go to the next in line at once)."""
    reservation = _own_or_404(request, pk)
    item = _item(reservation, waitlist_positions([reservation]), clock.today())
    form = CancelForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                transitions.cancel(
                    actor=request.user,
                    reservation=reservation,
                    reason=form.cleaned_data.get("reason", ""),
                )
            except ReservationError as exc:
                return _render_detail(
                    request,
                    reservation,
                    action_error=exc.message,
                    status=_status_for(exc),
                )
            messages.success(request, _("예약을 취소했습니다."))
            return redirect("public:my_reservations")
        status = 400
    context = {**item, "form": form}
    return render(request, "public/reserve/cancel.html", context, status=status)


@guardian_required
@require_POST
def reservation_accept(request: HttpRequest, pk: int) -> HttpResponse:
    reservation = _own_or_404(request, pk)
    try:
        transitions.accept_offer(actor=request.user, reservation=reservation)
    except ReservationError as exc:
        reservation.refresh_from_db()
        return _render_detail(
            request, reservation, action_error=exc.message, status=_status_for(exc)
        )
    messages.success(request, _("자리 제안을 수락했습니다. 이용이 확정되었습니다."))
    return redirect("public:reservation_detail", pk=reservation.pk)


@guardian_required
@require_POST
def reservation_extension(request: HttpRequest, pk: int) -> HttpResponse:
    """Stop (stop=1) or resume (stop=0) the automatic continuation before the cut-off."""
    reservation = _own_or_404(request, pk)
    stop = request.POST.get("stop") != "0"
    try:
        stop_extension(actor=request.user, reservation=reservation, stop=stop)
    except ReservationError as exc:
        return _render_detail(
            request, reservation, action_error=exc.message, status=_status_for(exc)
        )
    if stop:
        messages.success(request, _("다음 분기 자동 연장을 중단했습니다."))
    else:
        messages.success(request, _("다음 분기로 자동 연장되도록 다시 설정했습니다."))
    return redirect("public:reservation_detail", pk=reservation.pk)


@guardian_required
@require_POST
def reservation_consents(request: HttpRequest, pk: int) -> HttpResponse:
    reservation = _own_or_404(request, pk)
    form = ConsentsForm(request.POST, missing=missing_documents(reservation))
    if not form.is_valid():
        return _render_detail(request, reservation, consents_form=form, status=400)
    try:
        give_consents(
            actor=request.user,
            reservation=reservation,
            privacy=form.cleaned_data.get("privacy", False),
            pickup=form.cleaned_data.get("pickup", False),
        )
    except ReservationError as exc:
        return _render_detail(
            request, reservation, action_error=exc.message, status=_status_for(exc)
        )
    messages.success(request, _("동의 내용을 저장했습니다."))
    return redirect("public:reservation_detail", pk=reservation.pk)


@guardian_required
@require_POST
def reservation_document_add(request: HttpRequest, pk: int) -> HttpResponse:
    reservation = _own_or_404(request, pk)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            add_document(
                actor=request.user,
                reservation=reservation,
                kind=form.cleaned_data["kind"],
                upload=form.cleaned_data["file"],
            )
        except ReservationError as exc:
            if exc.code == NOT_FOUND:
                raise Http404(exc.message) from exc
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        else:
            messages.success(request, _("서류를 올렸습니다."))
            return redirect("public:reservation_detail", pk=reservation.pk)
    return _render_detail(request, reservation, document_form=form, status=400)


@guardian_required
@require_GET
def reservation_document(request: HttpRequest, pk: int) -> HttpResponse:
    """One of the guardian's own documents, through open_document (checked and recorded)."""
    document = (
        ReservationDocument.objects.select_related("reservation__facility")
        .filter(pk=pk, reservation__guardian=request.user)
        .first()
    )
    if document is None:
        raise Http404(_("서류를 찾을 수 없습니다."))
    try:
        handle = open_document(actor=request.user, document=document, ip=client_ip(request))
    except ReservationError as exc:
        raise Http404(exc.message) from exc
    except OSError as exc:
        raise Http404(_("서류를 찾을 수 없습니다.")) from exc
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=document.original_name,
        content_type=document.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
