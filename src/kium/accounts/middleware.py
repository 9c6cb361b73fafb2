"""Back-office session limits and the first-login password change."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

SESSION_STARTED = "kium_started_at"
SESSION_LAST_SEEN = "kium_last_seen"
# Requests that must not count as activity (the idle-warning poll).
PASSIVE_PATHS = ("/admin/session/status",)


class BackofficeSessionMiddleware:
    """Staff sessions end after 30 minutes idle and 12 hours in all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.path.startswith("/admin/"):
            expired = self._expired(request)
            if expired:
                logout(request)
                if request.headers.get("HX-Request") or request.path in PASSIVE_PATHS:
                    return JsonResponse({"code": "session_expired", "message": "세션이 만료되었습니다."}, status=401)
                return redirect(f"{reverse('backoffice:login')}?expired=1")
            if request.path not in PASSIVE_PATHS:
                request.session[SESSION_LAST_SEEN] = int(time.time())
        return self.get_response(request)

    @staticmethod
    def _expired(request: HttpRequest) -> bool:
        now = int(time.time())
        session = request.session
        started = session.setdefault(SESSION_STARTED, now)
        last_seen = session.get(SESSION_LAST_SEEN, now)
        return (
            now - last_seen > settings.KIUM_BACKOFFICE_IDLE_SECONDS
            or now - started > settings.KIUM_BACKOFFICE_ABSOLUTE_SECONDS
        )


class PasswordChangeRequiredMiddleware:
    """An account an officer created must set its own password at first page login."""

    ALLOWED_PREFIXES = ("/admin/password/change", "/admin/logout", "/static/", "/api/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and getattr(user, "must_change_password", False)
            and not request.path.startswith(self.ALLOWED_PREFIXES)
        ):
            return redirect("backoffice:password_change")
        return self.get_response(request)
