"""The RF-tap path's reads, hand-written (kium/core/rows.py explains why).

Each returns what the ORM query it replaces returned, with the same related objects
cached: a reader with its facility, a card with its child and the child's guardian, a
tap with its child. Every value is read fresh from the database on every call.
"""

from __future__ import annotations

import datetime as dt
import functools

from django.db import connection

from kium.accounts.models import Child, User
from kium.attendance.enums import CardStatus
from kium.attendance.models import Reader, RfCard, Tap
from kium.core.rows import column, column_list, fetch_one, relate, table
from kium.orgs.models import Facility
from kium.reservations.models import CareDay, Reservation

# ruff: noqa: S608 — only names from the models' meta go into the SQL; values are parameters.


def reader_by_token_hash(token_hash: str) -> Reader | None:
    """The live reader holding this token, with its facility."""
    found = fetch_one(_reader_sql(connection.vendor), [token_hash], (Reader, Facility))
    if found is None:
        return None
    reader, facility = found
    relate(reader, "facility", facility)
    return reader


def active_card(card_uid: str, facility_id: int) -> RfCard | None:
    """The facility's active card with this uid, with its child and the guardian."""
    found = fetch_one(
        _card_sql(connection.vendor),
        [card_uid, CardStatus.ACTIVE.value, facility_id],
        (RfCard, Child, User),
    )
    if found is None:
        return None
    card, child, guardian = found
    relate(child, "guardian", guardian)
    relate(card, "child", child)
    return card


def tap_by_nonce(reader_id: int, nonce: str) -> Tap | None:
    """The reader's tap with this nonce (unique), with its child (None for an unknown
    card's tap)."""
    found = fetch_one(_tap_sql(connection.vendor), [reader_id, nonce], (Tap, Child))
    if found is None:
        return None
    tap, child = found
    relate(tap, "child", child)
    return tap


def has_care(child_id: int, facility_id: int, day: dt.date, statuses: list[str]) -> bool:
    """Whether the child holds a place that day at the facility (a live booking's day)."""
    with connection.cursor() as cursor:
        cursor.execute(
            _care_sql(connection.vendor, len(statuses)),
            [facility_id, connection.ops.adapt_datefield_value(day), child_id, *statuses],
        )
        return bool(cursor.fetchone()[0])


@functools.cache
def _reader_sql(vendor: str) -> str:
    return (
        f"SELECT {column_list(Reader, 'r')}, {column_list(Facility, 'f')}"
        f" FROM {table(Reader)} r JOIN {table(Facility)} f"
        f" ON f.{column(Facility, 'id')} = r.{column(Reader, 'facility')}"
        f" WHERE r.{column(Reader, 'token_hash')} = %s"
        f" AND r.{column(Reader, 'revoked_at')} IS NULL LIMIT 1"
    )


@functools.cache
def _card_sql(vendor: str) -> str:
    return (
        f"SELECT {column_list(RfCard, 'c')}, {column_list(Child, 'ch')},"
        f" {column_list(User, 'u')}"
        f" FROM {table(RfCard)} c"
        f" JOIN {table(Child)} ch ON ch.{column(Child, 'id')} = c.{column(RfCard, 'child')}"
        f" JOIN {table(User)} u ON u.{column(User, 'id')} = ch.{column(Child, 'guardian')}"
        f" WHERE c.{column(RfCard, 'card_uid')} = %s AND c.{column(RfCard, 'status')} = %s"
        f" AND c.{column(RfCard, 'facility')} = %s LIMIT 1"
    )


@functools.cache
def _tap_sql(vendor: str) -> str:
    return (
        f"SELECT {column_list(Tap, 't')}, {column_list(Child, 'ch')}"
        f" FROM {table(Tap)} t"
        f" LEFT JOIN {table(Child)} ch ON ch.{column(Child, 'id')} = t.{column(Tap, 'child')}"
        f" WHERE t.{column(Tap, 'reader')} = %s AND t.{column(Tap, 'nonce')} = %s LIMIT 1"
    )


@functools.cache
def _care_sql(vendor: str, statuses: int) -> str:
    marks = ", ".join(["%s"] * statuses)
    return (
        f"SELECT EXISTS (SELECT 1 FROM {table(CareDay)} d"
        f" JOIN {table(Reservation)} r"
        f" ON r.{column(Reservation, 'id')} = d.{column(CareDay, 'reservation')}"
        f" WHERE d.{column(CareDay, 'facility')} = %s AND d.{column(CareDay, 'date')} = %s"
        f" AND r.{column(Reservation, 'child')} = %s"
        f" AND r.{column(Reservation, 'status')} IN ({marks}))"
    )
