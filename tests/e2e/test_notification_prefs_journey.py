"""A guardian chooses how to be told (알림 수신 설정, NTF-1) in a real browser: the page and
its error state pass axe, SMS needs the consent box, and the choice is kept."""

from __future__ import annotations

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from kium.notifications.models import NotificationPreference
from tests.e2e.test_accessibility import blocking_violations, describe
from tests.e2e.test_reservation_journey import go_login
from tests.factories import people

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_guardian_turns_on_sms_only_with_consent(page):
    parent = people.guardian()
    go_login(page, parent)
    page.goto(f"{page.base_url}{reverse('public:profile')}")
    page.get_by_role("link", name="알림 수신 설정").click()
    expect(page.get_by_role("heading", name="알림 수신 설정")).to_be_visible()
    assert not (found := blocking_violations(page)), describe(found)

    # KRDS draws its own box over the input: the label takes the click, as for a person.
    page.locator("label[for=id_sms]").click()
    expect(page.get_by_label("문자(SMS)")).to_be_checked()
    page.get_by_role("button", name="저장").click()
    expect(page.locator(".kium-field-error").first).to_be_visible()
    assert not (found := blocking_violations(page)), describe(found)
    assert not NotificationPreference.objects.filter(user=parent).exists()

    expect(page.get_by_label("문자(SMS)")).to_be_checked()  # the choice survived the error
    page.locator("label[for=id_sms_consent]").click()
    expect(page.get_by_label("문자 수신에 동의합니다", exact=False)).to_be_checked()
    page.get_by_role("button", name="저장").click()
    expect(page.get_by_text("알림 수신 설정이 저장되었습니다.")).to_be_visible()
    row = NotificationPreference.objects.get(user=parent)
    assert row.sms and row.alimtalk and row.sms_consent_at is not None
