import pytest
from django.test import override_settings

from kium.accounts.enums import ApprovalStatus, UserKind
from kium.accounts.models import PhoneVerification, User
from kium.core import notify
from kium.core.models import AuditEntry
from kium.orgs.models import District
from tests.accounts.support import last_code, sms_outbox, wrong_code  # noqa: F401

pytestmark = pytest.mark.django_db
SIGNUP = "/admin/signup/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def form_data(**overrides):
    data = {
        "duty": "kium",
        "jurisdiction": "district",
        "district": str(District.objects.get(code="NW").pk),
        "name": "김담당",
        "phone": "010-2222-3333",
        "code": "",
        "username": "nwstaff01",
        "password1": "kium2026pass",
        "password2": "kium2026pass",
        "office_phone": "02-2133-4947",
        "email": "",
    }
    data.update(overrides)
    return data


def test_signup_page_shows_every_field_of_the_deck(client):
    response = client.get(SIGNUP)
    assert response.status_code == 200
    html = response.content.decode()
    for label in [
        "담당업무",
        "담당관할",
        "담당지역",
        "본인인증",
        "이름",
        "휴대전화번호",
        "중복확인",
        "인증번호 받기",
        "아이디",
        "비밀번호",
        "비밀번호 확인",
        "전화번호",
        "이메일",
    ]:
        assert label in html, label
    assert 'hx-post="/admin/signup/verify/send"' in html
    assert 'hx-post="/admin/signup/verify/check"' in html
    assert 'hx-get="/admin/signup/phone-check"' in html


def test_signup_creates_a_pending_account(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(SIGNUP, form_data())
    assert response.status_code == 302
    assert response["Location"] == "/admin/signup/done/"
    user = User.objects.get(username="nwstaff01")
    assert (user.kind, user.approval_status) == (UserKind.STAFF, ApprovalStatus.PENDING)
    assert user.district.code == "NW" and user.office_phone == "02-2133-4947"
    assert AuditEntry.objects.filter(action="account.staff_signup").exists()
    assert [n.event for n in notify.sent] == ["staff.signup_received"]
    done = client.get(response["Location"])
    assert "가입 신청이 접수되었습니다. 서울시 담당자 승인 후 로그인할 수 있습니다." in (
        done.content.decode()
    )


def test_password_mismatch_has_the_decks_message(client):
    response = client.post(SIGNUP, form_data(password2="kium2026diff"))
    assert response.status_code == 400
    assert response.context["form"].errors["password2"] == [
        "입력된 비밀번호가 일치하지 않습니다. 다시 확인해주세요!"
    ]
    html = response.content.decode()
    assert "입력된 비밀번호가 일치하지 않습니다. 다시 확인해주세요!" in html
    # What was typed is kept.
    assert 'value="김담당"' in html and 'value="nwstaff01"' in html
    assert not User.objects.filter(username="nwstaff01").exists()


@pytest.mark.parametrize("password", ["short12", "onlyletterspass", "12345678901", "a1" * 11])
def test_password_policy(client, password):
    response = client.post(SIGNUP, form_data(password1=password, password2=password))
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "비밀번호는 10~20자의 영문과 숫자를 섞어 사용해야 합니다." in errors["password1"]


def test_district_is_required_for_a_district_jurisdiction(client):
    response = client.post(SIGNUP, form_data(district=""))
    assert response.status_code == 400
    assert "담당지역(자치구)을 선택해 주세요." in response.content.decode()
    assert client.post(SIGNUP, form_data(jurisdiction="city", district="")).status_code == 302
    assert User.objects.get(username="nwstaff01").district is None


def test_duplicate_phone_and_username_are_refused(client, people):
    people.staff("nwstaff01", phone="01022223333")
    response = client.post(SIGNUP, form_data())
    assert response.status_code == 400
    html = response.content.decode()
    assert "이미 사용 중인 아이디입니다." in html
    assert "이미 가입된 휴대전화번호입니다." in html


def test_phone_duplicate_check_endpoint(client, people):
    people.staff(phone="01022223333")
    taken = client.get("/admin/signup/phone-check", {"phone": "010-2222-3333"}, **HTMX)
    assert "이미 가입된 휴대전화번호입니다." in taken.content.decode()
    free = client.get("/admin/signup/phone-check", {"phone": "010-9999-3333"}, **HTMX)
    assert "사용할 수 있는 휴대전화번호입니다." in free.content.decode()
    bad = client.get("/admin/signup/phone-check", {"phone": "02-123"}, **HTMX)
    assert "올바른 휴대전화번호" in bad.content.decode()
    # A guardian with that number does not make it taken for staff.
    people.guardian(phone="01077778888")
    other = client.get("/admin/signup/phone-check", {"phone": "01077778888"}, **HTMX)
    assert "사용할 수 있는" in other.content.decode()


def test_htmx_verification_then_signup_consumes_it(client, sms_outbox):  # noqa: F811
    sent = client.post("/admin/signup/verify/send", {"phone": "010-2222-3333"}, **HTMX)
    assert sent.status_code == 200
    assert "인증번호를 보냈습니다" in sent.content.decode()
    assert "<html" not in sent.content.decode()  # a fragment, not a page
    wrong = client.post(
        "/admin/signup/verify/check",
        {"phone": "01022223333", "code": wrong_code(last_code("01022223333"))},
        **HTMX,
    )
    assert "인증번호가 일치하지 않습니다" in wrong.content.decode()
    right = client.post(
        "/admin/signup/verify/check",
        {"phone": "01022223333", "code": last_code("01022223333")},
        **HTMX,
    )
    assert "휴대폰 본인인증이 완료되었습니다." in right.content.decode()
    with override_settings(KIUM_REQUIRE_PHONE_VERIFICATION=True):
        assert client.post(SIGNUP, form_data()).status_code == 302
    assert PhoneVerification.objects.get().consumed_at is not None


@override_settings(KIUM_REQUIRE_PHONE_VERIFICATION=True)
def test_required_verification_blocks_signup_without_it(client):
    response = client.post(SIGNUP, form_data())
    assert response.status_code == 400
    assert "휴대폰 본인인증을 완료해 주세요" in response.content.decode()
    assert not User.objects.filter(username="nwstaff01").exists()


@override_settings(KIUM_REQUIRE_PHONE_VERIFICATION=True)
def test_code_typed_in_the_form_works_without_javascript(client, sms_outbox):  # noqa: F811
    page = client.post("/admin/signup/verify/send", form_data())
    assert page.status_code == 200
    assert "인증번호를 보냈습니다" in page.content.decode()
    assert 'value="nwstaff01"' in page.content.decode()  # the page keeps what was typed
    response = client.post(SIGNUP, form_data(code=last_code("01022223333")))
    assert response.status_code == 302


@override_settings(KIUM_REQUIRE_PHONE_VERIFICATION=True)
def test_a_verification_from_another_session_is_not_accepted(client, sms_outbox):  # noqa: F811
    from django.test import Client

    other = Client()
    other.post("/admin/signup/verify/send", {"phone": "01022223333"}, **HTMX)
    response = client.post(SIGNUP, form_data(code=last_code("01022223333")))
    assert response.status_code == 400


def test_send_is_rate_limited(client, sms_outbox):  # noqa: F811
    client.post("/admin/signup/verify/send", {"phone": "01022223333"}, **HTMX)
    again = client.post("/admin/signup/verify/send", {"phone": "01022223333"}, **HTMX)
    assert "1분에 한 번만" in again.content.decode()
    page = client.post("/admin/signup/verify/send", {"phone": "01022223333"})
    assert page.status_code == 429
    assert len(sms_outbox) == 1


def test_check_without_send_is_explained(client):
    response = client.post(
        "/admin/signup/verify/check", {"phone": "01022223333", "code": "123456"}, **HTMX
    )
    assert "먼저 인증번호 받기를 눌러 주세요." in response.content.decode()
