"""Property-based tests of the engine (hypothesis): for random sequences of booking,
cancelling, accepting, approving and rejecting, no day ever holds more than its places,
the counters always equal the places held, and no waitlist skips a person."""

from __future__ import annotations

import contextlib
import datetime as dt

import pytest
from django.db import transaction
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from kium.reservations.domain import booking, transitions
from kium.reservations.domain.errors import ReservationError
from kium.reservations.models import DayLoad, Reservation
from tests.reservations.support import (
    NEXT_DAY,
    assert_counters_match_rows,
    open_centre,
    regular,
    temporary,
)

pytestmark = pytest.mark.django_db

DAYS = (NEXT_DAY, NEXT_DAY + dt.timedelta(days=1))
BOOK = st.tuples(st.just("book"), st.integers(0, 5), st.integers(0, 1))
operations = st.lists(
    st.one_of(
        # Bookings weigh more: lines only form when days fill up.
        BOOK,
        BOOK,
        BOOK,
        st.tuples(st.just("cancel"), st.integers(0, 20), st.just(0)),
        st.tuples(st.just("accept"), st.integers(0, 20), st.just(0)),
        st.tuples(st.just("reject"), st.integers(0, 20), st.just(0)),
        st.tuples(st.just("regular"), st.integers(0, 5), st.just(0)),
        st.tuples(st.just("approve"), st.integers(0, 20), st.just(0)),
        st.tuples(st.just("wait"), st.integers(0, 20), st.just(0)),
    ),
    min_size=1,
    max_size=25,
)


@pytest.fixture
def world(people):
    centre = open_centre(people, area="6.60")  # 2 places, no quota, 4 may wait per day
    manager = people.centre_manager(centre)
    families = []
    for _ in range(6):
        parent = people.guardian()
        families.append((parent, people.child(parent, grade=2)))
    return centre, manager, families


def _pick(queryset, index):
    rows = list(queryset.order_by("pk"))
    return rows[index % len(rows)] if rows else None


def _apply(op, centre, manager, families, offered_ever):
    name, a, b = op
    live = Reservation.objects.filter(facility=centre)
    if name == "book":
        parent, kid = families[a]
        booking.book_single_day(
            actor=parent, guardian=parent, request=temporary(centre, kid, DAYS[b])
        )
    elif name == "regular":
        parent, kid = families[a]
        booking.apply_regular(actor=parent, guardian=parent, request=regular(centre, kid))
    elif name == "cancel":
        target = _pick(live.filter(status__in=["pending", "confirmed", "waitlisted", "offered"]), a)
        if target:
            transitions.cancel(actor=target.guardian, reservation=target)
    elif name == "accept":
        target = _pick(live.filter(status="offered"), a)
        if target:
            transitions.accept_offer(actor=target.guardian, reservation=target)
    elif name == "reject":
        target = _pick(live.filter(status__in=["pending", "waitlisted", "offered"]), a)
        if target:
            transitions.reject(actor=manager, reservation=target, reason="테스트 반려")
    elif name == "approve":
        target = _pick(live.filter(status="pending", care_type="regular"), a)
        if target:
            transitions.approve(actor=manager, reservation=target)
    elif name == "wait":
        target = _pick(live.filter(status="pending", care_type="regular"), a)
        if target:
            transitions.put_on_waitlist(actor=manager, reservation=target)
    offered_ever.update(live.filter(status="offered").values_list("pk", flat=True))


def _check_invariants(centre, offered_ever):
    assert_counters_match_rows(centre)
    for load in DayLoad.objects.filter(facility=centre):
        waiting = list(
            Reservation.objects.filter(
                facility=centre, date=load.date, status="waitlisted"
            ).values_list("pk", flat=True)
        )
        assert load.waitlisted == len(waiting)
        assert load.waitlisted <= load.waitlist_capacity
        if waiting:
            # Someone waits only while the day is full …
            assert load.shared_free == 0 and load.quota_free == 0, load
            # … and nobody who arrived later was offered a place before them.
            promoted = Reservation.objects.filter(
                pk__in=offered_ever, date=load.date, care_type="temporary"
            ).values_list("pk", flat=True)
            assert all(pk < min(waiting) for pk in promoted)


@settings(
    max_examples=120,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(ops=operations)
# The smallest line that shows a skip: two places taken, two waiting, one cancels.
@example(ops=[("book", 0, 0), ("book", 1, 0), ("book", 2, 0), ("book", 3, 0), ("cancel", 0, 0)])
def test_random_sequences_keep_every_invariant(world, ops):
    centre, manager, families = world
    offered_ever: set[int] = set()
    with transaction.atomic():
        for op in ops:
            # A refusal is a legal answer; the invariants must hold all the same.
            with contextlib.suppress(ReservationError):
                _apply(op, centre, manager, families, offered_ever)
            _check_invariants(centre, offered_ever)
        transaction.set_rollback(True)
