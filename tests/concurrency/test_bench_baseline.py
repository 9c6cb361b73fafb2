"""The bench's minimal booking baseline keeps its capacity (PostgreSQL SQL)."""

from __future__ import annotations

import importlib

from django.test import Client, override_settings
from django.urls import clear_url_caches

from kium import urls
from kium.core.bench_views import create_tables


def test_minimal_booking_stops_at_capacity():
    with override_settings(KIUM_BENCH_ENDPOINTS=True):
        clear_url_caches()
        importlib.reload(urls)
        try:
            create_tables(days=1, capacity=2)
            client = Client()
            answers = [
                client.post("/bench/minimal-booking", {"day": 0}, content_type="application/json")
                for _ in range(3)
            ]
        finally:
            clear_url_caches()
    clear_url_caches()
    importlib.reload(urls)
    assert [a.status_code for a in answers] == [201, 201, 409]


def _call(app, path: str, body: bytes) -> tuple[str, dict]:
    import io

    answer: dict = {}

    def start_response(status, headers):
        answer["status"] = status
        answer["headers"] = {name.lower(): value for name, value in headers}

    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": path,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "80",
        "HTTP_HOST": "127.0.0.1",
        "CONTENT_TYPE": "application/json",
        "CONTENT_LENGTH": str(len(body)),
        "wsgi.input": io.BytesIO(body),
        "wsgi.url_scheme": "https",
        "wsgi.errors": io.StringIO(),
    }
    result = app(environ, start_response)
    try:
        b"".join(result)
    finally:
        # As a WSGI server does; Django's request_finished also resets the URLconf.
        if hasattr(result, "close"):
            result.close()
    return answer["status"], answer["headers"]


def test_the_rush_app_serves_the_minimal_booking_bare_and_behind_django(settings):
    from bench import rush_app

    settings.ALLOWED_HOSTS = ["127.0.0.1"]
    create_tables(days=1, capacity=2)
    body = b'{"day": 0, "guardian": "g"}'
    bare = _call(rush_app.application, "/bench/minimal-booking", body)
    framework = _call(rush_app.application, "/bench/django/minimal-booking", body)
    full = _call(rush_app.application, "/bench/django/minimal-booking", body)
    assert [bare[0][:3], framework[0][:3], full[0][:3]] == ["201", "201", "409"]
    # Only the Django route went through the middleware (SecurityMiddleware's header).
    assert "x-content-type-options" in framework[1]
    assert "x-content-type-options" not in bare[1]
    missing = _call(rush_app.application, "/bench/django/nothing-here", body)
    assert missing[0].startswith("404")
