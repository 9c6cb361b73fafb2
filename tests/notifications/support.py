"""A local HTTP server that speaks Solapi's send API, with a script of answers."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.test import override_settings


class FakeSolapi(BaseHTTPRequestHandler):
    """Each request takes the next scripted answer; when the script is empty: accepted.

    An answer is ("ok",), ("status", code, body_dict) or ("hang", seconds).
    """

    received: list = []
    script: list = []
    lock = threading.Lock()

    def do_POST(self):
        length = int(self.headers["Content-Length"])
        body = json.loads(self.rfile.read(length))
        with self.lock:
            type(self).received.append(
                {"path": self.path, "auth": self.headers["Authorization"], "body": body}
            )
            n = len(type(self).received)
            answer = type(self).script.pop(0) if type(self).script else ("ok",)
        if answer[0] == "hang":
            time.sleep(answer[1])
            return  # the client has given up by now
        if answer[0] == "status":
            code, payload = answer[1], answer[2]
        else:
            message = body.get("message", {})
            code, payload = (
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
        data = json.dumps(payload, ensure_ascii=False).encode()
        try:
            self.send_response(code)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            pass

    def log_message(self, *args):
        pass


@pytest.fixture
def solapi():
    FakeSolapi.received = []
    FakeSolapi.script = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), FakeSolapi)
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, FakeSolapi
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)


TEMPLATES = {
    "reservation.confirmed": "KA01TP_CONFIRMED",
    "attendance.arrived": "KA01TP_ARRIVED",
}


def solapi_settings(server, **extra):
    values = {
        "KIUM_NOTIFY_CHANNELS": ("alimtalk", "sms", "email"),
        "KIUM_SMS_PROVIDER": "solapi",
        "KIUM_SOLAPI_BASE_URL": f"http://127.0.0.1:{server.server_address[1]}",
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
