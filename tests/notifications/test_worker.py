"""Claims, leases and the never-twice rule, on the default (SQLite) database."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from kium.core import clock, notify
from kium.core.notify import notify as send
from kium.notifications.domain import outbox
from kium.notifications.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 13, 0, tzinfo=clock.SEOUL)


@pytest.fixture
def no_fast_path(monkeypatch):
    monkeypatch.setattr(outbox, "enqueue", lambda key: None)


def test_a_claimed_message_is_not_claimed_again(people, no_fast_path):
    send("staff.approved", people.guardian(), {"name": "김"})
    first = outbox.claim(limit=10)
    assert len(first) == 1
    assert first[0].status == OutboxStatus.SENDING
    assert first[0].claimed_at is not None and first[0].claimed_by
    assert outbox.claim(limit=10) == []


def test_a_worker_killed_between_claim_and_send_is_reclaimed_after_the_lease(people, no_fast_path):
    with time_machine.travel(START, tick=False) as traveller:
        key = send("reservation.confirmed", people.guardian(), {"reservation": 1})
        abandoned = outbox.claim(limit=10)  # ... and the worker dies here
        assert [m.idempotency_key for m in abandoned] == [key]
        assert outbox.process_due() == {}
        assert outbox.deliver_key(key) == "not-due"
        traveller.shift(dt.timedelta(seconds=outbox.DEFAULT_LEASE_SECONDS - 1))
        assert outbox.process_due() == {}
        traveller.shift(dt.timedelta(seconds=2))
        assert outbox.process_due() == {"sent": 1}
        assert outbox.process_due() == {}
    assert [n.event for n in notify.sent] == ["reservation.confirmed"]
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 2)


def test_a_sent_key_is_never_sent_again(people, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        key = send("staff.approved", people.guardian(), {"name": "김"})
    assert outbox.deliver_key(key) == "not-due"
    assert outbox.process_due() == {}
    with time_machine.travel(clock.now() + dt.timedelta(days=1)):
        assert outbox.process_due() == {}
    assert len(notify.sent) == 1


def test_the_answer_of_a_worker_that_lost_its_claim_is_not_recorded(people, no_fast_path):
    with time_machine.travel(START, tick=False) as traveller:
        send("staff.approved", people.guardian(), {"name": "김"})
        (slow,) = outbox.claim()
        traveller.shift(outbox.lease() + dt.timedelta(seconds=1))
        (fresh,) = outbox.claim()
        assert fresh.claimed_by != slow.claimed_by
        assert outbox._finish(slow, status=OutboxStatus.FAILED) is False
        assert outbox.send_claimed(fresh) == OutboxStatus.SENT
    assert OutboxMessage.objects.get().status == OutboxStatus.SENT


def test_backoff_doubles_and_is_capped():
    assert [outbox.backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert outbox.backoff(20).total_seconds() == 3600


def test_an_unexpected_provider_error_is_retried_not_lost(people, no_fast_path, monkeypatch):
    from kium.notifications.providers import console

    def broken(self, message):
        raise ValueError("bug")

    with time_machine.travel(START, tick=False) as traveller:
        send("staff.approved", people.guardian(), {"name": "김"})
        monkeypatch.setattr(console.ConsoleProvider, "send", broken)
        assert outbox.process_due() == {"pending": 1}
        monkeypatch.undo()
        traveller.shift(dt.timedelta(seconds=31))
        assert outbox.process_due() == {"sent": 1}
    assert len(notify.sent) == 1
