"""What a locked-out login gets: a clear Korean page, or 423 on the API."""

from __future__ import annotations

from django.http import JsonResponse
from django.shortcuts import render

LOCKED_MESSAGE = (
    "로그인에 5회 연속 실패하여 계정이 잠겼습니다. "
    "휴대폰 인증으로 잠금을 해제하거나 담당 관리자에게 문의해 주세요."
)


def lockout_response(request, credentials=None, *args, **kwargs):
    if request.path.startswith("/api/"):
        return JsonResponse({"code": "account_locked", "message": LOCKED_MESSAGE}, status=423)
    return render(request, "accounts/locked.html", {"message": LOCKED_MESSAGE}, status=423)
