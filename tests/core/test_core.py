import datetime as dt
import json

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import RequestFactory, override_settings

from kium.core import clock
from kium.core.audit import log_action, record_access, snapshot
from kium.core.models import AccessRecord, AppendOnlyError, AuditEntry
from kium.core.net import client_ip
from kium.core.startup import refuse_unsafe_production_settings


def test_clock_is_seoul_time():
    with time_machine.travel(dt.datetime(2026, 11, 24, 15, 30, tzinfo=dt.UTC), tick=False):
        assert clock.now().hour == 0
        assert clock.today() == dt.date(2026, 11, 25)


def test_audit_entries_are_append_only(people):
    facility = people.facility()
    entry = log_action(actor=None, action="test.change", obj=facility, after=snapshot(facility))
    assert entry.after["code"] == facility.code
    entry.reason = "changed"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(reason="x")


def test_access_record_keeps_actor_and_subject(people):
    officer = people.city_officer()
    parent = people.guardian()
    record = record_access(actor=officer, action="view", subject=parent, ip="10.0.0.1")
    assert AccessRecord.objects.get() == record
    assert record.actor_username == officer.username
    assert record.subject_id == str(parent.pk)
    with pytest.raises(AppendOnlyError):
        record.delete()


def test_facility_registration_is_audited(people):
    facility = people.facility()
    entry = AuditEntry.objects.get(action="facility.register")
    assert entry.object_id == str(facility.pk)
    assert entry.after["name"] == facility.name


@override_settings(KIUM_TRUSTED_PROXY_HEADER="X-Forwarded-For", KIUM_TRUSTED_PROXY_COUNT=1)
def test_client_ip_from_trusted_proxy_header():
    request = RequestFactory().get(
        "/", HTTP_X_FORWARDED_FOR="1.2.3.4, 5.6.7.8", REMOTE_ADDR="127.0.0.1"
    )
    assert client_ip(request) == "5.6.7.8"


def test_client_ip_ignores_forwarded_header_unless_trusted():
    request = RequestFactory().get("/", HTTP_X_FORWARDED_FOR="1.2.3.4", REMOTE_ADDR="9.9.9.9")
    assert client_ip(request) == "9.9.9.9"


@pytest.mark.parametrize(
    ("overrides", "problem"),
    [
        ({"SECRET_KEY": ""}, "SECRET_KEY"),
        ({"DEBUG": True}, "DEBUG"),
        ({"KIUM_SMS_PROVIDER": "console"}, "development only"),
        ({"KIUM_SOLAPI_API_KEY": ""}, "KIUM_SOLAPI_API_KEY"),
        ({"ALLOWED_HOSTS": []}, "ALLOWED_HOSTS"),
        ({"EMAIL_BACKEND": "django.core.mail.backends.console.EmailBackend"}, "EMAIL_BACKEND"),
        ({"KIUM_BENCH_ENDPOINTS": True}, "KIUM_BENCH_ENDPOINTS"),
    ],
)
def test_production_refuses_unsafe_settings(overrides, problem):
    safe = {
        "PRODUCTION": True,
        "SECRET_KEY": "x" * 60,
        "DEBUG": False,
        "ALLOWED_HOSTS": ["kium.example.kr"],
        "KIUM_SMS_PROVIDER": "solapi",
        "KIUM_SOLAPI_API_KEY": "key",
        "KIUM_SOLAPI_API_SECRET": "secret",
        "KIUM_SMS_SENDER": "0212345678",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "KIUM_BENCH_ENDPOINTS": False,
    }
    with override_settings(**safe):
        refuse_unsafe_production_settings()  # the safe set starts
    with (
        override_settings(**{**safe, **overrides}),
        pytest.raises(ImproperlyConfigured, match=problem),
    ):
        refuse_unsafe_production_settings()


def test_integrity_error_becomes_409_not_500(db):
    from django.contrib.auth.models import AnonymousUser
    from django.contrib.messages.storage.fallback import FallbackStorage
    from django.db import IntegrityError

    from kium.core.middleware import IntegrityErrorMiddleware

    middleware = IntegrityErrorMiddleware(lambda request: None)
    api_response = middleware.process_exception(
        RequestFactory().get("/api/v1/x"), IntegrityError("duplicate key")
    )
    assert api_response.status_code == 409
    assert json.loads(api_response.content)["code"] == "conflict"

    page_request = RequestFactory().post("/admin/x")
    page_request.user = AnonymousUser()
    page_request.session = {}
    page_request._messages = FallbackStorage(page_request)
    page_response = middleware.process_exception(page_request, IntegrityError("duplicate"))
    assert page_response.status_code == 409
    assert "먼저 저장" in page_response.content.decode()
    assert middleware.process_exception(page_request, ValueError("other")) is None


def test_a_value_the_database_refuses_is_400_not_500():
    from django.contrib.auth.models import AnonymousUser
    from django.db import DataError

    from kium.core.middleware import IntegrityErrorMiddleware

    middleware = IntegrityErrorMiddleware(lambda request: None)
    api = middleware.process_exception(RequestFactory().get("/api/v1/x"), DataError("NUL"))
    assert api.status_code == 400
    request = RequestFactory().get("/facilities/x/")
    request.user = AnonymousUser()
    page = middleware.process_exception(request, DataError("NUL"))
    assert page.status_code == 400
    assert "요청을 처리할 수 없습니다" in page.content.decode()


def _page_request(method: str, path: str, **headers):
    from django.contrib.auth.models import AnonymousUser

    request = getattr(RequestFactory(), method)(path, **headers)
    request.user = AnonymousUser()
    return request


def test_a_lock_timeout_is_503_with_retry_after_never_500():
    from kium.core.locking import LockTimeout
    from kium.core.middleware import LockTimeoutMiddleware

    middleware = LockTimeoutMiddleware(lambda request: None)
    busy = LockTimeout("reservations:places:1")
    api = middleware.process_exception(RequestFactory().post("/api/v1/x"), busy)
    assert (api.status_code, api["Retry-After"]) == (503, "5")
    assert json.loads(api.content)["code"] == "busy"

    page = middleware.process_exception(_page_request("get", "/facilities/x/?tab=2"), busy)
    assert (page.status_code, page["Retry-After"]) == (503, "5")
    body = page.content.decode()
    assert "요청이 많아 처리하지 못했습니다" in body
    assert "아무것도 저장되지 않았습니다" in body
    assert 'href="/facilities/x/?tab=2"' in body  # a page being read: try it again
    assert middleware.process_exception(_page_request("get", "/x/"), ValueError("x")) is None


def test_after_a_lock_timeout_on_a_form_retry_leads_back_to_the_form_on_this_site():
    from kium.core.locking import LockTimeout
    from kium.core.middleware import LockTimeoutMiddleware

    middleware = LockTimeoutMiddleware(lambda request: None)
    busy = LockTimeout("reservations:places:1")
    sent_from_here = _page_request(
        "post", "/accounts/reservations/5/accept/", HTTP_REFERER="http://testserver/mine/"
    )
    body = middleware.process_exception(sent_from_here, busy).content.decode()
    assert 'href="http://testserver/mine/"' in body
    assert 'href="/accounts/reservations/5/accept/"' not in body  # it answers POST only

    sent_from_elsewhere = _page_request(
        "post", "/accounts/reservations/5/accept/", HTTP_REFERER="https://evil.example/"
    )
    body = middleware.process_exception(sent_from_elsewhere, busy).content.decode()
    assert "evil.example" not in body
    assert "다시 시도하기" not in body
    assert "홈으로 가기" in body
