"""Back-office session limits and the first-login password change."""

from __future__ import annotations

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

SESSION_STARTED = "kium_started_at"
SESSION_LAST_SEEN = "kium_last_seen"
# Requests that must not count as activity (the idle-warning poll).
PASSIVE_PATHS = ("/admin/session/status",)


def start_session_clock(request: HttpRequest) -> None:
    """Called right after login: both limits count from now."""
    now = int(time.time())
    request.session[SESSION_STARTED] = now
    request.session[SESSION_LAST_SEEN] = now


def touch_session(request: HttpRequest) -> None:
    request.session[SESSION_LAST_SEEN] = int(time.time())


def session_seconds_left(request: HttpRequest) -> int:
    """Seconds until the session ends, by whichever limit comes first."""
    now = int(time.time())
    started = request.session.get(SESSION_STARTED, now)
    last_seen = request.session.get(SESSION_LAST_SEEN, now)
    idle_left = settings.KIUM_BACKOFFICE_IDLE_SECONDS - (now - last_seen)
    absolute_left = settings.KIUM_BACKOFFICE_ABSOLUTE_SECONDS - (now - started)
    return max(0, min(idle_left, absolute_left))


class BackofficeSessionMiddleware:
    """Staff sessions end after 30 minutes idle and 12 hours in all."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and request.path.startswith("/admin/"):
            if self._expired(request):
                logout(request)
                return self._expired_response(request)
            if request.path not in PASSIVE_PATHS:
                touch_session(request)
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

    @staticmethod
    def _expired_response(request: HttpRequest) -> HttpResponse:
        if request.headers.get("HX-Request") or request.path in PASSIVE_PATHS:
            return JsonResponse(
                {
                    "code": "session_expired",
                    "message": _("세션이 만료되었습니다. 다시 로그인해 주세요."),
                    "seconds_left": 0,
                },
                status=401,
                json_dumps_params={"ensure_ascii": False},
            )
        query = {"expired": "1"}
        login_path = reverse("backoffice:login")
        # Never send the login page to itself as ``next`` (the idle dialog lands there).
        if request.method == "GET" and request.path != login_path:
            query["next"] = request.get_full_path()
        return redirect(f"{login_path}?{urlencode(query)}")


class PasswordChangeRequiredMiddleware:
    """An account an officer created must set its own password at first page login."""

    ALLOWED_PREFIXES = (
        "/admin/password/change",
        "/admin/logout",
        "/admin/session/",
        "/accounts/logout",
        "/static/",
        "/api/",
        "/i18n/",
    )

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
