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
from kium.core import rows
from kium.orgs.domain.capacity import APPROVED_ATTR
from kium.orgs.models import Facility
from kium.reservations.enums import ACTIVE_STATUSES
from kium.reservations.models import CareDay, Reservation

# --- the facility (with its profile and approved capacity) and the child ---------------


def facility_and_child(
    code: str,
    child_id: int | None = None,
    guardian_id: int | None = None,
    day: dt.date | None = None,
) -> tuple[Facility | None, Child | None]:
    """The facility by code with its profile and latest approved capacity, and — when
    asked — the guardian's child ``child_id`` (None if it is not theirs): one query.

    The facility comes back as ``booking.bookable_facility`` always gave it: the profile
    cached (or known to be missing) and ``approved_capacity`` annotated. With ``day``
    (and a child, on PostgreSQL) the same statement also reads that day's facts, which
    ``day_facts`` then answers from the facility without asking again.
    """
    with_child = child_id is not None
    with_day = with_child and day is not None and connection.vendor == "postgresql"
    params: list = [CapacityRequestStatus.APPROVED.value]
    if with_day:
        params += _day_select_params(day, child_id)
    if with_child:
        params += [child_id, guardian_id]
    if with_day:
        on = connection.ops.adapt_datefield_value(day)
        params += [on, on]
    params.append(code.upper())
    with connection.cursor() as cursor:
        cursor.execute(_facility_sql(connection.vendor, with_child, with_day), params)
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
    child_values = rest[1 : 1 + len(_fields(Child))] if with_child else ()
    if with_child and child_values[0] is not None:
        child = _instance(Child, child_values)
    if with_day:
        day_values = rest[1 + len(_fields(Child)) :]
        setattr(facility, DAY_FACTS_ATTR, (day, child_id, _day_facts_from(day_values)))
    return facility, child


def select(model, where: str, params: list) -> list:
    """Instances of ``model`` whose row matches ``where`` (SQL over the bare column names,
    values as parameters), without the ORM's query compilation."""
    with connection.cursor() as cursor:
        cursor.execute(f"{_select_sql(connection.vendor, model)} WHERE {where}", params)
        return [_instance(model, row) for row in cursor.fetchall()]


def select_sql(model) -> str:
    """``SELECT <every column of model>`` (no FROM), for hand-written reads."""
    return _select_sql(connection.vendor, model).split(" FROM ", 1)[0]


def instance(model, values):
    """A model instance from a row of ``select_sql(model)``'s columns."""
    return _instance(model, values)


@functools.cache
def _select_sql(vendor: str, model) -> str:
    q = connection.ops.quote_name
    columns = ", ".join(q(f.column) for f in _fields(model))
    return f"SELECT {columns} FROM {q(model._meta.db_table)}"


def _fields(model) -> list:
    return rows.fields(model)


def _instance(model, values):
    return rows.instance(model, values)


@functools.cache
def _facility_sql(vendor: str, with_child: bool, with_day: bool = False) -> str:
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
    day_columns = day_join = ""
    if with_day:
        period_columns, exists_columns, period_from = _day_parts(f"f.{facility_pk}")
        day_columns = f", {period_columns.replace('p.', 'pd.')}, {exists_columns}"
        day_join = f" LEFT JOIN LATERAL (SELECT * {period_from}) pd ON true"
    return (
        f"SELECT {columns(Facility, 'f')}, {columns(FacilityProfile, 'p')}, {approved}"
        f"{child_columns}{day_columns} FROM {q(Facility._meta.db_table)} f"
        f" LEFT JOIN {q(FacilityProfile._meta.db_table)} p ON p.{profile_fk} = f.{facility_pk}"
        f"{child_join}{day_join}"
        f" WHERE f.{q(Facility._meta.get_field('code').column)} = %s LIMIT 1"
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


DAY_FACTS_ATTR = "_kium_day_facts"


def day_facts(facility, day: dt.date, child_id: int | None = None) -> DayFacts:
    """The day's facts: from ``facility_and_child``'s read when it asked for this very
    day and child (same request, same moment), else one query."""
    read = getattr(facility, DAY_FACTS_ATTR, None)
    if read is not None and read[0] == day and read[1] == child_id:
        return read[2]
    on = connection.ops.adapt_datefield_value(day)
    params: list = [*_day_select_params(day, child_id), facility.pk, on, on]
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor, child_id is not None), params)
        return _day_facts_from(cursor.fetchone())


def _day_select_params(day: dt.date, child_id: int | None) -> list:
    """Parameters of the closed-day and duplicate columns, in the order of _day_parts."""
    on = connection.ops.adapt_datefield_value(day)
    params: list = [on]
    if child_id is not None:
        params += [child_id, *(status.value for status in ACTIVE_STATUSES), on, on]
    return params


def _day_facts_from(row) -> DayFacts:
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


def _day_parts(facility: str, with_child: bool = True) -> tuple[str, str, str]:
    """The day's columns over the facility SQL expression ``facility``: the period's
    columns (alias ``p``), the closed-day and duplicate EXISTS columns (parameters:
    ``_day_select_params``), and the period's FROM … LIMIT 1 (parameters: day, day)."""
    q = connection.ops.quote_name

    def table(model) -> str:
        return q(model._meta.db_table)

    def col(model, name: str) -> str:
        return q(model._meta.get_field(name).column)

    period, closed, res, day = OperatingPeriod, ClosedDay, Reservation, CareDay
    period_columns = ", ".join(
        f"p.{col(period, name)}"
        for name in ("id", "open_time", "close_time", "saturday_open_time", "saturday_close_time")
    )
    exists_columns = (
        f"EXISTS (SELECT 1 FROM {table(closed)} c"
        f" WHERE (c.{col(closed, 'facility')} = {facility}"
        f" OR c.{col(closed, 'facility')} IS NULL) AND c.{col(closed, 'date')} = %s)"
    )
    if with_child:
        statuses = ", ".join(["%s"] * len(ACTIVE_STATUSES))
        exists_columns += (
            f", EXISTS (SELECT 1 FROM {table(res)} r"
            f" WHERE r.{col(res, 'child')} = %s AND r.{col(res, 'facility')} = {facility}"
            f" AND r.{col(res, 'status')} IN ({statuses})"
            f" AND (r.{col(res, 'date')} = %s OR EXISTS (SELECT 1 FROM {table(day)} d"
            f" WHERE d.{col(day, 'reservation')} = r.{col(res, 'id')}"
            f" AND d.{col(day, 'date')} = %s)))"
        )
    period_from = (
        f"FROM {table(period)} p WHERE p.{col(period, 'facility')} = {facility}"
        f" AND p.{col(period, 'start')} <= %s AND p.{col(period, 'end')} >= %s"
        f" ORDER BY p.{col(period, 'start')} LIMIT 1"
    )
    return period_columns, exists_columns, period_from


@functools.cache
def _sql(vendor: str, with_child: bool) -> str:
    """The day on its own (SQLite, or a caller without the merged read): the period is
    joined to a one-row source carrying the facility id, so no period still gives a row."""
    period_columns, exists_columns, period_from = _day_parts("x.fid", with_child)
    condition = period_from.split(" WHERE ", 1)[1].split(" ORDER BY ", 1)[0]
    order = period_from.split(" ORDER BY ", 1)[1]
    table = connection.ops.quote_name(OperatingPeriod._meta.db_table)
    return (
        f"SELECT {period_columns}, {exists_columns}"
        f" FROM (SELECT %s AS fid) x LEFT JOIN {table} p ON {condition}"
        f" ORDER BY {order}"
    )
