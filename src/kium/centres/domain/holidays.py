"""Korean public holidays (공휴일, 대체공휴일, 임시공휴일 the package knows) from ``holidays``."""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import holidays as holidays_package


@lru_cache(maxsize=32)
def public_holidays(year: int) -> dict[dt.date, str]:
    """The year's public holidays with their Korean names, in date order."""
    calendar = holidays_package.country_holidays("KR", years=year, language="ko")
    return dict(sorted(calendar.items()))


def is_public_holiday(day: dt.date) -> bool:
    return day in public_holidays(day.year)
