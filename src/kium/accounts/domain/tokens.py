"""API bearer tokens: random, shown once, stored as a SHA-256 hash, expiring."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import secrets

from django.conf import settings
from django.db import connection

from kium.accounts.models import ApiToken, User
from kium.core import clock, rows


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
    """The active user of a live token (not revoked, not expired), else None.

    One hand-written query (every API request runs it): the ORM would spend more time
    compiling it than the database spends answering. Revocation and expiry are read from
    the row each time, so a revoked token stops working at once.
    """
    if not key:
        return None
    now = connection.ops.adapt_datetimefield_value(clock.now())
    with connection.cursor() as cursor:
        cursor.execute(_token_user_sql(connection.vendor), [_hash(key), now])
        row = cursor.fetchone()
    if row is None:
        return None
    # Not through RawQuerySet: that machinery cost more than the query on every request.
    user = rows.instance(User, row)
    return user if user.is_active else None


@functools.cache
def _token_user_sql(vendor: str) -> str:
    quote = connection.ops.quote_name
    user_column = ApiToken._meta.get_field("user").column
    columns = ", ".join(f"u.{quote(f.column)}" for f in User._meta.concrete_fields)
    return (
        # Only names from the models' meta go into the text; the values are parameters.
        f"SELECT {columns} FROM {quote(ApiToken._meta.db_table)} t"  # noqa: S608
        f" JOIN {quote(User._meta.db_table)} u"
        f" ON u.{quote(User._meta.pk.column)} = t.{quote(user_column)}"
        " WHERE t.key_hash = %s AND t.revoked_at IS NULL AND t.expires_at > %s"
        " LIMIT 1"
    )


def revoke_tokens(*, user: User) -> int:
    return ApiToken.objects.filter(user=user, revoked_at__isnull=True).update(
        revoked_at=clock.now()
    )
