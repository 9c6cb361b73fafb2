import json
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

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


class _Recorder(BaseHTTPRequestHandler):
    received: list = []
    status = 200

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        type(self).received.append(
            {
                "path": self.path,
                "auth": self.headers["Authorization"],
                "type": self.headers["Content-Type"],
                "body": json.loads(self.rfile.read(length)),
            }
        )
        self.send_response(type(self).status)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"groupId": "G1", "statusCode": "2000"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def solapi_server():
    _Recorder.received = []
    _Recorder.status = 200
    server = HTTPServer(("127.0.0.1", 0), _Recorder)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, _Recorder
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


def _solapi_settings(server):
    return override_settings(
        KIUM_SMS_PROVIDER="solapi",
        KIUM_SOLAPI_BASE_URL=f"http://127.0.0.1:{server.server_address[1]}",
        KIUM_SOLAPI_API_KEY="NCSTESTKEY",
        KIUM_SOLAPI_API_SECRET="TESTSECRET",
        KIUM_SMS_SENDER="0221334947",
    )


def test_solapi_posts_the_message_with_hmac_auth(solapi_server):
    import hashlib
    import hmac
    import re

    server, recorder = solapi_server
    with _solapi_settings(server):
        send_sms("01012345678", "[우리동네키움포털] 인증번호 123456 (10분 이내 입력)")
    (request,) = recorder.received
    assert request["path"] == "/messages/v4/send"
    assert request["type"].startswith("application/json")
    assert request["body"] == {
        "message": {
            "to": "01012345678",
            "from": "0221334947",
            "text": "[우리동네키움포털] 인증번호 123456 (10분 이내 입력)",
        }
    }
    match = re.fullmatch(
        r"HMAC-SHA256 apiKey=NCSTESTKEY, date=(\S+), salt=(\w+), signature=([0-9a-f]{64})",
        request["auth"],
    )
    assert match, request["auth"]
    date, salt, signature = match.groups()
    assert len(salt) >= 16
    expected = hmac.new(b"TESTSECRET", (date + salt).encode(), hashlib.sha256).hexdigest()
    assert signature == expected


def test_solapi_error_answer_raises_sms_error(solapi_server):
    server, recorder = solapi_server
    recorder.status = 400
    with _solapi_settings(server), pytest.raises(SmsError, match="400"):
        send_sms("01012345678", "x")


def test_solapi_unreachable_raises_sms_error(solapi_server):
    server, _recorder = solapi_server
    port = server.server_address[1]
    server.shutdown()
    server.server_close()
    with (
        override_settings(
            KIUM_SMS_PROVIDER="solapi", KIUM_SOLAPI_BASE_URL=f"http://127.0.0.1:{port}"
        ),
        pytest.raises(SmsError),
    ):
        send_sms("01012345678", "x")
