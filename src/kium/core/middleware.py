"""Request-scoped context (the client IP for logs) and database-conflict handling."""

from __future__ import annotations

import contextvars
import logging

from django.db import DataError, IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

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
