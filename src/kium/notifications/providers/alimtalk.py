"""KakaoTalk 알림톡 through Solapi's REST API (message type ATA).

Same endpoint and HMAC authentication as ``kium.accounts.sms`` (the header is built by
its ``solapi_auth_header``). Each event needs a template approved by Kakao: its Solapi
templateId comes from ``KIUM_ALIMTALK_TEMPLATES`` and the sender profile from
``KIUM_ALIMTALK_PF_ID``. Variables are the caller's context as ``#{name}``.

Fallback: when Solapi refuses the 알림톡 (4xx or a failure status code) and the
fallback is allowed, the same text goes out as SMS/LMS through ``send_sms``; with
``disableSms: false`` Solapi itself also substitutes SMS when Kakao cannot deliver a
message it had accepted. Allowed = the worker's plan (``message.sms_fallback``, set by
``send_claimed`` from ``routing.plan_delivery``: ``KIUM_ALIMTALK_SMS_FALLBACK`` and, for
a person, their recorded SMS consent); without a plan, the setting alone.

Solapi has no request-level idempotency key: the outbox key travels in ``customFields``
so a message can be traced (and a duplicate reconciled) in Solapi's console.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import secrets
import urllib.error
import urllib.request

from django.conf import settings

from kium.accounts.sms import SOLAPI_SEND_PATH, solapi_auth_header
from kium.notifications.domain.texts import render
from kium.notifications.providers import Delivery, PermanentFailure, TemporaryFailure
from kium.notifications.providers.sms import send_text

logger = logging.getLogger("kium.notify")

TIMEOUT_SECONDS = 10


def template_for(event: str) -> str:
    from kium.notifications.domain.templates import alimtalk_code

    return alimtalk_code(event)


def sms_fallback_allowed(message) -> bool:
    """The worker's plan says whether SMS may replace a refused 알림톡 (it needs the
    recipient's recorded SMS consent, docs/notifications.md); a message sent without a
    plan (a direct call) follows the setting alone."""
    planned = getattr(message, "sms_fallback", None)
    if planned is not None:
        return bool(planned)
    return bool(getattr(settings, "KIUM_ALIMTALK_SMS_FALLBACK", True))


def _variables(context: dict) -> dict[str, str]:
    return {f"#{{{key}}}": "" if value is None else str(value) for key, value in context.items()}


def _post(payload: dict) -> dict:
    base = getattr(settings, "KIUM_SOLAPI_BASE_URL", "https://api.solapi.com")
    url = base.rstrip("/") + SOLAPI_SEND_PATH
    if not url.startswith(("https://", "http://")):
        raise PermanentFailure("KIUM_SOLAPI_BASE_URL must be an http(s) URL")
    date = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    request = urllib.request.Request(  # noqa: S310 - scheme checked above
        url,
        data=json.dumps(payload, ensure_ascii=False).encode(),
        method="POST",
        headers={
            "Authorization": solapi_auth_header(
                settings.KIUM_SOLAPI_API_KEY or "",
                settings.KIUM_SOLAPI_API_SECRET or "",
                date=date,
                salt=secrets.token_hex(16),
            ),
            "Content-Type": "application/json; charset=utf-8",
        },
    )
    timeout = getattr(settings, "KIUM_NOTIFY_PROVIDER_TIMEOUT_SECONDS", TIMEOUT_SECONDS)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as exc:
        detail = exc.read()[:300].decode(errors="replace")
        error = f"Solapi answered {exc.code}: {detail}"
        if exc.code >= 500 or exc.code in (408, 429):
            raise TemporaryFailure(error) from exc
        raise PermanentFailure(error) from exc
    except (urllib.error.URLError, TimeoutError, OSError) as exc:
        raise TemporaryFailure(f"Solapi unreachable: {exc}") from exc
    try:
        return json.loads(raw or b"{}")
    except ValueError:
        return {}


class AlimtalkProvider:
    def send(self, message) -> Delivery:
        if not message.phone:
            raise PermanentFailure("no phone number")
        text = render(message.event, message.context)
        template_id = message.template_code or template_for(message.event)
        pf_id = getattr(settings, "KIUM_ALIMTALK_PF_ID", "")
        fallback = sms_fallback_allowed(message)
        try:
            if not (template_id and pf_id):
                raise PermanentFailure("알림톡 template or pfId not configured")
            answer = _post(
                {
                    "message": {
                        "to": message.phone,
                        "from": getattr(settings, "KIUM_SMS_SENDER", "") or "",
                        "text": text,
                        "type": "ATA",
                        "kakaoOptions": {
                            "pfId": pf_id,
                            "templateId": template_id,
                            "variables": _variables(message.context or {}),
                            "disableSms": not fallback,
                        },
                        "customFields": {"idempotencyKey": message.idempotency_key},
                    }
                }
            )
            status_code = str(answer.get("statusCode", "2000"))
            if not status_code.startswith("2"):
                raise PermanentFailure(
                    f"Solapi refused 알림톡 {status_code}: {answer.get('statusMessage', '')}"
                )
        except PermanentFailure as exc:
            if not fallback:
                raise
            logger.warning("알림톡 %s refused (%s): falling back to SMS", message.pk, exc)
            send_text(message.phone, text)
            return Delivery(channel="sms", note=f"알림톡 실패, 문자 대체 발송: {exc}"[:500])
        return Delivery(channel="alimtalk", provider_message_id=str(answer.get("messageId", "")))
