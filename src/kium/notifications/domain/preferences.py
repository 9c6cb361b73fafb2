"""알림 수신 설정: a guardian chooses their channels and gives or withdraws SMS consent.

The worker reads the result at send time (``routing.plan_delivery``). Rules:

- 알림톡, 문자(SMS) and 이메일 are chosen one by one; no row means the defaults
  (알림톡 only). Refusing everything is allowed: messages are then not sent (the send
  history shows why).
- 문자 needs SMS consent. Choosing 문자 without consent is refused with a message;
  withdrawing consent turns 문자 off (and the 알림톡's SMS fallback with it).
- The consent time is kept (``sms_consent_at``); saving again keeps the first time,
  withdrawing clears it. The account's ``sms_consent_at`` (sign-up, profile) is the
  same consent and is kept equal, so both screens say the same thing.
- 이메일 needs an e-mail address on the account.
- Every change writes an audit entry with before/after (the history of consents).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from kium.accounts.enums import UserKind
from kium.accounts.models import User
from kium.core import clock
from kium.core.audit import log_action, snapshot
from kium.core.locking import lock_rows
from kium.notifications.models import NotificationPreference

_FIELDS = ["alimtalk", "sms", "email", "sms_consent_at"]


@dataclass(frozen=True)
class Preferences:
    """What the page shows: the person's choice as it counts now."""

    alimtalk: bool
    sms: bool
    email: bool
    sms_consent_at: dt.datetime | None

    @property
    def sms_consent(self) -> bool:
        return self.sms_consent_at is not None


@dataclass(frozen=True)
class SaveResult:
    preferences: Preferences
    changed: bool
    sms_turned_off: bool  # consent withdrawn while 문자 was on


def _consent_at(user: User, row: NotificationPreference | None) -> dt.datetime | None:
    """Consent counts only when neither record says withdrawn (routing.choice_for)."""
    if user.sms_consent_at is None:
        return None
    if row is None:
        return user.sms_consent_at
    return row.sms_consent_at


def _row(user: User) -> NotificationPreference | None:
    return NotificationPreference.objects.filter(user=user).first()


def preferences_of(user: User) -> Preferences:
    row = _row(user)
    consent_at = _consent_at(user, row)
    if row is None:
        defaults = NotificationPreference()
        return Preferences(defaults.alimtalk, defaults.sms, defaults.email, consent_at)
    return Preferences(row.alimtalk, row.sms and consent_at is not None, row.email, consent_at)


def save_preferences(
    *, user: User, alimtalk: bool, sms: bool, email: bool, sms_consent: bool
) -> SaveResult:
    """The guardian's own choice; raises ValidationError (field → Korean message)."""
    if user.kind != UserKind.GUARDIAN:
        raise ValidationError(_("보호자 회원만 알림 수신 설정을 바꿀 수 있습니다."))
    with transaction.atomic():
        # One guardian's saves take turns (a double click, two tabs).
        user = lock_rows(User.objects.filter(pk=user.pk)).get()
        row = lock_rows(NotificationPreference.objects.filter(user=user)).first()
        before = preferences_of(user)
        errors: dict[str, str] = {}
        withdrawn = before.sms_consent and not sms_consent
        sms_turned_off = withdrawn and sms
        if withdrawn:
            sms = False
        if sms and not sms_consent:
            errors["sms"] = _("문자(SMS)를 받으려면 아래 문자 수신 동의에 체크해 주세요.")
        if email and not user.email:
            errors["email"] = _("이메일로 받으려면 회원정보에서 이메일 주소를 먼저 등록해 주세요.")
        if errors:
            raise ValidationError(errors)
        # Saving again keeps the time consent was first given.
        consent_at = (
            (before.sms_consent_at or user.sms_consent_at or clock.now()) if sms_consent else None
        )
        after = Preferences(alimtalk, sms, email, consent_at)
        unchanged = (
            after == before
            and user.sms_consent_at == consent_at
            and (row is None or snapshot(row, _FIELDS) == _picture(after))
        )
        if unchanged:
            return SaveResult(after, changed=False, sms_turned_off=False)
        old_row = snapshot(row, _FIELDS) if row is not None else None
        if row is None:
            row = NotificationPreference(user=user)
        row.alimtalk, row.sms, row.email, row.sms_consent_at = (
            after.alimtalk,
            after.sms,
            after.email,
            after.sms_consent_at,
        )
        row.save()
        log_action(
            actor=user,
            action="notification.preferences_update",
            obj=row,
            before=old_row if old_row is not None else {**_picture(before), "row": None},
            after=snapshot(row, _FIELDS),
            reason=_("문자 수신 동의 철회") if withdrawn else "",
        )
        if user.sms_consent_at != consent_at:
            account_before = snapshot(user, ["sms_consent_at"])
            user.sms_consent_at = consent_at
            user.save(update_fields=["sms_consent_at"])
            log_action(
                actor=user,
                action="account.sms_consent_update",
                obj=user,
                before=account_before,
                after=snapshot(user, ["sms_consent_at"]),
                reason=_("알림 수신 설정에서 변경"),
            )
    return SaveResult(after, changed=True, sms_turned_off=sms_turned_off)


def _picture(preferences: Preferences) -> dict:
    return {
        "alimtalk": preferences.alimtalk,
        "sms": preferences.sms,
        "email": preferences.email,
        "sms_consent_at": preferences.sms_consent_at.isoformat()
        if preferences.sms_consent_at
        else None,
    }


def follow_account_consent(user: User, *, actor=None) -> None:
    """The account's SMS consent changed elsewhere (회원정보): make the preference say the
    same. Call it inside that change's transaction. Withdrawing turns 문자 off."""
    row = lock_rows(NotificationPreference.objects.filter(user=user)).first()
    if row is None or row.sms_consent_at == user.sms_consent_at:
        return
    before = snapshot(row, _FIELDS)
    row.sms_consent_at = user.sms_consent_at
    if row.sms_consent_at is None:
        row.sms = False
    row.save()
    log_action(
        actor=actor if actor is not None else user,
        action="notification.preferences_update",
        obj=row,
        before=before,
        after=snapshot(row, _FIELDS),
        reason=_("회원정보에서 문자 수신 동의 변경"),
    )
