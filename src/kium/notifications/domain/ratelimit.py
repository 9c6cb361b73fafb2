"""Per-recipient rate limit, checked by the worker at send time (NTF-1).

``KIUM_NOTIFY_RATE_LIMIT = "count/seconds"`` (default ``"10/3600"``; empty = off): a
person who already had ``count`` messages *sent* in the last ``seconds`` gets the next
one later, never not at all. The message goes back to ``pending`` with
``next_attempt_at`` = the moment the window frees a slot (the oldest counted message
leaves it), so a burst is spread out and nothing is lost.

- The person is the account (recipient id); a message to no account is counted by its
  phone number; one with neither is not limited.
- Arrival and departure (``attendance.arrived`` / ``.departed``) are exempt: they
  neither wait nor count. A parent waits for them, and the tap API already bounds
  them (a child's taps alternate arrival/departure within a day).
- ``console`` (development) is not limited: development shows everything.
- The check is a read before the send, not a lock: workers sending to the same person
  at the same instant may each pass it, so the limit can be exceeded by the number of
  concurrent workers. It protects people from floods; it is not an exact quota.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings

from kium.notifications.models import Channel, OutboxMessage, OutboxStatus

DEFAULT_RATE_LIMIT = "10/3600"
EXEMPT_EVENTS = frozenset({"attendance.arrived", "attendance.departed"})


def rate_limit() -> tuple[int, dt.timedelta] | None:
    """(count, window) from the setting, or None when off (empty, or zero)."""
    raw = getattr(settings, "KIUM_NOTIFY_RATE_LIMIT", DEFAULT_RATE_LIMIT)
    if raw in (None, ""):
        return None
    if isinstance(raw, str):
        count_text, _, seconds_text = raw.partition("/")
        count, seconds = int(count_text), int(seconds_text)
    else:
        count, seconds = (int(part) for part in raw)
    if count <= 0 or seconds <= 0:
        return None
    return count, dt.timedelta(seconds=seconds)


def _same_person(message: OutboxMessage):
    rows = OutboxMessage.objects.exclude(pk=message.pk)
    if message.recipient_id:
        return rows.filter(recipient_id=message.recipient_id)
    if message.phone:
        return rows.filter(recipient__isnull=True, phone=message.phone)
    return None


def deferred_until(message: OutboxMessage, *, channel: str, now: dt.datetime) -> dt.datetime | None:
    """When ``message`` may go if the recipient's window is full, else None (send now)."""
    limit = rate_limit()
    if limit is None or message.event in EXEMPT_EVENTS or channel == Channel.CONSOLE:
        return None
    count, window = limit
    rows = _same_person(message)
    if rows is None:
        return None
    recent = list(
        rows.filter(status=OutboxStatus.SENT, sent_at__gt=now - window)
        .exclude(event__in=EXEMPT_EVENTS)
        .order_by("sent_at")
        .values_list("sent_at", flat=True)
    )
    if len(recent) < count:
        return None
    # The window holds len(recent) ≥ count messages; a slot frees when the oldest
    # len(recent) - count + 1 of them have left it.
    return recent[len(recent) - count] + window
