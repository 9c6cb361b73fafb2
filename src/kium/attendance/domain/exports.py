"""출결관리 Excel: one facility's day (through the reasoned download flow)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from kium.attendance.domain.queries import DaySheet
from kium.core.clock import to_seoul
from kium.orgs.domain.exports import build_workbook


def _hm(value) -> str:
    return f"{to_seoul(value):%H:%M}" if value else ""


def day_workbook(sheet: DaySheet) -> bytes:
    header = [
        _("순번"),
        _("아동"),
        _("이용 예정"),
        _("예정 시간"),
        _("등원"),
        _("하원"),
        _("결석"),
        _("결석 사유"),
        _("예약 없는 태그"),
        _("수동 처리"),
    ]
    rows = []
    for n, row in enumerate(sheet.rows, start=1):
        planned = (
            f"{row.start_time:%H:%M}~{row.end_time:%H:%M}"
            if row.start_time and row.end_time
            else ""
        )
        rows.append(
            [
                n,
                row.child.name,
                _("예") if row.expected else _("아니오"),
                planned,
                _hm(row.check_in),
                _hm(row.check_out),
                _("결석") if row.absence else "",
                row.absence.reason if row.absence else "",
                _("예") if row.flagged else "",
                ", ".join(f"{_hm(t.tapped_at)} {t.reason}" for t in row.live if t.manual),
            ]
        )
    return build_workbook(_("출결 %(day)s") % {"day": f"{sheet.day:%Y.%m.%d}"}, header, rows)
