import datetime as dt

import pytest
import time_machine
from django.test import override_settings

from kium.accounts.domain.verification import (
    MAX_ATTEMPTS,
    VerificationError,
    confirm_and_consume,
    confirm_code,
    consume_verification,
    normalize_phone,
    start_verification,
)
from kium.accounts.models import PhoneVerification
from kium.accounts.sms import SmsError
from tests.accounts.support import last_code, sms_outbox, wrong_code  # noqa: F401

pytestmark = pytest.mark.django_db
START = dt.datetime(2026, 11, 24, 10, 0, tzinfo=dt.UTC)


@pytest.mark.parametrize(
    ("typed", "digits"),
    [
        ("010-1234-5678", "01012345678"),
        ("010 1234 5678", "01012345678"),
        ("01012345678", "01012345678"),
        ("+82 10-1234-5678", "01012345678"),
        ("011-123-4567", "0111234567"),
    ],
)
def test_phone_numbers_are_normalised_to_digits(typed, digits):
    assert normalize_phone(typed) == digits


@pytest.mark.parametrize("typed", ["", "02-2133-4947", "010-12-34", "abc", "0101234567890"])
def test_non_mobile_numbers_are_refused(typed):
    with pytest.raises(VerificationError) as err:
        normalize_phone(typed)
    assert err.value.code == "invalid_phone"


def test_code_is_sent_by_sms_and_stored_hashed(sms_outbox):  # noqa: F811
    verification = start_verification(phone="010-1234-5678", purpose="signup", ip="1.2.3.4")
    (message,) = sms_outbox
    assert message.phone == "01012345678"
    code = last_code("01012345678")
    assert message.text == f"[우리동네키움포털] 인증번호 {code} (10분 이내 입력)"
    assert code not in verification.code_hash
    assert verification.phone == "01012345678"
    assert verification.expires_at - verification.created_at <= dt.timedelta(minutes=10)
    assert verification.expires_at - verification.created_at > dt.timedelta(minutes=9)


def test_right_code_confirms_then_consume_is_single_use(sms_outbox):  # noqa: F811
    verification = start_verification(phone="01012345678", purpose="signup", ip="1.2.3.4")
    confirmed = confirm_code(
        verification_id=verification.pk, phone="010-1234-5678", code=last_code("01012345678")
    )
    assert confirmed.verified_at is not None
    consume_verification(verification_id=verification.pk, phone="01012345678", purpose="signup")
    with pytest.raises(VerificationError) as err:
        consume_verification(verification_id=verification.pk, phone="01012345678", purpose="signup")
    assert err.value.code == "expired"
    # A used code cannot be confirmed again either.
    with pytest.raises(VerificationError):
        confirm_code(
            verification_id=verification.pk, phone="01012345678", code=last_code("01012345678")
        )


def test_consume_needs_confirmation_and_the_same_purpose_and_phone(sms_outbox):  # noqa: F811
    verification = start_verification(phone="01012345678", purpose="unlock", ip=None)
    with pytest.raises(VerificationError) as err:
        consume_verification(verification_id=verification.pk, phone="01012345678", purpose="unlock")
    assert err.value.code == "not_verified"
    confirm_code(
        verification_id=verification.pk, phone="01012345678", code=last_code("01012345678")
    )
    with pytest.raises(VerificationError):
        consume_verification(verification_id=verification.pk, phone="01012345678", purpose="signup")
    with pytest.raises(VerificationError):
        consume_verification(verification_id=verification.pk, phone="01099998888", purpose="unlock")
    consume_verification(verification_id=verification.pk, phone="01012345678", purpose="unlock")


def test_wrong_codes_count_and_five_kill_the_request(sms_outbox):  # noqa: F811
    verification = start_verification(phone="01012345678", purpose="signup", ip=None)
    code = last_code("01012345678")
    for attempt in range(1, MAX_ATTEMPTS):
        with pytest.raises(VerificationError) as err:
            confirm_code(
                verification_id=verification.pk, phone="01012345678", code=wrong_code(code)
            )
        assert err.value.code == "invalid_code"
        assert f"남은 입력 횟수 {MAX_ATTEMPTS - attempt}회" in err.value.message
    with pytest.raises(VerificationError) as err:
        confirm_code(verification_id=verification.pk, phone="01012345678", code=wrong_code(code))
    assert err.value.code == "expired"
    assert PhoneVerification.objects.get(pk=verification.pk).attempts == MAX_ATTEMPTS
    # Even the right code no longer works.
    with pytest.raises(VerificationError) as err:
        confirm_code(verification_id=verification.pk, phone="01012345678", code=code)
    assert err.value.code == "expired"


def test_code_expires_after_ten_minutes(sms_outbox):  # noqa: F811
    with time_machine.travel(START, tick=False) as traveller:
        verification = start_verification(phone="01012345678", purpose="signup", ip=None)
        code = last_code("01012345678")
        traveller.shift(dt.timedelta(minutes=10, seconds=1))
        with pytest.raises(VerificationError) as err:
            confirm_code(verification_id=verification.pk, phone="01012345678", code=code)
        assert err.value.code == "expired"


def test_code_works_just_before_ten_minutes(sms_outbox):  # noqa: F811
    with time_machine.travel(START, tick=False) as traveller:
        verification = start_verification(phone="01012345678", purpose="signup", ip=None)
        traveller.shift(dt.timedelta(minutes=9, seconds=59))
        confirm_code(
            verification_id=verification.pk, phone="01012345678", code=last_code("01012345678")
        )


def test_unknown_verification_id_is_invalid_code():
    with pytest.raises(VerificationError) as err:
        confirm_code(verification_id=999999, phone="01012345678", code="123456")
    assert err.value.code == "invalid_code"


def test_one_request_per_phone_per_minute(sms_outbox):  # noqa: F811
    with time_machine.travel(START, tick=False) as traveller:
        start_verification(phone="01012345678", purpose="signup", ip="1.1.1.1")
        with pytest.raises(VerificationError) as err:
            start_verification(phone="01012345678", purpose="signup", ip="1.1.1.1")
        assert err.value.code == "rate_limited"
        # Another phone is not held back.
        start_verification(phone="01087654321", purpose="signup", ip="1.1.1.1")
        traveller.shift(dt.timedelta(seconds=61))
        start_verification(phone="01012345678", purpose="signup", ip="1.1.1.1")
    assert len(sms_outbox) == 3


def test_five_requests_per_phone_per_hour(sms_outbox):  # noqa: F811
    with time_machine.travel(START, tick=False) as traveller:
        for _ in range(5):
            start_verification(phone="01012345678", purpose="signup", ip=None)
            traveller.shift(dt.timedelta(seconds=61))
        with pytest.raises(VerificationError) as err:
            start_verification(phone="01012345678", purpose="signup", ip=None)
        assert err.value.code == "rate_limited"
        assert "1시간" in err.value.message
        traveller.shift(dt.timedelta(hours=1))
        start_verification(phone="01012345678", purpose="signup", ip=None)


def test_twenty_requests_per_ip_per_hour(sms_outbox):  # noqa: F811
    with time_machine.travel(START, tick=False):
        for n in range(20):
            start_verification(phone=f"0101000{n:04d}", purpose="signup", ip="9.9.9.9")
        with pytest.raises(VerificationError) as err:
            start_verification(phone="01099990000", purpose="signup", ip="9.9.9.9")
        assert err.value.code == "rate_limited"
        start_verification(phone="01099990000", purpose="signup", ip="8.8.8.8")


def test_sms_failure_leaves_no_verification(monkeypatch):
    def broken(phone, text):
        raise SmsError("down")

    monkeypatch.setattr("kium.accounts.domain.verification.send_sms", broken)
    with pytest.raises(VerificationError) as err:
        start_verification(phone="01012345678", purpose="signup", ip=None)
    assert err.value.code == "sms_failed"
    assert not PhoneVerification.objects.exists()


def test_confirm_and_consume_in_one_step(sms_outbox):  # noqa: F811
    verification = start_verification(phone="01012345678", purpose="signup", ip=None)
    used = confirm_and_consume(
        verification_id=verification.pk,
        phone="01012345678",
        code=last_code("01012345678"),
        purpose="signup",
    )
    assert used.consumed_at is not None


@override_settings(KIUM_VERIFICATION_CODE_MINUTES=3)
def test_validity_follows_the_setting(sms_outbox):  # noqa: F811
    verification = start_verification(phone="01012345678", purpose="signup", ip=None)
    assert "(3분 이내 입력)" in sms_outbox[-1].text
    assert verification.expires_at - verification.created_at <= dt.timedelta(minutes=3)
