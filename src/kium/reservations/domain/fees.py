"""Fees and exemptions (recorded, not charged online: payment happens at the centre)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kium.core.audit import log_action
from kium.reservations.domain import errors
from kium.reservations.domain.errors import ReservationError
from kium.reservations.domain.transitions import require_staff_scope
from kium.reservations.enums import Exemption
from kium.reservations.models import Reservation

MAX_FEE = 10_000_000


def record_fee(
    *, actor, reservation: Reservation, fee_amount: int | None, exemption: str
) -> Reservation:
    """Staff record the fee that applies and the exemption category, if any.

    An exemption leaves the fee at 0 원: the category is what the centre must prove.
    """
    require_staff_scope(actor, reservation)
    if exemption not in Exemption.values:
        raise ReservationError(
            errors.INVALID_REQUEST, _("감면 구분이 올바르지 않습니다."), "exemption"
        )
    if fee_amount is not None and not 0 <= fee_amount <= MAX_FEE:
        raise ReservationError(errors.INVALID_REQUEST, _("이용료를 확인해 주세요."), "fee_amount")
    before = {"fee_amount": reservation.fee_amount, "exemption": reservation.exemption}
    reservation.exemption = exemption
    reservation.fee_amount = 0 if exemption else fee_amount
    reservation.save(update_fields=["fee_amount", "exemption", "updated_at"])
    log_action(
        actor=actor,
        action="reservation.fee",
        obj=reservation,
        before=before,
        after={"fee_amount": reservation.fee_amount, "exemption": reservation.exemption},
    )
    return reservation
