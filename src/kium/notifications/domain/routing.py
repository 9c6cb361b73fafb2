"""Which channel one message takes, decided by the worker at send time (NTF-1).

``record()`` runs on the booking request under a lock and stays one insert: it keeps a
provisional channel from the settings only. Everything about the person is read here,
when the worker sends, so a change of preference or template counts for every message
not sent yet. The rules (docs/notifications.md, "수신 채널과 문자 수신 동의"):

1. An event switched off in 알림톡 관리 (``event_enabled``) is not sent: skipped,
   "이벤트 사용 중지".
2. The configured channels (``KIUM_NOTIFY_CHANNELS``) are tried in their order; the
   first one this recipient can get and has not refused is used.
   ``console`` (development) always takes the message, so development shows everything.
3. A guardian's choice is their ``NotificationPreference``; no row means the defaults
   (알림톡 on, 문자 off, 이메일 off). Any account with a row follows it too.
   - 알림톡: chosen, a phone, and an approved template code for the event.
   - 문자: chosen **and** SMS consent recorded, and a phone.
   - 이메일: chosen, and an address.
   - The SMS fallback of a refused 알림톡 needs the recorded consent **and**
     ``KIUM_ALIMTALK_SMS_FALLBACK``.
   SMS consent is one fact kept in two places (the account's ``sms_consent_at``, given
   at sign-up or on the profile, and the preference's): consent counts only when
   neither says withdrawn — a withdrawal anywhere stops texts.
4. Staff accounts without a row, and messages to a phone or address only (no account:
   staff sign-up, a centre's invitation) keep the behaviour before preferences existed:
   the first configured channel the contact reaches, and the SMS fallback as the setting
   says.
5. When no channel is left the message is skipped with a Korean reason kept in
   ``last_error`` (the send history shows it); it is never sent by another way.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.translation import gettext as _

from kium.accounts.enums import UserKind
from kium.notifications.domain.templates import alimtalk_code, event_enabled
from kium.notifications.models import Channel, NotificationPreference, OutboxMessage


@dataclass(frozen=True)
class Plan:
    """Either a channel (+ 알림톡 template code and whether SMS may replace it) or a skip."""

    channel: str = ""
    template_code: str = ""
    sms_fallback: bool = False
    skip_reason: str = ""

    @property
    def skipped(self) -> bool:
        return not self.channel


@dataclass(frozen=True)
class Choice:
    """What one person accepts (``choice_for`` returns None for no choice of their own)."""

    alimtalk: bool
    sms: bool
    email: bool
    sms_consent: bool


def configured_channels() -> tuple[str, ...]:
    return tuple(getattr(settings, "KIUM_NOTIFY_CHANNELS", ("console",)) or ())


def fallback_setting() -> bool:
    return bool(getattr(settings, "KIUM_ALIMTALK_SMS_FALLBACK", True))


def choice_for(user) -> Choice | None:
    """The person's choice, or None for staff without a row (and device accounts)."""
    if user is None:
        return None
    try:
        preference = user.notification_preference
    except NotificationPreference.DoesNotExist:
        preference = None
    is_guardian = user.kind == UserKind.GUARDIAN
    # Guardians also consent on the account (sign-up, profile); staff never do there.
    account_consent = getattr(user, "sms_consent_at", None) is not None
    if preference is None:
        if not is_guardian:
            return None
        defaults = NotificationPreference()
        return Choice(
            alimtalk=defaults.alimtalk,
            sms=defaults.sms,
            email=defaults.email,
            sms_consent=account_consent,
        )
    consent = preference.sms_consent_at is not None and (account_consent or not is_guardian)
    return Choice(
        alimtalk=preference.alimtalk,
        sms=preference.sms,  # plan_for also requires the consent
        email=preference.email,
        sms_consent=consent,
    )


def _recipient(message: OutboxMessage):
    if not message.recipient_id:
        return None
    from kium.accounts.models import User

    return (
        User.objects.select_related("notification_preference")
        .filter(pk=message.recipient_id)
        .first()
    )


def plan_delivery(message: OutboxMessage) -> Plan:
    """The channel for ``message`` now (reads the recipient, their preference, the
    template), or a skip with the reason; see the module docstring for the rules."""
    if not event_enabled(message.event):
        return Plan(skip_reason=_("이벤트 사용 중지"))
    return plan_for(
        event=message.event,
        phone=message.phone,
        email=message.email,
        choice=choice_for(_recipient(message)),
    )


def plan_for(*, event: str, phone: str, email: str, choice: Choice | None) -> Plan:
    """The pure part of the decision, given the person's choice (None: no choice)."""
    code = None  # looked up once, only if 알림톡 is tried

    def template() -> str:
        nonlocal code
        if code is None:
            code = alimtalk_code(event)
        return code

    reasons: list[str] = []
    for channel in configured_channels():
        if channel == Channel.CONSOLE:
            return Plan(channel=Channel.CONSOLE)
        if channel == Channel.ALIMTALK:
            if choice is not None and not choice.alimtalk:
                reasons.append(_("알림톡 수신 거부"))
            elif not phone:
                reasons.append(_("알림톡: 휴대전화번호 없음"))
            elif not template():
                reasons.append(_("알림톡: 승인된 템플릿 없음"))
            else:
                fallback = fallback_setting() and (choice is None or choice.sms_consent)
                return Plan(
                    channel=Channel.ALIMTALK, template_code=template(), sms_fallback=fallback
                )
        elif channel == Channel.SMS:
            if choice is not None and not choice.sms_consent:
                reasons.append(_("문자 수신 동의 없음"))
            elif choice is not None and not choice.sms:
                reasons.append(_("문자 수신 거부"))
            elif not phone:
                reasons.append(_("문자: 휴대전화번호 없음"))
            else:
                return Plan(channel=Channel.SMS)
        elif channel == Channel.EMAIL:
            if choice is not None and not choice.email:
                reasons.append(_("이메일 수신 거부"))
            elif not email:
                reasons.append(_("이메일 주소 없음"))
            else:
                return Plan(channel=Channel.EMAIL)
    if choice is not None and not (choice.alimtalk or choice.sms or choice.email):
        return Plan(skip_reason=_("수신자가 모든 채널을 거부함"))
    if not reasons:
        return Plan(skip_reason=_("설정된 발송 채널 없음"))
    return Plan(
        skip_reason=_("보낼 수 있는 채널 없음: %(reasons)s") % {"reasons": ", ".join(reasons)}
    )
