import pytest
from django.urls import reverse

from kium.accounts.enums import ApprovalStatus
from kium.accounts.middleware import SESSION_LAST_SEEN, SESSION_STARTED
from kium.accounts.models import LoginHistory
from tests.factories.people import PASSWORD

pytestmark = pytest.mark.django_db
LOGIN = "/admin/login/"


def login(client, username, password=PASSWORD, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def test_login_page_has_the_decks_links(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    html = response.content.decode()
    for label, name in [
        ("담당자 가입", "signup"),
        ("비밀번호 초기화", "password_reset"),
        ("ID/PW 찾기", "find_id"),
        ("계정잠금해제", "unlock"),
    ]:
        assert label in html
        assert reverse(f"backoffice:{name}") in html
    assert "로그인" in html


def test_staff_logs_in_and_gets_the_session_clock(client, people):
    user = people.staff()
    response = login(client, user.username)
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:dashboard")
    assert client.session[SESSION_STARTED] == client.session[SESSION_LAST_SEEN]
    assert int(client.session["_auth_user_id"]) == user.pk
    entry = LoginHistory.objects.get()
    assert (entry.user, entry.channel, entry.success) == (user, "backoffice", True)


def test_login_rotates_the_session(client, people):
    user = people.staff()
    client.get(LOGIN)
    client.session.save()
    before = client.session.session_key
    login(client, user.username)
    assert client.session.session_key != before


def test_safe_next_is_followed_and_unsafe_next_ignored(client, people):
    user = people.staff()
    response = login(client, user.username, next="/admin/unlock/")
    assert response["Location"] == "/admin/unlock/"
    client.post("/admin/logout/")
    response = login(client, user.username, next="https://evil.example/")
    assert response["Location"] == reverse("backoffice:dashboard")


def test_wrong_password_is_a_korean_error_and_recorded(client, people):
    user = people.staff()
    response = login(client, user.username, "wrongpass123")
    assert response.status_code == 400
    assert "아이디 또는 비밀번호가 올바르지 않습니다." in response.content.decode()
    # What was typed stays in the box.
    assert f'value="{user.username}"' in response.content.decode()
    entry = LoginHistory.objects.get()
    assert (entry.success, entry.detail, entry.user) == (False, "invalid_credentials", user)


def test_unknown_username_is_recorded_without_user(client, db):
    login(client, "nobody00", "whatever123")
    entry = LoginHistory.objects.get()
    assert entry.user is None and entry.username == "nobody00"


def test_pending_staff_cannot_log_in(client, people):
    user = people.staff(approved=False)
    response = login(client, user.username)
    assert response.status_code == 403
    assert "승인 대기 중인 계정입니다" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginHistory.objects.get().detail == "not_approved"


def test_rejected_staff_sees_the_reason(client, people):
    user = people.staff(approved=False)
    user.approval_status = ApprovalStatus.REJECTED
    user.rejection_reason = "소속 확인 불가"
    user.save()
    response = login(client, user.username)
    assert response.status_code == 403
    assert "소속 확인 불가" in response.content.decode()


def test_guardians_cannot_log_into_the_back_office(client, people):
    guardian = people.guardian()
    response = login(client, guardian.username)
    assert response.status_code == 403
    assert "담당자 계정으로만" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_five_failures_lock_the_account_even_for_the_right_password(client, people):
    user = people.staff()
    for _ in range(4):
        assert login(client, user.username, "wrongpass123").status_code == 400
    fifth = login(client, user.username, "wrongpass123")
    assert fifth.status_code == 423
    sixth = login(client, user.username, PASSWORD)
    assert sixth.status_code == 423
    html = sixth.content.decode()
    assert "5회 연속 실패하여 계정이 잠겼습니다" in html
    assert reverse("backoffice:unlock") in html
    assert "_auth_user_id" not in client.session
    assert LoginHistory.objects.filter(detail="account_locked").exists()


def test_the_lock_is_per_account_not_per_ip(client, people):
    locked, other = people.staff(), people.staff()
    for _ in range(5):
        login(client, locked.username, "wrongpass123")
    assert login(client, other.username).status_code == 302


def test_a_success_resets_the_failure_count(client, people):
    user = people.staff()
    for _ in range(4):
        login(client, user.username, "wrongpass123")
    assert login(client, user.username).status_code == 302
    client.post("/admin/logout/")
    for _ in range(4):
        assert login(client, user.username, "wrongpass123").status_code == 400


def test_forced_password_change_goes_first(client, people):
    user = people.staff(must_change_password=True)
    response = login(client, user.username)
    assert response["Location"] == reverse("backoffice:password_change")


def test_logout_needs_post(client, people):
    user = people.staff()
    login(client, user.username)
    assert client.get("/admin/logout/").status_code == 405
    response = client.post("/admin/logout/")
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_empty_form_is_400_with_field_errors(client, db):
    response = client.post(LOGIN, {"username": "", "password": ""})
    assert response.status_code == 400
    assert "필수 항목입니다" in response.content.decode()
