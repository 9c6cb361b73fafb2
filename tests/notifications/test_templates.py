"""알림톡 관리: editable templates per event — render, validation, audit, preview (NTF-1)."""

from __future__ import annotations

import pytest
from django.test import override_settings

from kium.accounts import sms
from kium.core.models import AuditEntry
from kium.notifications.domain import templates, texts
from kium.notifications.domain.templates import TemplateError
from kium.notifications.models import NotificationTemplate, OutboxMessage

pytestmark = pytest.mark.django_db

EVENT = "reservation.confirmed"


@pytest.fixture
def officer(people):
    return people.city_officer()


def _row(event: str = EVENT, **fields) -> NotificationTemplate:
    return NotificationTemplate.objects.create(event=event, **fields)


# --- the registry -------------------------------------------------------------------------


def test_every_event_with_a_default_text_is_in_the_registry_with_its_variables():
    registry = texts.events()
    assert set(registry) == set(texts._texts())
    for spec in registry.values():
        assert spec.label and spec.default
        # A default text uses only variables the event declares (so it passes its own check).
        assert set(texts.placeholders(spec.default)) <= spec.variable_names, spec.key
        assert templates.clean_body(spec.key, spec.default) == spec.default.strip()
    assert registry["reservation.offered"].variable_names == {"reservation", "deadline"}
    assert {"child", "time", "facility"} == registry["attendance.arrived"].variable_names


# --- render -------------------------------------------------------------------------------


def test_render_uses_the_saved_body_else_the_default():
    assert texts.render(EVENT, {"reservation": 7}) == (
        "[우리동네키움포털] 예약이 확정되었습니다. (예약번호 7)"
    )
    row = _row(body="예약 {reservation}번이 확정됐어요.")
    assert texts.render(EVENT, {"reservation": 7}) == "[우리동네키움포털] 예약 7번이 확정됐어요."
    row.body = "   "
    row.save()
    assert "예약이 확정되었습니다" in texts.render(EVENT, {"reservation": 7})


def test_missing_variables_render_empty():
    _row(body="{reservation}번 / 사유 {reason}")
    assert texts.render(EVENT, {}) == "[우리동네키움포털] 번 / 사유 "


@pytest.mark.parametrize(
    "broken", ["{unclosed 예약", "닫기만 }", "{reservation.__class__}", "{0}", "{}", "{a[x]}"]
)
def test_a_broken_body_falls_back_to_the_default_and_never_raises(broken):
    _row(body=broken)
    assert texts.render(EVENT, {"reservation": 9}) == (
        "[우리동네키움포털] 예약이 확정되었습니다. (예약번호 9)"
    )


@override_settings(KIUM_SMS_PROVIDER="console")
def test_a_provider_sends_the_saved_text():
    from kium.notifications.providers.sms import SmsProvider

    _row(body="예약 {reservation}번 확정")
    message = OutboxMessage(event=EVENT, phone="01012345678", context={"reservation": 31})
    SmsProvider().send(message)
    (text,) = sms.outbox
    assert text.text == "[우리동네키움포털] 예약 31번 확정"


# --- save_template ------------------------------------------------------------------------


def test_save_template_stores_the_body_and_code_and_audits_before_and_after(officer):
    row = templates.save_template(
        actor=officer,
        event=EVENT,
        body="예약 {reservation}번이 확정되었습니다.\r\n감사합니다.",
        code="KIUM_CONFIRMED-01",
        enabled=True,
    )
    row.refresh_from_db()
    assert row.body == "예약 {reservation}번이 확정되었습니다.\n감사합니다."
    assert (row.alimtalk_template_code, row.enabled) == ("KIUM_CONFIRMED-01", True)
    assert (row.created_by, row.updated_by) == (officer, officer)
    first = AuditEntry.objects.get(action="notification.template_save")
    assert first.before is None and first.after["body"] == row.body
    assert first.actor == officer

    templates.save_template(actor=officer, event=EVENT, body="", code="", enabled=False)
    row.refresh_from_db()
    assert (row.body, row.alimtalk_template_code, row.enabled) == ("", "", False)
    second = AuditEntry.objects.filter(action="notification.template_save").latest("pk")
    assert second.before["alimtalk_template_code"] == "KIUM_CONFIRMED-01"
    assert second.after["enabled"] is False

    # Saving the same thing again changes nothing and writes no entry.
    templates.save_template(actor=officer, event=EVENT, body="", code="", enabled=False)
    assert AuditEntry.objects.filter(action="notification.template_save").count() == 2


def test_a_body_equal_to_the_default_is_stored_empty(officer):
    default = texts.events()[EVENT].default
    row = templates.save_template(actor=officer, event=EVENT, body=default, code="", enabled=True)
    assert row.body == ""


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ("예약 {reservaton}번", ["‘{reservaton}’", "쓸 수 없는 변수", "{reservation}"]),
        ("아동 {child}", ["‘{child}’"]),
        ("예약 {reservation", ["중괄호"]),
        ("예약 reservation}", ["중괄호"]),
        ("{reservation!r}", ["‘{reservation!r}’", "형식"]),
        ("{0}", ["‘{0}’"]),
        ("가" * 990, ["1,000자"]),
    ],
)
def test_invalid_bodies_are_refused_in_korean_and_change_nothing(officer, body, words):
    _row(body="그대로", alimtalk_template_code="OLD")
    with pytest.raises(TemplateError) as caught:
        templates.save_template(actor=officer, event=EVENT, body=body, code="NEW", enabled=False)
    assert caught.value.field == "body"
    for word in words:
        assert word in caught.value.message
    row = NotificationTemplate.objects.get(event=EVENT)
    assert (row.body, row.alimtalk_template_code, row.enabled) == ("그대로", "OLD", True)
    assert not AuditEntry.objects.exists()


def test_literal_braces_are_written_doubled(officer):
    row = templates.save_template(
        actor=officer, event=EVENT, body="{{안내}} {reservation}", code="", enabled=True
    )
    assert texts.render(EVENT, {"reservation": 5}) == "[우리동네키움포털] {안내} 5"
    assert texts.kakao_text(row.body) == "[우리동네키움포털] {안내} #{reservation}"


@pytest.mark.parametrize("code", ["한글코드", "has space", "a/b", "x" * 101])
def test_bad_template_codes_are_refused(officer, code):
    with pytest.raises(TemplateError) as caught:
        templates.save_template(actor=officer, event=EVENT, body="", code=code, enabled=True)
    assert caught.value.field == "code"
    assert not NotificationTemplate.objects.exists()


def test_unknown_events_and_non_city_staff_are_refused(officer, people):
    with pytest.raises(TemplateError) as unknown:
        templates.save_template(actor=officer, event="nope.never", body="", code="", enabled=True)
    assert unknown.value.code == "unknown_event"
    with pytest.raises(TemplateError) as forbidden:
        templates.save_template(
            actor=people.district_officer("NW"), event=EVENT, body="", code="", enabled=True
        )
    assert forbidden.value.code == "forbidden"
    with pytest.raises(TemplateError):
        templates.set_enabled(actor=people.district_officer("GN"), event=EVENT, enabled=False)
    assert not NotificationTemplate.objects.exists()


# --- enabled flag, code precedence, reset -------------------------------------------------


def test_set_enabled_is_read_by_event_enabled_and_audited(officer):
    assert templates.event_enabled(EVENT)
    templates.set_enabled(actor=officer, event=EVENT, enabled=False)
    assert not templates.event_enabled(EVENT)
    assert templates.event_enabled("reservation.pending")  # other events are untouched
    entry = AuditEntry.objects.get(action="notification.template_enabled")
    assert entry.before is None and entry.after["enabled"] is False
    templates.set_enabled(actor=officer, event=EVENT, enabled=True)
    assert templates.event_enabled(EVENT)
    latest = AuditEntry.objects.filter(action="notification.template_enabled").latest("pk")
    assert (latest.before["enabled"], latest.after["enabled"]) == (False, True)


@override_settings(KIUM_ALIMTALK_TEMPLATES={EVENT: "FROM_SETTINGS"})
def test_alimtalk_code_prefers_the_row_over_the_setting():
    assert templates.alimtalk_code(EVENT) == "FROM_SETTINGS"
    row = _row(alimtalk_template_code="")
    assert templates.alimtalk_code(EVENT) == "FROM_SETTINGS"
    row.alimtalk_template_code = "FROM_ROW"
    row.save()
    assert templates.alimtalk_code(EVENT) == "FROM_ROW"
    assert templates.alimtalk_code("reservation.pending") == ""


def test_reset_drops_the_body_only_and_is_audited(officer):
    templates.save_template(
        actor=officer, event=EVENT, body="{reservation} 확정", code="CODE1", enabled=False
    )
    templates.reset_template(actor=officer, event=EVENT)
    row = NotificationTemplate.objects.get(event=EVENT)
    assert (row.body, row.alimtalk_template_code, row.enabled) == ("", "CODE1", False)
    entry = AuditEntry.objects.get(action="notification.template_reset")
    assert (entry.before["body"], entry.after["body"]) == ("{reservation} 확정", "")


# --- preview ------------------------------------------------------------------------------


def test_preview_uses_the_sample_values_and_the_real_render_path():
    assert templates.preview("reservation.offered") == (
        "[우리동네키움포털] 대기하신 자리가 났습니다. 2026.03.02 18:00까지 "
        "수락해 주세요. (예약번호 1024)"
    )
    assert templates.preview("attendance.arrived", "{child} {time} {facility}") == (
        "[우리동네키움포털] 김하늘 13:05 노원1호점"
    )
    _row(body="저장된 {reservation}")
    assert templates.preview(EVENT) == "[우리동네키움포털] 저장된 1024"
    assert (
        templates.preview(EVENT, "") == "[우리동네키움포털] 예약이 확정되었습니다. (예약번호 1024)"
    )
    with pytest.raises(TemplateError):
        templates.preview(EVENT, "{deadline}")


def test_dates_and_times_in_a_message_read_as_people_write_them():
    from kium.notifications.domain.texts import render

    text = render(
        "reservation.offered",
        {"deadline": "2026-03-02T09:00:00+00:00", "reservation": 7},
    )
    assert "2026.03.02 18:00까지" in text  # 09:00 UTC is 18:00 in Seoul
    reminder = render(
        "reservation.reminder", {"date": "2026-03-03", "start_time": "13:00", "facility": "A"}
    )
    assert "내일(2026.03.03) 13:00 A" in reminder
    assert "(예약번호 2026-03)" in render("reservation.confirmed", {"reservation": "2026-03"})
