"""Per-recipient rate limit (KIUM_NOTIFY_RATE_LIMIT): later, never lost."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
import time_machine
from django.test import override_settings

from kium.accounts import sms
from kium.core import clock
from kium.core.notify import notify as send
from kium.notifications.domain import outbox
from kium.notifications.domain.ratelimit import rate_limit
from kium.notifications.models import NotificationPreference, OutboxMessage, OutboxStatus

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 13, 0, tzinfo=clock.SEOUL)
SMS = {"KIUM_NOTIFY_CHANNELS": ("sms",), "KIUM_SMS_PROVIDER": "console"}


@pytest.fixture
def parent(people):
    user = people.guardian(sms_consent_at=clock.now())
    NotificationPreference.objects.create(
        user=user, alimtalk=False, sms=True, sms_consent_at=user.sms_consent_at
    )
    return user


def _send(capture, recipient, n, event="reservation.reminder"):
    with capture(execute=True):
        return send(event, recipient, {"reservation": n})


def _texts() -> int:
    return len(sms.outbox)


@override_settings(**SMS)
def test_the_eleventh_message_in_an_hour_waits_for_a_free_slot_and_is_sent(
    parent, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    with time_machine.travel(START, tick=False) as traveller:
        _send(capture, parent, 0)  # 13:00
        traveller.move_to(START + dt.timedelta(minutes=30))
        for n in range(1, 10):  # 13:30, nine more: the window is full
            _send(capture, parent, n)
        assert _texts() == 10
        traveller.move_to(START + dt.timedelta(minutes=40))
        eleventh = _send(capture, parent, 10)
        row = OutboxMessage.objects.get(idempotency_key=eleventh)
        assert (row.status, row.attempts) == (OutboxStatus.PENDING, 0)  # not an attempt
        assert row.next_attempt_at == START + dt.timedelta(hours=1)  # 13:00's slot frees
        assert row.last_error.startswith("발송 한도 초과로 지연")
        assert "2026.03.02 14:00:00" in row.last_error
        traveller.move_to(START + dt.timedelta(minutes=50))
        twelfth = _send(capture, parent, 11)
        assert outbox.process_due() == {}  # neither is due before 14:00
        assert _texts() == 10
        traveller.move_to(START + dt.timedelta(hours=1))
        # 14:00: the eleventh takes the freed slot; the twelfth waits for 14:30.
        assert outbox.process_due() == {"sent": 1, "pending": 1}
        assert _texts() == 11
        late = OutboxMessage.objects.get(idempotency_key=twelfth)
        assert late.next_attempt_at == START + dt.timedelta(minutes=90)
        traveller.move_to(START + dt.timedelta(minutes=90))
        assert outbox.process_due() == {"sent": 1}
    rows = OutboxMessage.objects.all()
    assert {r.status for r in rows} == {OutboxStatus.SENT} and len(rows) == 12
    assert {r.attempts for r in rows} == {1}
    assert OutboxMessage.objects.get(idempotency_key=eleventh).last_error == ""
    assert _texts() == 12


@override_settings(**SMS)
def test_arrival_and_departure_neither_wait_nor_count(parent, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    with time_machine.travel(START, tick=False):
        for n in range(10):
            _send(capture, parent, n)
        _send(capture, parent, 1, event="attendance.arrived")
        _send(capture, parent, 2, event="attendance.departed")
        assert _texts() == 12
        waiting = _send(capture, parent, 99)
    assert OutboxMessage.objects.get(idempotency_key=waiting).status == OutboxStatus.PENDING
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 12


@override_settings(**SMS)
def test_arrivals_do_not_use_up_the_general_allowance(parent, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    with time_machine.travel(START, tick=False):
        for n in range(6):
            _send(capture, parent, n, event="attendance.arrived")
        for n in range(10):
            _send(capture, parent, n)
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 16


@override_settings(**SMS, KIUM_NOTIFY_RATE_LIMIT="")
def test_an_empty_setting_turns_the_limit_off(parent, django_capture_on_commit_callbacks):
    assert rate_limit() is None
    with time_machine.travel(START, tick=False):
        for n in range(15):
            _send(django_capture_on_commit_callbacks, parent, n)
    assert _texts() == 15


@override_settings(**SMS, KIUM_NOTIFY_RATE_LIMIT="2/60")
def test_the_setting_sets_count_and_window(parent, django_capture_on_commit_callbacks):
    capture = django_capture_on_commit_callbacks
    assert rate_limit() == (2, dt.timedelta(seconds=60))
    with time_machine.travel(START, tick=False) as traveller:
        for n in range(3):
            _send(capture, parent, n)
        assert _texts() == 2
        traveller.shift(dt.timedelta(seconds=60))
        assert outbox.process_due() == {"sent": 1}


@override_settings(**SMS, KIUM_NOTIFY_RATE_LIMIT="2/3600")
def test_people_are_limited_separately_and_a_phone_counts_without_an_account(
    parent, people, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    invitee = SimpleNamespace(phone="01055556666", email="")
    with time_machine.travel(START, tick=False):
        for n in range(3):
            _send(capture, parent, n)
            _send(capture, invitee, n, event="staff.signup_received")
    sent = OutboxMessage.objects.filter(status=OutboxStatus.SENT)
    assert sent.filter(recipient=parent).count() == 2
    assert sent.filter(recipient__isnull=True, phone="01055556666").count() == 2
    assert OutboxMessage.objects.filter(status=OutboxStatus.PENDING).count() == 2


@override_settings(**SMS, KIUM_NOTIFY_RATE_LIMIT="1/3600", KIUM_NOTIFY_QUIET_HOURS=(21, 8))
def test_a_deferral_into_quiet_hours_waits_for_the_morning(
    parent, django_capture_on_commit_callbacks
):
    capture = django_capture_on_commit_callbacks
    evening = dt.datetime(2026, 3, 2, 20, 30, tzinfo=clock.SEOUL)
    with time_machine.travel(evening, tick=False):
        _send(capture, parent, 1)
        key = _send(capture, parent, 2)
    row = OutboxMessage.objects.get(idempotency_key=key)
    assert clock.to_seoul(row.next_attempt_at) == dt.datetime(2026, 3, 3, 8, 0, tzinfo=clock.SEOUL)


def test_console_in_development_is_not_limited(people, django_capture_on_commit_callbacks):
    from kium.core import notify

    parent = people.guardian()
    with time_machine.travel(START, tick=False):
        for n in range(12):
            _send(django_capture_on_commit_callbacks, parent, n)
    assert len(notify.sent) == 12


def test_a_malformed_rate_limit_stops_the_start_not_the_sending():
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    env = {**os.environ, "KIUM_NOTIFY_RATE_LIMIT": "ten per hour"}
    run = subprocess.run(
        [sys.executable, str(root / "manage.py"), "check"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode != 0
    assert "KIUM_NOTIFY_RATE_LIMIT" in run.stderr
