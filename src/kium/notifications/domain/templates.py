"""알림톡 관리: the per-event templates officers edit (NotificationTemplate).

Read at send time by the worker, never on the request that records a message, so a
booking pays nothing for them and an edit counts for every message not yet sent.
"""

from __future__ import annotations

from django.conf import settings

from kium.notifications.models import NotificationTemplate


def template_row(event: str) -> NotificationTemplate | None:
    return NotificationTemplate.objects.filter(event=event).first()


def event_enabled(event: str) -> bool:
    """An event without a row is enabled (the built-in default)."""
    row = template_row(event)
    return row is None or row.enabled


def alimtalk_code(event: str) -> str:
    """The approved 알림톡 template code: the row's, else KIUM_ALIMTALK_TEMPLATES."""
    row = template_row(event)
    if row is not None and row.alimtalk_template_code:
        return row.alimtalk_template_code
    return (getattr(settings, "KIUM_ALIMTALK_TEMPLATES", None) or {}).get(event, "")
