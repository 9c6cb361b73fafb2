"""Helpers for the 예약관리 screen tests (test_reservations_*.py); no tests here.

The clock is frozen at tests/reservations/support.NOW (Tuesday 2026-10-06 10:00 Seoul),
where open_centre's 2학기 operating period is open.
"""

from __future__ import annotations

import io

import pytest
import time_machine
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from kium.reservations.domain import booking, transitions
from tests.reservations.support import NEXT_DAY, NOW, open_centre, regular, temporary

__all__ = ["NEXT_DAY", "open_centre"]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def frozen_clock():
    with time_machine.travel(NOW, tick=False) as traveller:
        yield traveller


def family(people, *, child="김하늘", parent=None, grade=2, phone=None):
    fields = {"name": parent} if parent else {}
    if phone:
        fields["phone"] = phone
    guardian = people.guardian(**fields)
    return guardian, people.child(guardian, name=child, grade=grade)


def apply(people, centre, *, child="김하늘", parent=None, grade=2, household=None, **request):
    guardian, kid = family(people, child=child, parent=parent, grade=grade)
    wanted = regular(centre, kid, **request)
    if household is not None:
        wanted.household = household
    return booking.apply_regular(actor=guardian, guardian=guardian, request=wanted).reservation


def book(people, centre, *, child="김하늘", parent=None, day=NEXT_DAY, **request):
    guardian, kid = family(people, child=child, parent=parent)
    wanted = temporary(centre, kid, day, **request)
    return booking.book_single_day(actor=guardian, guardian=guardian, request=wanted).reservation


def confirmed_regular(people, centre, **fields):
    application = apply(people, centre, **fields)
    transitions.approve(actor=people.centre_manager(centre), reservation=application)
    application.refresh_from_db()
    return application


def sheet_rows(content: bytes) -> tuple[list, list[list]]:
    sheet = load_workbook(io.BytesIO(content)).active
    header = [cell.value for cell in sheet[1]]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows(min_row=2)]
    return header, rows


def count_queries(client, url: str) -> int:
    from django.db import connection

    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200, response.content.decode()[:500]
    return len(context.captured_queries)
