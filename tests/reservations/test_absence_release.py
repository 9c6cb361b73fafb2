"""A regular child marked absent frees that day's place for the waitlist (issue 5)."""

from __future__ import annotations

import pytest

from kium.attendance.domain.taps import mark_absent, unmark_absent
from kium.attendance.models import Absence
from kium.core.models import AuditEntry
from kium.reservations.domain import booking, transitions
from kium.reservations.models import CareDay, Reservation
from tests.reservations.support import (
    NEXT_DAY,
    assert_counters_match_rows,
    open_centre,
    regular,
    temporary,
)

pytestmark = pytest.mark.django_db


def _regular_child(people, centre):
    parent = people.guardian()
    kid = people.child(parent)
    application = booking.apply_regular(
        actor=parent, guardian=parent, request=regular(centre, kid)
    ).reservation
    transitions.approve(actor=people.centre_manager(centre), reservation=application)
    return kid


def _waiting(people, centre):
    parent = people.guardian()
    return booking.book_single_day(
        actor=parent, guardian=parent, request=temporary(centre, people.child(parent))
    ).reservation


def test_absence_offers_the_day_to_the_line_and_undoing_it_cannot_take_it_back(people):
    centre = open_centre(people, area="3.30")  # one place, taken by the regular child
    kid = _regular_child(people, centre)
    waiting = _waiting(people, centre)
    assert waiting.status == "waitlisted"
    manager = people.centre_manager(centre)
    mark_absent(actor=manager, child=kid, facility=centre, day=NEXT_DAY, reason="병결")
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    assert not CareDay.objects.filter(reservation__child=kid, date=NEXT_DAY).exists()
    assert CareDay.objects.filter(reservation__child=kid).exists()  # other days kept
    assert_counters_match_rows(centre)
    # The child turns up after all: the place went to the line, the centre decides.
    unmark_absent(actor=manager, absence=Absence.objects.get(), reason="등원함")
    assert not CareDay.objects.filter(reservation__child=kid, date=NEXT_DAY).exists()
    assert AuditEntry.objects.filter(action="reservation.absence_retake_failed").exists()
    assert_counters_match_rows(centre)


def test_undoing_an_absence_takes_a_still_free_place_back(people):
    centre = open_centre(people, area="3.30")
    kid = _regular_child(people, centre)
    manager = people.centre_manager(centre)
    mark_absent(actor=manager, child=kid, facility=centre, day=NEXT_DAY, reason="가족 여행")
    assert not CareDay.objects.filter(reservation__child=kid, date=NEXT_DAY).exists()
    unmark_absent(actor=manager, absence=Absence.objects.get(), reason="일정 변경")
    assert CareDay.objects.filter(reservation__child=kid, date=NEXT_DAY).exists()
    assert_counters_match_rows(centre)


def test_a_child_without_regular_care_frees_nothing(people):
    centre = open_centre(people, area="3.30")
    booked = _waiting(people, centre)  # takes the one place as temporary care
    mark_absent(
        actor=people.centre_manager(centre),
        child=booked.child,
        facility=centre,
        day=NEXT_DAY,
        reason="병결",
    )
    assert Reservation.objects.get(pk=booked.pk).status == "confirmed"
    assert CareDay.objects.filter(reservation=booked).count() == 1
