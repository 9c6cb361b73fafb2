"""Schemathesis over the whole /api/v1 OpenAPI document (DESIGN.md "Testing").

Every generated request is sent three times: anonymously, as a city officer and as a
guardian. Schemathesis generates schema-valid and schema-invalid input (its coverage and
fuzzing phases). The contract checked (API.md):

- never a 5xx, whatever the input;
- every 4xx is JSON ``{"code", "message"}`` with a Korean sentence in ``message``;
- every answer whose status the document describes matches its schema and media type;
- input that breaks the schema is refused with a 4xx; a bearer-only operation refuses
  a request without valid credentials.

The schema is read from the served ``/api/v1/openapi.json`` through the WSGI app, so new
routers are fuzzed as soon as they are mounted. Requests run in-process (no server).
"""

from __future__ import annotations

import json
import re
import sys
import traceback

import pytest
import schemathesis
from django.core.signals import got_request_exception, request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, settings
from schemathesis.auths import AuthContext, AuthStorage, set_on_case
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    ignored_auth,
    negative_data_rejection,
    response_schema_conformance,
)

from kium.wsgi import application
from tests.factories import people

HANGUL = re.compile(r"[\uac00-\ud7a3]")
CALLERS = ("anonymous", "city_officer", "guardian")
# Statuses the document lists are validated against their schema; an undocumented 4xx
# is still held to the error shape by _assert_error_body (ninja documents only the
# statuses a route declares, so status_code_conformance would only repeat that).
CHECKS = [
    not_a_server_error,
    response_schema_conformance,
    content_type_conformance,
    negative_data_rejection,
    ignored_auth,
]

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

# The token of the caller a request is being sent as; None is anonymous.
_caller: dict[str, str | None] = {"token": None}
_caller_auth: AuthStorage = AuthStorage()


@_caller_auth.auth(refresh_interval=None)
class CallerToken:
    def get(self, case, ctx):
        return _caller["token"]

    def set(self, case, data, ctx):
        case.headers = {**(case.headers or {}), "Authorization": f"Bearer {data}"}


@pytest.fixture
def server_errors():
    """Tracebacks of the exceptions Django turned into an error page, for the report."""
    caught: list[str] = []

    def remember(sender, request=None, **kwargs):
        where = f"{request.method} {request.get_full_path()}" if request else "?"
        caught.append(f"{where}\n{''.join(traceback.format_exception(*sys.exc_info()))}")

    got_request_exception.connect(remember, dispatch_uid="schemathesis-errors")
    yield caught
    got_request_exception.disconnect(dispatch_uid="schemathesis-errors")


@pytest.fixture
def in_process_requests():
    """Keep the test's database connection across requests, as Django's test client does.

    The raw WSGI handler closes the connection when a request ends; on PostgreSQL that
    would reconnect on every request.
    """
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def _token(username: str) -> str:
    """Log in right before fuzzing, so no fuzzed login can have locked the account yet."""
    from axes.utils import reset

    reset(username=username)
    response = Client().post(
        "/api/v1/auth/token",
        {"username": username, "password": people.PASSWORD},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content.decode()
    return response.json()["token"]


@pytest.fixture
def tokens(transactional_db, in_process_requests) -> dict[str, str | None]:
    """Reference data (a transactional test flushes it), one row in every list, and a
    token for each caller."""
    from kium.orgs.reference import ensure_reference_data

    ensure_reference_data()
    people.facility("NW")
    guardian = people.guardian(username="fuzzparent")
    people.child(guardian)
    officer = people.city_officer(username="fuzzcity")
    return {
        "anonymous": None,
        "city_officer": _token(officer.username),
        "guardian": _token(guardian.username),
    }


def _as_caller(case, token: str | None):
    """A copy of the case carrying the caller's token, unless the case deliberately
    sends missing or broken credentials. Coverage examples are built at collection,
    before any token exists, and are reused, so the original is never changed."""
    copy = case.derive()
    _caller["token"] = token
    try:
        set_on_case(
            copy, AuthContext(operation=copy.operation, app=copy.operation.app), _caller_auth
        )
    finally:
        _caller["token"] = None
    return copy


def _assert_error_body(label: str, response) -> None:
    """API.md: a 4xx is ``{"code", "message"}`` with a sentence a Korean reader can use."""
    if not 400 <= response.status_code < 500:
        return
    try:
        body = json.loads(response.content or b"")
    except ValueError:
        pytest.fail(f"{label}: the error body is not JSON: {response.content[:300]!r}")
    assert isinstance(body, dict), f"{label}: the error body is not an object: {body!r}"
    assert isinstance(body.get("code"), str) and body["code"], f"{label}: no code: {body!r}"
    message = body.get("message")
    assert isinstance(message, str) and HANGUL.search(message), (
        f"{label}: the message is not Korean: {body!r}"
    )


def _send(case, caller: str, token: str | None, server_errors: list[str]) -> None:
    case = _as_caller(case, token)
    server_errors.clear()
    response = case.call()
    label = f"[{caller}] {case.method} {case.formatted_path} -> {response.status_code}"
    assert response.status_code < 500, f"{label}\n{case.as_curl_command()}\n" + (
        "\n".join(server_errors) or response.text[:500]
    )
    try:
        case.validate_response(response, checks=CHECKS)
    except Exception as exc:
        exc.add_note(f"caller: {caller}")
        raise
    if server_errors:
        # An exception Django answered with a 4xx page (e.g. an unparsable body):
        # show where it came from when the body check below fails.
        label = f"{label}\n" + "\n".join(server_errors)
    _assert_error_body(label, response)


@schema.parametrize()
# Each example's writes are committed like in production; the fixture reloads the
# reference data the flush between tests removes.
@pytest.mark.django_db(transaction=True)
# One parameter only to give each operation its own test id (pytest 9 drops the
# operation from the id of an unparametrized schemathesis test).
@pytest.mark.parametrize("callers", [CALLERS], ids=["+".join(CALLERS)])
@settings(
    max_examples=15,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=list(HealthCheck),
)
def test_api_contract(case, callers, tokens, server_errors):
    for caller in callers:
        _send(case, caller, tokens[caller], server_errors)


# Inputs the fuzzer reaches only by luck, each found by it at least once: NUL characters
# (PostgreSQL refuses them in text), a page past any offset the database takes, a body
# that claims multipart, and a method the path does not have.
NUL_STAFF = {"facility": "\x00", "name": "김", "phone": "0", "password": "x"}
NUL_FACILITY = {
    "name": "가",
    "district": "\x00\x00",
    "type": "UK",
    "dong": "상계1동",
    "address": "가",
    "lat": 37.5,
    "lng": 127.0,
    "area_m2": "66",
    "ages": ["elementary"],
    "email": "a@b.kr",
}
EDGE_INPUTS = [
    ("get", "/api/v1/facilities?page=99999999999999999999", "anonymous", None, None),
    ("get", "/api/v1/children?page=99999999999999999999", "guardian", None, None),
    ("get", "/api/v1/facilities?q=%00", "anonymous", None, None),
    ("get", "/api/v1/facilities?district=%00", "anonymous", None, None),
    ("get", "/api/v1/facilities/%00", "anonymous", None, None),
    ("get", "/api/v1/districts/%00/dongs", "anonymous", None, None),
    ("post", "/api/v1/auth/token", "anonymous", {"username": "a\x00b", "password": "x"}, None),
    (
        "post",
        "/api/v1/auth/token",
        "anonymous",
        {"username": "nobody", "password": "x"},
        "multipart/form-data",
    ),
    ("post", "/api/v1/facilities", "city_officer", NUL_FACILITY, None),
    ("post", "/api/v1/staff", "city_officer", NUL_STAFF, None),
    ("delete", "/api/v1/health", "anonymous", None, None),
    ("get", "/api/v1/no-such-operation", "anonymous", None, None),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method,path,caller,body,content_type",
    EDGE_INPUTS,
    ids=[f"{m.upper()} {p}{' ' + (ct or '') if ct else ''}" for m, p, _c, _b, ct in EDGE_INPUTS],
)
def test_edge_inputs(method, path, caller, body, content_type, people, server_errors):
    officer = people.city_officer()
    guardian = people.guardian()
    users = {"city_officer": officer, "guardian": guardian}
    headers = {}
    if caller in users:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {_token(users[caller].username)}"
    client = Client(raise_request_exception=False)
    if body is None:
        response = getattr(client, method)(path, **headers)
    else:
        response = getattr(client, method)(
            path,
            json.dumps(body),
            content_type=content_type or "application/json",
            **headers,
        )
    label = f"{method.upper()} {path} -> {response.status_code}\n" + "\n".join(server_errors)
    assert response.status_code < 500, label
    # A read cannot conflict with another request's write (SQLite reports an offset it
    # cannot hold as an integrity error, which the API would call a conflict).
    assert not (method == "get" and response.status_code == 409), label
    _assert_error_body(label, response)
