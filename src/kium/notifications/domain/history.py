"""알림톡 관리 > 발송 이력: reads of the outbox for the back office, and resending.

The outbox holds phone numbers and message variables, so only city-level staff with the
알림톡 관리 menu read it (the messages belong to no single district), and each list view
is an access record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.utils.translation import gettext as _

from kium.core import clock
from kium.core.audit import log_action
from kium.core.clock import SEOUL
from kium.notifications.domain.outbox import enqueue
from kium.notifications.models import OutboxMessage
from kium.notifications.models import OutboxStatus as Status
from kium.orgs.domain.scope import scope_for


class HistoryError(Exception):
    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code
        self.message = message


def can_read(user) -> bool:
    return scope_for(user).city


def messages_for_user(user) -> QuerySet[OutboxMessage]:
    if not can_read(user):
        return OutboxMessage.objects.none()
    return OutboxMessage.objects.select_related("recipient").order_by("-created_at", "-pk")


def filter_messages(
    rows: QuerySet[OutboxMessage],
    *,
    event: str = "",
    status: str = "",
    channel: str = "",
    phone: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[OutboxMessage]:
    if event:
        rows = rows.filter(event=event)
    if status:
        rows = rows.filter(status=status)
    if channel:
        rows = rows.filter(Q(delivered_channel=channel) | Q(channel=channel))
    if phone:
        rows = rows.filter(phone__contains="".join(ch for ch in phone if ch.isdigit()))
    if date_from:
        rows = rows.filter(created_at__gte=dt.datetime.combine(date_from, dt.time(), SEOUL))
    if date_to:
        end = dt.datetime.combine(date_to + dt.timedelta(days=1), dt.time(), SEOUL)
        rows = rows.filter(created_at__lt=end)
    return rows


@dataclass(frozen=True)
class DayRate:
    day: dt.date
    total: int
    sent: int
    failed: int

    @property
    def rate(self) -> float | None:
        finished = self.sent + self.failed
        return round(self.sent * 100 / finished, 1) if finished else None


def delivery_rates(rows: QuerySet[OutboxMessage], days: int = 14) -> list[DayRate]:
    """Per day (Seoul) of the last ``days``: messages, sent, failed or given up; one query."""
    since = dt.datetime.combine(clock.today() - dt.timedelta(days=days - 1), dt.time(), SEOUL)
    counted = (
        rows.filter(created_at__gte=since)
        .annotate(day=TruncDate("created_at", tzinfo=SEOUL))
        .values("day")
        .annotate(
            total=Count("pk"),
            sent=Count("pk", filter=Q(status=Status.SENT)),
            failed=Count("pk", filter=Q(status__in=[Status.FAILED, Status.GAVE_UP])),
        )
        .order_by("-day")
    )
    return [DayRate(r["day"], r["total"], r["sent"], r["failed"]) for r in counted]


def resend(*, actor, message: OutboxMessage) -> OutboxMessage:
    """A failed or given-up message goes out again (same key: it was never delivered)."""
    if not can_read(actor):
        raise HistoryError("not_found", _("메시지를 찾을 수 없습니다."))
    updated = OutboxMessage.objects.filter(
        pk=message.pk, status__in=[Status.FAILED, Status.GAVE_UP]
    ).update(
        status=Status.PENDING,
        attempts=0,
        next_attempt_at=clock.now(),
        claimed_at=None,
        claimed_by="",
        last_error="",
    )
    if not updated:
        raise HistoryError("invalid", _("실패했거나 재시도를 멈춘 메시지만 다시 보낼 수 있습니다."))
    log_action(
        actor=actor,
        action="notification.resend",
        obj=message,
        before={"status": message.status, "attempts": message.attempts},
        after={"status": Status.PENDING},
    )
    key = message.idempotency_key
    transaction.on_commit(lambda: enqueue(key))
    message.refresh_from_db()
    return message
