import json

import pytest
from django.test import override_settings

from kium.accounts import sms
from kium.accounts.sms import SmsError, send_sms, solapi_auth_header
from tests.accounts.support import sms_outbox  # noqa: F401


def test_console_provider_logs_and_keeps_the_message(sms_outbox, caplog):  # noqa: F811
    with caplog.at_level("INFO", logger="kium.sms"):
        send_sms("01012345678", "안녕하세요")
    assert sms_outbox == [sms.SmsMessage(phone="01012345678", text="안녕하세요")]
    assert "안녕하세요" in caplog.text


@override_settings(KIUM_SMS_PROVIDER="carrier-pigeon")
def test_unknown_provider_is_an_error():
    with pytest.raises(SmsError):
        send_sms("01012345678", "x")


def test_solapi_signature_is_hmac_of_date_and_salt():
    header = solapi_auth_header("KEY", "SECRET", date="2026-11-24T00:00:00+00:00", salt="abc")
    # Reference value computed independently with hmac/sha256 of date+salt.
    import hashlib
    import hmac

    expected = hmac.new(b"SECRET", b"2026-11-24T00:00:00+00:00abc", hashlib.sha256).hexdigest()
    assert header == (
        f"HMAC-SHA256 apiKey=KEY, date=2026-11-24T00:00:00+00:00, salt=abc, signature={expected}"
    )


SEND_PATH = "/messages/v4/send"
ACCEPTED = {"groupId": "G1", "statusCode": "2000"}


def _solapi_settings(httpserver):
    return override_settings(
        KIUM_SMS_PROVIDER="solapi",
        KIUM_SOLAPI_BASE_URL=httpserver.url_for("/").rstrip("/"),
        KIUM_SOLAPI_API_KEY="NCSTESTKEY",
        KIUM_SOLAPI_API_SECRET="TESTSECRET",
        KIUM_SMS_SENDER="0221334947",
    )


def test_solapi_posts_the_message_with_hmac_auth(httpserver):
    import hashlib
    import hmac
    import re

    httpserver.expect_oneshot_request(SEND_PATH, method="POST").respond_with_json(ACCEPTED)
    with _solapi_settings(httpserver):
        send_sms("01012345678", "[우리동네키움포털] 인증번호 123456 (10분 이내 입력)")
    httpserver.check_assertions()
    ((request, _response),) = httpserver.log
    assert request.path == SEND_PATH
    assert request.headers["Content-Type"].startswith("application/json")
    assert json.loads(request.get_data()) == {
        "message": {
            "to": "01012345678",
            "from": "0221334947",
            "text": "[우리동네키움포털] 인증번호 123456 (10분 이내 입력)",
        }
    }
    match = re.fullmatch(
        r"HMAC-SHA256 apiKey=NCSTESTKEY, date=(\S+), salt=(\w+), signature=([0-9a-f]{64})",
        request.headers["Authorization"],
    )
    assert match, request.headers["Authorization"]
    date, salt, signature = match.groups()
    assert len(salt) >= 16
    expected = hmac.new(b"TESTSECRET", (date + salt).encode(), hashlib.sha256).hexdigest()
    assert signature == expected


def test_solapi_error_answer_raises_sms_error(httpserver):
    httpserver.expect_oneshot_request(SEND_PATH, method="POST").respond_with_json(
        {"errorCode": "ValidationError", "errorMessage": "잘못된 요청"}, status=400
    )
    with _solapi_settings(httpserver), pytest.raises(SmsError, match="400"):
        send_sms("01012345678", "x")
    httpserver.check_assertions()


def test_solapi_unreachable_raises_sms_error(httpserver):
    base = httpserver.url_for("/").rstrip("/")
    httpserver.stop()  # nothing listens on that port any more
    try:
        with (
            override_settings(KIUM_SMS_PROVIDER="solapi", KIUM_SOLAPI_BASE_URL=base),
            pytest.raises(SmsError),
        ):
            send_sms("01012345678", "x")
    finally:
        httpserver.start()
