"""RES-13: no place is ever given twice, whatever arrives at the same moment.

Sixty guardians press 예약 at once through the API; regular approvals race each other;
and a control run with the lock switched off shows that the lock is what prevents the
overbooking (the counters are written back as read, so without it updates are lost).
"""

from __future__ import annotations

import time

import pytest
import time_machine
from django.test import Client

from kium.accounts.domain.tokens import issue_token
from kium.core import locking
from kium.reservations.domain import booking, places, transitions
from kium.reservations.models import CareDay, DayLoad, Reservation
from tests.concurrency.support import run_at_once
from tests.reservations.support import (
    NEXT_DAY,
    NOW,
    assert_counters_match_rows,
    open_centre,
    regular,
    temporary,
)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_sixty_simultaneous_bookings_at_capacity_ten(people):
    centre = open_centre(people, area="33.00")  # 10 places + 2 quota, waitlist 20
    requests = []
    for _ in range(60):
        parent = people.guardian()
        kid = people.child(parent)
        token, _ = issue_token(user=parent)
        body = {
            "facility": centre.code,
            "child": kid.pk,
            "care_type": "temporary",
            "date": NEXT_DAY.isoformat(),
            "start_time": "14:00",
            "end_time": "18:00",
        }
        requests.append((token, body))

    def job(token, body):
        def post():
            response = Client().post(
                "/api/v1/reservations",
                body,
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
            )
            payload = response.json()
            return response.status_code, payload.get("status") or payload.get("code")

        return post

    results = run_at_once([job(token, body) for token, body in requests])
    outcomes = [r for r in results if not isinstance(r, Exception)]
    assert len(outcomes) == 60, [r for r in results if isinstance(r, Exception)]
    assert outcomes.count((201, "confirmed")) == 12
    assert outcomes.count((201, "waitlisted")) == 20
    assert outcomes.count((409, "full")) == 28
    load = DayLoad.objects.get(facility=centre, date=NEXT_DAY)
    assert (load.shared_used, load.quota_used, load.waitlisted) == (10, 2, 20)
    assert_counters_match_rows(centre)
    # The line is the order of arrival: positions 1…20 without a gap.
    waiting = Reservation.objects.filter(facility=centre, status="waitlisted")
    assert sorted(places.waitlist_positions(list(waiting)).values()) == list(range(1, 21))


def test_simultaneous_approvals_never_exceed_capacity(people):
    centre = open_centre(people, area="16.50")  # 5 places
    manager = people.centre_manager(centre)
    applications = []
    for _ in range(12):
        parent = people.guardian()
        kid = people.child(parent)
        applications.append(
            booking.apply_regular(
                actor=parent, guardian=parent, request=regular(centre, kid)
            ).reservation
        )

    def approve(application):
        return lambda: transitions.approve(actor=manager, reservation=application)

    results = run_at_once([approve(a) for a in applications])
    approved = [r for r in results if isinstance(r, Reservation)]
    refused = [r for r in results if getattr(r, "code", None) == "full"]
    assert len(approved) == 5
    assert len(refused) == 7
    assert_counters_match_rows(centre)
    busiest = max(DayLoad.objects.filter(facility=centre), key=lambda load: load.shared_used)
    assert busiest.shared_used == 5


def test_cancellations_and_bookings_at_once_keep_the_counts(people):
    centre = open_centre(people, area="6.60")  # 2 places, no quota, waitlist 4
    held = []
    for _ in range(2):
        parent = people.guardian()
        held.append(
            booking.book_single_day(
                actor=parent, guardian=parent, request=temporary(centre, people.child(parent))
            ).reservation
        )
    newcomers = []
    for _ in range(6):
        parent = people.guardian()
        newcomers.append((parent, people.child(parent)))
    jobs = [(lambda r=r: transitions.cancel(actor=r.guardian, reservation=r)) for r in held] + [
        (
            lambda p=p, k=k: booking.book_single_day(
                actor=p, guardian=p, request=temporary(centre, k)
            )
        )
        for p, k in newcomers
    ]
    run_at_once(jobs)
    assert_counters_match_rows(centre)
    load = DayLoad.objects.get(facility=centre, date=NEXT_DAY)
    holding = Reservation.objects.filter(
        facility=centre, status__in=["confirmed", "offered", "pending"]
    ).count()
    assert holding == load.shared_used <= 2
    assert Reservation.objects.filter(facility=centre, status="waitlisted").count() == (
        load.waitlisted
    )


def test_without_the_lock_the_same_race_overbooks(people, monkeypatch):
    """Control: switch the lock off and slow the read a little — places go twice."""
    centre = open_centre(people, area="9.90")  # 3 places
    monkeypatch.setattr(locking, "ENABLED", False)
    real_read = booking.load_and_new_id

    def slow_read(facility, day, model):
        read = real_read(facility, day, model)
        time.sleep(0.3)  # everyone reads the same free count before anyone writes
        return read

    monkeypatch.setattr(booking, "load_and_new_id", slow_read)
    families = []
    for _ in range(10):
        parent = people.guardian()
        families.append((parent, people.child(parent)))
    run_at_once(
        [
            (
                lambda p=p, k=k: booking.book_single_day(
                    actor=p, guardian=p, request=temporary(centre, k)
                )
            )
            for p, k in families
        ]
    )
    given = CareDay.objects.filter(facility=centre, date=NEXT_DAY).count()
    assert given > 3, "without the lock more places are handed out than exist"
    assert DayLoad.objects.get(facility=centre, date=NEXT_DAY).shared_used < given
