import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from kium.accounts.domain.tokens import user_for_token
from kium.accounts.enums import ApprovalStatus
from kium.accounts.models import LoginHistory, PhoneVerification, User
from tests.accounts.support import last_code, sms_outbox, wrong_code  # noqa: F401
from tests.factories.people import PASSWORD

pytestmark = pytest.mark.django_db


def post(client, path, body):
    return client.post(f"/api/v1{path}", body, content_type="application/json")


def token(client, username, password=PASSWORD):
    return post(client, "/auth/token", {"username": username, "password": password})


# --- POST /auth/token ------------------------------------------------------------------


@time_machine.travel(dt.datetime(2026, 11, 24, 0, 0, tzinfo=dt.UTC), tick=False)
def test_token_for_a_guardian(client, people):
    guardian = people.guardian()
    response = token(client, guardian.username)
    assert response.status_code == 200
    body = response.json()
    assert body["user"] == {"username": guardian.username, "kind": "guardian"}
    assert body["expires_at"] == "2026-11-24T21:00:00+09:00"
    assert user_for_token(body["token"]) == guardian
    assert LoginHistory.objects.get().channel == "api"


def test_token_for_approved_staff(client, people):
    staff = people.staff()
    body = token(client, staff.username).json()
    assert body["user"]["kind"] == "staff"


def test_wrong_password_is_401(client, people):
    response = token(client, people.guardian().username, "wrongpass123")
    assert response.status_code == 401
    assert response.json()["code"] == "invalid_credentials"
    assert response.json()["message"]


def test_pending_and_rejected_staff_get_403(client, people):
    pending = people.staff(approved=False)
    response = token(client, pending.username)
    assert (response.status_code, response.json()["code"]) == (403, "not_approved")
    rejected = people.staff(approved=False)
    User.objects.filter(pk=rejected.pk).update(
        approval_status=ApprovalStatus.REJECTED, rejection_reason="중복 계정"
    )
    response = token(client, rejected.username)
    assert response.status_code == 403
    assert "중복 계정" in response.json()["message"]


def test_five_failures_lock_the_account_through_the_api(client, people):
    guardian = people.guardian()
    codes = [token(client, guardian.username, "wrongpass123").status_code for _ in range(5)]
    assert codes == [401, 401, 401, 401, 423]
    locked = token(client, guardian.username)
    assert locked.status_code == 423
    assert locked.json()["code"] == "account_locked"
    assert "잠겼습니다" in locked.json()["message"]


def test_api_and_page_failures_count_together(client, people):
    staff = people.staff()
    for _ in range(3):
        client.post("/admin/login/", {"username": staff.username, "password": "wrongpass123"})
    for _ in range(2):
        token(client, staff.username, "wrongpass123")
    assert token(client, staff.username).status_code == 423


def test_api_success_resets_the_failure_count(client, people):
    guardian = people.guardian()
    for _ in range(4):
        token(client, guardian.username, "wrongpass123")
    assert token(client, guardian.username).status_code == 200
    for _ in range(4):
        assert token(client, guardian.username, "wrongpass123").status_code == 401


def test_missing_fields_are_400(client, db):
    response = post(client, "/auth/token", {"username": "x"})
    assert response.status_code == 400
    assert "password" in response.json()["fields"]


# --- POST /auth/phone-verifications ------------------------------------------------------


def test_phone_verification_is_created_and_sent(client, sms_outbox):  # noqa: F811
    response = post(client, "/auth/phone-verifications", {"phone": "010-1234-5678"})
    assert response.status_code == 201
    body = response.json()
    verification = PhoneVerification.objects.get(pk=body["id"])
    assert verification.phone == "01012345678" and verification.purpose == "signup"
    assert body["expires_at"].endswith("+09:00")
    assert last_code("01012345678")


def test_phone_verification_rate_limit_is_429(client, sms_outbox):  # noqa: F811
    post(client, "/auth/phone-verifications", {"phone": "01012345678"})
    response = post(client, "/auth/phone-verifications", {"phone": "01012345678"})
    assert response.status_code == 429
    assert response.json()["code"] == "rate_limited"
    assert len(sms_outbox) == 1


def test_phone_verification_bad_phone_is_400(client, db):
    response = post(client, "/auth/phone-verifications", {"phone": "02-2133-4947"})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid_phone"
    assert "phone" in response.json()["fields"]


# --- POST /auth/signup -----------------------------------------------------------------


def signup_body(**overrides):
    body = {
        "username": "apiparent1",
        "password": "kium2026pass",
        "name": "앱보호자",
        "phone": "010-5555-6666",
        "email": "app@example.kr",
        "terms_consent": True,
        "privacy_consent": True,
        "sms_consent": True,
    }
    body.update(overrides)
    return body


def test_signup_201(client):
    response = post(client, "/auth/signup", signup_body())
    assert response.status_code == 201
    assert response.json() == {"username": "apiparent1"}
    user = User.objects.get(username="apiparent1")
    assert user.sms_consent_at is not None and user.kind == "guardian"
    assert token(client, "apiparent1", "kium2026pass").status_code == 200


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"password": "short1"}, "password"),
        ({"password": "onlyletterspassword"}, "password"),
        ({"terms_consent": False}, "terms_consent"),
        ({"privacy_consent": False}, "privacy_consent"),
        ({"phone": "1234"}, "phone"),
        ({"username": "가나다라"}, "username"),
    ],
)
def test_signup_400_fields(client, overrides, field):
    response = post(client, "/auth/signup", signup_body(**overrides))
    assert response.status_code == 400
    assert field in response.json()["fields"]
    assert not User.objects.filter(username="apiparent1").exists()


def test_signup_duplicate_username_and_phone(client, people):
    people.guardian("apiparent1", phone="01055556666")
    response = post(client, "/auth/signup", signup_body(username="APIPARENT1"))
    fields = response.json()["fields"]
    assert response.status_code == 400
    assert set(fields) >= {"username", "phone"}


@override_settings(KIUM_REQUIRE_PHONE_VERIFICATION=True)
def test_signup_with_required_verification(client, sms_outbox):  # noqa: F811
    missing = post(client, "/auth/signup", signup_body())
    assert missing.status_code == 400
    assert "verification" in missing.json()["fields"]
    created = post(client, "/auth/phone-verifications", {"phone": "01055556666"}).json()
    code = last_code("01055556666")
    wrong = post(
        client,
        "/auth/signup",
        signup_body(verification={"id": created["id"], "code": wrong_code(code)}),
    )
    assert wrong.status_code == 400
    assert "verification" in wrong.json()["fields"]
    ok = post(client, "/auth/signup", signup_body(verification={"id": created["id"], "code": code}))
    assert ok.status_code == 201
    # Single use: the same verification cannot make a second account.
    again = post(
        client,
        "/auth/signup",
        signup_body(
            username="apiparent2",
            phone="01055556666",
            verification={"id": created["id"], "code": code},
        ),
    )
    assert again.status_code == 400


def test_openapi_documents_the_session_operations(client, db):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    for path in ["/api/v1/auth/token", "/api/v1/auth/phone-verifications", "/api/v1/auth/signup"]:
        assert "post" in paths[path]
    assert {"post", "get"} <= set(paths["/api/v1/children"])
