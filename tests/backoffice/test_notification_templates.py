"""알림톡 관리 > 템플릿 관리: city staff list, edit, preview and switch templates (NTF-1)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from kium.core.models import AuditEntry
from kium.notifications.models import NotificationTemplate
from tests.backoffice.conftest import MODEL_BACKEND, assert_login_redirect

pytestmark = pytest.mark.django_db

EVENT = "reservation.offered"
LIST = reverse("backoffice:notification_templates")
EDIT = reverse("backoffice:notification_template_edit", args=[EVENT])
TOGGLE = reverse("backoffice:notification_template_toggle", args=[EVENT])
RESET = reverse("backoffice:notification_template_reset", args=[EVENT])


def _form(**fields) -> dict:
    data = {
        "body": "{deadline}까지 수락해 주세요. ({reservation})",
        "code": "KIUM_OFFER",
        "enabled": "on",
    }
    data.update(fields)
    return data


def test_city_staff_list_every_event_with_its_state(people, login):
    officer = people.city_officer(name="김서울")
    NotificationTemplate.objects.create(
        event="attendance.arrived", alimtalk_template_code="KIUM_ARRIVED", updated_by=officer
    )
    NotificationTemplate.objects.create(event="reservation.reminder", enabled=False)
    html = login(officer).get(LIST).content.decode()
    for label in ("예약 확정", "대기 자리 제안", "등원 알림", "이용 전날 안내", "관리자 계정 승인"):
        assert label in html
    assert "KIUM_ARRIVED" in html and "김서울" in html
    assert "미등록" in html  # events without a code
    assert "미사용" in html  # the reminder is switched off
    assert "수락 기한" in html  # variables with their descriptions
    assert reverse("backoffice:notification_template_edit", args=["staff.approved"]) in html


def test_the_edit_form_is_prefilled_with_the_default_text_and_a_preview(people, login):
    client = login(people.city_officer())
    html = client.get(EDIT).content.decode()
    assert "대기하신 자리가 났습니다. {deadline}까지 수락해 주세요." in html  # the textarea
    # The preview with sample values and the text to register with Kakao.
    assert "2026.03.02 18:00까지 수락해 주세요. (예약번호 1024)" in html
    assert "#{deadline}까지" in html
    assert (
        client.get(reverse("backoffice:notification_template_edit", args=["nope"])).status_code
        == 404
    )


def test_save_changes_the_template_and_is_audited(people, login):
    client = login(people.city_officer())
    response = client.post(EDIT, _form(action="save"))
    assert response.status_code == 302 and response["Location"] == EDIT
    row = NotificationTemplate.objects.get(event=EVENT)
    assert (row.body, row.alimtalk_template_code, row.enabled) == (
        "{deadline}까지 수락해 주세요. ({reservation})",
        "KIUM_OFFER",
        True,
    )
    assert AuditEntry.objects.filter(action="notification.template_save").count() == 1
    page = client.get(EDIT).content.decode()
    assert "저장했습니다" in page and "2026.03.02 18:00까지 수락해 주세요. (1024)" in page
    assert "KIUM_OFFER" in client.get(LIST).content.decode()


def test_an_invalid_body_shows_the_korean_error_and_changes_nothing(people, login):
    client = login(people.city_officer())
    client.post(EDIT, _form(action="save"))
    response = client.post(EDIT, _form(action="save", body="{child}에게 {deadline", code="x y"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "중괄호의 짝이 맞지 않습니다" in html
    assert "{child}에게 {deadline" in html  # what the officer typed is kept
    assert "현재 보내는 문구" in html and "(1024)" in html  # the panel shows what is sent now
    unknown = client.post(EDIT, _form(action="save", body="{child}에게"))
    assert unknown.status_code == 400
    assert "‘{child}’는 이 알림에서 쓸 수 없는 변수입니다" in unknown.content.decode()
    bad_code = client.post(EDIT, _form(action="save", code="코드"))
    assert bad_code.status_code == 400
    assert "영문, 숫자" in bad_code.content.decode()
    row = NotificationTemplate.objects.get(event=EVENT)
    assert row.body == "{deadline}까지 수락해 주세요. ({reservation})"
    assert AuditEntry.objects.filter(action="notification.template_save").count() == 1


def test_preview_without_javascript_shows_the_page_and_saves_nothing(people, login):
    client = login(people.city_officer())
    response = client.post(EDIT, _form(action="preview", body="{reservation}번 자리, {deadline}"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "미리보기 (저장 전)" in html
    assert "[우리동네키움포털] 1024번 자리, 2026.03.02 18:00" in html
    assert "<html" in html  # the whole page
    assert not NotificationTemplate.objects.exists()
    broken = client.post(EDIT, _form(action="preview", body="{name}"))
    assert broken.status_code == 400
    assert "쓸 수 없는 변수" in broken.content.decode()


def test_preview_with_htmx_swaps_only_the_panel(people, login):
    client = login(people.city_officer())
    response = client.post(
        EDIT, _form(action="preview", body="{reservation}번"), HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="template-preview"' in html and "<html" not in html
    assert "[우리동네키움포털] 1024번" in html
    broken = client.post(EDIT, _form(action="preview", body="{oops"), HTTP_HX_REQUEST="true")
    assert broken.status_code == 200  # htmx swaps 2xx only; the panel carries the error
    assert 'role="alert"' in broken.content.decode() and "중괄호" in broken.content.decode()
    assert not NotificationTemplate.objects.exists()


def test_toggle_switches_the_event_off_and_on(people, login):
    client = login(people.city_officer())
    response = client.post(TOGGLE, {"enabled": "0"})
    assert response.status_code == 302 and response["Location"] == LIST
    assert NotificationTemplate.objects.get(event=EVENT).enabled is False
    back = client.post(TOGGLE, {"enabled": "1", "back": "edit"})
    assert back["Location"] == EDIT
    assert NotificationTemplate.objects.get(event=EVENT).enabled is True
    assert AuditEntry.objects.filter(action="notification.template_enabled").count() == 2
    assert client.get(TOGGLE).status_code == 405


def test_reset_goes_back_to_the_default_text(people, login):
    client = login(people.city_officer())
    client.post(EDIT, _form(action="save"))
    assert "기본값으로" in client.get(EDIT).content.decode()
    assert client.post(RESET).status_code == 302
    row = NotificationTemplate.objects.get(event=EVENT)
    assert (row.body, row.alimtalk_template_code) == ("", "KIUM_OFFER")
    assert AuditEntry.objects.filter(action="notification.template_reset").count() == 1
    assert "대기하신 자리가 났습니다. {deadline}" in client.get(EDIT).content.decode()


def test_only_city_staff_and_never_anonymous(people, login, client, nw):
    for url in (LIST, EDIT):
        assert_login_redirect(client.get(url), url)
    assert_login_redirect(client.post(TOGGLE, {"enabled": "0"}), TOGGLE)
    for outsider in (people.district_officer("NW"), people.centre_manager(nw)):
        other = login(outsider)
        assert other.get(LIST).status_code == 403
        assert other.get(EDIT).status_code == 403
        assert other.post(EDIT, _form(action="save")).status_code == 403
        assert other.post(TOGGLE, {"enabled": "0"}).status_code == 403
        assert other.post(RESET).status_code == 403
    assert not NotificationTemplate.objects.exists()


def test_a_city_account_without_the_city_scope_is_refused(people, login, centre_with_all_menus, nw):
    """A centre account holding the 알림톡 관리 menu still is not city staff."""
    client = login(centre_with_all_menus(nw))
    assert client.get(LIST).status_code == 403
    assert client.post(EDIT, _form(action="save")).status_code == 403
    assert not NotificationTemplate.objects.exists()


def test_posts_need_the_csrf_token(people):
    client = Client(enforce_csrf_checks=True)
    client.force_login(people.city_officer(), backend=MODEL_BACKEND)
    assert client.post(EDIT, _form(action="save")).status_code == 403
    assert client.post(TOGGLE, {"enabled": "0"}).status_code == 403
    assert not NotificationTemplate.objects.exists()
    page = client.get(EDIT)
    token = page.cookies["csrftoken"].value if "csrftoken" in page.cookies else None
    assert token, "the edit page sets the CSRF cookie for its forms"
    saved = client.post(EDIT, _form(action="save", csrfmiddlewaretoken=token))
    assert saved.status_code == 302
    assert NotificationTemplate.objects.get(event=EVENT).alimtalk_template_code == "KIUM_OFFER"


def test_the_list_is_a_fixed_number_of_queries(people, login, django_assert_max_num_queries):
    officer = people.city_officer()
    client = login(officer)
    client.get(LIST)
    with django_assert_max_num_queries(20) as few:
        client.get(LIST)
    for event in ("reservation.pending", "reservation.confirmed", "attendance.arrived"):
        NotificationTemplate.objects.create(event=event, body="x", updated_by=officer)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(LIST)


def _current_side_link(html: str) -> str:
    """The side-menu link marked aria-current="page" (its href comes before the mark)."""
    assert 'aria-current="page"' in html
    return html.split('aria-current="page"', 1)[0].rsplit("<a", 1)[-1]


def test_the_template_screens_sit_under_their_own_menu_item(people, login):
    client = login(people.city_officer())
    for url in (LIST, EDIT):
        link = _current_side_link(client.get(url).content.decode())
        assert reverse("backoffice:notification_templates") in link, url
    history = client.get(reverse("backoffice:notification_history")).content.decode()
    assert reverse("backoffice:notification_history") in _current_side_link(history)
    # The sample deadline reads as people write dates, like the message itself.
    assert "2026.03.02 18:00" in client.get(EDIT).content.decode()
