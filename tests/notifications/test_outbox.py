"""notify() writes the outbox row in the caller's transaction and delivers after commit."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from kium.core import clock, notify
from kium.core.notify import notify as send
from kium.notifications.models import OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db


def test_row_is_written_in_the_transaction_and_delivered_after_commit(
    people, django_capture_on_commit_callbacks
):
    parent = people.guardian()
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        send("reservation.confirmed", parent, {"reservation": 7, "facility": 3})
        row = OutboxMessage.objects.get()
        assert row.status == OutboxStatus.PENDING
        assert notify.sent == []  # nothing leaves before commit
    row.refresh_from_db()
    assert row.status == OutboxStatus.SENT
    assert row.delivered_channel == "console"
    assert row.attempts == 1
    assert row.sent_at is not None
    assert (row.recipient_id, row.phone) == (parent.pk, parent.phone)
    (notice,) = notify.sent
    assert notice.event == "reservation.confirmed"
    assert notice.recipient_id == parent.pk
    assert notice.context == {"reservation": 7, "facility": 3}


def test_a_rolled_back_change_notifies_nobody(people, django_capture_on_commit_callbacks):
    parent = people.guardian()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        send("reservation.confirmed", parent, {"reservation": 7})
        raise RuntimeError("the change failed")
    assert callbacks == []
    assert not OutboxMessage.objects.exists()
    assert notify.sent == []


def test_the_same_state_change_twice_is_one_message(people, django_capture_on_commit_callbacks):
    parent = people.guardian()
    with django_capture_on_commit_callbacks(execute=True):
        first = send("reservation.offered", parent, {"reservation": 7, "deadline": "D1"})
    with django_capture_on_commit_callbacks(execute=True):
        again = send("reservation.offered", parent, {"reservation": 7, "deadline": "D1"})
    assert first == again
    assert OutboxMessage.objects.count() == 1
    assert [n.event for n in notify.sent] == ["reservation.offered"]
    # A different state (a new deadline) is a new message.
    with django_capture_on_commit_callbacks(execute=True):
        send("reservation.offered", parent, {"reservation": 7, "deadline": "D2"})
    assert OutboxMessage.objects.count() == 2
    assert len(notify.sent) == 2


def test_an_explicit_key_wins_over_the_context(people, django_capture_on_commit_callbacks):
    parent = people.guardian()
    with django_capture_on_commit_callbacks(execute=True):
        send("attendance.arrived", parent, {"at": "13:00"}, idempotency_key="tap:1")
        send("attendance.arrived", parent, {"at": "13:01"}, idempotency_key="tap:1")
        send("attendance.arrived", parent, {"at": "13:00"}, idempotency_key="tap:2")
    assert sorted(OutboxMessage.objects.values_list("idempotency_key", flat=True)) == [
        "tap:1",
        "tap:2",
    ]
    assert [n.context["at"] for n in notify.sent] == ["13:00", "13:00"]


@override_settings(KIUM_NOTIFY_CHANNELS=("alimtalk", "sms"))
def test_a_recipient_no_channel_reaches_is_recorded_as_failed(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        send("capacity.requested", None, {"facility": "NWUK001"})
    row = OutboxMessage.objects.get()
    assert row.status == OutboxStatus.FAILED
    assert "no channel" in row.last_error
    assert callbacks == []


def test_context_is_stored_as_json(people, django_capture_on_commit_callbacks):
    parent = people.guardian()
    with django_capture_on_commit_callbacks(execute=True):
        send("reservation.reminder", parent, {"date": dt.date(2026, 3, 2), "reservation": 1})
    assert OutboxMessage.objects.get().context == {"date": "2026-03-02", "reservation": 1}


@override_settings(KIUM_NOTIFY_QUIET_HOURS=(21, 8))
def test_quiet_hours_hold_messages_except_arrival_and_departure(
    people, django_capture_on_commit_callbacks
):
    parent = people.guardian()
    night = dt.datetime(2026, 3, 2, 23, 30, tzinfo=clock.SEOUL)
    with time_machine.travel(night, tick=False) as traveller:
        with django_capture_on_commit_callbacks(execute=True):
            send("reservation.reminder", parent, {"reservation": 1})
            send("attendance.arrived", parent, {"child": 1}, idempotency_key="tap:9")
        assert [n.event for n in notify.sent] == ["attendance.arrived"]
        held = OutboxMessage.objects.get(event="reservation.reminder")
        assert held.status == OutboxStatus.PENDING
        assert clock.to_seoul(held.next_attempt_at) == dt.datetime(
            2026, 3, 3, 8, 0, tzinfo=clock.SEOUL
        )
        call_command("run_worker", "--once")
        assert len(notify.sent) == 1
        traveller.move_to(dt.datetime(2026, 3, 3, 8, 0, 1, tzinfo=clock.SEOUL))
        call_command("run_worker", "--once")
    assert [n.event for n in notify.sent] == ["attendance.arrived", "reservation.reminder"]


def test_run_worker_once_sends_what_the_after_commit_path_missed(people, monkeypatch):
    from kium.notifications.domain import outbox

    monkeypatch.setattr(outbox, "enqueue", lambda key: None)  # the task backend lost it
    parent = people.guardian()
    send("staff.approved", parent, {"name": "김"})
    send("staff.rejected", parent, {"name": "김", "reason": "x"})
    assert notify.sent == []
    call_command("run_worker", "--once")
    assert sorted(n.event for n in notify.sent) == ["staff.approved", "staff.rejected"]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {"sent"}
    call_command("run_worker", "--once")
    assert len(notify.sent) == 2


def test_the_task_backend_delivers_through_django_tasks(people):
    from kium.notifications.tasks import deliver_message

    parent = people.guardian()
    with transaction.atomic():
        key = send("staff.approved", parent, {"name": "김"})
    notify.sent.clear()
    OutboxMessage.objects.update(status=OutboxStatus.PENDING)
    result = deliver_message.enqueue(key)
    assert result.return_value == "sent"
    assert [n.event for n in notify.sent] == ["staff.approved"]


def test_arrival_and_departure_have_their_own_words():
    from kium.notifications.domain.texts import render

    arrived = render(
        "attendance.arrived", {"child": "김하늘", "time": "13:05", "facility": "노원1호점"}
    )
    assert "김하늘 아동이 13:05에 노원1호점에 등원했습니다." in arrived
    departed = render(
        "attendance.departed", {"child": "김하늘", "time": "18:00", "facility": "노원1호점"}
    )
    assert "하원했습니다" in departed
