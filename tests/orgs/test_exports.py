import io

import pytest
from openpyxl import load_workbook

from kium.core.models import AccessRecord
from kium.orgs.domain.errors import OrgError
from kium.orgs.domain.exports import record_download, safe_cell, staff_workbook
from kium.orgs.domain.staff import staff_rows_for_user


def test_staff_workbook_has_header_and_rows(people):
    officer = people.district_officer("NW", name="=HYPERLINK(1)")
    rows = list(staff_rows_for_user(people.city_officer()))
    book = load_workbook(io.BytesIO(staff_workbook(rows)))
    sheet = book.active
    assert [c.value for c in sheet[1]][:4] == ["순번", "부서", "아이디", "이름"]
    names = [row[3].value for row in sheet.iter_rows(min_row=2)]
    assert "'=HYPERLINK(1)" in names
    assert officer.username in [row[2].value for row in sheet.iter_rows(min_row=2)]


def test_safe_cell_neutralises_formulas():
    assert safe_cell("=1+1") == "'=1+1"
    assert safe_cell("-3") == "'-3"
    assert safe_cell("김") == "김"
    assert safe_cell(5) == 5


def test_download_needs_a_reason_and_is_recorded(people):
    officer = people.district_officer("NW")
    with pytest.raises(OrgError):
        record_download(actor=officer, what="staff_list", label="담당자 목록", count=2, reason=" ")
    record = record_download(
        actor=officer, what="staff_list", label="담당자 목록", count=2, reason="월례 점검"
    )
    assert record.action == "download"
    assert record.reason == "월례 점검"
    assert AccessRecord.objects.count() == 1
