"""A request that waits too long for a facility's lock gets LockTimeout (API: 503 busy),
not a hang; the timeout is local to its transaction."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager

import pytest
from django.db import connection

from kium.core import locking


@contextmanager
def held_by_another_transaction(lock: Callable[[], AbstractContextManager]) -> Iterator[None]:
    """For the block, ``lock()`` is held by another connection (a thread), as by another
    request in the middle of its change."""
    held, release = threading.Event(), threading.Event()

    def holder():
        try:
            with lock():
                held.set()
                release.wait(5)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(5)
        yield
    finally:
        release.set()
        thread.join()


def test_a_held_lock_times_out_the_second_holder(monkeypatch):
    monkeypatch.setattr(locking, "LOCK_TIMEOUT_MS", 200)
    with held_by_another_transaction(lambda: locking.locked("test:resource")):
        with pytest.raises(locking.LockTimeout), locking.locked("test:resource"):
            pass
        # The timeout was local to that transaction.
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] == "0"
    with locking.locked("test:resource"):
        pass  # free again


def test_a_parent_whose_booking_waits_too_long_is_asked_to_press_again(monkeypatch, client, people):
    """The web booking of a rush on PostgreSQL: while another transaction holds the
    centre's places, 신청하기 answers 503 with the parent's choices kept and nothing
    written; pressed again once the lock is free, it books."""
    import time_machine
    from django.urls import reverse

    from kium.reservations.domain.places import facility_lock
    from kium.reservations.models import Reservation
    from tests.reservations.support import NEXT_DAY, NOW, open_centre

    monkeypatch.setattr(locking, "LOCK_TIMEOUT_MS", 200)
    with time_machine.travel(NOW, tick=False):
        centre = open_centre(people)
        parent = people.guardian()
        kid = people.child(parent)
        client.force_login(parent)
        client.post(
            reverse("public:reserve", args=[centre.code]),
            {"child": kid.pk, "care_type": "temporary"},
        )
        client.post(
            reverse("public:reserve_details", args=[centre.code]),
            {"date": NEXT_DAY.isoformat(), "start_time": "", "end_time": ""},
        )
        confirm = reverse("public:reserve_confirm", args=[centre.code])
        with held_by_another_transaction(lambda: facility_lock(centre.pk)):
            busy = client.post(confirm, {"privacy": "on"})
        assert (busy.status_code, busy["Retry-After"]) == (503, "5")
        assert "신청이 몰려 아직 처리하지 못했습니다" in busy.content.decode()
        assert not Reservation.objects.exists()
        again = client.post(confirm, {"privacy": "on"})
        assert again.status_code == 302
        assert Reservation.objects.get(child=kid).status == "confirmed"
