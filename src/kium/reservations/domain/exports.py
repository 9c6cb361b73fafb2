"""Excel files of the 예약관리 screens (RES-11). Every one carries children's and
guardians' personal data, so the views hand them out only through the reasoned download
(backoffice.views_common.reasoned_download), which writes the access record first.

Each function takes the rows the screen shows (already scoped and filtered) and adds
what the screen adds (waitlist positions, missing documents) in a fixed number of
queries. Cells are written through ``safe_cell`` so a typed "=…" stays text.
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from kium.orgs.domain.exports import build_workbook, fmt_datetime
from kium.reservations.domain.calendar import DailyUsers, ExtensionRow, document_gaps
from kium.reservations.domain.places import waitlist_positions
from kium.reservations.enums import CareType, DocumentKind


def fmt_date(value) -> str:
    return value.strftime("%Y.%m.%d") if value else ""


WEEKDAY_NAMES = (
    gettext_lazy("월"),
    gettext_lazy("화"),
    gettext_lazy("수"),
    gettext_lazy("목"),
    gettext_lazy("금"),
    gettext_lazy("토"),
    gettext_lazy("일"),
)


def weekday_names(weekdays) -> str:
    return ",".join(str(WEEKDAY_NAMES[day]) for day in sorted(weekdays or []) if 0 <= day <= 6)


def period_text(reservation) -> str:
    """이용일/기간 as the screens print it."""
    hours = f"{reservation.start_time:%H:%M}~{reservation.end_time:%H:%M}"
    if reservation.care_type == CareType.REGULAR:
        return (
            f"{fmt_date(reservation.start_date)}~{fmt_date(reservation.end_date)} "
            f"({weekday_names(reservation.weekdays)}) {hours}"
        )
    return f"{fmt_date(reservation.date)} {hours}"


def missing_text(missing: list[str]) -> str:
    if not missing:
        return _("완비")
    return _("미비: %(names)s") % {
        "names": ", ".join(str(DocumentKind(kind).label) for kind in missing)
    }


def applications_workbook(reservations: list) -> bytes:
    """예약신청관리 목록, in the order of the screen."""
    positions = waitlist_positions(reservations)
    gaps = document_gaps(reservations)
    header = [
        _("순번"),
        _("신청일시"),
        _("시설코드"),
        _("시설명"),
        _("아동"),
        _("보호자"),
        _("보호자 휴대전화"),
        _("돌봄유형"),
        _("이용일/기간"),
        _("상태"),
        _("대기순번"),
        _("서류"),
        _("접수경로"),
        _("처리 사유"),
    ]
    rows = [
        [
            n,
            fmt_datetime(r.created_at),
            r.facility.code,
            r.facility.name,
            r.child.name,
            r.guardian.name,
            r.guardian.phone,
            str(r.get_care_type_display()),
            period_text(r),
            str(r.get_status_display()),
            positions.get(r.pk, ""),
            missing_text(gaps.get(r.pk, [])),
            str(r.get_source_display()),
            r.decision_reason,
        ]
        for n, r in enumerate(reservations, start=1)
    ]
    return build_workbook(_("예약신청 목록"), header, rows)


def users_workbook(reservations: list, *, care_type: str) -> bytes:
    """정기 / 일시 / 아픈아이 돌봄 이용자 목록."""
    header = [
        _("순번"),
        _("시설명"),
        _("아동"),
        _("생년월일"),
        _("학년"),
        _("보호자"),
        _("보호자 휴대전화"),
        _("이용일/기간"),
        _("상태"),
        _("이용료(원)"),
        _("감면 구분"),
    ]
    sick = care_type == CareType.SICK
    if sick:
        header += [_("증상"), _("병원 동행 동의"), _("연락 가능한 전화번호")]
    rows = []
    for n, r in enumerate(reservations, start=1):
        row = [
            n,
            r.facility.name,
            r.child.name,
            fmt_date(r.child.birth_date),
            r.child.grade or "",
            r.guardian.name,
            r.guardian.phone,
            period_text(r),
            str(r.get_status_display()),
            r.fee_amount if r.fee_amount is not None else "",
            str(r.get_exemption_display()) if r.exemption else "",
        ]
        if sick:
            row += [
                r.symptoms,
                _("동의") if r.clinic_escort_consent else _("미동의"),
                r.reachable_phone,
            ]
        rows.append(row)
    title = {
        CareType.REGULAR: _("정기돌봄 이용자"),
        CareType.TEMPORARY: _("일시돌봄 이용자"),
        CareType.SICK: _("아픈아이 돌봄 이용자"),
    }[care_type]
    return build_workbook(title, header, rows)


def daily_workbook(daily: DailyUsers) -> bytes:
    header = [
        _("순번"),
        _("등원 시각"),
        _("하원 시각"),
        _("아동"),
        _("학년"),
        _("보호자"),
        _("보호자 휴대전화"),
        _("돌봄유형"),
        _("상태"),
    ]
    rows = [
        [
            n,
            f"{r.start_time:%H:%M}",
            f"{r.end_time:%H:%M}",
            r.child.name,
            r.child.grade or "",
            r.guardian.name,
            r.guardian.phone,
            str(r.get_care_type_display()),
            str(r.get_status_display()),
        ]
        for n, r in enumerate(daily.rows, start=1)
    ]
    return build_workbook(_("일일 이용자"), header, rows)


def extensions_workbook(rows: list[ExtensionRow]) -> bytes:
    header = [
        _("순번"),
        _("아동"),
        _("보호자"),
        _("보호자 휴대전화"),
        _("이용기간"),
        _("연장 상태"),
        _("보호자 연장 중단일시"),
        _("변경 마감일"),
    ]
    data = [
        [
            n,
            row.reservation.child.name,
            row.reservation.guardian.name,
            row.reservation.guardian.phone,
            period_text(row.reservation),
            row.state.label,
            fmt_datetime(row.reservation.extension_stopped_at),
            fmt_date(row.state.cutoff),
        ]
        for n, row in enumerate(rows, start=1)
    ]
    return build_workbook(_("이용기간 연장 대상"), header, data)
