"""예약관리 > 예약신청관리 (RES-6, RES-7, RES-11): the applications list, one application
with its documents and the centre's decisions, and 방문·전화 접수.

Views read through ``reservations_for_user`` (out of scope = 404) and act only through
the reservation domain functions, which check scope again, take the facility's lock and
write the audit log. A staff member reading children's and guardians' data leaves one
access record per page view (개인정보 접속기록).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from kium.accounts.domain.signup import is_invited
from kium.backoffice.decorators import backoffice_view, forbidden
from kium.backoffice.views_common import PER_PAGE_CHOICES, nav, paginate, reasoned_download
from kium.core import clock
from kium.core.audit import record_access
from kium.core.models import AuditEntry
from kium.orgs.domain.scope import menu_codes_for
from kium.reservations.domain import errors as rules
from kium.reservations.domain.booking import Household, SickCare, bookable_facility
from kium.reservations.domain.calendar import (
    PlaceCheck,
    document_gaps,
    filter_reservations,
    in_review_order,
    newest_first,
    place_checks,
)
from kium.reservations.domain.documents import add_document, mark_paper_forms_received
from kium.reservations.domain.documents import open_document as open_document_file
from kium.reservations.domain.errors import ReservationError
from kium.reservations.domain.exports import applications_workbook
from kium.reservations.domain.fees import record_fee
from kium.reservations.domain.offline import register_offline
from kium.reservations.domain.places import waitlist_positions
from kium.reservations.domain.queries import reservations_for_user
from kium.reservations.domain.transitions import approve, cancel, put_on_waitlist, reject
from kium.reservations.enums import CareType, Status
from kium.reservations.forms import (
    ApplicationFilterForm,
    DocumentUploadForm,
    FeeForm,
    OfflineRegistrationForm,
    ReasonForm,
    RejectForm,
)
from kium.reservations.models import ReservationDocument

APPLICATIONS_MENU = "reservations.applications"
# Any 예약관리 list links to an application's page; the page follows the menu held.
DETAIL_MENUS = (
    "reservations.applications",
    "reservations.regular",
    "reservations.temporary",
    "reservations.sick",
    "reservations.daily",
    "reservations.extensions",
)


# --- shared helpers (the other reservation views use them too) ------------------------


def side_menu(request, menus: tuple[str, ...]) -> dict:
    """The side navigation of the first of ``menus`` the user holds."""
    held = menu_codes_for(request.user)
    return nav(request, next((code for code in menus if code in held), menus[0]))


def record_list_access(request, rows, *, action: str, label: str, subject=None) -> None:
    """One access record for a page of people's data (which rows, in the reason)."""
    rows = list(rows)
    if not rows:
        return
    numbers = ", ".join(f"#{row.pk}" for row in rows)
    reason = _("%(label)s %(count)d건: %(numbers)s") % {
        "label": label,
        "count": len(rows),
        "numbers": numbers,
    }
    record_access(
        actor=request.user,
        action=action,
        subject=subject if subject is not None else rows[0].facility,
        reason=reason[:500],
    )


def facility_out_of_scope(form) -> None:
    """A facility code outside the user's scope (or unknown) is a 404, as for any object."""
    if not form.is_bound:
        return
    for error in form.errors.as_data().get("facility", []):
        if error.code == "invalid_choice":
            raise Http404(_("시설을 찾을 수 없습니다."))


def error_status(exc: ReservationError) -> int:
    """Pages answer a refused action with 409 (the state) or 400 (the input)."""
    return 409 if exc.code in rules.CONFLICT_CODES else 400


def raise_scope_errors(request, exc: ReservationError):
    """Not found is a 404 page; forbidden the 403 page; anything else is the caller's."""
    if exc.code == rules.NOT_FOUND:
        raise Http404(exc.message) from exc
    if exc.code == rules.FORBIDDEN:
        return forbidden(request, exc.message)
    return None


def apply_reservation_error(form, exc: ReservationError) -> None:
    field = exc.field if exc.field in getattr(form, "fields", {}) else None
    form.add_error(field, exc.message)


# --- 예약신청관리 list --------------------------------------------------------------


@dataclass(frozen=True)
class ApplicationRow:
    reservation: object
    position: int | None
    missing: list
    places: PlaceCheck | None


def _filtered_applications(request):
    """The filter form, the rows it selects and whether they follow the review order."""
    form = ApplicationFilterForm(request.GET or None, user=request.user)
    rows = reservations_for_user(request.user)
    if not form.is_bound:
        return form, newest_first(rows), False
    facility_out_of_scope(form)
    if not form.is_valid():
        return form, rows.none(), False
    rows = filter_reservations(rows, **form.filters())
    if form.review_order():
        return form, in_review_order(rows), True
    return form, newest_first(rows), False


@backoffice_view(APPLICATIONS_MENU)
def applications(request):
    """예약신청관리: filters, paged table, the review order of one centre's regular line."""
    form, rows, review = _filtered_applications(request)
    pages = paginate(request, rows)
    page = list(pages["page_obj"])
    positions = waitlist_positions(page)
    gaps = document_gaps(page)
    checks = place_checks(page)
    items = [
        ApplicationRow(r, positions.get(r.pk), gaps.get(r.pk, []), checks.get(r.pk)) for r in page
    ]
    record_list_access(
        request, page, action="reservation.applications.list", label=_("예약신청관리 목록")
    )
    chosen = form.cleaned_data.get("facility") if form.is_bound and form.is_valid() else None
    context = {
        "form": form,
        "items": items,
        "review_order": review,
        "facility": chosen,
        "per_page_choices": PER_PAGE_CHOICES,
        "per_page": pages["paginator"].per_page,
        **pages,
        **nav(request, APPLICATIONS_MENU),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "backoffice/reservations/applications.html", context, status=status)


@backoffice_view(APPLICATIONS_MENU)
def applications_export(request):
    form, rows, _review = _filtered_applications(request)
    if form.is_bound and not form.is_valid():
        url = reverse("backoffice:reservation_applications")
        return redirect(f"{url}?{request.GET.urlencode()}")
    return reasoned_download(
        request,
        what="reservation_applications",
        label=_("예약신청 목록"),
        rows=rows,
        workbook=applications_workbook,
        filename_stem="reservation_applications",
        back_url="backoffice:reservation_applications",
        menu_code=APPLICATIONS_MENU,
    )


# --- one application ----------------------------------------------------------------


def reservation_or_404(request, pk: int):
    return get_object_or_404(
        reservations_for_user(request.user).select_related(
            "decided_by", "extended_from", "child", "guardian"
        ),
        pk=pk,
    )


def _allowed(reservation) -> dict[str, bool]:
    """Which buttons make sense in this status (the domain checks again)."""
    status = reservation.status
    regular = reservation.care_type == CareType.REGULAR
    live = status in (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)
    last_day = reservation.last_day
    return {
        "approve": status == Status.PENDING or (status == Status.WAITLISTED and regular),
        "reject": status in (Status.PENDING, Status.WAITLISTED, Status.OFFERED),
        "wait": status == Status.PENDING and regular,
        "cancel": live and last_day is not None and last_day >= clock.today(),
        "paper": reservation.paper_forms_received_at is None and live,
        "upload": live,
        "fee": live or status == Status.COMPLETED,
    }


ACTIONS = ("approve", "reject", "wait", "cancel", "paper", "upload", "fee")
# 처리 이력: the audit actions of a reservation in words.
HISTORY_LABELS = {
    "reservation.create": gettext_lazy("신청"),
    "reservation.pending": gettext_lazy("승인대기"),
    "reservation.confirmed": gettext_lazy("승인(이용확정)"),
    "reservation.waitlisted": gettext_lazy("대기 등록"),
    "reservation.offer": gettext_lazy("자리 제안"),
    "reservation.rejected": gettext_lazy("반려"),
    "reservation.cancelled": gettext_lazy("취소"),
    "reservation.expired": gettext_lazy("제안 만료"),
    "reservation.end_early": gettext_lazy("이용 조기 종료"),
    "reservation.paper_forms": gettext_lazy("서면 동의서 접수"),
    "reservation.document_add": gettext_lazy("서류 등록"),
    "reservation.document_delete": gettext_lazy("서류 삭제"),
    "reservation.consent": gettext_lazy("온라인 동의"),
    "reservation.extend": gettext_lazy("연장"),
    "reservation.extension_stop": gettext_lazy("보호자 연장 중단"),
    "reservation.extension_resume": gettext_lazy("보호자 연장 재개"),
    "reservation.fee": gettext_lazy("이용료·감면 기록"),
    "reservation.completed": gettext_lazy("이용완료"),
}


def _history(reservation) -> list[tuple]:
    entries = AuditEntry.objects.filter(
        object_type="reservations.reservation", object_id=str(reservation.pk)
    ).order_by("-at", "-pk")[:50]
    return [(entry, HISTORY_LABELS.get(entry.action, entry.action)) for entry in entries]


def _act(request, reservation, action: str, forms: dict):
    """Run one decision; the success message, or None when a form has the error."""
    actor = request.user
    if action == "approve":
        approve(actor=actor, reservation=reservation)
        return _("승인했습니다. 보호자에게 알림이 갑니다.")
    if action == "paper":
        mark_paper_forms_received(actor=actor, reservation=reservation)
        return _("서면 동의서 접수를 기록했습니다.")
    form = forms[action]
    if not form.is_valid():
        return None
    if action == "reject":
        reject(actor=actor, reservation=reservation, reason=form.cleaned_data["reason"])
        return _("반려했습니다. 보호자에게 사유와 함께 알림이 갑니다.")
    if action == "wait":
        put_on_waitlist(actor=actor, reservation=reservation, reason=form.cleaned_data["reason"])
        return _("대기로 등록했습니다.")
    if action == "fee":
        record_fee(
            actor=actor,
            reservation=reservation,
            fee_amount=form.cleaned_data["fee_amount"],
            exemption=form.cleaned_data["exemption"] or "",
        )
        return _("이용료와 감면 구분을 기록했습니다.")
    if action == "cancel":
        cancel(
            actor=actor,
            reservation=reservation,
            reason=form.cleaned_data["reason"],
            by_staff=True,
        )
        return _("취소했습니다.")
    add_document(
        actor=actor,
        reservation=reservation,
        kind=form.cleaned_data["kind"],
        upload=form.cleaned_data["file"],
    )
    return _("서류를 올렸습니다.")


@backoffice_view(DETAIL_MENUS)
def application_detail(request, pk: int):
    """One application: everything about it, its documents, consents and decisions."""
    reservation = reservation_or_404(request, pk)
    action = request.POST.get("action", "") if request.method == "POST" else ""
    forms = {
        "reject": RejectForm(request.POST if action == "reject" else None, prefix="reject"),
        "wait": ReasonForm(request.POST if action == "wait" else None, prefix="wait"),
        "cancel": ReasonForm(request.POST if action == "cancel" else None, prefix="cancel"),
        "fee": FeeForm(
            request.POST if action == "fee" else None,
            prefix="fee",
            initial={"fee_amount": reservation.fee_amount, "exemption": reservation.exemption},
        ),
        "upload": DocumentUploadForm(
            request.POST if action == "upload" else None,
            request.FILES if action == "upload" else None,
            prefix="upload",
        ),
    }
    status, error = 200, ""
    if request.method == "POST":
        if action not in ACTIONS:
            status, error = 400, _("알 수 없는 처리입니다.")
        else:
            try:
                done = _act(request, reservation, action, forms)
            except ReservationError as exc:
                if (page := raise_scope_errors(request, exc)) is not None:
                    return page
                status = error_status(exc)
                if action in forms and exc.field in forms[action].fields:
                    apply_reservation_error(forms[action], exc)
                else:
                    error = exc.message
            else:
                if done is not None:
                    messages.success(request, done)
                    return redirect("backoffice:reservation_detail", pk=reservation.pk)
                status = 400
        reservation = reservation_or_404(request, pk)
    record_access(actor=request.user, action="reservation.view", subject=reservation)
    documents = list(reservation.documents.select_related("uploaded_by"))
    gaps = document_gaps([reservation])[reservation.pk]
    context = {
        "reservation": reservation,
        "position": waitlist_positions([reservation]).get(reservation.pk),
        "documents": documents,
        "missing": gaps,
        "places": place_checks([reservation]).get(reservation.pk),
        "allowed": _allowed(reservation),
        "guardian_invited": is_invited(reservation.guardian),
        "forms": forms,
        "error": error,
        "history": _history(reservation),
        **side_menu(request, DETAIL_MENUS),
    }
    return render(
        request, "backoffice/reservations/application_detail.html", context, status=status
    )


@backoffice_view(DETAIL_MENUS)
@require_GET
def application_document(request, pk: int, document_pk: int):
    """Stream one uploaded document as an attachment (never a public URL)."""
    reservation = reservation_or_404(request, pk)
    document = get_object_or_404(ReservationDocument, pk=document_pk, reservation=reservation)
    document.reservation = reservation
    try:
        handle = open_document_file(actor=request.user, document=document)
    except ReservationError as exc:
        raise Http404(exc.message) from exc
    except FileNotFoundError as exc:
        raise Http404(_("파일을 찾을 수 없습니다.")) from exc
    response = FileResponse(
        handle,
        content_type=document.content_type,
        as_attachment=True,
        filename=document.original_name,
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


# --- 방문·전화 접수 (RES-7) --------------------------------------------------------------


def _register(request, form):
    """Register the offline application; the response, or None with errors on the form."""
    data = form.cleaned_data
    facility = bookable_facility(data["facility"].code)
    signup_url = request.build_absolute_uri(reverse("public:signup"))
    try:
        done = register_offline(
            actor=request.user,
            facility=facility,
            guardian_name=data["guardian_name"],
            guardian_phone=data["guardian_phone"],
            child_name=data["child_name"],
            child_birth_date=data["child_birth_date"],
            child_sex=data["child_sex"],
            child_grade=data["child_grade"],
            child_school=data["child_school"],
            care_type=data["care_type"],
            date=data["date"],
            start_date=data["start_date"],
            end_date=data["end_date"],
            weekdays=data["weekdays"],
            start_time=data["start_time"],
            end_time=data["end_time"],
            household=Household(
                dual_earner=data["dual_earner"],
                single_parent=data["single_parent"],
                many_children=data["many_children"],
                complex_resident=data["complex_resident"],
            ),
            sick=SickCare(
                symptoms=data["symptoms"],
                clinic_escort_consent=data["clinic_escort_consent"],
                reachable_phone=data["reachable_phone"],
            ),
            note=data["note"],
            paper_forms_received=data["paper_forms_received"],
            signup_url=signup_url,
        )
    except ReservationError as exc:
        if (page := raise_scope_errors(request, exc)) is not None:
            return page
        apply_reservation_error(form, exc)
        return None
    reservation = done.booked.reservation
    messages.success(
        request,
        _("%(child)s 아동의 %(care)s 신청을 접수했습니다. (%(status)s)")
        % {
            "child": done.child.name,
            "care": reservation.get_care_type_display(),
            "status": reservation.get_status_display(),
        },
    )
    if done.booked.waitlist_position:
        messages.info(request, _("대기 %(n)d번입니다.") % {"n": done.booked.waitlist_position})
    if done.invited:
        messages.info(
            request,
            _("회원이 아니어서 보호자에게 회원가입 안내 문자를 보냈습니다."),
        )
    if done.name_mismatch:
        caution = _("입력한 보호자 이름과 이 휴대전화번호 회원의 이름(%(name)s)이 다릅니다.")
        messages.warning(request, caution % {"name": done.guardian.name})
    return redirect("backoffice:reservation_detail", pk=reservation.pk)


@backoffice_view(APPLICATIONS_MENU)
def offline_new(request):
    initial = {"date": clock.today()}
    if request.GET.get("facility"):
        initial["facility"] = request.GET["facility"]
    form = OfflineRegistrationForm(request.POST or None, user=request.user, initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            response = _register(request, form)
            if response is not None:
                return response
        status = 400
    context = {"form": form, **nav(request, APPLICATIONS_MENU)}
    return render(request, "backoffice/reservations/offline_form.html", context, status=status)
