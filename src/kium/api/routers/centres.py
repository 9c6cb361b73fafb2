"""Public centre reference data: the city's usage quarters (RES-4)."""

from __future__ import annotations

import datetime as dt

from ninja import Query, Router, Schema
from pydantic import Field

from kium.centres.domain.queries import quarters_of_year
from kium.core import clock

router = Router()


class QuarterOut(Schema):
    year: int
    term: str = Field(description="semester1 | summer_vacation | semester2 | winter_vacation")
    name: str = Field(description="1학기 | 여름방학 | 2학기 | 겨울방학")
    start: dt.date
    end: dt.date


class ErrorOut(Schema):
    code: str
    message: str


class QuarterFilter(Schema):
    year: int | None = Field(None, ge=2000, le=2100, description="학년도 (기본값: 서울 기준 올해)")


@router.get(
    "/quarters",
    response={200: list[QuarterOut], 400: ErrorOut},
    tags=["public"],
    auth=None,
)
def list_quarters(request, filters: Query[QuarterFilter]):
    """The school year's usage quarters in term order; the 겨울방학 runs into the next year."""
    year = filters.year if filters.year is not None else clock.today().year
    return [
        {"year": q.year, "term": q.term, "name": q.name, "start": q.start, "end": q.end}
        for q in quarters_of_year(year)
    ]
