"""알림톡 관리 > 발송 이력: city staff only, filters, delivery rate, resend (NTF-1)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from kium.core import clock
from kium.core.models import AccessRecord, AuditEntry
from kium.notifications.models import OutboxMessage
from tests.backoffice.conftest import assert_login_redirect

pytestmark = pytest.mark.django_db

URL = reverse("backoffice:notification_history")


def _message(n: int, status: str = "sent", **fields) -> OutboxMessage:
    defaults = {
        "event": "reservation.confirmed",
        "phone": f"0101234{n:04d}",
        "channel": "alimtalk",
        "delivered_channel": "alimtalk" if status == "sent" else "",
        "idempotency_key": f"test-{n}",
        "status": status,
        "attempts": 1,
        "next_attempt_at": clock.now(),
        "sent_at": clock.now() if status == "sent" else None,
    }
    defaults.update(fields)
    return OutboxMessage.objects.create(**defaults)


def test_city_staff_see_the_history_with_rates_and_filters(people, login):
    _message(1)
    _message(2, status="gave_up", last_error="HTTP 500")
    _message(3, event="attendance.arrived", delivered_channel="sms")
    client = login(people.city_officer())
    html = client.get(URL).content.decode()
    assert "010-1234-0001" in html and "attendance.arrived" in html
    assert "66.7%" in html  # 2 sent of 3 finished today
    assert "(대체)" in html  # 알림톡 fell back to SMS
    assert AccessRecord.objects.filter(action="notification.history").count() == 1
    failed = client.get(URL, {"status": "gave_up"}).content.decode()
    assert "HTTP 500" in failed and "010-1234-0001" not in failed
    by_phone = client.get(URL, {"phone": "010-1234-0003"}).content.decode()
    assert "attendance.arrived" in by_phone and "010-1234-0002" not in by_phone
    assert client.get(URL, {"date_from": "2026-99-01"}).status_code == 400


def test_only_city_staff_and_never_anonymous(people, login, client):
    assert_login_redirect(client.get(URL), URL)
    district = login(people.district_officer("NW")).get(URL)
    assert district.status_code == 403


def test_resend_a_given_up_message_only(people, login, django_capture_on_commit_callbacks):
    gave_up = _message(1, status="gave_up", attempts=8, last_error="timeout")
    sent = _message(2)
    client = login(people.city_officer())
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(reverse("backoffice:notification_resend", args=[gave_up.pk]))
    assert response.status_code == 302
    gave_up.refresh_from_db()
    assert (gave_up.status, gave_up.attempts, gave_up.last_error) == ("pending", 0, "")
    assert len(callbacks) == 1  # delivery is asked for after commit
    assert AuditEntry.objects.filter(action="notification.resend").count() == 1
    client.post(reverse("backoffice:notification_resend", args=[sent.pk]))
    sent.refresh_from_db()
    assert sent.status == "sent"
    assert AuditEntry.objects.filter(action="notification.resend").count() == 1
    outsider = login(people.district_officer("NW"))
    assert (
        outsider.post(reverse("backoffice:notification_resend", args=[gave_up.pk])).status_code
        == 403
    )


def test_the_list_is_a_fixed_number_of_queries(people, login, django_assert_max_num_queries):
    client = login(people.city_officer())
    _message(1)
    client.get(URL)
    with django_assert_max_num_queries(20) as few:
        client.get(URL)
    for n in range(2, 22):
        _message(n)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(URL)
