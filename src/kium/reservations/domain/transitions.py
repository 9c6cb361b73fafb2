"""Moves between reservation statuses (DESIGN rule 6): one function per move, each
checking the move, changing places under the facility's lock, writing the audit log and
notifying the guardian after commit.

    pending ──approve──▶ confirmed ──(last day passes)──▶ completed
       │  └──wait──▶ waitlisted ──(place freed)──▶ offered ──accept──▶ confirmed
       │                  │                          └──(deadline)──▶ expired
       └─reject─▶ rejected   any live status ──cancel──▶ cancelled
"""

from __future__ import annotations

import datetime as dt

from django.utils.translation import gettext as _

from kium.core import clock
from kium.core.audit import log_action
from kium.core.notify import notify
from kium.orgs.domain.scope import scope_for
from kium.reservations.domain import errors
from kium.reservations.domain.errors import ReservationError
from kium.reservations.domain.places import (
    facility_lock,
    fill_freed_places,
    full_days,
    hold_days,
    loads_for,
    regular_days,
    release_days,
    save_loads,
)
from kium.reservations.enums import CareType, DocumentKind, Pool, Status
from kium.reservations.models import Reservation


def _fresh(reservation: Reservation) -> Reservation:
    """Re-read under the lock: the status may have moved since the caller read it."""
    return Reservation.objects.select_related("facility", "guardian", "child").get(
        pk=reservation.pk
    )


def _require(reservation: Reservation, *allowed: str) -> None:
    if reservation.status not in allowed:
        raise ReservationError(
            errors.INVALID_TRANSITION,
            _("현재 상태(%(status)s)에서는 할 수 없는 처리입니다.")
            % {"status": reservation.get_status_display()},
        )


def require_staff_scope(actor, reservation: Reservation) -> None:
    """Staff act only on reservations of facilities in their scope (else: not found)."""
    if not scope_for(actor).covers_facility(reservation.facility):
        raise ReservationError(errors.NOT_FOUND, _("예약을 찾을 수 없습니다."))


def require_guardian(actor, reservation: Reservation) -> None:
    if getattr(actor, "pk", None) != reservation.guardian_id:
        raise ReservationError(errors.NOT_FOUND, _("예약을 찾을 수 없습니다."))


def _move(
    reservation: Reservation,
    *,
    actor,
    status: str,
    reason: str = "",
    event: str | None = None,
    extra_fields: tuple[str, ...] = (),
) -> None:
    before = reservation.status
    reservation.status = status
    reservation.save(update_fields=["status", "updated_at", *extra_fields])
    log_action(
        actor=actor,
        action=f"reservation.{status}",
        obj=reservation,
        before={"status": before},
        after={"status": status, **{f: str(getattr(reservation, f)) for f in extra_fields}},
        reason=reason,
    )
    notify(
        event or f"reservation.{status}",
        reservation.guardian,
        {
            "reservation": reservation.pk,
            "facility": reservation.facility_id,
            "care_type": reservation.care_type,
            "reason": reason,
        },
    )


def _decided(reservation: Reservation, actor, reason: str = "") -> tuple[str, ...]:
    reservation.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    reservation.decided_at = clock.now()
    reservation.decision_reason = reason[:500]
    return ("decided_by", "decided_at", "decision_reason")


# --- centre decisions -------------------------------------------------------------------


def approve(*, actor, reservation: Reservation) -> Reservation:
    """Approve an application. Regular care takes its places now and fails with ``full``
    naming the first day without a place; a pending single-day booking (review mode)
    already holds its place."""
    require_staff_scope(actor, reservation)
    with facility_lock(reservation.facility_id):
        reservation = _fresh(reservation)
        _require(reservation, Status.PENDING, Status.WAITLISTED)
        if reservation.care_type == CareType.REGULAR:
            _require_documents(reservation)
            _take_regular_places(reservation)
        elif reservation.status == Status.WAITLISTED:
            raise ReservationError(
                errors.INVALID_TRANSITION,
                _("대기 중인 일시돌봄은 자리가 나면 순서대로 자동 제안됩니다."),
            )
        fields = _decided(reservation, actor)
        _move(reservation, actor=actor, status=Status.CONFIRMED, extra_fields=fields)
    return reservation


def _require_documents(reservation: Reservation) -> None:
    """RES-6: regular care is approved only with the centre's required documents in."""
    from kium.reservations.domain.documents import missing_documents

    missing = missing_documents(reservation)
    if missing:
        names = ", ".join(str(DocumentKind(kind).label) for kind in missing)
        raise ReservationError(
            errors.DOCUMENTS_MISSING,
            _("제출되지 않은 서류가 있습니다: %(names)s") % {"names": names},
        )


def _take_regular_places(reservation: Reservation) -> None:
    facility = reservation.facility
    days = regular_days(reservation, facility, from_day=clock.today())
    if not days:
        raise ReservationError(errors.NOT_OPERATING_DAY, _("남은 이용기간에 운영일이 없습니다."))
    loads = loads_for(facility, days)
    full = full_days(loads, days)
    if full:
        raise ReservationError(
            errors.FULL,
            _("%(day)s 등 %(count)d일은 정원이 찼습니다. 대기로 등록할 수 있습니다.")
            % {"day": f"{full[0]:%Y.%m.%d}", "count": len(full)},
        )
    hold_days(reservation, loads, dict.fromkeys(days, Pool.SHARED))
    save_loads(loads.values())


def put_on_waitlist(*, actor, reservation: Reservation, reason: str = "") -> Reservation:
    """대기 등록: a regular application the centre cannot place yet waits in line."""
    require_staff_scope(actor, reservation)
    with facility_lock(reservation.facility_id):
        reservation = _fresh(reservation)
        _require(reservation, Status.PENDING)
        if reservation.care_type != CareType.REGULAR:
            raise ReservationError(
                errors.INVALID_TRANSITION, _("정기돌봄 신청만 대기로 등록합니다.")
            )
        _move(reservation, actor=actor, status=Status.WAITLISTED, reason=reason)
    return reservation


def reject(*, actor, reservation: Reservation, reason: str) -> Reservation:
    """반려 with a reason; a place it held goes to the next in line."""
    require_staff_scope(actor, reservation)
    reason = (reason or "").strip()
    if not reason:
        raise ReservationError(errors.INVALID_REQUEST, _("반려 사유를 적어 주세요."), "reason")
    with facility_lock(reservation.facility_id):
        reservation = _fresh(reservation)
        _require(reservation, Status.PENDING, Status.WAITLISTED, Status.OFFERED)
        freed = _let_go(reservation)
        fields = _decided(reservation, actor, reason)
        _move(reservation, actor=actor, status=Status.REJECTED, reason=reason, extra_fields=fields)
        if freed:
            fill_freed_places(
                facility=reservation.facility, loads=freed, actor=actor, reason="rejection"
            )
    return reservation


# --- guardian (or centre) actions --------------------------------------------------------


def cancel(*, actor, reservation: Reservation, reason: str = "", by_staff: bool = False):
    """Cancel; a started regular care ends today instead (its later days are freed).

    Freed places are offered to the first in line at once, in the same transaction.
    """
    if by_staff:
        require_staff_scope(actor, reservation)
    else:
        require_guardian(actor, reservation)
    today = clock.today()
    with facility_lock(reservation.facility_id):
        reservation = _fresh(reservation)
        _require(reservation, Status.PENDING, Status.CONFIRMED, Status.WAITLISTED, Status.OFFERED)
        if reservation.last_day < today:
            raise ReservationError(
                errors.INVALID_TRANSITION, _("이미 지난 예약은 취소할 수 없습니다.")
            )
        started = (
            reservation.care_type == CareType.REGULAR
            and reservation.status == Status.CONFIRMED
            and reservation.start_date <= today
        )
        if started:
            freed = release_days(
                reservation, facility=reservation.facility, from_day=today + dt.timedelta(days=1)
            )
            before_end = reservation.end_date
            reservation.end_date = today
            reservation.extension_stopped_at = clock.now()
            reservation.save(update_fields=["end_date", "extension_stopped_at", "updated_at"])
            log_action(
                actor=actor,
                action="reservation.end_early",
                obj=reservation,
                before={"end_date": str(before_end)},
                after={"end_date": str(today)},
                reason=reason,
            )
            notify(
                "reservation.ended",
                reservation.guardian,
                {"reservation": reservation.pk, "facility": reservation.facility_id},
            )
        else:
            freed = _let_go(reservation)
            reservation.cancelled_at = clock.now()
            _move(
                reservation,
                actor=actor,
                status=Status.CANCELLED,
                reason=reason,
                extra_fields=("cancelled_at",),
            )
        if freed:
            fill_freed_places(
                facility=reservation.facility, loads=freed, actor=actor, reason="cancellation"
            )
    return reservation


def accept_offer(*, actor, reservation: Reservation) -> Reservation:
    """Take an offered place (one tap). After the deadline the offer lapses: the place
    goes to the next in line and ``offer_expired`` is raised (the lapse is kept)."""
    require_guardian(actor, reservation)
    lapsed = False
    with facility_lock(reservation.facility_id):
        reservation = _fresh(reservation)
        _require(reservation, Status.OFFERED)
        if reservation.offer_expires_at <= clock.now():
            _expire(reservation, actor=None)
            lapsed = True
        else:
            regular = reservation.care_type == CareType.REGULAR
            fields = _decided(reservation, None) if regular else ()
            _move(
                reservation,
                actor=actor,
                status=Status.CONFIRMED,
                event="reservation.offer_accepted",
                extra_fields=fields,
            )
    if lapsed:
        raise ReservationError(errors.OFFER_EXPIRED, _("수락 기한이 지나 제안이 만료되었습니다."))
    return reservation


# --- lapses and endings ------------------------------------------------------------------


def _let_go(reservation: Reservation):
    """Give back what a reservation holds or the waitlist spot it fills; the freed loads."""
    if reservation.status == Status.WAITLISTED and reservation.is_single_day:
        loads = loads_for(reservation.facility, [reservation.date])
        load = loads[reservation.date]
        load.waitlisted = max(0, load.waitlisted - 1)
        save_loads([load])
        return {}
    if reservation.status in (Status.PENDING, Status.CONFIRMED, Status.OFFERED):
        return release_days(reservation, facility=reservation.facility)
    return {}


def _expire(reservation: Reservation, *, actor) -> None:
    freed = _let_go(reservation)
    _move(reservation, actor=actor, status=Status.EXPIRED, reason="offer deadline passed")
    if freed:
        fill_freed_places(facility=reservation.facility, loads=freed, actor=actor, reason="lapse")


def expire_due_offers(*, now: dt.datetime | None = None) -> int:
    """Lapse every offer past its deadline and hand the places on (periodic job)."""
    now = now or clock.now()
    due = (
        Reservation.objects.filter(status=Status.OFFERED, offer_expires_at__lte=now)
        .order_by("offer_expires_at", "pk")
        .values_list("pk", "facility_id")
    )
    count = 0
    for pk, facility_id in list(due):
        with facility_lock(facility_id):
            reservation = Reservation.objects.select_related("facility", "guardian").get(pk=pk)
            if reservation.status == Status.OFFERED and reservation.offer_expires_at <= now:
                _expire(reservation, actor=None)
                count += 1
    return count


def complete_past(*, today: dt.date | None = None) -> int:
    """이용완료: confirmed care whose last day has passed (periodic job, audited)."""
    from django.db.models import Q

    today = today or clock.today()
    ended = Reservation.objects.filter(status=Status.CONFIRMED).filter(
        Q(date__lt=today) | Q(care_type=CareType.REGULAR, end_date__lt=today)
    )
    count = 0
    for reservation in ended.select_related("guardian"):
        reservation.status = Status.COMPLETED
        reservation.save(update_fields=["status", "updated_at"])
        log_action(
            actor=None,
            action="reservation.completed",
            obj=reservation,
            before={"status": Status.CONFIRMED},
            after={"status": Status.COMPLETED},
            reason="last day passed",
        )
        count += 1
    return count


def send_reminders(*, today: dt.date | None = None) -> int:
    """The day-before reminder for tomorrow's single-day care, sent once per booking."""
    from kium.reservations.enums import SINGLE_DAY_TYPES

    tomorrow = (today or clock.today()) + dt.timedelta(days=1)
    due = Reservation.objects.filter(
        status=Status.CONFIRMED,
        care_type__in=SINGLE_DAY_TYPES,
        date=tomorrow,
        reminded_at__isnull=True,
    ).select_related("guardian", "facility", "child")
    count = 0
    for reservation in due:
        # Mark first: a crash after this line loses one reminder, never sends two.
        updated = Reservation.objects.filter(pk=reservation.pk, reminded_at__isnull=True).update(
            reminded_at=clock.now()
        )
        if not updated:
            continue
        notify(
            "reservation.reminder",
            reservation.guardian,
            {
                "reservation": reservation.pk,
                "facility": reservation.facility.name,
                "child": reservation.child.name,
                "date": reservation.date.isoformat(),
                "start_time": f"{reservation.start_time:%H:%M}",
            },
        )
        count += 1
    return count
