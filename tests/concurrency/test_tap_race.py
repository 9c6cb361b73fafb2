"""ATT-2 under load: two readers tapping one card at the same instant give one check-in
and one check-out (the child-day lock), and a reader resending one nonce from two
threads records one tap."""

from __future__ import annotations

import pytest
import time_machine

from kium.attendance.domain import readers, taps
from kium.attendance.models import Tap
from kium.notifications.models import OutboxMessage
from tests.attendance.support import NOW, Setup, at
from tests.concurrency.support import run_at_once


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def test_two_readers_tapping_one_card_at_once_alternate(people):
    setup = Setup(people)
    door, _token = readers.register_reader(
        actor=setup.manager, facility=setup.facility, name="후문"
    )
    for round_ in range(5):
        minute = 10 + round_ * 2
        results = run_at_once(
            [
                lambda r=reader, n=f"{reader.pk}-{round_}": taps.record_tap(
                    reader=r, card_uid="04A2241B", tapped_at=at(12, minute), nonce=n
                )
                for reader in (setup.reader, door)
            ]
        )
        assert not [r for r in results if isinstance(r, Exception)], results
    events = list(
        Tap.objects.filter(child=setup.child)
        .order_by("tapped_at", "pk")
        .values_list("event", flat=True)
    )
    assert len(events) == 10
    assert events == ["check_in", "check_out"] * 5
    # each tap announced at most once, and one message per tap at the time it was last
    keys = list(OutboxMessage.objects.values_list("idempotency_key", flat=True))
    assert len(keys) == len(set(keys))


def test_one_nonce_resent_from_two_threads_is_one_tap(people):
    setup = Setup(people)
    results = run_at_once(
        [
            lambda: taps.record_tap(
                reader=setup.reader, card_uid="04A2241B", tapped_at=at(12, 50), nonce="same"
            )
            for _ in range(4)
        ]
    )
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Tap.objects.count() == 1
    assert sorted(r.duplicate for r in results) == [False, True, True, True]
    assert OutboxMessage.objects.filter(event="attendance.arrived").count() == 1


def test_control_without_the_lock_the_taps_collide(people, monkeypatch):
    """The same race with the lock switched off: both readers see an empty day and both
    label their tap check-in, so the lock is what keeps the alternation."""
    from kium.core import locking

    monkeypatch.setattr(locking, "ENABLED", False)
    setup = Setup(people)
    door, _token = readers.register_reader(
        actor=setup.manager, facility=setup.facility, name="후문"
    )
    collided = 0
    for round_ in range(10):
        day_taps = Tap.objects.filter(child=setup.child)
        day_taps.delete()
        results = run_at_once(
            [
                lambda r=reader, n=f"{reader.pk}-{round_}": taps.record_tap(
                    reader=r, card_uid="04A2241B", tapped_at=at(12, 50), nonce=n
                )
                for reader in (setup.reader, door)
            ]
        )
        events = [r.tap.event for r in results if not isinstance(r, Exception)]
        collided += events.count("check_in") == 2
    assert collided > 0
