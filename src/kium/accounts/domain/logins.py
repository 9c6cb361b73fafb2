"""Logging in through the back office, the portal or the API, and 접속이력.

``attempt_login`` needs the request because django-axes counts failures on it (and
answers a locked account before any password is checked); everything else here is
plain domain code.
"""

from __future__ import annotations

from dataclasses import dataclass

from axes.utils import reset as axes_reset
from django.contrib.auth import authenticate
from django.http import HttpRequest
from django.utils.translation import gettext as _

from kium.accounts.enums import ApprovalStatus, UserKind
from kium.accounts.lockout import locked_message
from kium.accounts.models import LoginHistory, User
from kium.core.net import client_ip

BACKOFFICE = "backoffice"
PORTAL = "portal"
API = "api"
CHANNELS = (BACKOFFICE, PORTAL, API)

INVALID_CREDENTIALS = "invalid_credentials"
ACCOUNT_LOCKED = "account_locked"
NOT_APPROVED = "not_approved"
WRONG_CHANNEL = "wrong_channel"


@dataclass(frozen=True)
class LoginResult:
    user: User | None
    error: str = ""
    message: str = ""

    @property
    def ok(self) -> bool:
        return self.user is not None and not self.error


def record_login(
    *,
    username: str,
    user: User | None,
    channel: str,
    success: bool,
    detail: str = "",
    ip: str | None = None,
) -> LoginHistory:
    return LoginHistory.objects.create(
        user=user,
        username=username[:150],
        ip=ip or None,
        channel=channel,
        success=success,
        detail=detail[:100],
    )


def attempt_login(
    *, request: HttpRequest, username: str, password: str, channel: str
) -> LoginResult:
    """Check the credentials and whether this account may use this channel."""
    username = (username or "").strip()
    ip = client_ip(request)
    user = authenticate(request=request, username=username, password=password)
    if user is None:
        locked = bool(getattr(request, "axes_locked_out", False))
        error = ACCOUNT_LOCKED if locked else INVALID_CREDENTIALS
        known = User.objects.filter(username=username).first()
        record_login(
            username=username, user=known, channel=channel, success=False, detail=error, ip=ip
        )
        if locked:
            return LoginResult(None, ACCOUNT_LOCKED, locked_message())
        return LoginResult(
            None, INVALID_CREDENTIALS, _("아이디 또는 비밀번호가 올바르지 않습니다.")
        )
    refusal = _refusal(user, channel)
    if refusal is not None:
        record_login(
            username=username,
            user=user,
            channel=channel,
            success=False,
            detail=refusal.error,
            ip=ip,
        )
        return refusal
    # The page logins reset axes through Django's login signal; the API never calls
    # login(), so a success clears the failure count here for every channel alike.
    axes_reset(username=username)
    record_login(username=username, user=user, channel=channel, success=True, ip=ip)
    return LoginResult(user)


def _refusal(user: User, channel: str) -> LoginResult | None:
    if user.is_superuser:
        return None
    if user.kind == UserKind.STAFF:
        if channel == PORTAL:
            return LoginResult(
                None,
                WRONG_CHANNEL,
                _("담당자 계정은 관리자 페이지에서 로그인해 주세요."),
            )
        return _approval_refusal(user)
    if user.kind == UserKind.GUARDIAN:
        if channel == BACKOFFICE:
            return LoginResult(
                None,
                WRONG_CHANNEL,
                _("관리자 페이지는 담당자 계정으로만 로그인할 수 있습니다."),
            )
        return None
    return LoginResult(None, WRONG_CHANNEL, _("이 계정으로는 로그인할 수 없습니다."))


def _approval_refusal(user: User) -> LoginResult | None:
    if user.approval_status == ApprovalStatus.PENDING:
        return LoginResult(
            None,
            NOT_APPROVED,
            _("승인 대기 중인 계정입니다. 서울시 담당자 승인 후 로그인할 수 있습니다."),
        )
    if user.approval_status == ApprovalStatus.REJECTED:
        reason = user.rejection_reason or _("사유 없음")
        return LoginResult(
            None,
            NOT_APPROVED,
            _("가입이 반려된 계정입니다. 반려 사유: %(reason)s") % {"reason": reason},
        )
    return None
