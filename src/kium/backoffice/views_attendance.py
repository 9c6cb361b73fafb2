"""출결관리 and RF카드관리 (ATT-1, ATT-2): readers, cards, the day's sheet with manual
check-in/out, absences and voids, one child's month, and the day's Excel.

Every fetch is scoped (out of scope = 404); the domain functions in
kium.attendance.domain write and audit; pages that show children leave an access record.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from kium.accounts.models import Child
from kium.attendance.domain import cards as card_domain
from kium.attendance.domain import readers as reader_domain
from kium.attendance.domain import taps as tap_domain
from kium.attendance.domain.errors import NOT_FOUND, AttendanceError
from kium.attendance.domain.exports import day_workbook
from kium.attendance.domain.queries import (
    absences_for_user,
    cards_for_user,
    child_month,
    day_sheet,
    readers_for_user,
    taps_for_user,
)
from kium.attendance.forms import (
    AbsentForm,
    CardForm,
    DayForm,
    FacilityForm,
    ManualForm,
    MonthForm,
    ReaderForm,
    ReplaceForm,
    RetireForm,
    VoidForm,
    scoped_facilities,
)
from kium.backoffice.decorators import backoffice_view
from kium.backoffice.views_common import nav, paginate, reasoned_download
from kium.backoffice.views_reservations import facility_out_of_scope, record_list_access
from kium.core import clock
from kium.core.audit import record_access

CARDS_MENU = "reservations.rfcards"
ATTENDANCE_MENU = "reservations.attendance"


def _facility_form(request, form_class, **defaults):
    """The facility filter, bound to the query; the user's only facility is implied."""
    data = request.GET.copy()
    if not data.get("facility"):
        codes = list(scoped_facilities(request.user).values_list("code", flat=True)[:2])
        if len(codes) != 1:
            return form_class(user=request.user, initial=defaults)
        data["facility"] = codes[0]
    for key, value in defaults.items():
        if not data.get(key):
            data[key] = value
    form = form_class(data, user=request.user)
    facility_out_of_scope(form)
    return form


def _apply(form, exc: AttendanceError) -> int:
    """A refusal next to its field (or above the form); out of scope is a 404."""
    if exc.code == NOT_FOUND:
        raise Http404(exc.message) from exc
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)
    return exc.http_status


def _back(request) -> HttpResponse:
    return redirect(request.get_full_path())


# --- RF카드관리: cards ----------------------------------------------------------------


@backoffice_view(CARDS_MENU)
def cards(request):
    """A facility's cards (active first, then history) and the form to register one."""
    form = _facility_form(request, FacilityForm)
    facility = form.cleaned_data["facility"] if form.is_bound and form.is_valid() else None
    context = {"form": form, "facility": facility, **nav(request, CARDS_MENU)}
    status = 200
    if facility is not None:
        card_form = CardForm(request.POST or None, facility=facility)
        if request.method == "POST":
            status = 400
            if card_form.is_valid():
                try:
                    card = card_domain.register_card(
                        actor=request.user,
                        facility=facility,
                        child=card_form.cleaned_data["child"],
                        card_uid=card_form.cleaned_data["card_uid"],
                    )
                except AttendanceError as exc:
                    status = _apply(card_form, exc)
                else:
                    messages.success(
                        request,
                        _("%(child)s 아동의 카드(%(uid)s)를 등록했습니다.")
                        % {"child": card.child.name, "uid": card.card_uid},
                    )
                    return _back(request)
        rows = (
            cards_for_user(request.user)
            .filter(facility=facility)
            .order_by("status", "child__name", "-registered_at", "-pk")
        )
        pages = paginate(request, rows, default=20)
        page_rows = list(pages["page_obj"])
        record_list_access(
            request,
            page_rows,
            action="attendance.cards.list",
            label=_("RF카드 목록"),
            subject=facility,
        )
        context.update({"card_form": card_form, "rows": page_rows, **pages})
    return render(request, "backoffice/attendance/cards.html", context, status=status)


@backoffice_view(CARDS_MENU)
def card_detail(request, pk: int):
    """One card: its child's card history at the centre, replace, retire."""
    card = get_object_or_404(cards_for_user(request.user), pk=pk)
    action = request.POST.get("action") if request.method == "POST" else None
    replace_form = ReplaceForm(request.POST if action == "replace" else None, prefix="replace")
    retire_form = RetireForm(request.POST if action == "retire" else None, prefix="retire")
    status = 200
    if action in {"replace", "retire"}:
        status = 400
        form = replace_form if action == "replace" else retire_form
        if form.is_valid():
            try:
                if action == "replace":
                    new = card_domain.replace_card(
                        actor=request.user,
                        card=card,
                        new_uid=form.cleaned_data["card_uid"],
                        reason=form.cleaned_data["reason"],
                    )
                    messages.success(request, _("카드를 교체했습니다."))
                    return redirect("backoffice:attendance_card", pk=new.pk)
                card_domain.retire_card(
                    actor=request.user, card=card, reason=form.cleaned_data["reason"]
                )
                messages.success(request, _("카드를 회수했습니다."))
                return _back(request)
            except AttendanceError as exc:
                status = _apply(form, exc)
    history = list(
        cards_for_user(request.user)
        .filter(child=card.child_id, facility=card.facility_id)
        .order_by("-registered_at", "-pk")
    )
    record_access(actor=request.user, action="attendance.card.view", subject=card.child)
    context = {
        "card": card,
        "history": history,
        "replace_form": replace_form,
        "retire_form": retire_form,
        **nav(request, CARDS_MENU),
    }
    return render(request, "backoffice/attendance/card_detail.html", context, status=status)


# --- RF카드관리: readers --------------------------------------------------------------


@backoffice_view(CARDS_MENU)
def readers(request):
    """A facility's readers; register one (its token is shown on this answer only)."""
    form = _facility_form(request, FacilityForm)
    facility = form.cleaned_data["facility"] if form.is_bound and form.is_valid() else None
    context = {"form": form, "facility": facility, **nav(request, CARDS_MENU)}
    status = 200
    if facility is not None:
        action = request.POST.get("action") if request.method == "POST" else None
        reader_form = ReaderForm(request.POST if action == "register" else None)
        if action == "register":
            status = 400
            if reader_form.is_valid():
                try:
                    reader, token = reader_domain.register_reader(
                        actor=request.user, facility=facility, name=reader_form.cleaned_data["name"]
                    )
                except AttendanceError as exc:
                    status = _apply(reader_form, exc)
                else:
                    status = 200
                    context.update({"new_reader": reader, "new_token": token})
                    reader_form = ReaderForm()
        elif action == "revoke":
            reader = (
                readers_for_user(request.user)
                .filter(facility=facility, pk=_int(request.POST.get("reader")))
                .first()
            )
            if reader is None:
                raise Http404(_("리더기를 찾을 수 없습니다."))
            try:
                reader_domain.revoke_reader(actor=request.user, reader=reader)
            except AttendanceError as exc:
                messages.error(request, exc.message)
            else:
                messages.success(request, _("리더기 사용을 중지했습니다."))
            return _back(request)
        rows = (
            readers_for_user(request.user)
            .filter(facility=facility)
            .order_by("revoked_at", "name", "pk")
        )
        context.update({"reader_form": reader_form, "rows": list(rows)})
    response = render(request, "backoffice/attendance/readers.html", context, status=status)
    response["Cache-Control"] = "no-store"  # the page may carry a device token
    return response


def _int(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


# --- 출결관리: the day's sheet ---------------------------------------------------------


def _day(request):
    form = _facility_form(request, DayForm, date=f"{clock.today():%Y-%m-%d}")
    if not (form.is_bound and form.is_valid()):
        return form, None
    return form, day_sheet(form.cleaned_data["facility"], form.cleaned_data["date"])


@backoffice_view(ATTENDANCE_MENU)
def day(request):
    """Expected children with check-in/out, flagged and unknown taps, and the actions."""
    form, sheet = _day(request)
    context = {"form": form, "sheet": sheet, **nav(request, ATTENDANCE_MENU)}
    if sheet is None:
        return render(
            request, "backoffice/attendance/day.html", context, status=400 if form.is_bound else 200
        )
    children = [row.child for row in sheet.rows]
    absent_choices = [row.child for row in sheet.rows if not row.live and row.absence is None]
    action = request.POST.get("action") if request.method == "POST" else None
    posted = request.POST if action else None
    manual_form = ManualForm(
        posted if action == "manual" else None, children=children, prefix="manual"
    )
    absent_form = AbsentForm(
        posted if action == "absent" else None, children=absent_choices, prefix="absent"
    )
    row_form = VoidForm(posted if action in {"void", "unabsent"} else None)
    status = 200
    if action:
        status = _day_action(request, action, sheet, manual_form, absent_form, row_form)
        if status is None:
            return _back(request)
    record_list_access(
        request,
        [row.child for row in sheet.rows],
        action="attendance.day.view",
        label=_("출결관리 %(day)s") % {"day": f"{sheet.day:%Y.%m.%d}"},
        subject=sheet.facility,
    )
    context.update(
        {
            "manual_form": manual_form,
            "absent_form": absent_form,
            "row_form": row_form,
            "row_action": action if action in {"void", "unabsent"} else "",
            "row_target": _int(request.POST.get("target")) if action else 0,
            "previous_day": sheet.day - dt.timedelta(days=1),
            "next_day": sheet.day + dt.timedelta(days=1),
            "month": f"{sheet.day:%Y-%m}",
        }
    )
    return render(request, "backoffice/attendance/day.html", context, status=status)


def _day_action(request, action, sheet, manual_form, absent_form, row_form) -> int | None:
    """Run one POSTed action; None on success (the caller redirects), else a status."""
    user, facility = request.user, sheet.facility
    children = {row.child.pk: row.child for row in sheet.rows}
    try:
        if action == "manual":
            if not manual_form.is_valid():
                return 400
            data = manual_form.cleaned_data
            at = dt.datetime.combine(sheet.day, data["time"], tzinfo=clock.SEOUL)
            try:
                tap_domain.record_manual(
                    actor=user,
                    child=children[data["child"]],
                    facility=facility,
                    event=data["event"],
                    at=at,
                    reason=data["reason"],
                )
            except AttendanceError as exc:
                return _apply(manual_form, exc)
            messages.success(request, _("수동 출결을 기록했습니다."))
        elif action == "absent":
            if not absent_form.is_valid():
                return 400
            data = absent_form.cleaned_data
            try:
                tap_domain.mark_absent(
                    actor=user,
                    child=children[data["child"]],
                    facility=facility,
                    day=sheet.day,
                    reason=data["reason"],
                )
            except AttendanceError as exc:
                return _apply(absent_form, exc)
            messages.success(request, _("결석으로 처리했습니다."))
        elif action in {"void", "unabsent"}:
            target = _int(request.POST.get("target"))
            if action == "void":
                obj = (
                    taps_for_user(user).filter(facility=facility, day=sheet.day, pk=target).first()
                )
            else:
                obj = (
                    absences_for_user(user)
                    .filter(facility=facility, day=sheet.day, pk=target)
                    .first()
                )
            if obj is None:
                raise Http404(_("기록을 찾을 수 없습니다."))
            if not row_form.is_valid():
                return 400
            reason = row_form.cleaned_data["reason"]
            try:
                if action == "void":
                    tap_domain.void_tap(actor=user, tap=obj, reason=reason)
                    messages.success(request, _("출결 기록을 정정(무효)했습니다."))
                else:
                    tap_domain.unmark_absent(actor=user, absence=obj, reason=reason)
                    messages.success(request, _("결석 처리를 취소했습니다."))
            except AttendanceError as exc:
                return _apply(row_form, exc)
        else:
            return 400
    except KeyError as exc:  # a child not on the sheet
        raise Http404(_("아동을 찾을 수 없습니다.")) from exc
    return None


class _Rows(list):
    """reasoned_download counts with ``rows.count()`` (a QuerySet's); a list needs help."""

    def count(self, *args) -> int:  # type: ignore[override]
        return super().count(*args) if args else len(self)


@backoffice_view(ATTENDANCE_MENU)
def day_export(request):
    _form, sheet = _day(request)
    if sheet is None:
        return redirect(f"{reverse('backoffice:attendance_day')}?{request.GET.urlencode()}")
    return reasoned_download(
        request,
        what="attendance_day",
        label=_("출결 %(day)s") % {"day": f"{sheet.day:%Y.%m.%d}"},
        rows=_Rows(sheet.rows),
        workbook=lambda _items: day_workbook(sheet),
        filename_stem=f"attendance_{sheet.facility.code}_{sheet.day:%Y%m%d}",
        back_url="backoffice:attendance_day",
        menu_code=ATTENDANCE_MENU,
    )


# --- 출결관리: one child's month ------------------------------------------------------


@backoffice_view(ATTENDANCE_MENU)
def child_history(request, child_pk: int):
    form = _facility_form(request, MonthForm)
    context = {"form": form, **nav(request, ATTENDANCE_MENU)}
    if not (form.is_bound and form.is_valid()):
        status = 400 if form.is_bound else 200
        return render(request, "backoffice/attendance/child_month.html", context, status=status)
    facility = form.cleaned_data["facility"]
    first = (form.cleaned_data["month"] or clock.today()).replace(day=1)
    child = (
        Child.objects.filter(pk=child_pk)
        .filter(Q(reservations__facility=facility) | Q(taps__facility=facility))
        .distinct()
        .first()
    )
    if child is None:
        raise Http404(_("아동을 찾을 수 없습니다."))
    record_access(actor=request.user, action="attendance.child.month", subject=child)
    previous = (first - dt.timedelta(days=1)).replace(day=1)
    following = (first + dt.timedelta(days=32)).replace(day=1)
    context.update(
        {
            "child": child,
            "facility": facility,
            "first": first,
            "days": child_month(child, facility, first),
            "previous_month": f"{previous:%Y-%m}",
            "next_month": f"{following:%Y-%m}",
        }
    )
    return render(request, "backoffice/attendance/child_month.html", context)
