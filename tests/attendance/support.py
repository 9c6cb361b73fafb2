"""Helpers for the attendance tests: a centre, a child with care on a day, a reader."""

from __future__ import annotations

import datetime as dt

from kium.attendance.domain.cards import register_card
from kium.attendance.domain.readers import register_reader
from kium.core.clock import SEOUL
from kium.reservations.enums import CareType, Pool, Status
from kium.reservations.models import CareDay, Reservation

# Tuesday 2026-10-06, 13:00 in Seoul.
NOW = dt.datetime(2026, 10, 6, 4, 0, tzinfo=dt.UTC)
TODAY = dt.date(2026, 10, 6)


def at(hour: int, minute: int = 0, day: dt.date = TODAY) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, hour, minute, tzinfo=SEOUL)


def care(facility, child, day: dt.date = TODAY, status: str = Status.CONFIRMED) -> Reservation:
    """A single-day booking holding a place on ``day`` (a CareDay row)."""
    reservation = Reservation.objects.create(
        facility=facility,
        child=child,
        guardian=child.guardian,
        care_type=CareType.TEMPORARY,
        status=status,
        date=day,
        start_time=dt.time(13, 0),
        end_time=dt.time(18, 0),
    )
    CareDay.objects.create(reservation=reservation, facility=facility, date=day, pool=Pool.SHARED)
    return reservation


class Setup:
    """One centre, its manager, a guardian's child with care today and a card, a reader."""

    def __init__(self, people, district: str = "NW", uid: str = "04A2241B"):
        self.facility = people.facility(district)
        self.manager = people.centre_manager(self.facility)
        self.guardian = people.guardian()
        self.child = people.child(self.guardian)
        self.reservation = care(self.facility, self.child)
        self.card = register_card(
            actor=self.manager, facility=self.facility, child=self.child, card_uid=uid
        )
        self.reader, self.token = register_reader(
            actor=self.manager, facility=self.facility, name="정문 리더기"
        )
