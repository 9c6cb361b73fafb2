"""알림 수신 설정: a guardian's channels and SMS consent (NTF-1)."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from kium.core import clock
from kium.core.models import AuditEntry
from kium.notifications.domain.routing import choice_for
from kium.notifications.models import NotificationPreference

pytestmark = pytest.mark.django_db

T0 = dt.datetime(2026, 3, 2, 9, 0, tzinfo=clock.SEOUL)


def url():
    return reverse("public:account_notifications")


def form(**checked):
    return {name: "on" for name, on in checked.items() if on}


@pytest.fixture
def guardian(people):
    return people.guardian(email="parent@example.kr")


@pytest.fixture
def logged_in(client, guardian):
    client.force_login(guardian)
    return client


def test_login_required_and_guardians_only(client, people):
    response = client.get(url())
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("public:login"))
    assert "next=" in response["Location"]
    client.force_login(people.staff())
    assert client.get(url()).status_code == 403
    assert client.post(url(), form(sms=True, sms_consent=True)).status_code == 403
    assert not NotificationPreference.objects.exists()


def test_the_page_shows_the_defaults_and_the_consent_text(logged_in):
    response = logged_in.get(url())
    assert response.status_code == 200
    html = response.content.decode()
    assert "알림 수신 설정" in html
    assert "문자 수신에 동의합니다" in html
    assert '<input type="checkbox" name="alimtalk" id="id_alimtalk" checked' in html
    assert (
        '<input type="checkbox" name="sms" aria-describedby="id_sms_helptext" id="id_sms">' in html
    )
    assert '<input type="checkbox" name="sms_consent" id="id_sms_consent">' in html


def test_saving_records_the_choice_the_consent_time_and_an_audit_entry(logged_in, guardian):
    with time_machine.travel(T0, tick=False):
        response = logged_in.post(url(), form(alimtalk=True, sms=True, sms_consent=True))
    assert response.status_code == 302
    assert response["Location"] == url()
    row = NotificationPreference.objects.get(user=guardian)
    assert (row.alimtalk, row.sms, row.email) == (True, True, False)
    assert row.sms_consent_at == T0
    guardian.refresh_from_db()
    assert guardian.sms_consent_at == T0  # the profile says the same
    entry = AuditEntry.objects.get(action="notification.preferences_update")
    assert entry.actor == guardian
    assert entry.before["sms"] is False and entry.before["sms_consent_at"] is None
    assert entry.after["sms"] is True
    assert dt.datetime.fromisoformat(entry.after["sms_consent_at"]) == T0
    assert AuditEntry.objects.filter(action="account.sms_consent_update").count() == 1
    # Saving again keeps the time consent was first given, and records no change.
    with time_machine.travel(T0 + dt.timedelta(days=3), tick=False):
        again = logged_in.post(url(), form(alimtalk=True, sms=True, sms_consent=True))
    assert again.status_code == 302
    row.refresh_from_db()
    assert row.sms_consent_at == T0
    assert AuditEntry.objects.filter(action="notification.preferences_update").count() == 1
    assert "바뀐 내용이 없습니다" in logged_in.get(url()).content.decode()


def test_choosing_sms_without_consent_is_refused_in_korean(logged_in, guardian):
    response = logged_in.post(url(), form(alimtalk=True, sms=True))
    assert response.status_code == 400
    assert "문자 수신 동의에 체크해 주세요" in response.content.decode()
    assert not NotificationPreference.objects.exists()
    assert not AuditEntry.objects.filter(action="notification.preferences_update").exists()


def test_withdrawing_consent_turns_sms_off_and_the_audit_keeps_the_history(logged_in, guardian):
    with time_machine.travel(T0, tick=False):
        logged_in.post(url(), form(alimtalk=False, sms=True, sms_consent=True))
    response = logged_in.post(url(), form(alimtalk=False, sms=True), follow=True)
    assert response.status_code == 200
    assert "문자(SMS) 수신도 해제되었습니다" in response.content.decode()
    row = NotificationPreference.objects.get(user=guardian)
    assert (row.sms, row.sms_consent_at) == (False, None)
    guardian.refresh_from_db()
    assert guardian.sms_consent_at is None
    first, second = AuditEntry.objects.filter(action="notification.preferences_update").order_by(
        "pk"
    )
    assert dt.datetime.fromisoformat(first.after["sms_consent_at"]) == T0
    assert dt.datetime.fromisoformat(second.before["sms_consent_at"]) == T0
    assert second.after["sms_consent_at"] is None
    assert second.reason == "문자 수신 동의 철회"
    # The worker now refuses texts to this guardian.
    choice = choice_for(guardian)
    assert choice is not None and not choice.sms_consent


def test_email_needs_an_address_on_the_account(client, people):
    no_mail = people.guardian(email="")
    client.force_login(no_mail)
    page = client.get(url()).content.decode()
    assert "이메일 주소를 등록하면" in page
    response = client.post(url(), form(alimtalk=True, email=True))
    assert response.status_code == 400
    assert "이메일 주소를 먼저 등록해 주세요" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_email_is_saved_for_an_account_with_an_address(logged_in, guardian):
    assert logged_in.post(url(), form(email=True)).status_code == 302
    row = NotificationPreference.objects.get(user=guardian)
    assert (row.alimtalk, row.sms, row.email, row.sms_consent_at) == (False, False, True, None)


def test_consent_given_at_sign_up_is_shown_and_kept(client, people):
    signed_up = people.guardian(sms_consent_at=T0)
    client.force_login(signed_up)
    assert "2026.03.02 09:00 동의" in client.get(url()).content.decode()
    with time_machine.travel(T0 + dt.timedelta(days=10), tick=False):
        client.post(url(), form(alimtalk=True, sms=True, sms_consent=True))
    assert NotificationPreference.objects.get(user=signed_up).sms_consent_at == T0


def test_the_form_needs_the_csrf_token(people):
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(people.guardian())
    assert strict.post(url(), form(sms=True, sms_consent=True)).status_code == 403
    assert not NotificationPreference.objects.exists()


def test_a_consent_change_on_the_profile_can_be_followed(guardian):
    from django.db import transaction

    from kium.notifications.domain.preferences import follow_account_consent, preferences_of

    NotificationPreference.objects.create(user=guardian, sms=True, sms_consent_at=T0)
    guardian.sms_consent_at = T0
    guardian.save(update_fields=["sms_consent_at"])
    assert preferences_of(guardian).sms is True
    with transaction.atomic():
        guardian.sms_consent_at = None  # withdrawn on 회원정보
        guardian.save(update_fields=["sms_consent_at"])
        follow_account_consent(guardian)
    row = NotificationPreference.objects.get(user=guardian)
    assert (row.sms, row.sms_consent_at) == (False, None)
    entry = AuditEntry.objects.get(action="notification.preferences_update")
    assert entry.before["sms"] is True and entry.after["sms"] is False


def test_withdrawing_consent_on_the_profile_turns_sms_off_on_this_page(logged_in, guardian):
    from kium.accounts.domain.signup import update_guardian_profile

    logged_in.post(url(), form(alimtalk=True, sms=True, sms_consent=True))
    assert NotificationPreference.objects.get(user=guardian).sms is True
    update_guardian_profile(
        guardian=guardian, name=guardian.name, email=guardian.email, sms_consent=False
    )
    row = NotificationPreference.objects.get(user=guardian)
    assert (row.sms, row.sms_consent_at) == (False, None)
    assert (
        AuditEntry.objects.filter(
            action="notification.preferences_update", object_id=str(row.pk)
        ).count()
        == 2
    )
