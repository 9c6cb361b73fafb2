"""Passwords: change, reset by a time-limited link, and finding one's username.

A reset link is a signed, timestamped value that carries a fingerprint of the current
password hash, so it stops working after 30 minutes or as soon as it has been used.
"""

from __future__ import annotations

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core import signing
from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from kium.accounts.models import User
from kium.core.audit import log_action

_RESET_SALT = "kium.accounts.password_reset"


def set_new_password(*, actor, user: User, password: str, action: str) -> User:
    """Validate and set a password; raises ValidationError (Korean) when it breaks the rule."""
    validate_password(password, user=user)
    with transaction.atomic():
        was_forced = user.must_change_password
        user.set_password(password)
        user.must_change_password = False
        user.save(update_fields=["password", "must_change_password"])
        log_action(
            actor=actor,
            action=action,
            obj=user,
            before={"must_change_password": was_forced},
            after={"must_change_password": False},
        )
    return user


def change_password(*, user: User, password: str) -> User:
    """The person changes their own password (old password checked by the form)."""
    return set_new_password(
        actor=user, user=user, password=password, action="account.password_change"
    )


def _fingerprint(user: User) -> str:
    return salted_hmac(_RESET_SALT, f"{user.pk}:{user.password}").hexdigest()[:20]


def make_reset_token(*, user: User) -> str:
    return signing.TimestampSigner(salt=_RESET_SALT).sign(f"{user.pk}:{_fingerprint(user)}")


def user_for_reset_token(token: str) -> User | None:
    """The account a reset link belongs to, or None when expired, used or forged."""
    max_age = settings.KIUM_PASSWORD_RESET_MINUTES * 60
    try:
        value = signing.TimestampSigner(salt=_RESET_SALT).unsign(token, max_age=max_age)
    except signing.BadSignature:
        return None
    pk, _sep, fingerprint = value.partition(":")
    user = User.objects.filter(pk=pk, is_active=True).first() if pk.isdigit() else None
    if user is None or not constant_time_compare(fingerprint, _fingerprint(user)):
        return None
    return user


def reset_password(*, user: User, password: str) -> User:
    """Set a new password after phone verification; the account is unlocked as well,
    since the same proof of identity unlocks it (ACC-2)."""
    set_new_password(actor=None, user=user, password=password, action="account.password_reset")
    axes_reset(username=user.get_username())
    return user


def account_by_username_phone(*, username: str, phone: str, kind: str) -> User | None:
    return User.objects.filter(
        username=username.strip(), phone=phone, kind=kind, is_active=True
    ).first()


def mask_username(username: str) -> str:
    """NWUK015002 → NWUK0150**: enough to recognise, not enough to hand over."""
    hidden = max(2, len(username) // 4)
    hidden = min(hidden, max(len(username) - 1, 1))
    return username[: len(username) - hidden] + "*" * hidden


def find_usernames(*, name: str, phone: str, kind: str) -> list[str]:
    from kium.accounts.domain.signup import INVITED_USERNAME_PREFIX

    # An account a centre made for a phone applicant has no ID of its owner's yet:
    # they sign up with the same phone to take it over.
    usernames = (
        User.objects.filter(name=name.strip(), phone=phone, kind=kind, is_active=True)
        .exclude(username__startswith=INVITED_USERNAME_PREFIX)
        .values_list("username", flat=True)
    )
    return [mask_username(u) for u in usernames.order_by("username")]
