"""The real provider code against a local server that speaks Solapi's API."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.test import override_settings

from kium.accounts import sms
from kium.core import clock, notify
from kium.core.notify import notify as send
from kium.notifications.domain import outbox
from kium.notifications.models import NotificationPreference, OutboxMessage, OutboxStatus
from tests.notifications.support import solapi_settings

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 13, 0, tzinfo=clock.SEOUL)
REFUSED = (400, {"errorCode": "ValidationError", "errorMessage": "템플릿 미승인"})


def _every_channel(parent):
    """These tests are about the providers: the guardian chose every channel and agreed
    to texts, so the configured order alone decides (the rules: test_routing.py)."""
    parent.sms_consent_at = parent.sms_consent_at or clock.now()
    parent.save(update_fields=["sms_consent_at"])
    NotificationPreference.objects.get_or_create(
        user=parent, defaults={"sms": True, "email": True, "sms_consent_at": parent.sms_consent_at}
    )


def _notify(parent, capture, event="reservation.confirmed", **context):
    _every_channel(parent)
    with capture(execute=True):
        return send(event, parent, {"reservation": 7, **context})


def test_alimtalk_speaks_solapi(people, solapi, django_capture_on_commit_callbacks):
    parent = people.guardian()
    with solapi_settings(solapi):
        key = _notify(parent, django_capture_on_commit_callbacks)
    (request,) = solapi.received
    assert request["path"] == "/messages/v4/send"
    assert request["auth"].startswith("HMAC-SHA256 apiKey=NCSTESTKEY, date=")
    message = request["body"]["message"]
    assert message["type"] == "ATA"
    assert message["to"] == parent.phone
    assert message["from"] == "0221334947"
    assert message["kakaoOptions"]["pfId"] == "KA01PF_KIUM"
    assert message["kakaoOptions"]["templateId"] == "KA01TP_CONFIRMED"
    assert message["kakaoOptions"]["variables"] == {"#{reservation}": "7"}
    assert message["kakaoOptions"]["disableSms"] is False
    assert message["customFields"] == {"idempotencyKey": key}
    assert "예약이 확정되었습니다" in message["text"]
    row = OutboxMessage.objects.get()
    assert (row.status, row.delivered_channel, row.provider_message_id) == (
        "sent",
        "alimtalk",
        "M1",
    )
    assert row.template_code == "KA01TP_CONFIRMED"
    assert notify.sent == []  # the console provider was not used


def test_provider_down_500_then_timeout_then_recovers(
    people, solapi, django_capture_on_commit_callbacks
):
    solapi.answer(500, {"errorCode": "InternalError"})
    solapi.hang(1.5)
    parent = people.guardian()
    with solapi_settings(solapi), time_machine.travel(START, tick=False) as traveller:
        key = _notify(parent, django_capture_on_commit_callbacks)
        row = OutboxMessage.objects.get()
        assert (row.status, row.attempts) == (OutboxStatus.PENDING, 1)
        assert "500" in row.last_error
        assert row.next_attempt_at == START + dt.timedelta(seconds=30)
        assert outbox.process_due() == {}  # not due yet: back-off
        traveller.shift(dt.timedelta(seconds=30))
        assert outbox.process_due() == {"pending": 1}  # the timeout
        row.refresh_from_db()
        assert row.attempts == 2
        assert "unreachable" in row.last_error or "timed out" in row.last_error
        assert row.next_attempt_at == START + dt.timedelta(seconds=30 + 60)
        traveller.shift(dt.timedelta(seconds=60))
        assert outbox.process_due() == {"sent": 1}
        traveller.shift(dt.timedelta(days=1))
        assert outbox.process_due() == {}
    row.refresh_from_db()
    assert (row.status, row.attempts, row.delivered_channel) == ("sent", 3, "alimtalk")
    assert len(solapi.received) == 3
    assert {r["body"]["message"]["customFields"]["idempotencyKey"] for r in solapi.received} == {
        key
    }


def test_a_refused_alimtalk_falls_back_to_sms(people, solapi, django_capture_on_commit_callbacks):
    solapi.answer(*REFUSED)
    parent = people.guardian()
    with solapi_settings(solapi):
        _notify(parent, django_capture_on_commit_callbacks)
    assert [r["body"]["message"].get("type", "SMS") for r in solapi.received] == ["ATA", "SMS"]
    fallback = solapi.received[1]["body"]["message"]
    assert fallback["to"] == parent.phone
    assert "예약이 확정되었습니다" in fallback["text"]
    row = OutboxMessage.objects.get()
    assert (row.status, row.channel, row.delivered_channel) == ("sent", "alimtalk", "sms")
    assert "알림톡" in row.last_error


def test_a_failure_status_in_a_200_answer_also_falls_back(
    people, solapi, django_capture_on_commit_callbacks
):
    solapi.answer(200, {"statusCode": "3059", "statusMessage": "변수 불일치"})
    with solapi_settings(solapi):
        _notify(people.guardian(), django_capture_on_commit_callbacks)
    assert OutboxMessage.objects.get().delivered_channel == "sms"
    assert len(solapi.received) == 2


def test_a_permanent_4xx_is_failed_and_not_retried(
    people, solapi, django_capture_on_commit_callbacks
):
    solapi.answer(*REFUSED)
    with (
        solapi_settings(solapi, KIUM_ALIMTALK_SMS_FALLBACK=False),
        time_machine.travel(START, tick=False) as traveller,
    ):
        _notify(people.guardian(), django_capture_on_commit_callbacks)
        row = OutboxMessage.objects.get()
        assert row.status == OutboxStatus.FAILED
        assert "400" in row.last_error
        traveller.shift(dt.timedelta(days=1))
        assert outbox.process_due() == {}
    assert len(solapi.received) == 1


def test_gives_up_after_the_attempt_limit(people, solapi, django_capture_on_commit_callbacks):
    solapi.answer(503, {}, times=3)
    with (
        solapi_settings(solapi, KIUM_NOTIFY_MAX_ATTEMPTS=3),
        time_machine.travel(START, tick=False) as traveller,
    ):
        _notify(people.guardian(), django_capture_on_commit_callbacks)
        for wait in (30, 60):
            traveller.shift(dt.timedelta(seconds=wait))
            outbox.process_due()
        traveller.shift(dt.timedelta(days=1))
        assert outbox.process_due() == {}
    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (OutboxStatus.GAVE_UP, 3)
    assert len(solapi.received) == 3


def test_without_a_template_the_message_goes_by_sms(
    people, solapi, django_capture_on_commit_callbacks
):
    with solapi_settings(solapi):
        _notify(people.guardian(), django_capture_on_commit_callbacks, event="staff.approved")
    assert OutboxMessage.objects.get().channel == "sms"
    assert [r["body"]["message"].get("type", "SMS") for r in solapi.received] == ["SMS"]


def test_sms_channel_retries_a_server_error_then_sends(
    people, solapi, django_capture_on_commit_callbacks
):
    solapi.answer(502, {})
    with (
        solapi_settings(solapi, KIUM_NOTIFY_CHANNELS=("sms",)),
        time_machine.travel(START, tick=False) as traveller,
    ):
        _notify(people.guardian(), django_capture_on_commit_callbacks)
        assert OutboxMessage.objects.get().status == OutboxStatus.PENDING
        traveller.shift(dt.timedelta(seconds=30))
        assert outbox.process_due() == {"sent": 1}
    assert len(solapi.received) == 2


def test_sms_channel_refused_is_failed(people, solapi, django_capture_on_commit_callbacks):
    solapi.answer(401, {"errorCode": "InvalidApiKey"})
    with solapi_settings(solapi, KIUM_NOTIFY_CHANNELS=("sms",)):
        _notify(people.guardian(), django_capture_on_commit_callbacks)
    assert OutboxMessage.objects.get().status == OutboxStatus.FAILED


@override_settings(KIUM_NOTIFY_CHANNELS=("sms",), KIUM_SMS_PROVIDER="console")
def test_sms_channel_with_the_console_sms_provider(people, django_capture_on_commit_callbacks):
    parent = people.guardian()
    _notify(parent, django_capture_on_commit_callbacks)
    (text,) = sms.outbox
    assert text.phone == parent.phone
    assert text.text.startswith("[우리동네키움포털] 예약이 확정되었습니다")


@override_settings(KIUM_NOTIFY_CHANNELS=("email",))
def test_email_channel_uses_django_mail(people, django_capture_on_commit_callbacks, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    parent = people.guardian(email="parent@example.com")
    _notify(parent, django_capture_on_commit_callbacks)
    (message,) = mail.outbox
    assert message.to == ["parent@example.com"]
    assert "예약이 확정되었습니다" in message.body
    assert OutboxMessage.objects.get().delivered_channel == "email"
