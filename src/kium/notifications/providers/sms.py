"""SMS/LMS through ``kium.accounts.sms.send_sms`` (console or Solapi, per KIUM_SMS_PROVIDER)."""

from __future__ import annotations

import urllib.error

from kium.accounts.sms import SmsError, send_sms
from kium.notifications.domain.texts import render
from kium.notifications.providers import Delivery, PermanentFailure, TemporaryFailure


def classify(exc: SmsError) -> Exception:
    """send_sms raises SmsError *from* the transport error: its cause tells us the kind."""
    cause = exc.__cause__
    if isinstance(cause, urllib.error.HTTPError):
        if cause.code >= 500 or cause.code in (408, 429):
            return TemporaryFailure(str(exc))
        return PermanentFailure(str(exc))
    if isinstance(cause, (urllib.error.URLError, TimeoutError, OSError)):
        return TemporaryFailure(str(exc))
    return PermanentFailure(str(exc))  # configuration (unknown provider, bad URL)


def send_text(phone: str, text: str) -> None:
    if not phone:
        raise PermanentFailure("no phone number")
    try:
        send_sms(phone, text)
    except SmsError as exc:
        raise classify(exc) from exc


class SmsProvider:
    def send(self, message) -> Delivery:
        send_text(message.phone, render(message.event, message.context))
        return Delivery(channel="sms")
