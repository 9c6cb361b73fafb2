"""Excel downloads of personal data (담당자 목록, 개인정보 접속기록, 시설 목록).

A download is a read of personal data: the officer first gives a reason, and the download
is written to the access records (action ``download``) with that reason before the file
leaves, so the monthly review (reviews.py) lists it. One record describes the whole file
(what, how many rows, which filters) rather than one per row: the file is one act.
"""

from __future__ import annotations

import io
from collections.abc import Iterable

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from kium.core import clock
from kium.core.clock import to_seoul
from kium.core.middleware import current_ip
from kium.core.models import AccessRecord
from kium.orgs.domain.errors import OrgError
from kium.orgs.domain.staff import role_names

DOWNLOAD_ACTION = "download"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is a formula to Excel: a name like "=HYPERLINK(…)"
# typed into a form must stay text (CSV/formula injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def build_workbook(title: str, header: list[str], rows: Iterable[list]) -> bytes:
    """One sheet: a bold header row, formula-safe cells, columns sized to their text."""
    book = Workbook()
    sheet = book.active
    sheet.title = str(title)[:31]  # Excel's limit for a sheet name
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    for column in sheet.columns:
        width = max(len(str(cell.value or "")) for cell in column)
        sheet.column_dimensions[column[0].column_letter].width = min(max(width * 2, 8), 50)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def fmt_datetime(value) -> str:
    return to_seoul(value).strftime("%Y.%m.%d %H:%M") if value else ""


def staff_workbook(users: Iterable) -> bytes:
    header = [
        "순번",
        "부서",
        "아이디",
        "이름",
        "휴대전화번호",
        "이메일",
        "권한",
        "사용여부",
        "승인상태",
    ]
    rows = []
    for n, user in enumerate(users, start=1):
        department = user.department.name if user.department_id else ""
        rows.append(
            [
                n,
                department,
                user.username,
                user.name,
                user.phone,
                user.email,
                role_names(user),
                "사용" if user.is_active else "미사용",
                user.get_approval_status_display(),
            ]
        )
    return build_workbook("담당자 목록", header, rows)


def access_records_workbook(records: Iterable) -> bytes:
    header = ["순번", "일시", "접속자 아이디", "수행업무", "정보주체", "사유", "IP"]
    rows = [
        [n, fmt_datetime(r.at), r.actor_username, r.action, r.subject_repr, r.reason, r.ip or ""]
        for n, r in enumerate(records, start=1)
    ]
    return build_workbook("개인정보 접속기록", header, rows)


def facilities_workbook(facilities: list) -> bytes:
    """시설 목록 as on screen (FAC-1); 순번 counts down like the list, newest highest."""
    header = [
        "순번",
        "시설코드",
        "시설명",
        "자치구",
        "시설유형",
        "작성자명",
        "작성일시",
        "수정자명",
        "수정일시",
        "운영여부",
    ]
    total = len(facilities)
    rows = [
        [
            total - i,
            f.code,
            f.name,
            f.district.name,
            f.get_facility_type_display(),
            f.created_by.name if f.created_by_id else "",
            _fmt_seconds(f.created_at),
            f.updated_by.name if f.updated_by_id else "",
            _fmt_seconds(f.updated_at),
            "운영" if f.is_operating else "미운영",
        ]
        for i, f in enumerate(facilities)
    ]
    return build_workbook("시설 목록", header, rows)


def _fmt_seconds(value) -> str:
    return to_seoul(value).strftime("%Y.%m.%d %H:%M:%S") if value else ""


def record_download(*, actor, what: str, label: str, count: int, reason: str) -> AccessRecord:
    """Write the 접속기록 of one download; the reason is required."""
    reason = reason.strip()
    if len(reason) < 2:
        raise OrgError("reason_required", _("다운로드 사유를 입력해 주세요."), "reason")
    return AccessRecord.objects.create(
        actor=actor,
        actor_username=actor.get_username(),
        action=DOWNLOAD_ACTION,
        subject_type=f"export.{what}",
        subject_id=str(count),
        subject_repr=(_("%(label)s %(count)d건") % {"label": label, "count": count})[:200],
        reason=reason[:500],
        ip=current_ip(),
    )


def export_filename(stem: str) -> str:
    return f"{stem}_{clock.now():%Y%m%d_%H%M}.xlsx"
