"""Unlocking an account that django-axes locked after repeated failed logins (ACC-2).

Two doors: the person proves who they are by phone verification (the 계정잠금해제
page), or an officer unlocks it from the staff screens (``unlock_account``).
"""

from __future__ import annotations

from axes.models import AccessAttempt
from axes.utils import reset as axes_reset
from django.conf import settings
from django.db import transaction

from kium.accounts.models import User
from kium.core.audit import log_action


def is_account_locked(*, username: str) -> bool:
    return AccessAttempt.objects.filter(
        username=username, failures_since_start__gte=settings.AXES_FAILURE_LIMIT
    ).exists()


def failure_count(*, username: str) -> int:
    counts = AccessAttempt.objects.filter(username=username).values_list(
        "failures_since_start", flat=True
    )
    return max(counts, default=0)


def unlock_account(*, actor, user: User, reason: str = "") -> int:
    """Clear the failed attempts of ``user``; returns how many records were removed.

    ``actor`` is the officer, or None when the person unlocked it by phone verification.
    """
    with transaction.atomic():
        failures = failure_count(username=user.get_username())
        removed = axes_reset(username=user.get_username())
        log_action(
            actor=actor,
            action="account.unlock",
            obj=user,
            before={"failures": failures},
            after={"failures": 0},
            reason=reason or ("phone_verification" if actor is None else ""),
        )
    return removed
