"""notify(event, recipient, context): the one door for messages to people.

Domain code calls it inside its transaction: the message is written to the outbox
(``kium.notifications``) in that transaction, so a rolled-back change notifies nobody,
and delivery is enqueued after commit. The console provider (development and tests)
logs the message to ``kium.notify`` and appends a ``Notice`` to ``sent``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Notice:
    event: str
    recipient_id: int | None
    phone: str
    email: str
    context: dict[str, Any] = field(default_factory=dict)


# What the console provider delivered, oldest first; tests read and clear it.
sent: list[Notice] = []


def notify(
    event: str,
    recipient,
    context: dict[str, Any] | None = None,
    *,
    idempotency_key: str | None = None,
) -> str:
    """Record a message for ``recipient``; returns its idempotency key.

    Without ``idempotency_key`` the key is derived from the event, the recipient and the
    context, so the same state change notified twice is one message.
    """
    from kium.notifications.domain.outbox import record

    return record(event, recipient, context, idempotency_key=idempotency_key)
