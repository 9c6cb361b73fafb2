"""RF readers: register (the device token is shown once), revoke, authenticate.

A reader is not a user: it gets its own token, stored as a SHA-256 hash on the Reader
row, that opens exactly one door (POST /attendance/taps) and names the facility, so a
leaked reader token cannot read anyone's data. Revocation is read on every request.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from django.db import transaction
from django.utils.translation import gettext as _

from kium.attendance.domain.common import require_scope
from kium.attendance.domain.errors import INVALID, READER_REVOKED, AttendanceError
from kium.attendance.models import Reader
from kium.core import clock
from kium.core.audit import log_action, snapshot

# last_seen_at is refreshed at most this often (one write per tap would be waste).
SEEN_RESOLUTION = dt.timedelta(minutes=1)


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@transaction.atomic
def register_reader(*, actor, facility, name: str) -> tuple[Reader, str]:
    """A new reader and its token; the token is returned here and never again."""
    require_scope(actor, facility)
    name = (name or "").strip()
    if not name:
        raise AttendanceError(INVALID, _("리더기 이름을 입력해 주세요."), field="name")
    token = secrets.token_urlsafe(32)
    reader = Reader.objects.create(
        facility=facility, name=name[:100], token_hash=hash_token(token), created_by=actor
    )
    log_action(
        actor=actor,
        action="attendance.reader.register",
        obj=reader,
        after=snapshot(reader, ["facility", "name"]),
    )
    return reader, token


@transaction.atomic
def revoke_reader(*, actor, reader: Reader) -> Reader:
    require_scope(actor, reader.facility)
    if reader.revoked_at is not None:
        raise AttendanceError(READER_REVOKED, _("이미 사용 중지된 리더기입니다."))
    reader.revoked_at = clock.now()
    reader.revoked_by = actor
    reader.save(update_fields=["revoked_at", "revoked_by"])
    log_action(
        actor=actor,
        action="attendance.reader.revoke",
        obj=reader,
        before={"revoked_at": None},
        after={"revoked_at": reader.revoked_at},
    )
    return reader


def reader_for_token(token: str) -> Reader | None:
    if not token:
        return None
    from kium.attendance.domain.reads import reader_by_token_hash

    return reader_by_token_hash(hash_token(token))


def touch(reader: Reader) -> None:
    now = clock.now()
    if reader.last_seen_at is None or now - reader.last_seen_at >= SEEN_RESOLUTION:
        Reader.objects.filter(pk=reader.pk).update(last_seen_at=now)
        reader.last_seen_at = now
