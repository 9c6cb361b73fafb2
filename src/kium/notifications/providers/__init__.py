"""Providers behind one interface: ``send(message) -> Delivery`` or raise.

``TemporaryFailure``: try again later (network down, 5xx, 429, timeouts).
``PermanentFailure``: do not retry (the broker refused the request, e.g. 4xx).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from kium.notifications.models import OutboxMessage


@dataclass(frozen=True)
class Delivery:
    channel: str
    provider_message_id: str = ""
    note: str = ""


class ProviderError(Exception):
    pass


class TemporaryFailure(ProviderError):
    pass


class PermanentFailure(ProviderError):
    pass


class Provider(Protocol):
    def send(self, message: OutboxMessage) -> Delivery: ...


def get_provider(channel: str) -> Provider:
    from kium.notifications.providers import alimtalk, console, email, sms

    providers = {
        "console": console.ConsoleProvider,
        "sms": sms.SmsProvider,
        "alimtalk": alimtalk.AlimtalkProvider,
        "email": email.EmailProvider,
    }
    try:
        return providers[channel]()
    except KeyError:
        raise PermanentFailure(f"unknown channel {channel!r}") from None
