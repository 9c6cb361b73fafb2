"""notify(event, recipient, context): the one door for messages to people.

The notifications issue puts an outbox and KakaoTalk/SMS providers behind this door;
until then a message is written to the ``kium.notify`` log (the console provider) and
kept in memory for tests (``sent``). Domain code calls it inside its transaction and the
message leaves only after commit, so a rolled-back change never notifies anyone.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

logger = logging.getLogger("kium.notify")


@dataclass
class Notice:
    event: str
    recipient_id: int | None
    phone: str
    email: str
    context: dict[str, Any] = field(default_factory=dict)


sent: list[Notice] = []


def notify(event: str, recipient, context: dict[str, Any] | None = None) -> None:
    notice = Notice(
        event=event,
        recipient_id=getattr(recipient, "pk", None),
        phone=getattr(recipient, "phone", "") or "",
        email=getattr(recipient, "email", "") or "",
        context=dict(context or {}),
    )
    transaction.on_commit(lambda: _deliver(notice))


def _deliver(notice: Notice) -> None:
    sent.append(notice)
    logger.info("notify %s to user %s: %s", notice.event, notice.recipient_id, notice.context)
