"""Development and tests: log the message and keep it in ``kium.core.notify.sent``."""

from __future__ import annotations

import logging

from kium.notifications.providers import Delivery

logger = logging.getLogger("kium.notify")


class ConsoleProvider:
    def send(self, message) -> Delivery:
        from kium.core import notify

        notice = notify.Notice(
            event=message.event,
            recipient_id=message.recipient_id,
            phone=message.phone,
            email=message.email,
            context=dict(message.context or {}),
        )
        notify.sent.append(notice)
        logger.info("notify %s to user %s: %s", message.event, message.recipient_id, notice.context)
        return Delivery(channel="console", provider_message_id=f"console-{message.pk}")
