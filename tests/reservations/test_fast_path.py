"""The booking hot path (issue 4): fewer queries, the same rules, nothing stale.

``POST /api/v1/reservations`` reads the token, the facility with its child and the day
in three hand-written queries (``accounts.domain.tokens``, ``reservations.domain.facts``)
before the lock. These tests pin what those reads must keep: every change made a moment
ago counts at once (nothing is cached), a revoked or expired token stops at once, the
facility comes back exactly as the ORM gave it, and the query count stays fixed.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kium.accounts.domain.tokens import issue_token, revoke_tokens, user_for_token
from kium.accounts.models import ApiToken
from kium.centres.domain.capacity_requests import (
    approve_capacity_request,
    submit_capacity_request,
)
from kium.centres.domain.closed_days import add_closed_day
from kium.centres.domain.profile import save_profile
from kium.centres.models import ClosedDay, OperatingPeriod
from kium.orgs.domain.capacity import effective_capacity
from kium.reservations.domain import booking, facts
from kium.reservations.domain.errors import ReservationError
from kium.reservations.models import DayLoad, Reservation
from tests.reservations.support import NEXT_DAY, assert_counters_match_rows, open_centre, temporary

pytestmark = pytest.mark.django_db

SATURDAY = dt.date(2026, 10, 10)


def _book(client, token, centre, kid, day=NEXT_DAY, **extra):
    body = {
        "facility": centre.code,
        "child": kid.pk,
        "care_type": "temporary",
        "date": day.isoformat(),
        "start_time": "14:00",
        "end_time": "18:00",
        **extra,
    }
    return client.post(
        "/api/v1/reservations",
        body,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def _family(people):
    parent = people.guardian()
    kid = people.child(parent)
    token, _ = issue_token(user=parent)
    return parent, kid, token


# --- the facility and the child in one query ---------------------------------------------


def test_facility_comes_back_as_the_orm_gives_it(people, django_assert_num_queries):
    centre = open_centre(people, area="66.00")
    parent, kid, _ = _family(people)
    with django_assert_num_queries(1):
        facility, child = booking.facility_and_child(centre.code.lower(), kid.pk, parent)
        # The profile is known to be missing without another query, like select_related.
        assert booking._profile(facility) is None
        assert effective_capacity(facility) == 20
    assert child == kid and child.name == kid.name and child.birth_date == kid.birth_date
    assert facility == centre
    for field in ("code", "name", "area_m2", "kind", "facility_type", "is_operating"):
        assert getattr(facility, field) == getattr(centre, field), field
    assert isinstance(facility.area_m2, Decimal)


def test_someone_elses_or_unknown_child_and_unknown_facility(people):
    centre = open_centre(people)
    parent, kid, _ = _family(people)
    _other, other_kid, _ = _family(people)
    assert booking.facility_and_child(centre.code, other_kid.pk, parent) == (centre, None)
    assert booking.facility_and_child(centre.code, 10**9, parent) == (centre, None)
    assert booking.facility_and_child("NOPE999", kid.pk, parent) == (None, None)
    assert booking.bookable_facility("NOPE999") is None


def test_profile_and_approved_capacity_are_read_fresh(people, django_assert_num_queries):
    centre = open_centre(people, area="66.00")
    officer = people.district_officer("NW")
    save_profile(actor=officer, facility=centre, temporary_review=True, daily_fee=5000)
    request = submit_capacity_request(
        actor=people.centre_manager(centre), facility=centre, requested_capacity=7, reason="공사"
    )
    approve_capacity_request(actor=officer, request=request)
    facility = booking.bookable_facility(centre.code)
    with django_assert_num_queries(0):
        assert facility.profile.temporary_review is True
        assert facility.profile.daily_fee == 5000
        assert facility.profile.facility is facility
        assert effective_capacity(facility) == 7
    # The first booking of the day counts places at the approved capacity, and a review
    # centre holds the place as pending.
    parent, kid, _ = _family(people)
    booked = booking.book_single_day(
        actor=parent, guardian=parent, request=temporary(facility, kid)
    )
    assert booked.reservation.status == "pending"
    assert booked.reservation.fee_amount == 5000
    assert DayLoad.objects.get(facility=centre, date=NEXT_DAY).shared_capacity == 7


# --- the day: nothing cached ------------------------------------------------------------


def test_a_closed_day_counts_at_once(client, people):
    centre = open_centre(people)
    _, kid, token = _family(people)
    add_closed_day(
        actor=people.district_officer("NW"), facility=centre, date=NEXT_DAY, reason="소독"
    )
    response = _book(client, token, centre, kid)
    assert (response.status_code, response.json()["code"]) == (422, "not_operating_day")
    ClosedDay.objects.all().delete()
    assert _book(client, token, centre, kid).status_code == 201


def test_a_city_wide_closed_day_counts_too(people):
    centre = open_centre(people)
    ClosedDay.objects.create(facility=None, date=NEXT_DAY, reason="전체 휴무")
    with pytest.raises(ReservationError) as refused:
        booking.check_single_day(temporary(centre, None), NEXT_DAY - dt.timedelta(days=1))
    assert refused.value.code == "not_operating_day"


def test_changed_hours_and_saturday_hours_count_at_once(client, people):
    centre = open_centre(people)
    _, kid, token = _family(people)
    OperatingPeriod.objects.filter(facility=centre).update(close_time=dt.time(17, 0))
    response = _book(client, token, centre, kid)
    assert (response.status_code, response.json()["code"]) == (422, "outside_hours")
    assert "13:00~17:00" in response.json()["message"]
    # Saturday: closed without Saturday hours, bookable once the period has them.
    response = _book(client, token, centre, kid, day=SATURDAY, end_time="16:00")
    assert response.json()["code"] == "not_operating_day"
    OperatingPeriod.objects.filter(facility=centre).update(
        saturday_open_time=dt.time(9, 0), saturday_close_time=dt.time(17, 0)
    )
    response = _book(client, token, centre, kid, day=SATURDAY, end_time="16:00")
    assert response.status_code == 201, response.json()


def test_no_period_and_public_holiday_are_not_operating_days(people):
    centre = open_centre(people)
    hangul_day = dt.date(2026, 10, 9)
    with pytest.raises(ReservationError) as refused:
        booking.check_single_day(temporary(centre, None, day=hangul_day), NEXT_DAY)
    assert refused.value.code == "not_operating_day"
    OperatingPeriod.objects.filter(facility=centre).delete()
    with pytest.raises(ReservationError) as refused:
        booking.check_single_day(temporary(centre, None), NEXT_DAY)
    assert refused.value.code == "not_operating_day"


def test_duplicate_is_seen_at_once_and_freed_by_a_cancellation(client, people):
    centre = open_centre(people)
    parent, kid, token = _family(people)
    first = _book(client, token, centre, kid)
    assert first.status_code == 201
    again = _book(client, token, centre, kid)
    assert (again.status_code, again.json()["code"]) == (422, "duplicate")
    Reservation.objects.filter(pk=first.json()["id"]).update(status="cancelled")
    assert _book(client, token, centre, kid).status_code == 201
    # Another day, or another child of the same family, is not a duplicate.
    assert _book(client, token, centre, kid, day=NEXT_DAY + dt.timedelta(days=1)).status_code == 201
    assert _book(client, token, centre, people.child(parent)).status_code == 201


def test_day_facts_answers_the_four_questions(people):
    centre = open_centre(people)
    parent, kid, _ = _family(people)
    day = facts.day_facts(centre, NEXT_DAY, kid.pk)
    assert day.period_id is not None
    assert (day.open_time, day.close_time) == (dt.time(13, 0), dt.time(20, 0))
    assert (day.saturday_open_time, day.closed_day, day.duplicate) == (None, False, False)
    assert facts.day_facts(centre, NEXT_DAY).duplicate is None
    assert facts.day_facts(centre, dt.date(2027, 6, 1)).period_id is None
    booking.book_single_day(actor=parent, guardian=parent, request=temporary(centre, kid))
    assert facts.day_facts(centre, NEXT_DAY, kid.pk).duplicate is True


# --- tokens -------------------------------------------------------------------------------


def test_a_revoked_token_stops_at_once(client, people):
    centre = open_centre(people)
    parent, kid, token = _family(people)
    assert user_for_token(token) == parent
    revoke_tokens(user=parent)
    assert user_for_token(token) is None
    response = _book(client, token, centre, kid)
    assert (response.status_code, response.json()["code"]) == (401, "unauthorized")


def test_expired_token_and_inactive_user_are_refused(people, frozen_clock):
    parent, _, token = _family(people)
    user = user_for_token(token)
    assert user == parent and user.username == parent.username
    assert isinstance(user.date_joined, dt.datetime)
    ApiToken.objects.update(expires_at=dt.datetime(2026, 10, 6, 0, 59, tzinfo=dt.UTC))
    assert user_for_token(token) is None
    ApiToken.objects.update(expires_at=dt.datetime(2026, 10, 6, 2, 0, tzinfo=dt.UTC))
    assert user_for_token(token) == parent
    type(parent).objects.filter(pk=parent.pk).update(is_active=False)
    assert user_for_token(token) is None
    assert user_for_token("") is None
    assert user_for_token("not-a-token") is None


# --- the whole request ------------------------------------------------------------------


def test_a_booking_is_a_fixed_small_number_of_queries(client, people):
    centre = open_centre(people, area="16.50")  # 5 places + 1 quota, 10 may wait
    counts = []
    for _ in range(8):
        _, kid, token = _family(people)
        with CaptureQueriesContext(connection) as queries:
            response = _book(client, token, centre, kid)
        assert response.status_code == 201
        counts.append(len(queries))
    # The first booking of the day creates its counter row; all later ones cost the same.
    confirmed = counts[1]
    if connection.vendor == "postgresql":
        # token; facility + child + day; BEGIN; lock; counters with the new id; one batch
        # (reservation, care day, counters, audit entry, notification: core/batch.py);
        # COMMIT.
        assert counts[1:] == [confirmed] * 7, counts
        assert confirmed == 7, counts
    else:
        # SQLite: the day is its own query and each write its own statement; a waiting
        # booking holds no care day.
        assert counts[1:] == [confirmed] * 5 + [confirmed - 1] * 2, counts
        assert confirmed <= 13, counts
    statuses = Reservation.objects.filter(facility=centre).values_list("status", flat=True)
    assert sorted(statuses) == ["confirmed"] * 6 + ["waitlisted"] * 2
    load = DayLoad.objects.get(facility=centre, date=NEXT_DAY)
    assert (load.shared_used, load.quota_used, load.waitlisted) == (5, 1, 2)
    assert_counters_match_rows(centre)
