"""API bearer tokens: random, shown once, stored as a SHA-256 hash, expiring."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.conf import settings

from kium.accounts.models import ApiToken, User
from kium.core import clock


def _hash(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def issue_token(*, user: User) -> tuple[str, ApiToken]:
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_hash=_hash(key),
        expires_at=clock.now() + dt.timedelta(hours=settings.KIUM_API_TOKEN_HOURS),
    )
    return key, token


def user_for_token(key: str) -> User | None:
    if not key:
        return None
    token = (
        ApiToken.objects.select_related("user")
        .filter(key_hash=_hash(key), revoked_at__isnull=True, expires_at__gt=clock.now())
        .first()
    )
    if token is None or not token.user.is_active:
        return None
    return token.user


def revoke_tokens(*, user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=clock.now()
    )
