"""Field types shared by the routers."""

from __future__ import annotations

import datetime as dt
import re
from typing import Annotated, Any

from pydantic import BeforeValidator

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def _iso_date_only(value: Any) -> Any:
    # pydantic would read 0 as 1970-01-01 (a Unix time); API.md dates are YYYY-MM-DD.
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not _ISO_DATE.match(value):
        raise ValueError("날짜는 YYYY-MM-DD 형식으로 입력해 주세요.")
    return value


IsoDate = Annotated[dt.date, BeforeValidator(_iso_date_only)]
