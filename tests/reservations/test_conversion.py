"""일시돌봄 → 정기돌봄 (RES-10): cancel the temporary bookings from the regular start on
and apply for regular care, all or nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from kium.core.models import AuditEntry
from kium.reservations.domain import booking, conversion
from kium.reservations.domain.errors import ReservationError
from kium.reservations.models import CareDay, DayLoad, Reservation
from tests.reservations.support import (
    NEXT_DAY,
    TODAY,
    assert_counters_match_rows,
    open_centre,
    regular,
    temporary,
)

pytestmark = pytest.mark.django_db

LATER = dt.date(2026, 10, 13)  # Tuesday
LATEST = dt.date(2026, 10, 15)  # Thursday


def _temporary_bookings(people, centre):
    parent = people.guardian()
    kid = people.child(parent)
    booked = [
        booking.book_single_day(
            actor=parent, guardian=parent, request=temporary(centre, kid, day)
        ).reservation
        for day in (NEXT_DAY, LATER, LATEST)
    ]
    return parent, kid, booked


def test_converts_cancelling_the_temporary_bookings_from_the_start_date(people):
    centre = open_centre(people)
    parent, kid, (first, second, third) = _temporary_bookings(people, centre)
    request = regular(centre, kid, start=LATER)
    result = conversion.convert_to_regular(
        actor=parent, temporary_reservation=first, request=request
    )
    assert result.regular.status == "pending"
    assert result.regular.care_type == "regular"
    assert result.regular.start_date == LATER
    assert sorted(r.pk for r in result.cancelled) == [second.pk, third.pk]
    statuses = dict(Reservation.objects.filter(care_type="temporary").values_list("pk", "status"))
    assert statuses == {first.pk: "confirmed", second.pk: "cancelled", third.pk: "cancelled"}
    assert not CareDay.objects.filter(reservation__in=[second, third]).exists()
    assert_counters_match_rows(centre)
    entry = AuditEntry.objects.get(action="reservation.convert_to_regular")
    assert entry.actor == parent
    assert entry.before["cancelled"] == [second.pk, third.pk]
    assert entry.before["temporary_reservation"] == first.pk


def test_a_refused_application_leaves_the_temporary_bookings_untouched(people):
    centre = open_centre(people)
    parent, kid, booked = _temporary_bookings(people, centre)
    loads_before = list(DayLoad.objects.values_list("date", "shared_used", "quota_used"))
    too_short = regular(centre, kid, start=LATER, end=dt.date(2026, 10, 30))
    with pytest.raises(ReservationError) as excinfo:
        conversion.convert_to_regular(
            actor=parent, temporary_reservation=booked[0], request=too_short
        )
    assert excinfo.value.code == "too_short"
    assert excinfo.value.field == "end_date"
    assert set(Reservation.objects.values_list("status", flat=True)) == {"confirmed"}
    assert Reservation.objects.count() == 3
    assert CareDay.objects.filter(reservation__in=booked).count() == 3
    assert list(DayLoad.objects.values_list("date", "shared_used", "quota_used")) == loads_before
    assert not AuditEntry.objects.filter(
        action__in=["reservation.cancelled", "reservation.convert_to_regular"]
    ).exists()


def test_freed_places_go_to_the_waiting_child(people):
    centre = open_centre(people, area="3.30")  # one place a day
    parent, kid, booked = _temporary_bookings(people, centre)
    other = people.guardian()
    other_kid = people.child(other)
    waiting = booking.book_single_day(
        actor=other, guardian=other, request=temporary(centre, other_kid, LATER)
    ).reservation
    assert waiting.status == "waitlisted"
    conversion.convert_to_regular(
        actor=parent, temporary_reservation=booked[0], request=regular(centre, kid, start=LATER)
    )
    waiting.refresh_from_db()
    assert waiting.status == "offered"


def test_only_a_confirmed_temporary_booking_of_the_same_child_and_centre(people):
    centre = open_centre(people)
    parent, kid, booked = _temporary_bookings(people, centre)
    sibling = people.child(parent, name="김바다")
    with pytest.raises(ReservationError) as excinfo:
        conversion.convert_to_regular(
            actor=parent,
            temporary_reservation=booked[0],
            request=regular(centre, sibling, start=LATER),
        )
    assert excinfo.value.field == "child"
    elsewhere = open_centre(people)
    with pytest.raises(ReservationError):
        conversion.convert_to_regular(
            actor=parent,
            temporary_reservation=booked[0],
            request=regular(elsewhere, kid, start=LATER),
        )
    application = booking.apply_regular(
        actor=parent, guardian=parent, request=regular(centre, kid, start=TODAY)
    ).reservation
    with pytest.raises(ReservationError) as excinfo:
        conversion.convert_to_regular(
            actor=parent,
            temporary_reservation=application,
            request=regular(centre, kid, start=LATER),
        )
    assert excinfo.value.code == "invalid_transition"
    assert Reservation.objects.filter(status="cancelled").count() == 0


def test_another_guardian_or_staff_out_of_scope_is_not_found(people):
    centre = open_centre(people)
    parent, kid, booked = _temporary_bookings(people, centre)
    for outsider in (people.guardian(), people.district_officer("GN")):
        with pytest.raises(ReservationError) as excinfo:
            conversion.convert_to_regular(
                actor=outsider,
                temporary_reservation=booked[0],
                request=regular(centre, kid, start=LATER),
            )
        assert excinfo.value.code == "not_found"
    # The centre may convert on the guardian's behalf.
    manager = people.centre_manager(centre)
    result = conversion.convert_to_regular(
        actor=manager, temporary_reservation=booked[0], request=regular(centre, kid, start=LATER)
    )
    assert result.regular.guardian == parent
    assert len(result.cancelled) == 2


def test_bookings_to_cancel_never_include_past_days(people, frozen_clock):
    centre = open_centre(people)
    _parent, kid, booked = _temporary_bookings(people, centre)
    frozen_clock.move_to(dt.datetime(2026, 10, 14, 1, tzinfo=dt.UTC))
    rows = conversion.temporary_bookings_to_cancel(child=kid, facility=centre, start_date=TODAY)
    assert list(rows) == [booked[2]]
