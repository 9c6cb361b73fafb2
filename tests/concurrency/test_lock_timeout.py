"""A request that waits too long for a facility's lock gets LockTimeout (API: 503 busy),
not a hang; the timeout is local to its transaction."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from kium.core import locking


def test_a_held_lock_times_out_the_second_holder(monkeypatch):
    monkeypatch.setattr(locking, "LOCK_TIMEOUT_MS", 200)
    held, release = threading.Event(), threading.Event()

    def holder():
        try:
            with locking.locked("test:resource"):
                held.set()
                release.wait(5)
        finally:
            connection.close()

    thread = threading.Thread(target=holder)
    thread.start()
    try:
        assert held.wait(5)
        with pytest.raises(locking.LockTimeout), locking.locked("test:resource"):
            pass
        # The timeout was local to that transaction.
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] == "0"
    finally:
        release.set()
        thread.join()
    with locking.locked("test:resource"):
        pass  # free again
