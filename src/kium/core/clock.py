"""The one clock (DESIGN rule 11): every 'now' and 'today' in Kium comes from here.

Tests freeze it with time-machine, which moves Python's clock underneath.
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.utils import timezone

SEOUL = ZoneInfo("Asia/Seoul")


def now() -> dt.datetime:
    """The current instant, aware, in Asia/Seoul."""
    return timezone.now().astimezone(SEOUL)


def today() -> dt.date:
    """Today's date in Seoul (not UTC: at 08:00 Seoul it is still yesterday in UTC)."""
    return now().date()


def to_seoul(value: dt.datetime) -> dt.datetime:
    return value.astimezone(SEOUL)
