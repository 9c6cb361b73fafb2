"""The reservation engine's rules (RES-1…10) through its domain functions."""

from __future__ import annotations

import datetime as dt

import pytest

from kium.core import notify
from kium.core.models import AuditEntry
from kium.reservations.domain import booking, transitions
from kium.reservations.domain.errors import ReservationError
from kium.reservations.domain.places import waitlist_position
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


def _family(people):
    parent = people.guardian()
    return parent, people.child(parent)


def _book(facility, people, day=NEXT_DAY):
    parent, kid = _family(people)
    return booking.book_single_day(
        actor=parent, guardian=parent, request=temporary(facility, kid, day)
    )


def _code(excinfo) -> str:
    return excinfo.value.code


# --- temporary care: first come, first served -------------------------------------------


def test_capacity_then_quota_then_waitlist_then_full(people):
    centre = open_centre(people)  # 33 m² → 10 places, quota 2, waitlist 20
    outcomes = [_book(centre, people) for _ in range(32)]
    statuses = [b.reservation.status for b in outcomes]
    assert statuses.count("confirmed") == 12
    assert statuses.count("waitlisted") == 20
    pools = [b.reservation.pool for b in outcomes[:12]]
    assert pools == ["shared"] * 10 + ["quota"] * 2
    assert [b.waitlist_position for b in outcomes[12:]] == list(range(1, 21))
    with pytest.raises(ReservationError) as excinfo:
        _book(centre, people)
    assert _code(excinfo) == "full"
    assert excinfo.value.http_status == 409
    load = DayLoad.objects.get(facility=centre, date=NEXT_DAY)
    assert (load.shared_used, load.quota_used, load.waitlisted) == (10, 2, 20)
    assert_counters_match_rows(centre)


def test_hub_takes_temporary_only_and_all_places_are_temporary(people):
    hub = open_centre(people, kind="hub")  # 10 places, all temporary
    statuses = [_book(hub, people).reservation.status for _ in range(11)]
    assert statuses == ["confirmed"] * 10 + ["waitlisted"]
    parent, kid = _family(people)
    with pytest.raises(ReservationError) as excinfo:
        booking.apply_regular(actor=parent, guardian=parent, request=regular(hub, kid))
    assert _code(excinfo) == "care_type_not_offered"


@pytest.mark.parametrize(
    ("day", "code"),
    [
        (TODAY - dt.timedelta(days=1), "outside_booking_window"),
        (TODAY + dt.timedelta(days=15), "outside_booking_window"),
        (dt.date(2026, 10, 9), "not_operating_day"),  # 한글날
        (dt.date(2026, 10, 10), "not_operating_day"),  # Saturday without hours
        (dt.date(2026, 10, 11), "not_operating_day"),  # Sunday
    ],
)
def test_booking_window_and_operating_days(people, day, code):
    centre = open_centre(people)
    with pytest.raises(ReservationError) as excinfo:
        _book(centre, people, day=day)
    assert _code(excinfo) == code
    assert excinfo.value.http_status == 422
    assert not Reservation.objects.exists()


def test_today_and_the_fourteenth_day_are_bookable(people):
    centre = open_centre(people)
    assert _book(centre, people, day=TODAY).reservation.status == "confirmed"
    assert _book(centre, people, day=dt.date(2026, 10, 20)).reservation.status == "confirmed"


def test_hours_outside_the_day_are_refused(people):
    centre = open_centre(people)
    parent, kid = _family(people)
    with pytest.raises(ReservationError) as excinfo:
        booking.book_single_day(
            actor=parent,
            guardian=parent,
            request=temporary(centre, kid, start=(12, 0), end=(15, 0)),
        )
    assert _code(excinfo) == "outside_hours"


def test_same_child_same_day_is_a_duplicate(people):
    centre = open_centre(people)
    parent, kid = _family(people)
    booking.book_single_day(actor=parent, guardian=parent, request=temporary(centre, kid))
    with pytest.raises(ReservationError) as excinfo:
        booking.book_single_day(actor=parent, guardian=parent, request=temporary(centre, kid))
    assert _code(excinfo) == "duplicate"


def test_another_guardians_child_is_not_found(people):
    centre = open_centre(people)
    parent, _ = _family(people)
    _, other_kid = _family(people)
    with pytest.raises(ReservationError) as excinfo:
        booking.book_single_day(actor=parent, guardian=parent, request=temporary(centre, other_kid))
    assert _code(excinfo) == "not_found"


def test_sick_child_care_only_where_offered(people):
    from kium.centres.models import FacilityProfile

    centre = open_centre(people)
    parent, kid = _family(people)
    request = temporary(centre, kid, care_type="sick")
    request.sick = booking.SickCare("미열과 기침", True, "01012345678")
    with pytest.raises(ReservationError) as excinfo:
        booking.book_single_day(actor=parent, guardian=parent, request=request)
    assert _code(excinfo) == "care_type_not_offered"
    FacilityProfile.objects.create(facility=centre, sick_child_care=True)
    request.facility = booking.bookable_facility(centre.code)
    booked = booking.book_single_day(actor=parent, guardian=parent, request=request)
    assert booked.reservation.status == "confirmed"
    assert booked.reservation.symptoms == "미열과 기침"


def test_review_mode_holds_the_place_while_pending(people):
    from kium.centres.models import FacilityProfile

    centre = open_centre(people, area="6.60")  # 2 places, no quota
    FacilityProfile.objects.create(facility=centre, temporary_review=True)
    centre = booking.bookable_facility(centre.code)
    first = _book(centre, people).reservation
    assert first.status == "pending"
    assert CareDay.objects.filter(reservation=first).count() == 1
    _book(centre, people)
    assert _book(centre, people).reservation.status == "waitlisted"
    officer = people.district_officer("NW")
    transitions.approve(actor=officer, reservation=first)
    first.refresh_from_db()
    assert first.status == "confirmed"


# --- cancellation, offers and lapses ---------------------------------------------------


def test_cancellation_offers_the_place_to_the_first_in_line(people):
    centre = open_centre(people, area="3.30")  # one place, no quota, waitlist 2
    first = _book(centre, people).reservation
    second = _book(centre, people)
    third = _book(centre, people)
    assert (second.waitlist_position, third.waitlist_position) == (1, 2)
    notify.sent.clear()
    transitions.cancel(actor=first.guardian, reservation=first)
    offered = Reservation.objects.get(pk=second.reservation.pk)
    assert offered.status == "offered"
    # Offered on Tuesday 10:00 for Wednesday: until 18:00 on Tuesday.
    assert offered.offer_expires_at.astimezone(dt.UTC) == dt.datetime(2026, 10, 6, 9, tzinfo=dt.UTC)
    assert waitlist_position(Reservation.objects.get(pk=third.reservation.pk)) == 1
    assert [n.event for n in notify.sent] == []  # only after commit
    transitions.accept_offer(actor=offered.guardian, reservation=offered)
    offered.refresh_from_db()
    assert offered.status == "confirmed"
    assert_counters_match_rows(centre)
    assert DayLoad.objects.get(facility=centre, date=NEXT_DAY).waitlisted == 1
    actions = set(AuditEntry.objects.values_list("action", flat=True))
    assert {"reservation.create", "reservation.cancelled", "reservation.offer"} <= actions


def test_a_lapsed_offer_goes_to_the_next_in_line(people, frozen_clock):
    centre = open_centre(people, area="3.30")
    first = _book(centre, people).reservation
    second = _book(centre, people).reservation
    third = _book(centre, people).reservation
    transitions.cancel(actor=first.guardian, reservation=first)
    frozen_clock.shift(dt.timedelta(hours=9))  # past 18:00
    second.refresh_from_db()
    with pytest.raises(ReservationError) as excinfo:
        transitions.accept_offer(actor=second.guardian, reservation=second)
    assert _code(excinfo) == "offer_expired"
    second.refresh_from_db()
    third.refresh_from_db()
    assert second.status == "expired"
    assert third.status == "offered"
    assert_counters_match_rows(centre)


def test_expire_due_offers_job(people, frozen_clock):
    centre = open_centre(people, area="3.30")
    first = _book(centre, people).reservation
    second = _book(centre, people).reservation
    transitions.cancel(actor=first.guardian, reservation=first)
    assert transitions.expire_due_offers() == 0
    frozen_clock.shift(dt.timedelta(hours=9))
    assert transitions.expire_due_offers() == 1
    second.refresh_from_db()
    assert second.status == "expired"
    assert DayLoad.objects.get(facility=centre, date=NEXT_DAY).shared_used == 0


def test_cancelling_a_waitlisted_booking_frees_its_waitlist_spot(people):
    centre = open_centre(people, area="3.30")
    _book(centre, people)
    waiting = _book(centre, people).reservation
    transitions.cancel(actor=waiting.guardian, reservation=waiting)
    assert DayLoad.objects.get(facility=centre, date=NEXT_DAY).waitlisted == 0


def test_only_the_guardian_cancels_online(people):
    centre = open_centre(people)
    booked = _book(centre, people).reservation
    stranger = people.guardian()
    with pytest.raises(ReservationError) as excinfo:
        transitions.cancel(actor=stranger, reservation=booked)
    assert _code(excinfo) == "not_found"


# --- regular care ---------------------------------------------------------------------


def test_regular_application_waits_for_review_then_takes_places(people):
    centre = open_centre(people)
    parent, kid = _family(people)
    applied = booking.apply_regular(actor=parent, guardian=parent, request=regular(centre, kid))
    application = applied.reservation
    assert application.status == "pending"
    assert not CareDay.objects.exists()
    manager = people.centre_manager(centre)
    transitions.approve(actor=manager, reservation=application)
    application.refresh_from_db()
    assert application.status == "confirmed"
    days = list(CareDay.objects.filter(reservation=application).values_list("date", flat=True))
    assert days[0] == TODAY
    assert dt.date(2026, 10, 9) not in days  # 한글날
    assert all(day.weekday() < 5 for day in days)
    assert_counters_match_rows(centre)


@pytest.mark.parametrize(
    ("start", "end", "code"),
    [
        (TODAY, TODAY + dt.timedelta(days=28), "too_short"),
        (TODAY - dt.timedelta(days=1), dt.date(2026, 12, 31), "outside_booking_window"),
        (TODAY, dt.date(2027, 6, 30), "not_operating_day"),  # beyond the operating periods
    ],
)
def test_regular_rules(people, start, end, code):
    centre = open_centre(people)
    parent, kid = _family(people)
    with pytest.raises(ReservationError) as excinfo:
        booking.apply_regular(
            actor=parent, guardian=parent, request=regular(centre, kid, start, end)
        )
    assert _code(excinfo) == code


def test_approval_refuses_full_days_and_the_application_can_wait(people):
    centre = open_centre(people, area="3.30")  # one place
    taken = _book(centre, people, day=dt.date(2026, 10, 13)).reservation
    parent, kid = _family(people)
    application = booking.apply_regular(
        actor=parent, guardian=parent, request=regular(centre, kid)
    ).reservation
    manager = people.centre_manager(centre)
    with pytest.raises(ReservationError) as excinfo:
        transitions.approve(actor=manager, reservation=application)
    assert _code(excinfo) == "full"
    assert "2026.10.13" in excinfo.value.message
    assert not CareDay.objects.filter(reservation=application).exists()
    transitions.put_on_waitlist(actor=manager, reservation=application)
    application.refresh_from_db()
    assert application.status == "waitlisted"
    assert waitlist_position(application) == 1
    # The day's booking is cancelled: the whole period fits now, so the offer goes out.
    transitions.cancel(actor=taken.guardian, reservation=taken)
    application.refresh_from_db()
    assert application.status == "offered"
    transitions.accept_offer(actor=parent, reservation=application)
    application.refresh_from_db()
    assert application.status == "confirmed"
    assert_counters_match_rows(centre)


def test_priority_orders_the_regular_line(people):
    centre = open_centre(people, area="3.30")
    manager = people.centre_manager(centre)
    applications = []
    for dual_earner, grade in [(False, 5), (True, 1), (False, 2)]:
        parent = people.guardian()
        kid = people.child(parent, grade=grade)
        request = regular(centre, kid)
        request.household = booking.Household(dual_earner=dual_earner)
        applications.append(
            booking.apply_regular(actor=parent, guardian=parent, request=request).reservation
        )
    for application in applications:
        application.refresh_from_db()
    assert [a.priority_rank for a in applications] == [3, 0, 3]
    for application in applications:
        transitions.put_on_waitlist(actor=manager, reservation=application)
        application.refresh_from_db()
    assert [waitlist_position(a) for a in applications] == [2, 1, 3]


def test_staff_of_another_district_cannot_decide(people):
    centre = open_centre(people)
    parent, kid = _family(people)
    application = booking.apply_regular(
        actor=parent, guardian=parent, request=regular(centre, kid)
    ).reservation
    outsider = people.district_officer("GN")
    with pytest.raises(ReservationError) as excinfo:
        transitions.approve(actor=outsider, reservation=application)
    assert _code(excinfo) == "not_found"


def test_ending_started_regular_care_frees_later_days(people, frozen_clock):
    centre = open_centre(people)
    parent, kid = _family(people)
    application = booking.apply_regular(
        actor=parent, guardian=parent, request=regular(centre, kid)
    ).reservation
    transitions.approve(actor=people.centre_manager(centre), reservation=application)
    frozen_clock.shift(dt.timedelta(days=10))
    transitions.cancel(actor=parent, reservation=application)
    application.refresh_from_db()
    assert application.status == "confirmed"
    assert application.end_date == dt.date(2026, 10, 16)
    assert (
        CareDay.objects.filter(reservation=application).latest("date").date == application.end_date
    )
    assert_counters_match_rows(centre)


def test_reject_needs_a_reason_and_frees_a_held_place(people):
    from kium.centres.models import FacilityProfile

    centre = open_centre(people, area="3.30")
    FacilityProfile.objects.create(facility=centre, temporary_review=True)
    centre = booking.bookable_facility(centre.code)
    held = _book(centre, people).reservation
    waiting = _book(centre, people).reservation
    manager = people.centre_manager(centre)
    with pytest.raises(ReservationError) as excinfo:
        transitions.reject(actor=manager, reservation=held, reason=" ")
    assert _code(excinfo) == "invalid_request"
    transitions.reject(actor=manager, reservation=held, reason="서류 미비")
    held.refresh_from_db()
    waiting.refresh_from_db()
    assert (held.status, held.decision_reason) == ("rejected", "서류 미비")
    assert waiting.status == "offered"


def test_capacity_increase_offers_places_to_those_waiting(people):
    from kium.centres.domain.capacity_requests import (
        approve_capacity_request,
        submit_capacity_request,
    )

    centre = open_centre(people, area="3.30")
    _book(centre, people)
    waiting = _book(centre, people).reservation
    manager = people.centre_manager(centre)
    request = submit_capacity_request(
        actor=manager, facility=centre, requested_capacity=2, reason="공간 확장"
    )
    approve_capacity_request(actor=people.district_officer("NW"), request=request)
    waiting.refresh_from_db()
    assert waiting.status == "offered"
    load = DayLoad.objects.get(facility=centre, date=NEXT_DAY)
    assert (load.shared_capacity, load.shared_used) == (2, 2)


def test_availability_subtracts_bookings_and_counts_the_line(people):
    from kium.centres.domain.availability import availability

    centre = open_centre(people, area="6.60")  # 2 places, no quota
    for _ in range(3):
        _book(centre, people)
    day = availability(facility=centre, start=NEXT_DAY, end=NEXT_DAY)[0]
    assert (day.regular_free, day.temporary_free, day.waitlist) == (0, 0, 1)
    later = availability(
        facility=centre, start=NEXT_DAY + dt.timedelta(days=1), end=NEXT_DAY + dt.timedelta(days=1)
    )[0]
    assert (later.regular_free, later.temporary_free, later.waitlist) == (2, 2, 0)
