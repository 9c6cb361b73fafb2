"""휴무일: city-wide closures (시 지정 휴무일) and a facility's own closed days."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from kium.centres.domain.errors import CentresError
from kium.centres.domain.permissions import HOLIDAYS_MENU, require_city_menu, require_facility
from kium.centres.models import ClosedDay
from kium.core.audit import log_action, snapshot


def _require(actor, facility) -> None:
    if facility is None:
        require_city_menu(actor, HOLIDAYS_MENU)
    else:
        require_facility(actor, facility)


@transaction.atomic
def add_closed_day(*, actor, facility, date: dt.date, reason: str) -> ClosedDay:
    """``facility=None`` closes every facility that day."""
    _require(actor, facility)
    reason = (reason or "").strip()
    if not reason:
        raise CentresError("reason_required", _("휴무 사유를 입력해 주세요."), "reason")
    if ClosedDay.objects.filter(facility=facility, date=date).exists():
        raise CentresError(
            "duplicate",
            _("%(date)s은(는) 이미 휴무일로 등록되어 있습니다.") % {"date": f"{date:%Y.%m.%d}"},
            "date",
        )
    user = actor if getattr(actor, "is_authenticated", False) else None
    day = ClosedDay.objects.create(
        facility=facility, date=date, reason=reason[:100], created_by=user, updated_by=user
    )
    log_action(actor=actor, action="closed_day.add", obj=day, after=snapshot(day))
    return day


@transaction.atomic
def remove_closed_day(*, actor, closed_day: ClosedDay) -> None:
    _require(actor, closed_day.facility)
    log_action(actor=actor, action="closed_day.remove", obj=closed_day, before=snapshot(closed_day))
    closed_day.delete()
