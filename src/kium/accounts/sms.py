"""Text messages (SMS): one door, ``send_sms(phone, text)``, with pluggable providers.

``console`` (development and tests) writes the message to the ``kium.sms`` log and keeps
it in ``outbox``; ``solapi`` posts it to Solapi's REST API. Solapi is called with the
standard library on purpose: one small POST does not justify an SDK dependency.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import json
import logging
import secrets
import urllib.error
import urllib.request
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger("kium.sms")

SOLAPI_SEND_PATH = "/messages/v4/send"
SOLAPI_TIMEOUT_SECONDS = 10


class SmsError(Exception):
    """The provider did not accept the message."""


@dataclass(frozen=True)
class SmsMessage:
    phone: str
    text: str


# What the console provider "sent", newest last; tests read and clear it.
outbox: list[SmsMessage] = []


def send_sms(phone: str, text: str) -> None:
    provider = settings.KIUM_SMS_PROVIDER
    if provider == "console":
        _send_console(phone, text)
    elif provider == "solapi":
        _send_solapi(phone, text)
    else:
        raise SmsError(f"unknown SMS provider {provider!r}")


def _send_console(phone: str, text: str) -> None:
    outbox.append(SmsMessage(phone=phone, text=text))
    logger.info("SMS to %s: %s", phone, text)


def solapi_auth_header(api_key: str, api_secret: str, *, date: str, salt: str) -> str:
    """Solapi's HMAC-SHA256 header: the signature covers date + salt, keyed by the secret."""
    signature = hmac.new(api_secret.encode(), (date + salt).encode(), hashlib.sha256).hexdigest()
    return f"HMAC-SHA256 apiKey={api_key}, date={date}, salt={salt}, signature={signature}"


def _send_solapi(phone: str, text: str) -> None:
    date = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    salt = secrets.token_hex(16)
    body = json.dumps(
        {"message": {"to": phone, "from": settings.KIUM_SMS_SENDER, "text": text}},
        ensure_ascii=False,
    ).encode()
    url = settings.KIUM_SOLAPI_BASE_URL.rstrip("/") + SOLAPI_SEND_PATH
    if not url.startswith(("https://", "http://")):
        raise SmsError("KIUM_SOLAPI_BASE_URL must be an http(s) URL")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=body,
        method="POST",
        headers={
            "Authorization": solapi_auth_header(
                settings.KIUM_SOLAPI_API_KEY,
                settings.KIUM_SOLAPI_API_SECRET,
                date=date,
                salt=salt,
            ),
            "Content-Type": "application/json; charset=utf-8",
        },
    )
    try:
        with urllib.request.urlopen(request, timeout=SOLAPI_TIMEOUT_SECONDS) as response:  # noqa: S310
            answer = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode(errors="replace")
        raise SmsError(f"Solapi answered {exc.code}: {detail}") from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise SmsError(f"Solapi unreachable: {exc}") from exc
    logger.info("SMS to %s sent through Solapi: %s", phone, answer[:200])
