"""Helpers shared by the attendance domain functions."""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

from kium.attendance.domain.errors import INVALID, NOT_FOUND, AttendanceError
from kium.orgs.domain.scope import scope_for

_SEPARATORS = re.compile(r"[\s:\-]")
_UID = re.compile(r"^[0-9A-Z]{4,64}$")


def normalize_uid(value: str) -> str:
    """Readers print a UID as ``04:a2:24:1b`` or ``04A2241B``: store one spelling."""
    return _SEPARATORS.sub("", value or "").upper()


def clean_uid(value: str) -> str:
    uid = normalize_uid(value)
    if not _UID.match(uid):
        raise AttendanceError(
            INVALID, _("카드번호는 영문자와 숫자 4~64자로 입력해 주세요."), field="card_uid"
        )
    return uid


def require_scope(actor, facility) -> None:
    """Out of the actor's scope is 'not found' (DESIGN rule 8). ``actor=None`` is the
    system (a reader, whose facility is its own)."""
    if actor is None:
        return
    if not scope_for(actor).covers_facility(facility):
        raise AttendanceError(NOT_FOUND, _("시설을 찾을 수 없습니다."))


def clean_reason(value: str, field: str = "reason") -> str:
    reason = (value or "").strip()
    if not reason:
        raise AttendanceError(INVALID, _("사유를 입력해 주세요."), field=field)
    return reason[:200]
