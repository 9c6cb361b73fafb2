"""Defining and correcting the city's usage quarters (RES-4). See docs/quarters.md."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from kium.centres.domain.errors import CentresError
from kium.centres.domain.permissions import QUARTERS_MENU, require_city_menu
from kium.centres.enums import TERM_NAMES_KO, Term
from kium.centres.models import Quarter
from kium.core.audit import log_action, snapshot

MIN_YEAR, MAX_YEAR = 2000, 2100


def _fmt(day: dt.date) -> str:
    return f"{day:%Y.%m.%d}"


def _check_dates(*, year: int, term: str, start: dt.date, end: dt.date) -> None:
    if start > end:
        raise CentresError("invalid_range", _("종료일은 시작일과 같거나 그 뒤여야 합니다."), "end")
    # The 겨울방학 of a school year falls in the next calendar year (or late December).
    allowed_years = {year, year + 1} if term == Term.WINTER_VACATION else {year}
    if start.year not in allowed_years:
        raise CentresError(
            "wrong_year", _("시작일이 %(year)s학년도에 속하지 않습니다.") % {"year": year}, "start"
        )


def _check_overlap(*, start: dt.date, end: dt.date, exclude_pk: int | None = None) -> None:
    """A day belongs to at most one quarter, whatever the year (extension relies on it)."""
    others = Quarter.objects.filter(start__lte=end, end__gte=start)
    if exclude_pk is not None:
        others = others.exclude(pk=exclude_pk)
    other = others.order_by("start").first()
    if other is not None:
        raise CentresError(
            "overlap",
            _("%(other)s(%(start)s~%(end)s)와 기간이 겹칩니다.")
            % {"other": other, "start": _fmt(other.start), "end": _fmt(other.end)},
            "start",
        )


@transaction.atomic
def define_quarter(*, actor, year: int, term: str, start: dt.date, end: dt.date) -> Quarter:
    """Register one quarter of a school year."""
    require_city_menu(actor, QUARTERS_MENU)
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CentresError("invalid_year", _("연도를 확인해 주세요."), "year")
    if term not in Term.values:
        raise CentresError("invalid_term", _("분기 구분이 올바르지 않습니다."), "term")
    if Quarter.objects.filter(year=year, term=term).exists():
        raise CentresError(
            "duplicate",
            _("%(year)s년 %(name)s은(는) 이미 등록되어 있습니다.")
            % {"year": year, "name": TERM_NAMES_KO[term]},
            "term",
        )
    _check_dates(year=year, term=term, start=start, end=end)
    _check_overlap(start=start, end=end)
    user = actor if getattr(actor, "is_authenticated", False) else None
    quarter = Quarter.objects.create(
        year=year, term=term, start=start, end=end, created_by=user, updated_by=user
    )
    log_action(actor=actor, action="quarter.define", obj=quarter, after=snapshot(quarter))
    return quarter


@transaction.atomic
def update_quarter(*, actor, quarter: Quarter, start: dt.date, end: dt.date) -> Quarter:
    """Correct a quarter's dates; facilities' periods must still fit inside."""
    require_city_menu(actor, QUARTERS_MENU)
    quarter = Quarter.objects.select_for_update().get(pk=quarter.pk)
    _check_dates(year=quarter.year, term=quarter.term, start=start, end=end)
    _check_overlap(start=start, end=end, exclude_pk=quarter.pk)
    outside = quarter.operating_periods.exclude(start__gte=start, end__lte=end).count()
    if outside:
        raise CentresError(
            "periods_outside",
            _(
                "이 분기의 운영기간 %(n)s건이 새 기간을 벗어납니다. "
                "먼저 시설 운영기간을 고쳐 주세요."
            )
            % {"n": outside},
            "start",
        )
    before = snapshot(quarter)
    quarter.start, quarter.end = start, end
    quarter.updated_by = actor if getattr(actor, "is_authenticated", False) else None
    quarter.save(update_fields=["start", "end", "updated_by", "updated_at"])
    log_action(
        actor=actor, action="quarter.update", obj=quarter, before=before, after=snapshot(quarter)
    )
    return quarter
