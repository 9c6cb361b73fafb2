"""Check-in and check-out (ATT-2): reader taps, manual entries, voids and absences.

The algorithm is in docs/attendance.md. In short: a child's live (not voided) taps of
one day at one facility, ordered by ``(tapped_at, id)``, alternate check-in, check-out,
check-in … Every change to that list runs under the child-day lock and rewrites the
labels (``_realign``), so two readers tapping one card at once give one check-in and one
check-out, and a late offline tap lands where its ``tapped_at`` puts it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from kium.attendance.domain import reads
from kium.attendance.domain.common import clean_reason, normalize_uid, require_scope
from kium.attendance.domain.errors import (
    ALREADY_ABSENT,
    ALREADY_PRESENT,
    ALREADY_VOIDED,
    INVALID,
    NOT_FOUND,
    OUT_OF_ORDER,
    UNKNOWN_CARD,
    AttendanceError,
)
from kium.attendance.domain.readers import touch
from kium.attendance.enums import ARRIVAL_EVENT, DEPARTURE_EVENT, TapEvent
from kium.attendance.models import Absence, Reader, Tap
from kium.core import batch, clock
from kium.core.audit import log_action, snapshot
from kium.core.batch import batched_writes
from kium.core.locking import locked
from kium.core.notify import notify
from kium.reservations.domain.places import release_absent_day, retake_absent_day
from kium.reservations.enums import Status

# A reader's clock may run a little fast; beyond this a tap "from the future" is refused.
FUTURE_SKEW = dt.timedelta(minutes=5)
# Offline readers resend their buffer; a buffer older than this is refused (the day's
# sheet has long been closed by then).
MAX_LATE = dt.timedelta(days=7)
# A tap that reaches us later than this is recorded but not announced to the guardian:
# "arrived at 13:00" received at 18:00 would alarm more than it informs.
NOTIFY_MAX_DELAY = dt.timedelta(hours=2)
# Reservations whose care days count as "the child has care that day".
CARE_STATUSES = (Status.CONFIRMED, Status.COMPLETED)


@dataclass
class TapResult:
    tap: Tap
    duplicate: bool


def day_lock(child_id: int, facility_id: int, day: dt.date) -> str:
    return f"attendance:day:{child_id}:{facility_id}:{day.isoformat()}"


def has_care(child_id: int, facility_id: int, day: dt.date) -> bool:
    return reads.has_care(child_id, facility_id, day, [s.value for s in CARE_STATUSES])


def _live_taps(child_id: int, facility_id: int, day: dt.date) -> list[Tap]:
    return list(
        Tap.objects.filter(
            child_id=child_id, facility_id=facility_id, day=day, voided_at__isnull=True
        ).order_by("tapped_at", "pk")
    )


def _realign(child_id: int, facility_id: int, day: dt.date) -> tuple[list[Tap], list[dict]]:
    """Relabel the day's live taps by position; returns them and the labels changed."""
    taps = _live_taps(child_id, facility_id, day)
    changed: list[dict] = []
    for index, tap in enumerate(taps):
        wanted = TapEvent.CHECK_IN if index % 2 == 0 else TapEvent.CHECK_OUT
        if tap.event != wanted:
            changed.append({"tap": tap.pk, "before": tap.event, "after": str(wanted)})
            tap.event = wanted
    if changed:
        by_pk = {tap.pk: tap for tap in taps}
        Tap.objects.bulk_update([by_pk[c["tap"]] for c in changed], ["event"])
    return taps, changed


def _check_time(tapped_at: dt.datetime, now: dt.datetime) -> dt.datetime:
    if tapped_at.tzinfo is None:
        raise AttendanceError(
            INVALID, _("태그 시각에 시간대(예: +09:00)를 포함해 주세요."), field="tapped_at"
        )
    try:
        return _in_range(tapped_at, now)
    except OverflowError as exc:  # year 1 or 9999 with an offset
        raise AttendanceError(INVALID, _("태그 시각이 올바르지 않습니다."), "tapped_at") from exc


def _in_range(tapped_at: dt.datetime, now: dt.datetime) -> dt.datetime:
    if tapped_at > now + FUTURE_SKEW:
        raise AttendanceError(
            INVALID, _("태그 시각이 현재보다 미래입니다. 리더기 시계를 확인해 주세요."), "tapped_at"
        )
    if tapped_at < now - MAX_LATE:
        raise AttendanceError(
            INVALID, _("7일보다 오래된 태그는 받을 수 없습니다."), field="tapped_at"
        )
    return clock.to_seoul(tapped_at)


def _announce(tap: Tap, child, facility, now: dt.datetime) -> None:
    """Arrival/departure message to the guardian, once per tap (its id is the key)."""
    if now - tap.tapped_at > NOTIFY_MAX_DELAY:
        return
    event = ARRIVAL_EVENT if tap.event == TapEvent.CHECK_IN else DEPARTURE_EVENT
    # The outbox row and the notified mark: one round trip on PostgreSQL (core/batch.py).
    with batched_writes():
        _queue_announcement(tap, child, facility, event)
    tap.notified = True


def _queue_announcement(tap: Tap, child, facility, event: str) -> None:
    notify(
        event,
        child.guardian,
        {
            "child": child.name,
            "facility": facility.name,
            "time": f"{clock.to_seoul(tap.tapped_at):%H:%M}",
            "tap": tap.pk,
        },
        idempotency_key=f"attendance:{tap.pk}:{tap.event}",
    )
    batch.execute("UPDATE attendance_tap SET notified = %s WHERE id = %s", [True, tap.pk])


def _after_insert(tap: Tap, *, actor, child, facility, now: dt.datetime) -> None:
    """Relabel the day, audit a late tap that moved others, announce an in-order one."""
    taps, changed = _realign(child.pk, facility.pk, tap.day)
    tap.event = next(t.event for t in taps if t.pk == tap.pk)
    changed = [c for c in changed if c["tap"] != tap.pk]
    if changed:
        log_action(
            actor=actor,
            action="attendance.tap.late",
            obj=tap,
            before={"relabelled": [{"tap": c["tap"], "event": c["before"]} for c in changed]},
            after={"relabelled": [{"tap": c["tap"], "event": c["after"]} for c in changed]},
            reason=_("늦게 도착한 태그가 그날 순서를 바꾸었습니다."),
        )
    if taps[-1].pk == tap.pk:
        _announce(tap, child, facility, now)


def _duplicate(reader: Reader, nonce: str) -> TapResult | None:
    tap = reads.tap_by_nonce(reader.pk, nonce)
    if tap is None:
        return None
    if tap.child_id is None:
        raise AttendanceError(UNKNOWN_CARD, _("등록되지 않았거나 회수된 카드입니다."))
    return TapResult(tap=tap, duplicate=True)


def _record_unknown(reader: Reader, uid: str, tapped_at, now, nonce: str) -> None:
    """Keep an unknown card's tap for the teacher's sheet (a resend adds nothing)."""
    try:
        with transaction.atomic():
            Tap.objects.create(
                reader=reader,
                facility_id=reader.facility_id,
                card_uid=uid,
                day=tapped_at.date(),
                tapped_at=tapped_at,
                received_at=now,
                nonce=nonce,
            )
    except IntegrityError:
        pass


def record_tap(*, reader: Reader, card_uid: str, tapped_at: dt.datetime, nonce: str) -> TapResult:
    """One reader tap. Idempotent by (reader, nonce): a resend answers ``duplicate``."""
    now = clock.now()
    nonce = (nonce or "").strip()
    if not nonce:
        raise AttendanceError(INVALID, _("nonce를 입력해 주세요."), field="nonce")
    if (seen := _duplicate(reader, nonce)) is not None:
        return seen
    tapped_at = _check_time(tapped_at, now)
    uid = normalize_uid(card_uid)
    touch(reader)
    card = reads.active_card(uid, reader.facility_id)
    if card is None:
        _record_unknown(reader, uid[:64], tapped_at, now, nonce)
        raise AttendanceError(UNKNOWN_CARD, _("등록되지 않았거나 회수된 카드입니다."))
    child, facility = card.child, reader.facility
    day = tapped_at.date()
    with locked(day_lock(child.pk, facility.pk, day)):
        # A resend racing its original: the first one holds the lock, this one sees it.
        if (seen := _duplicate(reader, nonce)) is not None:
            return seen
        tap = Tap.objects.create(
            reader=reader,
            facility=facility,
            card=card,
            card_uid=uid,
            child=child,
            day=day,
            tapped_at=tapped_at,
            received_at=now,
            nonce=nonce,
            event=TapEvent.CHECK_IN,  # provisional; _realign sets the real label
            flagged_no_care=not has_care(child.pk, facility.pk, day),
        )
        _after_insert(tap, actor=None, child=child, facility=facility, now=now)
    return TapResult(tap=tap, duplicate=False)


def record_manual(*, actor, child, facility, event: str, at: dt.datetime, reason: str) -> Tap:
    """수동 등원/하원 by staff, with a reason. It must come after the day's last tap and be
    the event the alternation expects (a wrong earlier tap is voided first)."""
    require_scope(actor, facility)
    reason = clean_reason(reason)
    now = clock.now()
    at = _check_time(at, now)
    if event not in TapEvent.values:
        raise AttendanceError(INVALID, _("등원 또는 하원을 선택해 주세요."), field="event")
    day = at.date()
    with locked(day_lock(child.pk, facility.pk, day)):
        taps = _live_taps(child.pk, facility.pk, day)
        if taps and taps[-1].tapped_at > at:
            raise AttendanceError(
                OUT_OF_ORDER,
                _("이 시각 이후의 출결 기록이 있습니다. 잘못된 기록을 먼저 정정해 주세요."),
                field="at",
            )
        expected = TapEvent.CHECK_IN if len(taps) % 2 == 0 else TapEvent.CHECK_OUT
        if event != expected:
            message = (
                _("이미 등원 처리되어 있습니다.")
                if expected == TapEvent.CHECK_OUT
                else _("등원 기록이 없어 하원 처리할 수 없습니다.")
            )
            raise AttendanceError(OUT_OF_ORDER, message, field="event")
        tap = Tap.objects.create(
            facility=facility,
            child=child,
            day=day,
            tapped_at=at,
            received_at=now,
            event=event,
            manual=True,
            reason=reason,
            staff=actor,
            flagged_no_care=not has_care(child.pk, facility.pk, day),
        )
        log_action(
            actor=actor,
            action="attendance.tap.manual",
            obj=tap,
            after=snapshot(tap, ["child", "facility", "tapped_at", "event"]),
            reason=reason,
        )
        _announce(tap, child, facility, now)
    return tap


def void_tap(*, actor, tap: Tap, reason: str) -> Tap:
    """정정: a wrong tap leaves the day (kept, marked voided); the rest are relabelled.
    Messages already sent are not recalled, and relabelled taps are not re-announced."""
    require_scope(actor, tap.facility)
    reason = clean_reason(reason)
    resource = (
        day_lock(tap.child_id, tap.facility_id, tap.day)
        if tap.child_id
        else f"attendance:tap:{tap.pk}"
    )
    with locked(resource):
        tap.refresh_from_db()
        if tap.voided_at is not None:
            raise AttendanceError(ALREADY_VOIDED, _("이미 정정된 기록입니다."))
        before = snapshot(tap, ["event", "voided_at"])
        tap.voided_at = clock.now()
        tap.voided_by = actor
        tap.void_reason = reason
        tap.save(update_fields=["voided_at", "voided_by", "void_reason"])
        changed: list[dict] = []
        if tap.child_id:
            _taps, changed = _realign(tap.child_id, tap.facility_id, tap.day)
        log_action(
            actor=actor,
            action="attendance.tap.void",
            obj=tap,
            before=before,
            after={**snapshot(tap, ["event", "voided_at"]), "relabelled": changed},
            reason=reason,
        )
    return tap


def mark_absent(*, actor, child, facility, day: dt.date, reason: str) -> Absence:
    """결석: only for a day without a live tap."""
    require_scope(actor, facility)
    reason = clean_reason(reason)
    with locked(day_lock(child.pk, facility.pk, day)):
        if _live_taps(child.pk, facility.pk, day):
            raise AttendanceError(
                ALREADY_PRESENT, _("이 날 출결 기록이 있어 결석 처리할 수 없습니다.")
            )
        if Absence.objects.filter(child=child, facility=facility, day=day).exists():
            raise AttendanceError(ALREADY_ABSENT, _("이미 결석 처리되었습니다."))
        absence = Absence.objects.create(
            child=child,
            facility=facility,
            day=day,
            reason=reason,
            marked_at=clock.now(),
            marked_by=actor,
        )
        log_action(
            actor=actor,
            action="attendance.absent",
            obj=absence,
            after=snapshot(absence, ["child", "facility", "day", "reason"]),
            reason=reason,
        )
        # A regular child's place that day goes to those waiting for it.
        release_absent_day(facility=facility, child_id=child.pk, day=day, actor=actor)
    return absence


def unmark_absent(*, actor, absence: Absence, reason: str) -> None:
    require_scope(actor, absence.facility)
    reason = clean_reason(reason)
    with locked(day_lock(absence.child_id, absence.facility_id, absence.day)):
        if not Absence.objects.filter(pk=absence.pk).exists():
            raise AttendanceError(NOT_FOUND, _("결석 기록을 찾을 수 없습니다."))
        log_action(
            actor=actor,
            action="attendance.absent.cancel",
            obj=absence,
            before=snapshot(absence, ["child", "facility", "day", "reason"]),
            reason=reason,
        )
        absence.delete()
        retake_absent_day(
            facility=absence.facility, child_id=absence.child_id, day=absence.day, actor=actor
        )
