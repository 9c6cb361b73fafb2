"""Request-scoped context (the client IP for logs), database-conflict handling and the
answer to a lock that stayed taken too long."""

from __future__ import annotations

import contextvars
import logging

from django.db import DataError, IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from kium.core.locking import BUSY_MESSAGE, BUSY_RETRY_AFTER_SECONDS, LockTimeout
from kium.core.net import client_ip

logger = logging.getLogger("kium.core")
_current_ip: contextvars.ContextVar[str | None] = contextvars.ContextVar("kium_ip", default=None)

CONFLICT_MESSAGE = gettext_noop(
    "다른 사용자가 같은 정보를 먼저 저장했습니다. 화면을 새로 고친 뒤 다시 시도해 주세요."
)


def current_ip() -> str | None:
    return _current_ip.get()


class RequestContextMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current_ip.set(client_ip(request))
        try:
            return self.get_response(request)
        finally:
            _current_ip.reset(token)


class IntegrityErrorMiddleware:
    """A constraint violation that slipped past validation is a 409, and a value the
    database refuses a 400 — never a 500."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if isinstance(exception, DataError):
            # A value the database cannot hold (a NUL byte, a number out of range) that
            # passed validation is bad input: 400, never 500.
            logger.warning("data error on %s: %s", request.path, exception)
            if request.path.startswith("/api/"):
                return JsonResponse(
                    {"code": "invalid", "message": _("입력값을 확인해 주세요.")}, status=400
                )
            return render(request, "errors/400.html", status=400)
        if not isinstance(exception, IntegrityError):
            return None
        logger.warning("integrity error on %s: %s", request.path, exception)
        if request.path.startswith("/api/"):
            return JsonResponse({"code": "conflict", "message": _(CONFLICT_MESSAGE)}, status=409)
        return render(request, "errors/409.html", {"message": _(CONFLICT_MESSAGE)}, status=409)


class LockTimeoutMiddleware:
    """A page whose change waited too long for its lock (core/locking.py) — on a booking
    rush, a centre's places — answers 503 with Retry-After and a Korean page that says
    nothing was saved and offers to try again, never a 500. (The API answers through
    its own handler: 503 ``busy``.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception):
        if not isinstance(exception, LockTimeout):
            return None
        logger.warning("lock timeout on %s: %s", request.path, exception)
        if request.path.startswith("/api/"):
            response = JsonResponse({"code": "busy", "message": _(BUSY_MESSAGE)}, status=503)
        else:
            context = {"message": _(BUSY_MESSAGE), "retry_url": _retry_url(request)}
            response = render(request, "errors/503.html", context, status=503)
        response["Retry-After"] = str(BUSY_RETRY_AFTER_SECONDS)
        return response


def _retry_url(request: HttpRequest) -> str | None:
    """Where "다시 시도하기" leads: the same address for a page that was being read; for a
    form that was sent (an address that may answer only POST), the page it was sent
    from, when that page is on this site."""
    if request.method in ("GET", "HEAD"):
        return request.get_full_path()
    referer = request.headers.get("Referer", "")
    if referer and url_has_allowed_host_and_scheme(
        referer, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return referer
    return None
