"""Reads: a guardian's reservations, a staff member's scoped reservations."""

from __future__ import annotations

from django.db.models import QuerySet

from kium.orgs.domain.scope import scope_for
from kium.reservations.models import Reservation


def reservations_of_guardian(guardian) -> QuerySet[Reservation]:
    return Reservation.objects.filter(guardian=guardian).select_related("facility", "child")


def reservations_for_user(user) -> QuerySet[Reservation]:
    """Reservations of the facilities in the staff member's scope (DESIGN rule 8)."""
    scope = scope_for(user)
    if scope.is_empty:
        return Reservation.objects.none()
    return Reservation.objects.filter(scope.facility_q("facility__")).select_related(
        "facility", "child", "guardian"
    )
