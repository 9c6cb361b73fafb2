"""예약하기 (RES-1…8, RES-10): reserve at a facility in three steps, and the result page.

1. 자녀·돌봄 유형 — the child and one of the care types the facility offers;
2. 날짜·시간 — a day of the two-week calendar and the hours (일시돌봄, 아픈아이 돌봄), or the
   period, weekdays, hours and household facts (정기돌봄);
3. 동의·제출 — consents ② ③, an optional document ④, the summary, submit.

Every step keeps its values in the session draft (views_reserve_common), also when the
input is wrong, when the guardian goes back, and across the login page. The rules are the
engine's: its checks run at step 2 and again, under the lock, at submit; a refusal is put
next to the field it names, on the step that field belongs to.

HTTP only: bookings go through reservations.domain.booking / conversion.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
from django.views.decorators.http import require_GET, require_http_methods

from kium.accounts.domain.children import children_of
from kium.accounts.domain.verification import format_phone
from kium.centres.domain.availability import availability
from kium.core import clock
from kium.core.locking import BUSY_RETRY_AFTER_SECONDS, LockTimeout
from kium.public.views_account import guardian_required
from kium.public.views_reserve_common import (
    build_request,
    calendar_rows,
    check_details,
    child_from_draft,
    clear_draft,
    default_regular_period,
    facility_or_404,
    get_draft,
    hours_on,
    offered_care_types,
    parse_date,
    parse_time,
    periods_over,
    profile_of,
    replace_draft,
    save_draft,
)
from kium.reservations.domain import booking, policy
from kium.reservations.domain.conversion import (
    convert_to_regular,
    is_convertible,
    temporary_bookings_to_cancel,
)
from kium.reservations.domain.documents import add_document
from kium.reservations.domain.errors import ReservationError
from kium.reservations.domain.places import capacities, waitlist_positions
from kium.reservations.domain.queries import reservations_of_guardian
from kium.reservations.enums import SINGLE_DAY_TYPES, CareType, DocumentKind
from kium.reservations.forms_public import (
    CARE_TYPE_HELP,
    PICKUP_TEXT,
    PRIVACY_TEXT,
    TIME_FORMAT,
    WEEKDAY_NAMES,
    ChooseForm,
    ConfirmForm,
    RegularForm,
    SingleDayForm,
    apply_reservation_error,
    draft_values,
    raw_values,
)
from kium.reservations.models import CentrePolicy

STEP_TITLES = (
    (1, "public:reserve", gettext_lazy("자녀·돌봄 유형")),
    (2, "public:reserve_details", gettext_lazy("날짜·시간")),
    (3, "public:reserve_confirm", gettext_lazy("동의·제출")),
)
STEP1_FIELDS = {"child", "care_type"}
STEP2_FIELDS = {
    "date",
    "start_time",
    "end_time",
    "start_date",
    "end_date",
    "weekdays",
    "symptoms",
    "clinic_escort_consent",
    "reachable_phone",
    *RegularForm.HOUSEHOLD,
}
WORKDAYS = ["0", "1", "2", "3", "4"]


# --- shared pieces -----------------------------------------------------------------------


def _refuse_staff(request: HttpRequest) -> HttpResponse:
    return render(request, "public/account/guardians_only.html", status=403)


def _login_redirect(target: str) -> HttpResponse:
    return redirect(f"{reverse('public:login')}?{urlencode({'next': target})}")


def _steps(code: str, current: int, draft: dict) -> list[dict]:
    reached = 1
    if draft.get("child") and draft.get("care_type"):
        reached = 2
    if reached == 2 and draft.get("details_done"):
        reached = 3
    steps = []
    for number, url_name, title in STEP_TITLES:
        steps.append(
            {
                "number": number,
                "title": title,
                "state": "active" if number == current else "done" if number < current else "",
                "href": reverse(url_name, args=[code]) if number <= reached else "",
            }
        )
    return steps


def _context(facility, *, step: int, draft: dict, **extra) -> dict:
    return {
        "facility": facility,
        "step": step,
        "steps": _steps(facility.code, step, draft),
        "care_type": draft.get("care_type", ""),
        "care_type_label": CareType(draft["care_type"]).label
        if draft.get("care_type") in CareType.values
        else "",
        "converting": bool(draft.get("convert_from")),
        **extra,
    }


def _query_seeds(request: HttpRequest, offered: list[str], today: dt.date) -> dict:
    """Choices carried in the link (a facility page's day, 내 예약's '다시 예약')."""
    seeds: dict = {}
    care_type = request.GET.get("care_type", "")
    if care_type in offered:
        seeds["care_type"] = care_type
    child = request.GET.get("child", "")
    if child.isdigit():
        seeds["child"] = child
    day = parse_date(request.GET.get("date"))
    if day and policy.in_temporary_window(day, today):
        seeds["date"] = day.isoformat()
    for name in ("start_time", "end_time"):
        value = parse_time(request.GET.get(name))
        if value:
            seeds[name] = value.strftime(TIME_FORMAT)
    return seeds


def _draft_as_data(draft: dict) -> QueryDict:
    """The draft as submitted form data, to show a step again with an error on it."""
    data = QueryDict(mutable=True)
    for name, value in draft.items():
        if isinstance(value, list):
            data.setlist(name, [str(item) for item in value])
        elif isinstance(value, bool):
            if value:
                data[name] = "on"
        else:
            data[name] = str(value)
    return data


# --- step 1: child and care type --------------------------------------------------------


@require_http_methods(["GET", "POST"])
def reserve(request: HttpRequest, code: str) -> HttpResponse:
    """Anyone may start here; choosing the child waits for the login, the rest is kept."""
    facility = facility_or_404(code)
    user = request.user
    if user.is_authenticated and not user.is_guardian:
        return _refuse_staff(request)
    offered = offered_care_types(facility)
    if not offered:
        return render(request, "public/reserve/not_offered.html", {"facility": facility})
    today = clock.today()
    draft = get_draft(request, facility.code)
    if request.method == "GET":
        seeds = _query_seeds(request, offered, today)
        if seeds:
            draft = save_draft(request, facility.code, seeds)
    children = list(children_of(guardian=user)) if user.is_authenticated else None
    form = _choose_form(request, draft, children, offered)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            values = draft_values(form.cleaned_data)
            changed = values.get("care_type") != draft.get("care_type") or (
                "child" in values and values["child"] != str(draft.get("child", ""))
            )
            if changed:
                values.update(details_done=False, convert_from="")
            save_draft(request, facility.code, values)
            if not user.is_authenticated:
                messages.info(
                    request, _("로그인하면 고른 내용 그대로 예약을 이어서 할 수 있습니다.")
                )
                return _login_redirect(reverse("public:reserve", args=[facility.code]))
            return redirect("public:reserve_details", code=facility.code)
        save_draft(request, facility.code, raw_values(form, request.POST))
        status = 400
    context = _choose_context(facility, draft, form, children)
    return render(request, "public/reserve/step_choose.html", context, status=status)


def _choose_context(facility, draft: dict, form: ChooseForm, children) -> dict:
    here = reverse("public:reserve", args=[facility.code])
    current = str(form["care_type"].value() or "")
    options = [
        {
            "value": value,
            "label": label,
            "help": CARE_TYPE_HELP.get(value, ""),
            "checked": value == current,
            "id": f"id_care_type_{index}",
        }
        for index, (value, label) in enumerate(form.fields["care_type"].choices)
    ]
    return _context(
        facility,
        step=1,
        draft=draft,
        form=form,
        children=children,
        care_type_options=options,
        child_add_href=f"{reverse('public:child_add')}?{urlencode({'next': here})}",
        login_href=f"{reverse('public:login')}?{urlencode({'next': here})}",
    )


def _choose_form(request, draft: dict, children, offered: list[str]) -> ChooseForm:
    initial = {"child": draft.get("child"), "care_type": draft.get("care_type")}
    if children is not None and len(children) == 1 and not initial["child"]:
        initial["child"] = str(children[0].pk)
    if len(offered) == 1:
        initial["care_type"] = offered[0]
    data = request.POST if request.method == "POST" else None
    return ChooseForm(data, initial=initial, children=children, care_types=offered)


# --- step 2: day and hours / period and household ---------------------------------------


def _complex_name(facility) -> str:
    return (
        CentrePolicy.objects.filter(facility=facility)
        .values_list("complex_name", flat=True)
        .first()
        or ""
    )


def _details_form(facility, care_type: str, *, data, draft: dict, user, today: dt.date):
    if care_type == CareType.REGULAR:
        start, end, hours = default_regular_period(facility, today)
        initial = {
            "start_date": draft.get("start_date") or start,
            "end_date": draft.get("end_date") or end,
            "weekdays": draft.get("weekdays") or WORKDAYS,
            "start_time": draft.get("start_time") or (hours[0] if hours else None),
            "end_time": draft.get("end_time") or (hours[1] if hours else None),
        }
        for name in RegularForm.HOUSEHOLD:
            initial[name] = bool(draft.get(name))
        return RegularForm(data, initial=initial, complex_name=_complex_name(facility))
    initial = {
        "date": draft.get("date"),
        "start_time": draft.get("start_time"),
        "end_time": draft.get("end_time"),
        "symptoms": draft.get("symptoms", ""),
        "clinic_escort_consent": bool(draft.get("clinic_escort_consent")),
        "reachable_phone": draft.get("reachable_phone") or format_phone(user.phone or ""),
    }
    return SingleDayForm(data, initial=initial, sick=care_type == CareType.SICK)


def _render_details(request, facility, form, *, draft, child, today, status=200):
    care_type = draft.get("care_type")
    rows = []
    if care_type != CareType.REGULAR:
        selected = parse_date(form["date"].value()) if "date" in form.fields else None
        rows = calendar_rows(facility, today=today, selected=selected)
    context = _context(
        facility,
        step=2,
        draft=draft,
        form=form,
        child=child,
        rows=rows,
        window_end=today + dt.timedelta(days=policy.TEMPORARY_WINDOW_DAYS),
        date_errors=form.errors.get("date") if "date" in form.fields else None,
    )
    return render(request, "public/reserve/step_details.html", context, status=status)


def _own_child(request, draft: dict):
    return child_from_draft(draft, list(children_of(guardian=request.user)))


def _facility_child_and_draft(request, code: str) -> tuple:
    """Step 3's facility, the draft's child (None unless it is this guardian's) and the
    draft, with one read, as the API's booking reads them (``booking.facility_and_child``).
    For single-day care the same read also answers the day's questions, so pressing
    신청하기 does not ask them again before the lock."""
    draft = get_draft(request, code.upper())
    child_id = str(draft.get("child", ""))
    if not child_id.isdigit():
        return facility_or_404(code), None, draft
    single_day = draft.get("care_type") in SINGLE_DAY_TYPES
    day = parse_date(draft.get("date")) if single_day else None
    facility, child = booking.facility_and_child(code, int(child_id), request.user, day)
    if facility is None:
        raise Http404(_("시설을 찾을 수 없습니다."))
    return facility, child, draft


@guardian_required
@require_http_methods(["GET", "POST"])
def reserve_details(request: HttpRequest, code: str) -> HttpResponse:
    facility = facility_or_404(code)
    offered = offered_care_types(facility)
    draft = get_draft(request, facility.code)
    child = _own_child(request, draft)
    care_type = draft.get("care_type")
    if child is None or care_type not in offered:
        messages.info(request, _("먼저 이용할 자녀와 돌봄 유형을 선택해 주세요."))
        return redirect("public:reserve", code=facility.code)
    today = clock.today()
    data = request.POST if request.method == "POST" else None
    form = _details_form(
        facility, care_type, data=data, draft=draft, user=request.user, today=today
    )
    if request.method == "GET":
        return _render_details(request, facility, form, draft=draft, child=child, today=today)
    if request.POST.get("action") == "back":
        save_draft(request, facility.code, raw_values(form, request.POST))
        return redirect("public:reserve", code=facility.code)
    if form.is_valid():
        values = draft_values(form.cleaned_data)
        if care_type != CareType.REGULAR and not values.get("start_time"):
            day = form.cleaned_data["date"]
            hours = hours_on(periods_over(facility, day, day), day)
            if hours:
                values["start_time"], values["end_time"] = (h.strftime(TIME_FORMAT) for h in hours)
        candidate = build_request(facility, child, {**draft, **values})
        try:
            check_details(candidate, guardian=request.user, today=today)
        except ReservationError as exc:
            apply_reservation_error(form, exc)
        else:
            save_draft(request, facility.code, {**values, "details_done": True})
            return redirect("public:reserve_confirm", code=facility.code)
    draft = save_draft(
        request, facility.code, {**raw_values(form, request.POST), "details_done": False}
    )
    return _render_details(
        request, facility, form, draft=draft, child=child, today=today, status=400
    )


# --- step 3: consents, documents, summary, submit ----------------------------------------


def _conversion_source(request, draft: dict, child):
    """The temporary booking a '정기돌봄으로 전환' started from, if it still qualifies."""
    pk = str(draft.get("convert_from") or "")
    if not pk.isdigit() or draft.get("care_type") != CareType.REGULAR:
        return None
    source = reservations_of_guardian(request.user).filter(pk=int(pk)).first()
    if source is None or not is_convertible(source) or source.child_id != child.pk:
        return None
    return source


def _summary(facility, child, draft: dict, request_obj, *, source, today) -> dict:
    summary: dict = {
        "child": child,
        "care_type": CareType(request_obj.care_type).label,
        "start_time": request_obj.start_time,
        "end_time": request_obj.end_time,
        "fee": None,
        "fee_unit": "",
    }
    profile = profile_of(facility)
    if request_obj.care_type == CareType.REGULAR:
        summary.update(
            start_date=request_obj.start_date,
            end_date=request_obj.end_date,
            weekdays=[WEEKDAY_NAMES[day] for day in sorted(set(request_obj.weekdays))],
            household=[
                str(RegularForm.base_fields[name].label)
                for name in RegularForm.HOUSEHOLD
                if draft.get(name)
            ],
            outcome="pending",
        )
        if profile and profile.monthly_fee is not None:
            summary.update(fee=profile.monthly_fee, fee_unit=pgettext("fee per month", "월"))
        if source is not None:
            summary["to_cancel"] = list(
                temporary_bookings_to_cancel(
                    child=child, facility=facility, start_date=request_obj.start_date
                )
            )
        return summary
    day = request_obj.date
    summary.update(date=day, weekday=WEEKDAY_NAMES[day.weekday()])
    if request_obj.care_type == CareType.SICK:
        summary.update(
            symptoms=request_obj.sick.symptoms,
            clinic_escort=request_obj.sick.clinic_escort_consent,
            reachable_phone=format_phone(request_obj.sick.reachable_phone),
        )
    elif profile and profile.daily_fee is not None:
        summary.update(fee=profile.daily_fee, fee_unit=pgettext("fee per day", "1일"))
    state = availability(facility=facility, start=day, end=day)[0]
    if not state.open:
        summary["outcome"] = "closed"
    elif state.temporary_free > 0:
        summary["outcome"] = "review" if profile and profile.temporary_review else "confirmed"
    else:
        full = state.waitlist >= capacities(facility)[2]
        summary.update(outcome="full" if full else "waitlist", position=state.waitlist + 1)
    return summary


def _refused(request, facility, child, draft, exc: ReservationError, form, today):
    """Show the engine's refusal on the step its field belongs to (400, nothing lost)."""
    status = 409 if exc.http_status == 409 else 400
    if exc.field in STEP2_FIELDS:
        save_draft(request, facility.code, {"details_done": False})
        details = _details_form(
            facility,
            draft["care_type"],
            data=_draft_as_data(draft),
            draft=draft,
            user=request.user,
            today=today,
        )
        details.is_valid()
        apply_reservation_error(details, exc)
        return _render_details(
            request, facility, details, draft=draft, child=child, today=today, status=status
        )
    if exc.field in STEP1_FIELDS:
        children = list(children_of(guardian=request.user))
        choose = ChooseForm(
            _draft_as_data(draft), children=children, care_types=offered_care_types(facility)
        )
        choose.is_valid()
        apply_reservation_error(choose, exc)
        context = _choose_context(facility, draft, choose, children)
        return render(request, "public/reserve/step_choose.html", context, status=status)
    form.add_error(None, exc.message)
    return None


@guardian_required
@require_http_methods(["GET", "POST"])
def reserve_confirm(request: HttpRequest, code: str) -> HttpResponse:
    facility, child, draft = _facility_child_and_draft(request, code)
    offered = offered_care_types(facility)
    if child is None or draft.get("care_type") not in offered:
        messages.info(request, _("먼저 이용할 자녀와 돌봄 유형을 선택해 주세요."))
        return redirect("public:reserve", code=facility.code)
    request_obj = build_request(facility, child, draft) if draft.get("details_done") else None
    if request_obj is None:
        messages.info(request, _("날짜와 시간을 먼저 정해 주세요."))
        return redirect("public:reserve_details", code=facility.code)
    today = clock.today()
    source = _conversion_source(request, draft, child)
    initial = {name: draft.get(name) for name in ("privacy", "pickup", "note")}
    if request.method == "POST":
        form = ConfirmForm(request.POST, request.FILES, initial=initial)
        kept = raw_values(form, request.POST)
        draft = save_draft(request, facility.code, kept)
        if request.POST.get("action") == "back":
            return redirect("public:reserve_details", code=facility.code)
        busy = False
        if form.is_valid():
            request_obj = build_request(facility, child, draft)
            try:
                reservation, cancelled = _submit(request, request_obj, source)
            except ReservationError as exc:
                refused = _refused(request, facility, child, draft, exc, form, today)
                if refused is not None:
                    return refused
            except LockTimeout:
                # A booking rush kept the centre's places locked past the timeout and
                # nothing was written. The page stays as it was, every choice kept (the
                # draft is saved above): pressing 신청하기 again is all it takes.
                form.add_error(None, _busy_message(form))
                busy = True
            else:
                _attach_document(request, reservation, form.cleaned_data.get("document"))
                clear_draft(request, facility.code)
                if cancelled:
                    messages.info(
                        request,
                        _("정기돌봄 시작일부터의 일시돌봄 예약 %(n)d건을 취소했습니다.")
                        % {"n": cancelled},
                    )
                return redirect("public:reserve_done", pk=reservation.pk)
        status = 503 if busy else 400
    else:
        form = ConfirmForm(initial=initial)
        status = 200
    context = _context(
        facility,
        step=3,
        draft=draft,
        form=form,
        summary=_summary(facility, child, draft, request_obj, source=source, today=today),
        privacy_text=PRIVACY_TEXT,
        pickup_text=PICKUP_TEXT,
        # Busy: nothing the parent typed was wrong, so the note is not headed as if it were.
        form_errors_title=_("아직 신청되지 않았습니다.") if status == 503 else None,
    )
    response = render(request, "public/reserve/step_confirm.html", context, status=status)
    if status == 503:
        response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
    return response


def _busy_message(form) -> str:
    message = _(
        "신청이 몰려 아직 처리하지 못했습니다. 아무것도 저장되지 않았으니, "
        "잠시 후 신청하기를 다시 눌러 주세요."
    )
    if form.cleaned_data.get("document"):
        # A browser never sends a chosen file again with a re-shown form.
        message += " " + _("첨부한 서류는 다시 골라 주세요.")
    return message


def _submit(request, request_obj, source) -> tuple:
    user = request.user
    if source is not None:
        converted = convert_to_regular(
            actor=user, temporary_reservation=source, request=request_obj
        )
        return converted.regular, len(converted.cancelled)
    if request_obj.care_type == CareType.REGULAR:
        booked = booking.apply_regular(actor=user, guardian=user, request=request_obj)
    else:
        booked = booking.book_single_day(actor=user, guardian=user, request=request_obj)
    return booked.reservation, 0


def _attach_document(request, reservation, upload) -> None:
    if not upload:
        return
    try:
        add_document(
            actor=request.user, reservation=reservation, kind=DocumentKind.ADMISSION, upload=upload
        )
    except ReservationError as exc:
        messages.warning(
            request,
            _(
                "신청은 접수되었지만 서류를 올리지 못했습니다: %(reason)s "
                "내 예약에서 다시 올려 주세요."
            )
            % {"reason": exc.message},
        )


# --- the result ----------------------------------------------------------------------------


@guardian_required
@require_GET
def reserve_done(request: HttpRequest, pk: int) -> HttpResponse:
    reservation = get_object_or_404(reservations_of_guardian(request.user), pk=pk)
    position = waitlist_positions([reservation]).get(reservation.pk)
    context = {
        "reservation": reservation,
        "position": position,
        "weekday": WEEKDAY_NAMES[reservation.date.weekday()] if reservation.date else "",
        "weekdays": [WEEKDAY_NAMES[day] for day in reservation.weekdays or []],
    }
    return render(request, "public/reserve/done.html", context)


# --- 일시돌봄 → 정기돌봄 (RES-10) ------------------------------------------------------------


@guardian_required
@require_GET
def reservation_convert(request: HttpRequest, pk: int) -> HttpResponse:
    """Open the regular form prefilled from a temporary booking (child, centre, hours)."""
    reservation = get_object_or_404(reservations_of_guardian(request.user), pk=pk)
    detail = reverse("public:reservation_detail", args=[reservation.pk])
    if not is_convertible(reservation):
        messages.error(request, _("이용이 확정된 일시돌봄 예약만 정기돌봄으로 전환할 수 있습니다."))
        return redirect(detail)
    facility = facility_or_404(reservation.facility.code)
    if CareType.REGULAR not in offered_care_types(facility):
        messages.error(request, _("이 시설은 정기돌봄을 받지 않습니다."))
        return redirect(detail)
    today = clock.today()
    start, end, _hours = default_regular_period(
        facility, today, reservation.date + dt.timedelta(days=1)
    )
    replace_draft(
        request,
        facility.code,
        {
            "child": str(reservation.child_id),
            "care_type": str(CareType.REGULAR),
            "start_date": start.isoformat(),
            "end_date": end.isoformat() if end else "",
            "weekdays": WORKDAYS,
            "start_time": reservation.start_time.strftime(TIME_FORMAT),
            "end_time": reservation.end_time.strftime(TIME_FORMAT),
            "convert_from": str(reservation.pk),
            "details_done": False,
        },
    )
    messages.info(
        request,
        _(
            "정기돌봄 신청서에 아동, 센터와 이용시간을 채워 두었습니다. "
            "기간과 요일을 확인해 주세요."
        ),
    )
    return redirect("public:reserve_details", code=facility.code)
