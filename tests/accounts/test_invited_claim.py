"""Claiming an invited guardian account (RES-7): a centre registered a parent who phoned;
the parent signs up on the portal with that phone and finds the child and the booking."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.test import override_settings

from kium.accounts.domain.signup import (
    invited_guardian,
    is_invited,
    phone_in_use,
    sign_up_guardian,
)
from kium.accounts.domain.verification import confirm_code, start_verification
from kium.accounts.models import User
from kium.core.models import AuditEntry
from kium.reservations.domain.offline import register_offline
from kium.reservations.domain.queries import reservations_of_guardian
from tests.accounts.support import last_code, sms_outbox  # noqa: F401
from tests.reservations.support import NEXT_DAY, NOW, open_centre

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}
PHONE = "01077778888"


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


@pytest.fixture
def invited(people, django_capture_on_commit_callbacks, sms_outbox):  # noqa: F811
    """A parent the centre registered by phone: invited account, child, booking, SMS."""
    centre = open_centre(people)
    with django_capture_on_commit_callbacks(execute=True):
        done = register_offline(
            actor=people.centre_manager(centre),
            facility=centre,
            guardian_name="박보호",
            guardian_phone="010-7777-8888",
            child_name="박하늘",
            child_birth_date=dt.date(2018, 5, 1),
            child_sex="F",
            care_type="temporary",
            date=NEXT_DAY,
            start_time=dt.time(14),
            end_time=dt.time(18),
            signup_url="http://testserver/accounts/signup/",
        )
    return done


def signup_data(**overrides):
    data = {
        "username": "parkparent",
        "password1": "kium2026pass",
        "password2": "kium2026pass",
        "name": "박보호",
        "phone": "010-7777-8888",
        "code": "",
        "email": "park@example.kr",
        "terms_consent": "on",
        "privacy_consent": "on",
    }
    data.update(overrides)
    return data


def test_invited_phone_is_free_to_claim_but_not_to_duplicate(invited, people):
    assert invited_guardian(PHONE) == invited.guardian
    assert not phone_in_use(phone=PHONE, kind="guardian")
    people.guardian(phone="01011112222")
    assert phone_in_use(phone="01011112222", kind="guardian")


def test_claim_end_to_end_through_the_portal_sign_up(invited, client, sms_outbox):  # noqa: F811
    invitation = sms_outbox[-1]
    assert invitation.phone == PHONE and "http://testserver/accounts/signup/" in invitation.text
    # The portal's own phone check says the number can be used.
    check = client.get("/accounts/signup/phone-check", {"phone": "010-7777-8888"}, **HTMX)
    assert "사용할 수 있는" in check.content.decode()
    # Without proving the phone, the account is not handed over (even in development).
    response = client.post("/accounts/signup/", signup_data())
    assert response.status_code == 400
    assert "본인인증" in str(response.context["form"].errors["code"])
    assert is_invited(User.objects.get(pk=invited.guardian.pk))
    # Prove the phone like any sign-up, then sign up.
    sent = client.post("/accounts/signup/verify/send", {"phone": PHONE}, **HTMX)
    assert "인증번호를 보냈습니다" in sent.content.decode()
    response = client.post("/accounts/signup/", signup_data(code=last_code(PHONE)))
    assert response.status_code == 302, response.content.decode()[:2000]
    claimed = User.objects.get(phone=PHONE)
    assert claimed.pk == invited.guardian.pk  # the same account, not a second one
    assert User.objects.filter(phone=PHONE).count() == 1
    assert claimed.username == "parkparent" and claimed.check_password("kium2026pass")
    assert claimed.terms_consent_at and claimed.privacy_consent_at
    assert not is_invited(claimed)
    entry = AuditEntry.objects.get(action="account.guardian_claim")
    assert entry.before["username"].startswith("invited-")
    assert entry.after["username"] == "parkparent"
    # Signed in, the parent sees the child and the booking the centre registered.
    login = client.post("/accounts/login/", {"username": "parkparent", "password": "kium2026pass"})
    assert login.status_code == 302
    assert [r.pk for r in reservations_of_guardian(claimed)] == [invited.booked.reservation.pk]
    children = client.get("/accounts/children/")
    assert "박하늘" in children.content.decode()


def test_claim_through_the_domain_needs_a_verified_phone(invited, sms_outbox):  # noqa: F811
    fields = {
        "username": "parkparent",
        "password": "kium2026pass",
        "name": "박보호",
        "phone": PHONE,
        "terms_consent": True,
        "privacy_consent": True,
    }
    with pytest.raises(ValidationError) as err:
        sign_up_guardian(**fields)
    assert "verification" in err.value.message_dict
    verification = start_verification(phone=PHONE, purpose="signup", ip=None)
    confirm_code(verification_id=verification.pk, phone=PHONE, code=last_code(PHONE))
    user = sign_up_guardian(**fields, verification_id=verification.pk)
    assert user.pk == invited.guardian.pk
    assert user.children.get().name == "박하늘"


@override_settings(KIUM_REQUIRE_PHONE_VERIFICATION=True)
def test_a_claimed_account_is_no_longer_claimable(invited, sms_outbox):  # noqa: F811
    verification = start_verification(phone=PHONE, purpose="signup", ip=None)
    confirm_code(verification_id=verification.pk, phone=PHONE, code=last_code(PHONE))
    sign_up_guardian(
        username="parkparent",
        password="kium2026pass",
        name="박보호",
        phone=PHONE,
        terms_consent=True,
        privacy_consent=True,
        verification_id=verification.pk,
    )
    assert invited_guardian(PHONE) is None
    assert phone_in_use(phone=PHONE, kind="guardian")
    with pytest.raises(ValidationError) as err:
        sign_up_guardian(
            username="someoneelse",
            password="kium2026pass",
            name="누군가",
            phone=PHONE,
            terms_consent=True,
            privacy_consent=True,
        )
    assert err.value.message_dict["phone"] == ["이미 가입된 휴대전화번호입니다."]
