"""E-mail through Django's mail (EMAIL_BACKEND, DEFAULT_FROM_EMAIL)."""

from __future__ import annotations

import smtplib

from django.conf import settings
from django.core.mail import send_mail

from kium.notifications.domain.texts import render, subject
from kium.notifications.providers import Delivery, PermanentFailure, TemporaryFailure


class EmailProvider:
    def send(self, message) -> Delivery:
        if not message.email:
            raise PermanentFailure("no e-mail address")
        try:
            send_mail(
                subject(message.event),
                render(message.event, message.context),
                settings.DEFAULT_FROM_EMAIL,
                [message.email],
            )
        except (smtplib.SMTPRecipientsRefused, smtplib.SMTPSenderRefused) as exc:
            raise PermanentFailure(f"mail refused: {exc}") from exc
        except (smtplib.SMTPException, OSError) as exc:
            raise TemporaryFailure(f"mail server: {exc}") from exc
        return Delivery(channel="email")
