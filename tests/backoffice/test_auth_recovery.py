import datetime as dt

import pytest
import time_machine
from django.urls import reverse

from kium.accounts.domain.unlock import is_account_locked
from kium.core.models import AuditEntry
from tests.accounts.support import last_code, sms_outbox, wrong_code  # noqa: F401
from tests.factories.people import PASSWORD

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 24, 1, 0, tzinfo=dt.UTC)


def login(client, username, password=PASSWORD):
    return client.post("/admin/login/", {"username": username, "password": password})


# --- password change -------------------------------------------------------------------


def test_password_change_needs_login(client, db):
    response = client.get("/admin/password/change/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("backoffice:login"))


def test_forced_change_blocks_other_pages_until_done(client, people):
    user = people.staff(must_change_password=True)
    login(client, user.username)
    blocked = client.get("/admin/find-id/")
    assert blocked["Location"] == reverse("backoffice:password_change")
    page = client.get("/admin/password/change/")
    assert page.status_code == 200
    assert "비밀번호를 변경해야" in page.content.decode()
    response = client.post(
        "/admin/password/change/",
        {"old_password": PASSWORD, "password1": "brandnew2026", "password2": "brandnew2026"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert not user.must_change_password and user.check_password("brandnew2026")
    assert AuditEntry.objects.filter(action="account.password_change", object_id=str(user.pk))
    # Still logged in after the change.
    assert client.get("/admin/find-id/").status_code == 200


def test_password_change_errors(client, people):
    user = people.staff()
    login(client, user.username)
    wrong_old = client.post(
        "/admin/password/change/",
        {"old_password": "nottheone123", "password1": "brandnew2026", "password2": "brandnew2026"},
    )
    assert wrong_old.status_code == 400
    assert wrong_old.context["form"].errors["old_password"] == [
        "현재 비밀번호가 올바르지 않습니다."
    ]
    mismatch = client.post(
        "/admin/password/change/",
        {"old_password": PASSWORD, "password1": "brandnew2026", "password2": "brandnew2027"},
    )
    assert mismatch.context["form"].errors["password2"] == [
        "입력된 비밀번호가 일치하지 않습니다. 다시 확인해주세요!"
    ]
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_guardian_cannot_use_the_staff_password_change(client, people):
    guardian = people.guardian()
    client.force_login(guardian)
    assert client.get("/admin/password/change/").status_code == 302


# --- password reset --------------------------------------------------------------------


def _reset_link(client, user):
    client.post(
        "/admin/password/reset/",
        {"action": "send", "username": user.username, "phone": user.phone},
    )
    response = client.post(
        "/admin/password/reset/",
        {
            "action": "confirm",
            "username": user.username,
            "phone": user.phone,
            "code": last_code(user.phone),
        },
    )
    assert response.status_code == 302, response.content.decode()
    return response["Location"]


def test_reset_needs_matching_username_and_phone(client, people, sms_outbox):  # noqa: F811
    user = people.staff()
    assert client.get("/admin/password/reset/").status_code == 200
    response = client.post(
        "/admin/password/reset/",
        {"action": "send", "username": user.username, "phone": "010-9999-0000"},
    )
    assert response.status_code == 400
    assert "일치하는 계정이 없습니다" in response.content.decode()
    assert sms_outbox == []


def test_reset_by_phone_then_new_password(client, people, sms_outbox):  # noqa: F811
    user = people.staff()
    sent = client.post(
        "/admin/password/reset/",
        {"action": "send", "username": user.username, "phone": user.phone},
    )
    assert sent.status_code == 200
    assert "인증번호를 보냈습니다" in sent.content.decode()
    wrong = client.post(
        "/admin/password/reset/",
        {
            "action": "confirm",
            "username": user.username,
            "phone": user.phone,
            "code": wrong_code(last_code(user.phone)),
        },
    )
    assert wrong.status_code == 400
    assert "인증번호가 일치하지 않습니다" in wrong.content.decode()
    ok = client.post(
        "/admin/password/reset/",
        {
            "action": "confirm",
            "username": user.username,
            "phone": user.phone,
            "code": last_code(user.phone),
        },
    )
    link = ok["Location"]
    assert link.startswith("/admin/password/reset/") and link != "/admin/password/reset/"
    assert client.get(link).status_code == 200
    mismatch = client.post(link, {"password1": "resetpass2026", "password2": "resetpass2027"})
    assert mismatch.status_code == 400
    done = client.post(link, {"password1": "resetpass2026", "password2": "resetpass2026"})
    assert done["Location"] == reverse("backoffice:login")
    user.refresh_from_db()
    assert user.check_password("resetpass2026")
    # The link works once.
    again = client.get(link)
    assert again.status_code == 400
    assert "만료되었거나 이미 사용되었습니다" in again.content.decode()


def test_reset_link_expires_after_thirty_minutes(client, people, sms_outbox):  # noqa: F811
    user = people.staff()
    with time_machine.travel(START, tick=False) as traveller:
        link = _reset_link(client, user)
        traveller.shift(dt.timedelta(minutes=31))
        response = client.post(link, {"password1": "resetpass2026", "password2": "resetpass2026"})
    assert response.status_code == 400
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_reset_is_for_staff_accounts_only(client, people, sms_outbox):  # noqa: F811
    guardian = people.guardian()
    response = client.post(
        "/admin/password/reset/",
        {"action": "send", "username": guardian.username, "phone": guardian.phone},
    )
    assert response.status_code == 400
    assert sms_outbox == []


# --- find id ---------------------------------------------------------------------------


def test_find_id_shows_masked_usernames(client, people, sms_outbox):  # noqa: F811
    people.staff("NWUK015002", name="박담당", phone="01011112222")
    client.post("/admin/find-id/", {"action": "send", "name": "박담당", "phone": "010-1111-2222"})
    response = client.post(
        "/admin/find-id/",
        {
            "action": "confirm",
            "name": "박담당",
            "phone": "010-1111-2222",
            "code": last_code("01011112222"),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert "NWUK0150**" in html
    assert "NWUK015002" not in html


def test_find_id_without_verification_shows_nothing(client, people, sms_outbox):  # noqa: F811
    people.staff("NWUK015002", name="박담당", phone="01011112222")
    response = client.post(
        "/admin/find-id/",
        {"action": "confirm", "name": "박담당", "phone": "010-1111-2222", "code": ""},
    )
    assert response.status_code == 400
    assert "NWUK0150**" not in response.content.decode()


def test_find_id_with_no_match(client, db, sms_outbox):  # noqa: F811
    response = client.post(
        "/admin/find-id/", {"action": "send", "name": "없는사람", "phone": "010-1111-2222"}
    )
    assert response.status_code == 400
    assert "일치하는 계정이 없습니다" in response.content.decode()


# --- unlock ----------------------------------------------------------------------------


def test_unlock_by_phone_verification(client, people, sms_outbox):  # noqa: F811
    user = people.staff()
    for _ in range(5):
        login(client, user.username, "wrongpass123")
    assert login(client, user.username).status_code == 423
    assert is_account_locked(username=user.username)
    client.post(
        "/admin/unlock/", {"action": "send", "username": user.username, "phone": user.phone}
    )
    response = client.post(
        "/admin/unlock/",
        {
            "action": "confirm",
            "username": user.username,
            "phone": user.phone,
            "code": last_code(user.phone),
        },
    )
    assert response["Location"] == reverse("backoffice:login")
    assert not is_account_locked(username=user.username)
    entry = AuditEntry.objects.get(action="account.unlock")
    assert entry.actor is None and entry.object_id == str(user.pk)
    assert login(client, user.username).status_code == 302


def test_unlock_code_is_single_use(client, people, sms_outbox):  # noqa: F811
    user = people.staff()
    data = {"username": user.username, "phone": user.phone}
    client.post("/admin/unlock/", {"action": "send", **data})
    code = last_code(user.phone)
    first = client.post("/admin/unlock/", {"action": "confirm", "code": code, **data})
    assert first.status_code == 302
    second = client.post("/admin/unlock/", {"action": "confirm", "code": code, **data})
    assert second.status_code == 400
    assert AuditEntry.objects.filter(action="account.unlock").count() == 1


def test_unlock_with_wrong_code_keeps_the_lock(client, people, sms_outbox):  # noqa: F811
    user = people.staff()
    for _ in range(5):
        login(client, user.username, "wrongpass123")
    data = {"username": user.username, "phone": user.phone}
    client.post("/admin/unlock/", {"action": "send", **data})
    response = client.post(
        "/admin/unlock/", {"action": "confirm", "code": wrong_code(last_code(user.phone)), **data}
    )
    assert response.status_code == 400
    assert is_account_locked(username=user.username)
