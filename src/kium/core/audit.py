"""log_action and record_access: the two calls every domain function uses (rule 9)."""

from __future__ import annotations

import datetime as dt
import decimal
import uuid
from typing import Any

from django.db import models

from kium.core import batch
from kium.core.middleware import current_ip
from kium.core.models import AccessRecord, AuditEntry


def snapshot(obj: models.Model, fields: list[str] | None = None) -> dict[str, Any]:
    """A JSON-safe picture of a model's concrete fields, for before/after."""
    data: dict[str, Any] = {}
    for field in obj._meta.concrete_fields:
        if fields is not None and field.name not in fields:
            continue
        if field.name in {"password"}:
            continue
        data[field.attname] = _jsonable(getattr(obj, field.attname))
    return data


def _jsonable(value: Any) -> Any:
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if hasattr(value, "name") and not isinstance(value, str | int | float | bool):
        return getattr(value, "name", str(value))
    return value


def _actor_fields(actor) -> dict[str, Any]:
    if actor is None or not getattr(actor, "is_authenticated", False):
        return {"actor": None, "actor_username": ""}
    return {"actor": actor, "actor_username": actor.get_username()}


def log_action(
    *,
    actor,
    action: str,
    obj: models.Model,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    reason: str = "",
    ip: str | None = None,
) -> AuditEntry:
    """Write one 변경이력 entry. Call it inside the transaction that makes the change.

    Inside ``batch.batched_writes()`` the insert is sent with the block's other writes.
    """
    entry = AuditEntry(
        **_actor_fields(actor),
        action=action,
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        before=_jsonable(before) if before is not None else None,
        after=_jsonable(after) if after is not None else None,
        reason=reason[:500],
        ip=ip or current_ip(),
    )
    batch.insert(entry)
    return entry


def record_access(
    *, actor, action: str, subject: models.Model, reason: str = "", ip: str | None = None
) -> AccessRecord:
    """Write one 개인정보 접속기록 entry for a staff read of a person's data."""
    fields = _actor_fields(actor)
    return AccessRecord.objects.create(
        actor=fields["actor"],
        actor_username=fields["actor_username"] or "anonymous",
        action=action,
        subject_type=subject._meta.label_lower,
        subject_id=str(subject.pk),
        subject_repr=str(subject)[:200],
        reason=reason[:500],
        ip=ip or current_ip(),
    )
