"""이용기간 연장 (RES-9): regular care that ends on its quarter's last day continues into
the next quarter unless the guardian stops it before the cut-off (Seoul's rule since
2025). Care that ends earlier is not extended (FAQ Q6). See docs/reservations.md.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kium.centres.models import OperatingPeriod, Quarter
from kium.core import clock
from kium.core.audit import log_action
from kium.core.notify import notify
from kium.reservations.domain import errors, policy
from kium.reservations.domain.errors import ReservationError
from kium.reservations.domain.places import (
    facility_lock,
    full_days,
    hold_days,
    loads_for,
    regular_days,
    save_loads,
)
from kium.reservations.domain.transitions import require_guardian, require_staff_scope
from kium.reservations.enums import CareType, Pool, Status
from kium.reservations.models import Reservation


def quarter_ending(reservation: Reservation) -> Quarter | None:
    return Quarter.objects.filter(
        start__lte=reservation.end_date, end__gte=reservation.end_date
    ).first()


def next_quarter(quarter: Quarter) -> Quarter | None:
    return Quarter.objects.filter(start__gt=quarter.end).order_by("start").first()


def _period_ends(facility_id: int, quarter: Quarter) -> set[dt.date]:
    """The days on which care 'ends with the quarter': its last day or the centre's."""
    ends = {quarter.end}
    ends.update(
        OperatingPeriod.objects.filter(facility_id=facility_id, quarter=quarter).values_list(
            "end", flat=True
        )
    )
    return ends


def candidates(*, facility, quarter: Quarter) -> QuerySet[Reservation]:
    """Regular care at ``facility`` that ends with ``quarter`` (이용기간 연장관리 list)."""
    return (
        Reservation.objects.filter(
            facility=facility,
            care_type=CareType.REGULAR,
            status__in=[Status.CONFIRMED, Status.COMPLETED],
            end_date__in=_period_ends(facility.pk, quarter),
        )
        .select_related("child", "guardian", "extension")
        .order_by("child__name", "pk")
    )


def is_extendable(reservation: Reservation) -> bool:
    if reservation.care_type != CareType.REGULAR or reservation.status not in (
        Status.CONFIRMED,
        Status.COMPLETED,
    ):
        return False
    quarter = quarter_ending(reservation)
    return quarter is not None and reservation.end_date in _period_ends(
        reservation.facility_id, quarter
    )


@dataclass(frozen=True)
class ExtensionState:
    """What the guardian and the centre see for one candidate."""

    code: str  # continuing | stopped | extended | waiting | not_extendable
    label: str
    cutoff: dt.date | None


def state_of(reservation: Reservation) -> ExtensionState:
    quarter = quarter_ending(reservation)
    cutoff = policy.extension_cutoff(quarter.end) if quarter else None
    extension = getattr(reservation, "extension", None)
    if extension is not None and extension.status == Status.CONFIRMED:
        return ExtensionState("extended", _("연장 완료"), cutoff)
    if extension is not None and extension.status in (Status.WAITLISTED, Status.PENDING):
        return ExtensionState("waiting", _("연장 대기(정원 초과)"), cutoff)
    if not is_extendable(reservation):
        return ExtensionState("not_extendable", _("연장 대상 아님"), cutoff)
    if reservation.extension_stopped_at:
        return ExtensionState("stopped", _("보호자 연장 중단"), cutoff)
    return ExtensionState("continuing", _("자동 연장 예정"), cutoff)


def _require_before_cutoff(reservation: Reservation) -> None:
    if not is_extendable(reservation):
        raise ReservationError(
            errors.NOT_EXTENDABLE,
            _("분기 마지막 날까지 이용하는 정기돌봄만 다음 분기로 연장됩니다."),
        )
    quarter = quarter_ending(reservation)
    if clock.today() > policy.extension_cutoff(quarter.end):
        raise ReservationError(
            errors.EXTENSION_CLOSED,
            _("연장 여부는 %(day)s까지 바꿀 수 있습니다. 센터에 문의해 주세요.")
            % {"day": f"{policy.extension_cutoff(quarter.end):%Y.%m.%d}"},
        )


def stop_extension(*, actor, reservation: Reservation, stop: bool = True) -> Reservation:
    """The guardian stops (or, ``stop=False``, resumes) the automatic continuation."""
    require_guardian(actor, reservation)
    _require_before_cutoff(reservation)
    before = reservation.extension_stopped_at
    reservation.extension_stopped_at = clock.now() if stop else None
    reservation.save(update_fields=["extension_stopped_at", "updated_at"])
    log_action(
        actor=actor,
        action="reservation.extension_stop" if stop else "reservation.extension_resume",
        obj=reservation,
        before={"extension_stopped_at": str(before) if before else None},
        after={"extension_stopped_at": str(reservation.extension_stopped_at or "")},
    )
    return reservation


def extend(*, actor, reservation: Reservation) -> Reservation:
    """Continue one regular care into the next quarter's operating period.

    The new care takes its places under the lock like an approval; when a day is full it
    waits in the regular line instead (the centre sees it as 연장 대기).
    """
    if actor is not None:
        require_staff_scope(actor, reservation)
    if not is_extendable(reservation):
        raise ReservationError(
            errors.NOT_EXTENDABLE,
            _("분기 마지막 날까지 이용하는 정기돌봄만 다음 분기로 연장됩니다."),
        )
    if reservation.extension_stopped_at:
        raise ReservationError(errors.NOT_EXTENDABLE, _("보호자가 연장을 중단했습니다."))
    quarter = quarter_ending(reservation)
    following = next_quarter(quarter) if quarter else None
    period = (
        OperatingPeriod.objects.filter(facility_id=reservation.facility_id, quarter=following)
        .order_by("start")
        .first()
        if following
        else None
    )
    if period is None:
        raise ReservationError(
            errors.NOT_OPERATING_DAY, _("다음 분기 운영기간이 아직 등록되지 않았습니다.")
        )
    with facility_lock(reservation.facility_id):
        if Reservation.objects.filter(extended_from=reservation).exists():
            raise ReservationError(errors.DUPLICATE, _("이미 연장된 이용입니다."))
        now = clock.now()
        extension = Reservation.objects.create(
            facility_id=reservation.facility_id,
            child_id=reservation.child_id,
            guardian_id=reservation.guardian_id,
            care_type=CareType.REGULAR,
            status=Status.PENDING,
            source=reservation.source,
            start_date=period.start,
            end_date=period.end,
            weekdays=reservation.weekdays,
            start_time=reservation.start_time,
            end_time=reservation.end_time,
            queued_at=now,
            priority_rank=reservation.priority_rank,
            dual_earner=reservation.dual_earner,
            single_parent=reservation.single_parent,
            many_children=reservation.many_children,
            complex_resident=reservation.complex_resident,
            application_submitted_at=reservation.application_submitted_at,
            privacy_consent_at=reservation.privacy_consent_at,
            pickup_consent_at=reservation.pickup_consent_at,
            paper_forms_received_at=reservation.paper_forms_received_at,
            fee_amount=reservation.fee_amount,
            exemption=reservation.exemption,
            extended_from=reservation,
            created_by=actor,
        )
        facility = reservation.facility
        days = regular_days(extension, facility)
        loads = loads_for(facility, days)
        if days and not full_days(loads, days):
            hold_days(extension, loads, dict.fromkeys(days, Pool.SHARED))
            save_loads(loads.values())
            extension.status = Status.CONFIRMED
            extension.decided_at = now
            extension.decided_by = actor
        else:
            extension.status = Status.WAITLISTED
        extension.save(update_fields=["status", "decided_at", "decided_by", "updated_at"])
        log_action(
            actor=actor,
            action="reservation.extend",
            obj=extension,
            after={
                "extended_from": reservation.pk,
                "status": extension.status,
                "start_date": str(extension.start_date),
                "end_date": str(extension.end_date),
            },
        )
        extended = extension.status == Status.CONFIRMED
        notify(
            "reservation.extended" if extended else "reservation.extension_waiting",
            reservation.guardian,
            {"reservation": extension.pk, "facility": reservation.facility_id},
        )
    return extension


@dataclass
class ExtensionRun:
    extended: int = 0
    waiting: int = 0
    skipped: int = 0


def run_extensions(*, quarter: Quarter, facility=None, actor=None) -> ExtensionRun:
    """Extend every candidate of ``quarter`` that the guardian did not stop (after cut-off).

    Run by ``manage.py extend_regular_care`` (and by the centre's 일괄 연장 button).
    """
    result = ExtensionRun()
    rows = Reservation.objects.filter(
        care_type=CareType.REGULAR,
        status__in=[Status.CONFIRMED, Status.COMPLETED],
        extension_stopped_at__isnull=True,
        extension__isnull=True,
        end_date__gte=quarter.start,
        end_date__lte=quarter.end,
    ).select_related("facility", "guardian")
    if facility is not None:
        rows = rows.filter(facility=facility)
    for reservation in rows.order_by("priority_rank", "queued_at", "pk"):
        if not is_extendable(reservation):
            continue
        try:
            extension = extend(actor=actor, reservation=reservation)
        except ReservationError:
            result.skipped += 1
            continue
        if extension.status == Status.CONFIRMED:
            result.extended += 1
        else:
            result.waiting += 1
    return result


def quarter_to_extend(today: dt.date | None = None) -> Quarter | None:
    """The quarter whose cut-off has passed and that has not ended yet (or just ended)."""
    today = today or clock.today()
    for quarter in Quarter.objects.filter(end__gte=today - dt.timedelta(days=7)).order_by("start"):
        if policy.extension_cutoff(quarter.end) < today:
            return quarter
    return None
