"""The outbox algorithm (docs/notifications.md): record, claim, send, record the answer.

- ``record`` runs in the caller's transaction: a rolled-back change leaves no row. The
  row is inserted with ON CONFLICT DO NOTHING on the unique idempotency key, so the same
  key recorded twice is one message (also from two concurrent transactions).
- ``claim`` takes due rows in a short transaction: ``SELECT … FOR UPDATE SKIP LOCKED``
  on PostgreSQL (SQLite: the IMMEDIATE transaction serialises writers), marks them
  ``sending`` with ``claimed_at`` and a fresh ``claimed_by`` token, counts the attempt.
  A row left in ``sending`` longer than the lease (a crashed worker) is due again.
- ``send_claimed`` first decides, per person and at send time, the channel
  (``routing.plan_delivery``: preferences, SMS consent, template, event switched off)
  and the per-recipient rate limit (``ratelimit.deferred_until``); then calls the
  provider outside any transaction and records the answer only if the row is still
  claimed by this token (a fenced update). A skipped message is ``failed`` with the
  reason; a rate-limited one is ``pending`` again, its attempt not counted.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
import os
import socket
import uuid

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import F, Q
from django.utils.translation import gettext as _

from kium.core import batch, clock
from kium.notifications.domain import wake
from kium.notifications.models import Channel, OutboxMessage, OutboxStatus
from kium.notifications.providers import (
    PermanentFailure,
    TemporaryFailure,
    get_provider,
)

logger = logging.getLogger("kium.notify")

DEFAULT_MAX_ATTEMPTS = 8
DEFAULT_RETRY_BASE_SECONDS = 30
DEFAULT_RETRY_MAX_SECONDS = 3600
DEFAULT_LEASE_SECONDS = 300
# Events that may go out during quiet hours (a parent waits for these).
QUIET_HOURS_EXEMPT = frozenset({"attendance.arrived", "attendance.departed"})


def _setting(name: str, default):
    return getattr(settings, name, default)


def max_attempts() -> int:
    return int(_setting("KIUM_NOTIFY_MAX_ATTEMPTS", DEFAULT_MAX_ATTEMPTS))


def lease() -> dt.timedelta:
    return dt.timedelta(seconds=int(_setting("KIUM_NOTIFY_LEASE_SECONDS", DEFAULT_LEASE_SECONDS)))


def backoff(attempts: int) -> dt.timedelta:
    """30 s, 1 min, 2 min, 4 min … capped at an hour (attempts counts from 1)."""
    base = int(_setting("KIUM_NOTIFY_RETRY_BASE_SECONDS", DEFAULT_RETRY_BASE_SECONDS))
    cap = int(_setting("KIUM_NOTIFY_RETRY_MAX_SECONDS", DEFAULT_RETRY_MAX_SECONDS))
    return dt.timedelta(seconds=min(cap, base * 2 ** max(0, attempts - 1)))


# --- recording ----------------------------------------------------------------------------


def _json(context: dict) -> dict:
    """What the row will hold (dates and lazy strings become strings once, here)."""
    return json.loads(json.dumps(context or {}, cls=DjangoJSONEncoder, ensure_ascii=False))


def default_key(event: str, recipient_ref: str, context: dict) -> str:
    """Same event, same person, same context (e.g. reservation id, status, deadline) →
    same key: a state change notified twice is one message."""
    canonical = json.dumps(
        [event, recipient_ref, context], sort_keys=True, ensure_ascii=False, default=str
    )
    return "auto:" + hashlib.sha256(canonical.encode()).hexdigest()


def choose_channel(event: str, phone: str, email: str) -> tuple[str, str]:
    """(provisional channel, ""): the first configured channel this contact can get.

    Settings only, no database read: ``record`` runs on the booking request. The worker
    decides the final channel and the 알림톡 template (``routing.plan_delivery``).
    """
    for channel in _setting("KIUM_NOTIFY_CHANNELS", ("console",)):
        if channel == Channel.CONSOLE:
            return channel, ""
        if channel in (Channel.ALIMTALK, Channel.SMS) and phone:
            return channel, ""
        if channel == Channel.EMAIL and email:
            return channel, ""
    return "", ""


def _first_allowed(event: str, now: dt.datetime) -> dt.datetime:
    """Quiet hours (KIUM_NOTIFY_QUIET_HOURS = (start hour, end hour), Seoul): a message
    recorded, retried or rate-limited into them waits for their end, except the exempt
    events."""
    quiet = _setting("KIUM_NOTIFY_QUIET_HOURS", None)
    if not quiet or event in QUIET_HOURS_EXEMPT:
        return now
    start, end = quiet
    local = clock.to_seoul(now)
    hour = local.hour
    inside = (start <= hour or hour < end) if start > end else (start <= hour < end)
    if not inside:
        return now
    release = local.replace(hour=end, minute=0, second=0, microsecond=0)
    if release <= local:
        release += dt.timedelta(days=1)
    return release


def record(event: str, recipient, context: dict | None, *, idempotency_key: str | None = None):
    """Write the message in the caller's transaction; enqueue delivery after commit."""
    phone = getattr(recipient, "phone", "") or ""
    email = getattr(recipient, "email", "") or ""
    recipient_id = getattr(recipient, "pk", None)
    data = _json(context or {})
    key = idempotency_key or default_key(event, str(recipient_id or phone or email), data)
    if len(key) > 200:
        key = "long:" + hashlib.sha256(key.encode()).hexdigest()
    channel, template_code = choose_channel(event, phone, email)
    now = clock.now()
    row = OutboxMessage(
        event=event,
        recipient_id=recipient_id,
        phone=phone,
        email=email,
        channel=channel or Channel.CONSOLE,
        template_code=template_code,
        context=data,
        idempotency_key=key,
        next_attempt_at=_first_allowed(event, now),
    )
    if not channel:
        row.status = OutboxStatus.FAILED
        row.last_error = "no channel reaches this recipient"
    batch.insert(row, ignore_conflicts=True)  # with the caller's batch, if any
    if channel and wake.by_task():  # else the table's NOTIFY wakes run_worker (wake.py)
        transaction.on_commit(lambda: enqueue(key))
    return key


def enqueue(key: str) -> None:
    """Ask the task backend to deliver now. Losing this is harmless: run_worker sweeps."""
    from kium.notifications.tasks import deliver_message

    try:
        deliver_message.enqueue(key)
    except Exception:  # the outbox row is the source of truth
        logger.exception("could not enqueue outbox message %s; the worker will send it", key)


# --- claiming and sending ------------------------------------------------------------------


def new_worker_token() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:12]}"


def _due(now: dt.datetime) -> Q:
    return Q(status=OutboxStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=OutboxStatus.SENDING, claimed_at__lt=now - lease()
    )


def claim(*, limit: int = 20, key: str | None = None, token: str | None = None):
    """Atomically take up to ``limit`` due messages for one worker; returns them."""
    token = token or new_worker_token()
    now = clock.now()
    with transaction.atomic():
        due = OutboxMessage.objects.filter(_due(now))
        if key is not None:
            due = due.filter(idempotency_key=key)
        ids = list(
            due.order_by("next_attempt_at", "pk")
            .select_for_update(skip_locked=True)
            .values_list("pk", flat=True)[:limit]
        )
        if not ids:
            return []
        # Re-checking "due" costs nothing and keeps the claim safe without row locks.
        OutboxMessage.objects.filter(_due(now), pk__in=ids).update(
            status=OutboxStatus.SENDING,
            claimed_at=now,
            claimed_by=token,
            attempts=F("attempts") + 1,
        )
    # Oldest due first (not the model's newest-first ordering): with the rate limit, the
    # message that has waited longest takes a freed slot.
    return list(
        OutboxMessage.objects.filter(
            pk__in=ids, claimed_by=token, status=OutboxStatus.SENDING
        ).order_by("next_attempt_at", "pk")
    )


def _finish(message: OutboxMessage, **fields) -> bool:
    """Record the outcome only if this worker still holds the claim (fencing token)."""
    updated = OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxStatus.SENDING, claimed_by=message.claimed_by
    ).update(**fields)
    if not updated:
        logger.warning("outbox %s: claim lost before the answer was recorded", message.pk)
    return bool(updated)


def send_claimed(message: OutboxMessage) -> str:
    """Send one claimed message and record the answer; returns the new status."""
    from kium.notifications.domain.ratelimit import deferred_until
    from kium.notifications.domain.routing import plan_delivery

    now = clock.now
    try:
        plan = plan_delivery(message)
        later = None if plan.skipped else deferred_until(message, channel=plan.channel, now=now())
    except Exception as exc:  # the database went away: the same as a temporary failure
        logger.exception("outbox %s: could not plan the delivery", message.pk)
        return _retry_or_give_up(message, exc)
    if plan.skipped:
        logger.info("outbox %s %s skipped: %s", message.pk, message.event, plan.skip_reason)
        _finish(message, status=OutboxStatus.FAILED, last_error=plan.skip_reason[:2000])
        return OutboxStatus.FAILED
    if later is not None:
        # Not an attempt: the claim's count is given back, and the message waits.
        _finish(
            message,
            status=OutboxStatus.PENDING,
            next_attempt_at=_first_allowed(message.event, later),
            attempts=F("attempts") - 1,
            last_error=_("발송 한도 초과로 지연: %(time)s 이후 발송")
            % {"time": f"{clock.to_seoul(later):%Y.%m.%d %H:%M:%S}"},
        )
        return OutboxStatus.PENDING
    message.channel = plan.channel
    message.template_code = plan.template_code
    message.sms_fallback = plan.sms_fallback  # read by the 알림톡 provider
    routed = {"channel": plan.channel, "template_code": plan.template_code}
    try:
        delivery = get_provider(message.channel).send(message)
    except PermanentFailure as exc:
        logger.error("outbox %s %s failed for good: %s", message.pk, message.event, exc)
        _finish(message, status=OutboxStatus.FAILED, last_error=str(exc)[:2000], **routed)
        return OutboxStatus.FAILED
    except Exception as exc:  # TemporaryFailure, or a bug: retry later
        if not isinstance(exc, TemporaryFailure):
            logger.exception("outbox %s: provider error", message.pk)
        return _retry_or_give_up(message, exc, **routed)
    _finish(
        message,
        status=OutboxStatus.SENT,
        sent_at=now(),
        delivered_channel=delivery.channel,
        provider_message_id=delivery.provider_message_id[:100],
        last_error=delivery.note,
        **routed,
    )
    return OutboxStatus.SENT


def _retry_or_give_up(message: OutboxMessage, exc: Exception, **fields) -> str:
    if message.attempts >= max_attempts():
        logger.error(
            "outbox %s %s gave up after %s attempts: %s",
            message.pk,
            message.event,
            message.attempts,
            exc,
        )
        _finish(message, status=OutboxStatus.GAVE_UP, last_error=str(exc)[:2000], **fields)
        return OutboxStatus.GAVE_UP
    _finish(
        message,
        status=OutboxStatus.PENDING,
        # A retry does not wake anyone at night either.
        next_attempt_at=_first_allowed(message.event, clock.now() + backoff(message.attempts)),
        last_error=str(exc)[:2000],
        **fields,
    )
    return OutboxStatus.PENDING


def deliver_key(key: str) -> str:
    """The fast path after commit: claim this one message if it is due, and send it."""
    claimed = claim(limit=1, key=key)
    if not claimed:
        return "not-due"
    return send_claimed(claimed[0])


def process_due(*, limit: int = 20, token: str | None = None) -> dict[str, int]:
    """One worker round: claim a batch, send each; returns counts per resulting status."""
    counts: dict[str, int] = {}
    for message in claim(limit=limit, token=token):
        status = send_claimed(message)
        counts[status] = counts.get(status, 0) + 1
    return counts
