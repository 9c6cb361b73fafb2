"""Several outbox workers at once on PostgreSQL: every message is delivered exactly once.

The provider is slowed down so that claims overlap; FOR UPDATE SKIP LOCKED makes each
worker take different rows. The second test kills a worker between claim and send and
lets two workers race for the reclaim after the lease.
"""

from __future__ import annotations

import datetime as dt
import threading
import time
from collections import Counter

import pytest
from django.db import connection

from kium.core import clock, notify
from kium.core.notify import notify as send
from kium.notifications.domain import outbox
from kium.notifications.models import OutboxMessage, OutboxStatus
from kium.notifications.providers import console

MESSAGES = 60
WORKERS = 4


@pytest.fixture
def slow_console(monkeypatch):
    real = console.ConsoleProvider.send

    def slow(self, message):
        time.sleep(0.01)
        return real(self, message)

    monkeypatch.setattr(console.ConsoleProvider, "send", slow)
    monkeypatch.setattr(outbox, "enqueue", lambda key: None)  # only the workers send


def _run_workers(n: int, *, rounds_without_work: int = 3) -> list[Exception]:
    barrier = threading.Barrier(n)
    errors: list[Exception] = []

    def worker() -> None:
        try:
            barrier.wait()
            idle = 0
            while idle < rounds_without_work:
                idle = idle + 1 if not outbox.process_due(limit=3) else 0
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(n)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return errors


def test_two_or_more_workers_deliver_each_message_once(people, slow_console):
    parent = people.guardian()
    for n in range(MESSAGES):
        send("staff.approved", parent, {"n": n})
    assert _run_workers(WORKERS) == []
    delivered = Counter(notice.context["n"] for notice in notify.sent)
    assert delivered == Counter(range(MESSAGES))
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}
    assert set(OutboxMessage.objects.values_list("attempts", flat=True)) == {1}
    # More than one worker really took part.
    assert OutboxMessage.objects.values("claimed_by").distinct().count() > 1


def test_a_crashed_workers_messages_are_reclaimed_once(people, slow_console, monkeypatch):
    parent = people.guardian()
    for n in range(10):
        send("staff.approved", parent, {"n": n})
    abandoned = outbox.claim(limit=5)  # the worker dies after claiming these
    assert len(abandoned) == 5
    assert _run_workers(2) == []
    assert sorted(n.context["n"] for n in notify.sent) == sorted(
        set(range(10)) - {m.context["n"] for m in abandoned}
    )
    later = clock.now() + outbox.lease() + dt.timedelta(seconds=1)
    monkeypatch.setattr(clock.timezone, "now", lambda: later)
    assert _run_workers(2) == []
    assert Counter(n.context["n"] for n in notify.sent) == Counter(range(10))
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


def test_the_same_key_from_two_transactions_at_once_is_one_row(people, monkeypatch):
    monkeypatch.setattr(outbox, "enqueue", lambda key: None)
    parent = people.guardian()
    barrier = threading.Barrier(2)
    errors: list[Exception] = []

    def writer() -> None:
        from django.db import transaction

        try:
            with transaction.atomic():
                barrier.wait()
                send("reservation.confirmed", parent, {"reservation": 1})
                time.sleep(0.1)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=writer) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert OutboxMessage.objects.count() == 1
