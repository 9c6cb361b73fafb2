import pytest
from django.test import override_settings
from django.urls import reverse

from kium.accounts.domain.unlock import is_account_locked
from kium.accounts.enums import UserKind
from kium.accounts.models import Child, LoginHistory, User
from kium.core.models import AuditEntry
from tests.accounts.support import last_code, sms_outbox  # noqa: F401
from tests.factories.people import PASSWORD

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


def signup_data(**overrides):
    data = {
        "username": "parent01",
        "password1": "kium2026pass",
        "password2": "kium2026pass",
        "name": "이보호",
        "phone": "010-4444-5555",
        "code": "",
        "email": "parent@example.kr",
        "terms_consent": "on",
        "privacy_consent": "on",
    }
    data.update(overrides)
    return data


def child_data(**overrides):
    data = {
        "name": "김하늘",
        "birth_date": "2018-03-02",
        "sex": "F",
        "school": "상계초등학교",
        "grade": "2",
        "health_notes": "",
        "guardian_consent": "on",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- sign-up ---------------------------------------------------------------------------


def test_signup_page_lists_the_consents(client):
    response = client.get("/accounts/signup/")
    assert response.status_code == 200
    html = response.content.decode()
    for label in ["이용약관", "개인정보 수집·이용", "문자(SMS·알림톡) 수신", "인증번호 받기"]:
        assert label in html
    assert "주민등록번호" in html  # the page says it is not collected
    assert 'name="resident' not in html


def test_guardian_signs_up(client):
    response = client.post("/accounts/signup/", signup_data(sms_consent="on"))
    assert response["Location"] == reverse("public:login")
    user = User.objects.get(username="parent01")
    assert user.kind == UserKind.GUARDIAN
    assert user.phone == "01044445555"
    assert user.terms_consent_at and user.privacy_consent_at and user.sms_consent_at


def test_signup_needs_the_required_consents(client):
    data = signup_data()
    del data["terms_consent"], data["privacy_consent"]
    response = client.post("/accounts/signup/", data)
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert errors["terms_consent"] == ["이용약관에 동의해 주세요."]
    assert errors["privacy_consent"] == ["개인정보 수집·이용에 동의해 주세요."]
    assert not User.objects.filter(username="parent01").exists()


def test_signup_password_mismatch_and_duplicate_phone(client, people):
    people.guardian(phone="01044445555")
    response = client.post("/accounts/signup/", signup_data(password2="other2026pass"))
    errors = response.context["form"].errors
    assert errors["password2"] == ["입력된 비밀번호가 일치하지 않습니다. 다시 확인해주세요!"]
    assert errors["phone"] == ["이미 가입된 휴대전화번호입니다."]
    assert 'value="parent01"' in response.content.decode()


@override_settings(KIUM_REQUIRE_PHONE_VERIFICATION=True)
def test_signup_with_required_verification(client, sms_outbox):  # noqa: F811
    assert client.post("/accounts/signup/", signup_data()).status_code == 400
    sent = client.post("/accounts/signup/verify/send", {"phone": "01044445555"}, **HTMX)
    assert "인증번호를 보냈습니다" in sent.content.decode()
    checked = client.post(
        "/accounts/signup/verify/check",
        {"phone": "01044445555", "code": last_code("01044445555")},
        **HTMX,
    )
    assert "완료" in checked.content.decode()
    assert client.post("/accounts/signup/", signup_data()).status_code == 302


def test_guardian_phone_check(client, people):
    people.guardian(phone="01044445555")
    taken = client.get("/accounts/signup/phone-check", {"phone": "010-4444-5555"}, **HTMX)
    assert "이미 가입된" in taken.content.decode()


# --- login -----------------------------------------------------------------------------


def test_guardian_logs_in_and_out(client, people):
    guardian = people.guardian()
    response = client.post(
        "/accounts/login/", {"username": guardian.username, "password": PASSWORD}
    )
    assert response["Location"] == reverse("public:home")
    assert LoginHistory.objects.get().channel == "portal"
    assert client.get("/accounts/logout/").status_code == 405
    client.post("/accounts/logout/")
    assert "_auth_user_id" not in client.session


def test_staff_is_sent_to_the_back_office(client, people):
    staff = people.staff()
    response = client.post("/accounts/login/", {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 403
    assert "관리자 페이지에서 로그인" in response.content.decode()


def test_portal_login_locks_after_five_failures(client, people, sms_outbox):  # noqa: F811
    guardian = people.guardian()
    for _ in range(5):
        client.post("/accounts/login/", {"username": guardian.username, "password": "nope12345x"})
    response = client.post(
        "/accounts/login/", {"username": guardian.username, "password": PASSWORD}
    )
    assert response.status_code == 423
    assert reverse("public:unlock") in response.content.decode()
    data = {"username": guardian.username, "phone": guardian.phone}
    client.post("/accounts/unlock/", {"action": "send", **data})
    client.post(
        "/accounts/unlock/", {"action": "confirm", "code": last_code(guardian.phone), **data}
    )
    assert not is_account_locked(username=guardian.username)
    again = client.post("/accounts/login/", {"username": guardian.username, "password": PASSWORD})
    assert again.status_code == 302


def test_guardian_password_reset(client, people, sms_outbox):  # noqa: F811
    guardian = people.guardian()
    data = {"username": guardian.username, "phone": guardian.phone}
    client.post("/accounts/password/reset/", {"action": "send", **data})
    link = client.post(
        "/accounts/password/reset/",
        {"action": "confirm", "code": last_code(guardian.phone), **data},
    )["Location"]
    assert link.startswith("/accounts/password/reset/")
    done = client.post(link, {"password1": "haneul2026go", "password2": "haneul2026go"})
    assert done["Location"] == reverse("public:login")
    guardian.refresh_from_db()
    assert guardian.check_password("haneul2026go")


# --- profile ---------------------------------------------------------------------------


def test_profile_needs_a_guardian(client, people):
    response = client.get("/accounts/profile/")
    assert response["Location"] == "/accounts/login/?next=%2Faccounts%2Fprofile%2F"
    client.force_login(people.staff())
    assert client.get("/accounts/profile/").status_code == 403


def test_profile_shows_consent_dates_and_saves(client, people):
    guardian = people.guardian()
    client.force_login(guardian)
    page = client.get("/accounts/profile/")
    assert page.status_code == 200
    assert guardian.terms_consent_at.astimezone().strftime("%Y.%m.%d") in page.content.decode()
    response = client.post(
        "/accounts/profile/", {"name": "새이름", "email": "x@example.kr", "sms_consent": "on"}
    )
    assert response.status_code == 302
    guardian.refresh_from_db()
    assert guardian.name == "새이름" and guardian.sms_consent_at is not None
    bad = client.post("/accounts/profile/", {"name": "", "email": "not-mail"})
    assert bad.status_code == 400


# --- children --------------------------------------------------------------------------


def test_children_pages_need_a_guardian(client, people):
    assert client.get("/accounts/children/")["Location"].startswith("/accounts/login/")
    assert client.get("/accounts/children/add/")["Location"].startswith("/accounts/login/")
    client.force_login(people.staff())
    assert client.get("/accounts/children/").status_code == 403
    assert client.post("/accounts/children/add/", child_data()).status_code == 403
    assert not Child.objects.exists()


def test_guardian_adds_a_child(client, people):
    guardian = people.guardian()
    client.force_login(guardian)
    assert client.get("/accounts/children/add/").status_code == 200
    response = client.post("/accounts/children/add/", child_data())
    assert response["Location"] == reverse("public:children")
    child = Child.objects.get()
    assert child.guardian == guardian and child.guardian_consent_at is not None
    assert AuditEntry.objects.filter(action="child.register").exists()
    listing = client.get("/accounts/children/")
    assert "김하늘" in listing.content.decode()


def test_adding_a_child_returns_to_a_safe_next(client, people):
    client.force_login(people.guardian())
    step = "/facilities/NWUK001/reserve/"
    response = client.post(f"/accounts/children/add/?next={step}", child_data())
    assert response["Location"] == step
    evil = client.post(
        "/accounts/children/add/?next=https://evil.example/", child_data(name="김바다")
    )
    assert evil["Location"] == reverse("public:children")


def test_child_needs_the_legal_guardian_consent(client, people):
    client.force_login(people.guardian())
    response = client.post("/accounts/children/add/", child_data(guardian_consent=None))
    assert response.status_code == 400
    assert "법정대리인 동의가 필요합니다" in response.content.decode()
    assert 'value="김하늘"' in response.content.decode()
    assert not Child.objects.exists()


def test_health_notes_need_the_sensitive_consent(client, people):
    client.force_login(people.guardian())
    response = client.post("/accounts/children/add/", child_data(health_notes="땅콩 알레르기"))
    assert response.status_code == 400
    assert "sensitive_consent" in response.context["form"].errors
    ok = client.post(
        "/accounts/children/add/",
        child_data(health_notes="땅콩 알레르기", sensitive_consent="on"),
    )
    assert ok.status_code == 302
    assert Child.objects.get().sensitive_consent_at is not None


def test_guardian_edits_own_child_only(client, people):
    guardian, other = people.guardian(), people.guardian()
    mine, theirs = people.child(guardian), people.child(other, name="남의아이")
    client.force_login(guardian)
    assert client.get(f"/accounts/children/{mine.pk}/edit/").status_code == 200
    response = client.post(
        f"/accounts/children/{mine.pk}/edit/", child_data(name="김바다", guardian_consent=None)
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.name == "김바다"
    assert client.get(f"/accounts/children/{theirs.pk}/edit/").status_code == 404
    assert client.post(f"/accounts/children/{theirs.pk}/edit/", child_data()).status_code == 404
    theirs.refresh_from_db()
    assert theirs.name == "남의아이"
    assert "남의아이" not in client.get("/accounts/children/").content.decode()


def test_bad_birth_date_keeps_the_input(client, people):
    client.force_login(people.guardian())
    response = client.post("/accounts/children/add/", child_data(birth_date="2099-01-01"))
    assert response.status_code == 400
    assert "오늘 이후일 수 없습니다" in response.content.decode()
