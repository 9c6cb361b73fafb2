"""Guardians choose their channels; SMS needs recorded consent (routing.plan_delivery).

The decision is the worker's, at send time: ``record`` keeps a provisional channel
from the settings only, and the row ends with the channel the plan chose.
"""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from kium.core import clock, notify
from kium.core.notify import notify as send
from kium.notifications.domain import outbox
from kium.notifications.domain.routing import plan_delivery
from kium.notifications.models import (
    NotificationPreference,
    NotificationTemplate,
    OutboxMessage,
    OutboxStatus,
)
from tests.notifications.support import solapi_settings

pytestmark = pytest.mark.django_db

REFUSED = (400, {"errorCode": "ValidationError", "errorMessage": "템플릿 미승인"})


def _message(recipient, event="reservation.confirmed", *, phone=None, email=None):
    return OutboxMessage(
        event=event,
        recipient=recipient,
        phone=recipient.phone if phone is None else phone,
        email=(recipient.email if recipient else "") if email is None else email,
    )


def _prefer(user, *, alimtalk=True, sms=False, email=False, consent=False):
    when = clock.now() if consent else None
    if consent and user.sms_consent_at is None:
        user.sms_consent_at = when
        user.save(update_fields=["sms_consent_at"])
    return NotificationPreference.objects.create(
        user=user, alimtalk=alimtalk, sms=sms, email=email, sms_consent_at=when
    )


def _types(solapi):
    return [r["body"]["message"].get("type", "SMS") for r in solapi.received]


# --- defaults ---------------------------------------------------------------------------


def test_a_guardian_without_a_row_gets_alimtalk_and_no_sms_fallback(people, solapi):
    parent = people.guardian(email="p@example.kr")
    with solapi_settings(solapi):
        plan = plan_delivery(_message(parent))
        assert (plan.channel, plan.template_code, plan.sms_fallback) == (
            "alimtalk",
            "KA01TP_CONFIRMED",
            False,
        )
        # No template for the event: the defaults refuse SMS and e-mail, so it is skipped.
        skipped = plan_delivery(_message(parent, "staff.approved"))
    assert skipped.skipped
    assert "승인된 템플릿 없음" in skipped.skip_reason
    assert "문자 수신 동의 없음" in skipped.skip_reason
    assert "이메일 수신 거부" in skipped.skip_reason


def test_consent_given_at_sign_up_allows_the_sms_fallback_when_the_setting_does(people, solapi):
    parent = people.guardian(sms_consent_at=clock.now())
    with solapi_settings(solapi):
        assert plan_delivery(_message(parent)).sms_fallback is True
    with solapi_settings(solapi, KIUM_ALIMTALK_SMS_FALLBACK=False):
        assert plan_delivery(_message(parent)).sms_fallback is False


def test_record_reads_nothing_and_the_worker_writes_the_final_channel(people, solapi):
    parent = people.guardian()
    _prefer(parent, alimtalk=False, sms=True, consent=True)
    with solapi_settings(solapi):
        with CaptureQueriesContext(connection) as queries:
            send("reservation.confirmed", parent, {"reservation": 7})
        assert len(queries) == 1  # the insert, nothing else
        assert OutboxMessage.objects.get().channel == "alimtalk"  # provisional
        assert outbox.process_due() == {"sent": 1}
    row = OutboxMessage.objects.get()
    assert (row.status, row.channel, row.template_code, row.delivered_channel) == (
        "sent",
        "sms",
        "",
        "sms",
    )
    assert _types(solapi) == ["SMS"]


# --- a guardian's own choice ------------------------------------------------------------


def test_a_guardian_who_refused_alimtalk_gets_sms_with_consent(
    people, solapi, django_capture_on_commit_callbacks
):
    parent = people.guardian()
    _prefer(parent, alimtalk=False, sms=True, consent=True)
    with solapi_settings(solapi), django_capture_on_commit_callbacks(execute=True):
        send("reservation.confirmed", parent, {"reservation": 7})
    assert _types(solapi) == ["SMS"]
    row = OutboxMessage.objects.get()
    assert (row.status, row.channel) == ("sent", "sms")


def test_a_guardian_who_refused_alimtalk_without_consent_gets_nothing(
    people, solapi, django_capture_on_commit_callbacks
):
    parent = people.guardian(email="p@example.kr")
    _prefer(parent, alimtalk=False, email=False)
    with solapi_settings(solapi), django_capture_on_commit_callbacks(execute=True):
        send("reservation.confirmed", parent, {"reservation": 7})
    assert solapi.received == []
    row = OutboxMessage.objects.get()
    assert row.status == OutboxStatus.FAILED
    assert row.last_error == "수신자가 모든 채널을 거부함"


def test_without_consent_a_refused_alimtalk_is_not_replaced_by_sms(
    people, solapi, django_capture_on_commit_callbacks
):
    solapi.answer(*REFUSED)
    parent = people.guardian()
    with solapi_settings(solapi), django_capture_on_commit_callbacks(execute=True):
        send("reservation.confirmed", parent, {"reservation": 7})
    assert _types(solapi) == ["ATA"]
    assert solapi.received[0]["body"]["message"]["kakaoOptions"]["disableSms"] is True
    row = OutboxMessage.objects.get()
    assert (row.status, row.delivered_channel) == ("failed", "")
    assert "400" in row.last_error


def test_with_consent_a_refused_alimtalk_falls_back_to_sms(
    people, solapi, django_capture_on_commit_callbacks
):
    solapi.answer(*REFUSED)
    parent = people.guardian()
    _prefer(parent, consent=True)  # 알림톡 only, but texts consented
    with solapi_settings(solapi), django_capture_on_commit_callbacks(execute=True):
        send("reservation.confirmed", parent, {"reservation": 7})
    assert _types(solapi) == ["ATA", "SMS"]
    assert solapi.received[0]["body"]["message"]["kakaoOptions"]["disableSms"] is False
    assert OutboxMessage.objects.get().delivered_channel == "sms"


def test_consent_withdrawn_on_the_account_stops_texts_even_if_the_row_says_sms(people, solapi):
    parent = people.guardian()
    _prefer(parent, alimtalk=False, sms=True, consent=True)
    parent.sms_consent_at = None  # withdrawn on the profile page
    parent.save(update_fields=["sms_consent_at"])
    with solapi_settings(solapi):
        plan = plan_delivery(_message(parent))
    assert plan.skipped
    assert "문자 수신 동의 없음" in plan.skip_reason


def test_email_only_guardian_gets_email_and_one_without_address_is_skipped(people, solapi):
    with_mail = people.guardian(email="p@example.kr")
    _prefer(with_mail, alimtalk=False, email=True)
    without = people.guardian(email="")
    _prefer(without, alimtalk=False, email=True)
    with solapi_settings(solapi):
        assert plan_delivery(_message(with_mail)).channel == "email"
        plan = plan_delivery(_message(without))
    assert plan.skipped and "이메일 주소 없음" in plan.skip_reason


def test_the_configured_order_decides_between_the_chosen_channels(people, solapi):
    parent = people.guardian(email="p@example.kr")
    _prefer(parent, alimtalk=True, sms=True, email=True, consent=True)
    with solapi_settings(solapi, KIUM_NOTIFY_CHANNELS=("email", "alimtalk", "sms")):
        assert plan_delivery(_message(parent)).channel == "email"
    with solapi_settings(solapi, KIUM_NOTIFY_CHANNELS=("sms", "alimtalk")):
        assert plan_delivery(_message(parent)).channel == "sms"


def test_all_channels_refused_is_skipped_with_the_reason(
    people, solapi, django_capture_on_commit_callbacks
):
    parent = people.guardian(email="p@example.kr")
    _prefer(parent, alimtalk=False, sms=False, email=False, consent=False)
    with solapi_settings(solapi), django_capture_on_commit_callbacks(execute=True):
        send("reservation.confirmed", parent, {"reservation": 7})
    assert solapi.received == []
    row = OutboxMessage.objects.get()
    assert (row.status, row.last_error) == ("failed", "수신자가 모든 채널을 거부함")


# --- events, staff, people without an account, development ------------------------------


def test_an_event_switched_off_is_skipped_on_every_channel(
    people, django_capture_on_commit_callbacks
):
    NotificationTemplate.objects.create(event="reservation.confirmed", enabled=False)
    parent = people.guardian()
    with django_capture_on_commit_callbacks(execute=True):  # console (development)
        send("reservation.confirmed", parent, {"reservation": 7})
        send("reservation.cancelled", parent, {"reservation": 7})
    assert [n.event for n in notify.sent] == ["reservation.cancelled"]
    row = OutboxMessage.objects.get(event="reservation.confirmed")
    assert (row.status, row.last_error) == ("failed", "이벤트 사용 중지")


def test_staff_without_a_row_keep_the_old_behaviour(
    people, solapi, django_capture_on_commit_callbacks
):
    solapi.answer(*REFUSED)
    officer = people.staff()
    with solapi_settings(solapi):
        # No template: SMS, the first configured channel the phone reaches.
        plan = plan_delivery(_message(officer, "staff.approved"))
        assert (plan.channel, plan.skipped) == ("sms", False)
        # A template: 알림톡, and the fallback the setting allows (no consent needed).
        with django_capture_on_commit_callbacks(execute=True):
            send("reservation.confirmed", officer, {"reservation": 1})
    assert _types(solapi) == ["ATA", "SMS"]


def test_a_phone_without_an_account_keeps_the_old_behaviour(
    db, solapi, django_capture_on_commit_callbacks
):
    invitee = SimpleNamespace(phone="01055556666", email="")
    with solapi_settings(solapi), django_capture_on_commit_callbacks(execute=True):
        send("staff.signup_received", invitee, {"name": "김"})
    row = OutboxMessage.objects.get()
    assert (row.recipient_id, row.status, row.channel) == (None, "sent", "sms")
    assert [r["body"]["message"]["to"] for r in solapi.received] == ["01055556666"]


def test_console_in_development_shows_everything(people, django_capture_on_commit_callbacks):
    parent = people.guardian()
    _prefer(parent, alimtalk=False, sms=False, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        send("reservation.confirmed", parent, {"reservation": 7})
    assert [n.event for n in notify.sent] == ["reservation.confirmed"]
