"""Solapi's send API on pytest-httpserver, with a script of answers.

Every request is recorded when it arrives. Scripted answers are pytest-httpserver ordered
expectations, taken one per request in order; when none is left, a permanent expectation
accepts the message. Any other request (another path or method) gets no handler, and
``check_assertions`` fails the test at teardown.
"""

from __future__ import annotations

import json
import threading

import pytest
from django.test import override_settings
from pytest_httpserver import HTTPServer
from werkzeug import Request, Response

SEND_PATH = "/messages/v4/send"


@pytest.fixture(scope="session")
def make_httpserver(httpserver_listen_address):
    """pytest-httpserver's session server, threaded: a request left hanging must not
    hold up the retry that follows it (the client has already given up)."""
    host, port = httpserver_listen_address
    server = HTTPServer(host=host or "127.0.0.1", port=port or 0, threaded=True)
    server.start()
    yield server
    server.clear()
    if server.is_running():
        server.stop()


def _json(status: int, payload: dict) -> Response:
    return Response(
        json.dumps(payload, ensure_ascii=False), status=status, content_type="application/json"
    )


class FakeSolapi:
    def __init__(self, httpserver: HTTPServer):
        self.httpserver = httpserver
        self.received: list[dict] = []
        self._lock = threading.Lock()
        self._released = threading.Event()
        httpserver.expect_request(SEND_PATH, method="POST").respond_with_handler(
            self._recorded(self._accepted)
        )

    @property
    def url(self) -> str:
        return self.httpserver.url_for("").rstrip("/")

    def answer(self, status: int, payload: dict, *, times: int = 1) -> None:
        """The next ``times`` requests get ``payload`` with HTTP ``status``."""
        for _ in range(times):
            self._next().respond_with_handler(self._recorded(lambda _r, _n: _json(status, payload)))

    def hang(self, seconds: float) -> None:
        """The next request is answered (accepted) only after ``seconds``: set it longer
        than the provider timeout and the client gives up first."""

        def late(request: Request, n: int) -> Response:
            self._released.wait(seconds)
            return self._accepted(request, n)

        self._next().respond_with_handler(self._recorded(late))

    def release(self) -> None:
        self._released.set()

    def _next(self):
        return self.httpserver.expect_ordered_request(SEND_PATH, method="POST")

    def _recorded(self, respond):
        def handle(request: Request) -> Response:
            with self._lock:
                self.received.append(
                    {
                        "path": request.path,
                        "auth": request.headers.get("Authorization"),
                        "body": json.loads(request.get_data()),
                    }
                )
                n = len(self.received)
            return respond(request, n)

        return handle

    @staticmethod
    def _accepted(request: Request, n: int) -> Response:
        message = json.loads(request.get_data()).get("message", {})
        return _json(
            200,
            {
                "groupId": f"G{n}",
                "messageId": f"M{n}",
                "to": message.get("to"),
                "type": message.get("type", "SMS"),
                "statusCode": "2000",
                "statusMessage": "정상 접수(이통사로 접수 예정) ",
            },
        )


@pytest.fixture
def solapi(httpserver):
    fake = FakeSolapi(httpserver)
    yield fake
    fake.release()  # a hanging answer ends now, not in the next test
    httpserver.check_assertions()  # a request the send API has no handler for
    httpserver.check_handler_errors()
    assert not httpserver.ordered_handlers, "scripted answers were never asked for"


TEMPLATES = {
    "reservation.confirmed": "KA01TP_CONFIRMED",
    "attendance.arrived": "KA01TP_ARRIVED",
}


def solapi_settings(solapi, **extra):
    values = {
        "KIUM_NOTIFY_CHANNELS": ("alimtalk", "sms", "email"),
        "KIUM_SMS_PROVIDER": "solapi",
        "KIUM_SOLAPI_BASE_URL": solapi.url,
        "KIUM_SOLAPI_API_KEY": "NCSTESTKEY",
        "KIUM_SOLAPI_API_SECRET": "TESTSECRET",
        "KIUM_SMS_SENDER": "0221334947",
        "KIUM_ALIMTALK_PF_ID": "KA01PF_KIUM",
        "KIUM_ALIMTALK_TEMPLATES": TEMPLATES,
        "KIUM_ALIMTALK_SMS_FALLBACK": True,
        "KIUM_NOTIFY_PROVIDER_TIMEOUT_SECONDS": 0.5,
    }
    values.update(extra)
    return override_settings(**values)
