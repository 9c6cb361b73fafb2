"""일시돌봄 → 정기돌봄 (RES-10, FAQ Q4): end the temporary use, then apply for regular care.

One guided action instead of two separate ones: the child's temporary bookings at the
centre from the regular start date on are cancelled and the regular application is made
in one transaction, so a refused application (too short, outside the operating period,
a duplicate…) leaves every temporary booking as it was. The places the cancellations
free go to the next in line at once (transitions.cancel), and the regular application
waits for the centre's review like any other (booking.apply_regular).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from kium.core import clock
from kium.core.audit import log_action
from kium.orgs.domain.scope import scope_for
from kium.reservations.domain import booking, errors, transitions
from kium.reservations.domain.errors import ReservationError
from kium.reservations.enums import ACTIVE_STATUSES, CareType, Status
from kium.reservations.models import Reservation

# The temporary bookings a conversion starts from: one that is (or was) in use.
CONVERTIBLE_STATUSES = (Status.CONFIRMED, Status.COMPLETED)


@dataclass(frozen=True)
class Converted:
    regular: Reservation
    cancelled: list[Reservation]


def is_convertible(reservation: Reservation) -> bool:
    """A confirmed (or used) 일시돌봄 booking can lead to a regular application."""
    return (
        reservation.care_type == CareType.TEMPORARY and reservation.status in CONVERTIBLE_STATUSES
    )


def temporary_bookings_to_cancel(*, child, facility, start_date: dt.date) -> QuerySet[Reservation]:
    """The child's live 일시돌봄 bookings at ``facility`` from ``start_date`` (and today) on.

    Past days are history, not plans: they are never touched.
    """
    first = max(start_date, clock.today())
    return Reservation.objects.filter(
        child=child,
        facility=facility,
        care_type=CareType.TEMPORARY,
        status__in=ACTIVE_STATUSES,
        date__gte=first,
    ).order_by("date", "pk")


def _check(*, actor, temporary_reservation: Reservation, request: booking.Request) -> bool:
    """The conversion's own rules; returns whether staff act for the guardian."""
    by_staff = getattr(actor, "pk", None) != temporary_reservation.guardian_id
    if by_staff and not scope_for(actor).covers_facility(temporary_reservation.facility):
        raise ReservationError(errors.NOT_FOUND, _("예약을 찾을 수 없습니다."))
    if not is_convertible(temporary_reservation):
        raise ReservationError(
            errors.INVALID_TRANSITION,
            _("이용이 확정된 일시돌봄 예약만 정기돌봄으로 전환할 수 있습니다."),
        )
    if request.care_type != CareType.REGULAR:
        raise ReservationError(errors.INVALID_REQUEST, _("정기돌봄으로만 전환할 수 있습니다."))
    if getattr(request.child, "pk", None) != temporary_reservation.child_id:
        raise ReservationError(
            errors.INVALID_REQUEST, _("일시돌봄을 이용한 아동으로만 전환할 수 있습니다."), "child"
        )
    if getattr(request.facility, "pk", None) != temporary_reservation.facility_id:
        raise ReservationError(
            errors.INVALID_REQUEST, _("일시돌봄을 이용한 센터로만 전환할 수 있습니다.")
        )
    if request.start_date is None:
        raise ReservationError(
            errors.INVALID_REQUEST, _("이용 시작일과 종료일을 확인해 주세요."), "start_date"
        )
    return by_staff


def convert_to_regular(
    *, actor, temporary_reservation: Reservation, request: booking.Request
) -> Converted:
    """Cancel the child's temporary bookings from the regular start on, then apply.

    All or nothing: when ``apply_regular`` refuses, its ``ReservationError`` propagates
    and the cancellations are rolled back with it (and their notices never leave, as
    notify waits for the commit).
    """
    temporary_reservation = Reservation.objects.select_related("facility", "child", "guardian").get(
        pk=temporary_reservation.pk
    )
    by_staff = _check(actor=actor, temporary_reservation=temporary_reservation, request=request)
    guardian = temporary_reservation.guardian
    reason = _("정기돌봄 전환")
    with transaction.atomic():
        cancelled = []
        for reservation in temporary_bookings_to_cancel(
            child=temporary_reservation.child,
            facility=temporary_reservation.facility,
            start_date=request.start_date,
        ):
            cancelled.append(
                transitions.cancel(
                    actor=actor, reservation=reservation, reason=reason, by_staff=by_staff
                )
            )
        booked = booking.apply_regular(actor=actor, guardian=guardian, request=request)
        log_action(
            actor=actor,
            action="reservation.convert_to_regular",
            obj=booked.reservation,
            before={
                "temporary_reservation": temporary_reservation.pk,
                "cancelled": [reservation.pk for reservation in cancelled],
            },
            after={
                "regular_reservation": booked.reservation.pk,
                "start_date": str(request.start_date),
                "end_date": str(request.end_date),
            },
            reason=reason,
        )
    return Converted(regular=booked.reservation, cancelled=cancelled)
