"""KIUM_NOTIFY_WAKE=listen: the outbox table's NOTIFY wakes run_worker when, and only
when, a transaction that wrote a message commits (notifications/domain/wake.py)."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, transaction

from kium.core.notify import notify
from kium.notifications.domain import outbox, wake
from kium.notifications.models import OutboxMessage, OutboxStatus


def _listener(timeout: float):
    """Start wake.wait in a thread (its own connection); returns (thread, result, ready)."""
    result: dict = {}
    ready = threading.Event()

    def listen() -> None:
        try:
            wake.wait(0.01)  # issues LISTEN
            ready.set()
            began = time.monotonic()
            result["woken"] = wake.wait(timeout)
            result["seconds"] = time.monotonic() - began
        finally:
            connection.close()

    thread = threading.Thread(target=listen)
    thread.start()
    assert ready.wait(5)
    return thread, result


def test_a_committed_message_wakes_the_listening_worker_at_once(people, settings):
    settings.KIUM_NOTIFY_WAKE = "listen"
    parent = people.guardian()
    thread, result = _listener(timeout=10)
    with transaction.atomic():
        notify("reservation.confirmed", parent, {"reservation": 1})
    thread.join()
    assert result["woken"] is True
    assert result["seconds"] < 5  # woken by the commit, not by the 10 s timeout
    # No task delivered it inside the request: the worker's job is still to do.
    message = OutboxMessage.objects.get()
    assert message.status == OutboxStatus.PENDING
    assert outbox.process_due() == {"sent": 1}


def test_a_rolled_back_message_wakes_nobody(people, settings):
    settings.KIUM_NOTIFY_WAKE = "listen"
    parent = people.guardian()
    thread, result = _listener(timeout=1.5)
    with pytest.raises(RuntimeError), transaction.atomic():
        notify("reservation.confirmed", parent, {"reservation": 2})
        raise RuntimeError("the booking failed after recording its message")
    thread.join()
    assert result["woken"] is False
    assert not OutboxMessage.objects.exists()


def test_the_task_mode_still_delivers_right_after_commit(people, settings):
    settings.KIUM_NOTIFY_WAKE = "task"
    parent = people.guardian()
    with transaction.atomic():
        notify("reservation.confirmed", parent, {"reservation": 3})
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT
