"""manage.py run_reservation_jobs: lapses, completion, reminders and extensions."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command

from kium.core import notify
from kium.core.models import AuditEntry
from kium.reservations.domain import booking
from kium.reservations.models import Reservation
from tests.reservations.support import NEXT_DAY, open_centre, temporary

pytestmark = pytest.mark.django_db


def _run(*args) -> str:
    out = StringIO()
    call_command("run_reservation_jobs", *args, stdout=out)
    return out.getvalue()


def _booked(people, centre):
    parent = people.guardian()
    return booking.book_single_day(
        actor=parent, guardian=parent, request=temporary(centre, people.child(parent))
    ).reservation


def test_reminder_goes_once_the_day_before(people, django_capture_on_commit_callbacks):
    centre = open_centre(people)
    booked = _booked(people, centre)
    notify.sent.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert "1 reminders" in _run("--only", "reminders")
    assert [n.event for n in notify.sent] == ["reservation.reminder"]
    assert notify.sent[0].context["date"] == NEXT_DAY.isoformat()
    assert "0 reminders" in _run("--only", "reminders")
    booked.refresh_from_db()
    assert booked.reminded_at is not None


def test_completion_after_the_last_day(people, frozen_clock):
    centre = open_centre(people)
    booked = _booked(people, centre)
    assert "0 completed" in _run("--only", "complete")
    frozen_clock.shift(dt.timedelta(days=2))
    assert "1 completed" in _run("--only", "complete")
    assert Reservation.objects.get(pk=booked.pk).status == "completed"
    assert AuditEntry.objects.filter(action="reservation.completed").count() == 1


def test_all_jobs_run_together(people):
    output = _run()
    for job in ("offers:", "complete:", "reminders:", "extensions:"):
        assert job in output
