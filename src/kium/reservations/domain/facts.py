# ruff: noqa: S608 — only names from the models' meta go into the SQL text; values are
# always parameters.
"""What a single-day booking needs to know about its day, read in one round trip.

``book_single_day`` and ``check_single_day`` ask four things before the lock: the
operating period that holds the day (and its hours), whether the day is a closed day
(the facility's own or city-wide), and whether the child already has a live booking
there that day. Asked through the ORM these were three queries, each costing more to
compile than to answer; here they are one hand-written statement that runs on
PostgreSQL and SQLite alike. Nothing is cached: every booking reads the rows as they
are, so a period, a closed day or a cancellation changed a moment ago counts at once.

The rules themselves stay in ``booking.py``; this module only reads.
"""

from __future__ import annotations

import datetime as dt
import functools
from dataclasses import dataclass

from django.db import connection

from kium.accounts.models import Child
from kium.centres.models import (
    CapacityRequest,
    CapacityRequestStatus,
    ClosedDay,
    FacilityProfile,
    OperatingPeriod,
)
from kium.orgs.domain.capacity import APPROVED_ATTR
from kium.orgs.models import Facility
from kium.reservations.enums import ACTIVE_STATUSES
from kium.reservations.models import CareDay, Reservation

# --- the facility (with its profile and approved capacity) and the child ---------------


def facility_and_child(
    code: str, child_id: int | None = None, guardian_id: int | None = None
) -> tuple[Facility | None, Child | None]:
    """The facility by code with its profile and latest approved capacity, and — when
    asked — the guardian's child ``child_id`` (None if it is not theirs): one query.

    The facility comes back as ``booking.bookable_facility`` always gave it: the profile
    cached (or known to be missing) and ``approved_capacity`` annotated.
    """
    with_child = child_id is not None
    params: list = [CapacityRequestStatus.APPROVED.value]
    if with_child:
        params += [child_id, guardian_id]
    params.append(code.upper())
    with connection.cursor() as cursor:
        cursor.execute(_facility_sql(connection.vendor, with_child), params)
        row = cursor.fetchone()
    if row is None:
        return None, None
    facility_width, profile_width = len(_fields(Facility)), len(_fields(FacilityProfile))
    facility = _instance(Facility, row[:facility_width])
    profile_values = row[facility_width : facility_width + profile_width]
    # A missing profile is cached as missing, like select_related does.
    profile = _instance(FacilityProfile, profile_values) if profile_values[0] else None
    Facility._meta.get_field("profile").set_cached_value(facility, profile)
    if profile is not None:
        FacilityProfile._meta.get_field("facility").set_cached_value(profile, facility)
    rest = row[facility_width + profile_width :]
    setattr(facility, APPROVED_ATTR, rest[0])
    child = None
    if with_child and rest[1] is not None:
        child = _instance(Child, rest[1:])
    return facility, child


def select(model, where: str, params: list) -> list:
    """Instances of ``model`` whose row matches ``where`` (SQL over the bare column names,
    values as parameters), without the ORM's query compilation."""
    with connection.cursor() as cursor:
        cursor.execute(f"{_select_sql(connection.vendor, model)} WHERE {where}", params)
        return [_instance(model, row) for row in cursor.fetchall()]


@functools.cache
def _select_sql(vendor: str, model) -> str:
    q = connection.ops.quote_name
    columns = ", ".join(q(f.column) for f in _fields(model))
    return f"SELECT {columns} FROM {q(model._meta.db_table)}"


def _fields(model) -> list:
    return list(model._meta.concrete_fields)


@functools.cache
def _converters(vendor: str, model) -> list[tuple[int, object, list]]:
    """The database-to-Python converters of ``model``'s columns (what the ORM applies)."""
    table = model._meta.db_table
    found = []
    for index, field in enumerate(_fields(model)):
        column = field.get_col(table)
        converters = connection.ops.get_db_converters(column) + column.get_db_converters(connection)
        if converters:
            found.append((index, column, converters))
    return found


def _instance(model, values):
    values = list(values)
    for index, column, converters in _converters(connection.vendor, model):
        for converter in converters:
            values[index] = converter(values[index], column, connection)
    return model.from_db(connection.alias, [f.attname for f in _fields(model)], values)


@functools.cache
def _facility_sql(vendor: str, with_child: bool) -> str:
    q = connection.ops.quote_name

    def columns(model, alias: str) -> str:
        return ", ".join(f"{alias}.{q(f.column)}" for f in _fields(model))

    facility_pk = q(Facility._meta.pk.column)
    profile_fk = q(FacilityProfile._meta.get_field("facility").column)
    request = CapacityRequest
    approved = (
        f"(SELECT cr.{q(request._meta.get_field('requested_capacity').column)}"
        f" FROM {q(request._meta.db_table)} cr"
        f" WHERE cr.{q(request._meta.get_field('facility').column)} = f.{facility_pk}"
        f" AND cr.{q(request._meta.get_field('status').column)} = %s"
        f" ORDER BY cr.{q(request._meta.get_field('decided_at').column)} DESC,"
        f" cr.{q(request._meta.pk.column)} DESC LIMIT 1)"
    )
    child_columns = child_join = ""
    if with_child:
        child_columns = ", " + columns(Child, "c")
        child_join = (
            f" LEFT JOIN {q(Child._meta.db_table)} c ON c.{q(Child._meta.pk.column)} = %s"
            f" AND c.{q(Child._meta.get_field('guardian').column)} = %s"
        )
    return (
        f"SELECT {columns(Facility, 'f')}, {columns(FacilityProfile, 'p')}, {approved}"
        f"{child_columns} FROM {q(Facility._meta.db_table)} f"
        f" LEFT JOIN {q(FacilityProfile._meta.db_table)} p ON p.{profile_fk} = f.{facility_pk}"
        f"{child_join} WHERE f.{q(Facility._meta.get_field('code').column)} = %s LIMIT 1"
    )


# --- the day --------------------------------------------------------------------------


@dataclass(frozen=True)
class DayFacts:
    """The day at one facility as the booking rules see it."""

    # The earliest-starting operating period containing the day (None: none does).
    period_id: int | None
    open_time: dt.time | None
    close_time: dt.time | None
    saturday_open_time: dt.time | None
    saturday_close_time: dt.time | None
    closed_day: bool
    # None when no child was asked about.
    duplicate: bool | None


def day_facts(facility_id: int, day: dt.date, child_id: int | None = None) -> DayFacts:
    ops = connection.ops
    on = ops.adapt_datefield_value(day)
    params: list = [facility_id, on]
    if child_id is not None:
        params += [child_id, facility_id, *(status.value for status in ACTIVE_STATUSES), on, on]
    params += [facility_id, on, on]
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor, child_id is not None), params)
        row = cursor.fetchone()
    period_id, opens, closes, sat_opens, sat_closes, closed, *rest = row
    return DayFacts(
        period_id=period_id,
        open_time=_time(opens),
        close_time=_time(closes),
        saturday_open_time=_time(sat_opens),
        saturday_close_time=_time(sat_closes),
        closed_day=bool(closed),
        duplicate=bool(rest[0]) if rest else None,
    )


def _time(value) -> dt.time | None:
    # SQLite hands back TEXT for a raw cursor; PostgreSQL a time already.
    if value is None or isinstance(value, dt.time):
        return value
    return dt.time.fromisoformat(str(value))


@functools.cache
def _sql(vendor: str, with_child: bool) -> str:
    q = connection.ops.quote_name

    def table(model) -> str:
        return q(model._meta.db_table)

    def col(model, name: str) -> str:
        return q(model._meta.get_field(name).column)

    period, closed, res, day = OperatingPeriod, ClosedDay, Reservation, CareDay
    closed_sql = (
        f"EXISTS (SELECT 1 FROM {table(closed)} c"
        f" WHERE (c.{col(closed, 'facility')} = %s OR c.{col(closed, 'facility')} IS NULL)"
        f" AND c.{col(closed, 'date')} = %s)"
    )
    duplicate_sql = ""
    if with_child:
        statuses = ", ".join(["%s"] * len(ACTIVE_STATUSES))
        duplicate_sql = (
            f", EXISTS (SELECT 1 FROM {table(res)} r"
            f" WHERE r.{col(res, 'child')} = %s AND r.{col(res, 'facility')} = %s"
            f" AND r.{col(res, 'status')} IN ({statuses})"
            f" AND (r.{col(res, 'date')} = %s OR EXISTS (SELECT 1 FROM {table(day)} d"
            f" WHERE d.{col(day, 'reservation')} = r.{col(res, 'id')}"
            f" AND d.{col(day, 'date')} = %s)))"
        )
    return (
        f"SELECT p.{col(period, 'id')}, p.{col(period, 'open_time')},"
        f" p.{col(period, 'close_time')}, p.{col(period, 'saturday_open_time')},"
        f" p.{col(period, 'saturday_close_time')}, {closed_sql}{duplicate_sql}"
        f" FROM (SELECT 1 AS one) x LEFT JOIN {table(period)} p"
        f" ON p.{col(period, 'facility')} = %s AND p.{col(period, 'start')} <= %s"
        f" AND p.{col(period, 'end')} >= %s"
        f" ORDER BY p.{col(period, 'start')} LIMIT 1"
    )
