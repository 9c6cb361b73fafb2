"""What a locked-out login gets: a clear Korean page (423), or 423 JSON on the API.

django-axes calls ``lockout_response`` (settings.AXES_LOCKOUT_CALLABLE) when a login is
refused because the account is locked, including the 5th failure that locks it.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _


def locked_message() -> str:
    return _(
        "로그인에 %(limit)s회 연속 실패하여 계정이 잠겼습니다. "
        "휴대폰 인증으로 잠금을 해제하거나 담당 관리자에게 문의해 주세요."
    ) % {"limit": settings.AXES_FAILURE_LIMIT}


def lockout_response(request, original_response=None, credentials=None) -> HttpResponse:
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"code": "account_locked", "message": locked_message()},
            status=423,
            json_dumps_params={"ensure_ascii": False},
        )
    if request.path.startswith("/admin/"):
        unlock_url, base = reverse("backoffice:unlock"), "backoffice/base.html"
    else:
        unlock_url, base = reverse("public:unlock"), "base.html"
    context = {"message": locked_message(), "unlock_url": unlock_url, "base_template": base}
    return render(request, "accounts/locked.html", context, status=423)
