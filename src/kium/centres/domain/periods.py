"""A facility's operating period per quarter and its hours (FAC-3, FAQ Q5)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from kium.centres.domain.errors import CentresError
from kium.centres.domain.permissions import require_facility
from kium.centres.models import OperatingPeriod, Quarter
from kium.core.audit import log_action, snapshot

Hours = tuple[dt.time, dt.time]


def _check(*, quarter: Quarter, start, end, weekday_hours: Hours, saturday_hours) -> None:
    if start > end:
        raise CentresError("invalid_range", _("종료일은 시작일과 같거나 그 뒤여야 합니다."), "end")
    if start < quarter.start or end > quarter.end:
        raise CentresError(
            "outside_quarter",
            _("운영기간은 %(q)s 기간(%(s)s~%(e)s) 안이어야 합니다.")
            % {"q": quarter, "s": f"{quarter.start:%Y.%m.%d}", "e": f"{quarter.end:%Y.%m.%d}"},
            "start" if start < quarter.start else "end",
        )
    if weekday_hours[0] >= weekday_hours[1]:
        raise CentresError(
            "invalid_hours", _("종료시간은 시작시간보다 뒤여야 합니다."), "close_time"
        )
    if saturday_hours is not None and saturday_hours[0] >= saturday_hours[1]:
        raise CentresError(
            "invalid_hours", _("종료시간은 시작시간보다 뒤여야 합니다."), "saturday_close_time"
        )


@transaction.atomic
def set_operating_period(
    *,
    actor,
    facility,
    quarter: Quarter,
    weekday_hours: Hours,
    start: dt.date | None = None,
    end: dt.date | None = None,
    saturday_hours: Hours | None = None,
) -> OperatingPeriod:
    """Create or correct the facility's period in ``quarter``: one call, one audit entry.
    Without ``start``/``end`` the period is the whole quarter."""
    require_facility(actor, facility)
    start = quarter.start if start is None else start
    end = quarter.end if end is None else end
    _check(
        quarter=quarter,
        start=start,
        end=end,
        weekday_hours=weekday_hours,
        saturday_hours=saturday_hours,
    )
    user = actor if getattr(actor, "is_authenticated", False) else None
    period = (
        OperatingPeriod.objects.select_for_update()
        .filter(facility=facility, quarter=quarter)
        .first()
    )
    before = snapshot(period) if period is not None else None
    if period is None:
        period = OperatingPeriod(facility=facility, quarter=quarter, created_by=user)
    period.start, period.end = start, end
    period.open_time, period.close_time = weekday_hours
    period.saturday_open_time, period.saturday_close_time = saturday_hours or (None, None)
    period.updated_by = user
    period.save()
    log_action(
        actor=actor,
        action="operating_period.set",
        obj=period,
        before=before,
        after=snapshot(period),
    )
    return period


@transaction.atomic
def remove_operating_period(*, actor, period: OperatingPeriod) -> None:
    require_facility(actor, period.facility)
    log_action(actor=actor, action="operating_period.remove", obj=period, before=snapshot(period))
    period.delete()
