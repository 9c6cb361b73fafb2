"""Writes that need no answer, sent to PostgreSQL in one round trip.

A booking ends with five writes nobody reads back in the request: the reservation (its
id drawn already), the care-day row, the day's counters, the audit entry and the outbox
message. Each one sent on its own is a round trip to the database, and on a booking rush
the round trips, not the rules, are what a booking costs (docs/performance.md). Inside
``batched_writes()`` these writes are queued on the connection and sent when the block
ends, still inside the caller's transaction, so they commit or roll back with it:

* writes to different tables become **one statement** of data-modifying CTEs
  (``WITH kium_w0 AS (INSERT …), kium_w1 AS (UPDATE …) INSERT …``) with PostgreSQL's own
  ``$n`` placeholders: one round trip, and one prepared statement once it is frequent
  (docs/decisions/0003);
* otherwise (one table written twice, where a single statement would not keep their
  order) the statements go out together in psycopg's pipeline mode.

The SQL is the ORM's own: the INSERT text ``InsertQuery`` compiles for the model, kept per
model and set of columns (compiling it cost more than PostgreSQL spent running it), with
every value prepared by its field exactly as ``save()`` prepares it (``pre_save`` for
``auto_now_add``, then ``get_db_prep_save``). Nothing is hand-written per model.

Rules for callers:
* only writes whose result the block does not read (no id back, no row count);
* nothing inside the block may read the rows it queued (they are not there yet);
* elsewhere (SQLite, or outside a block) ``insert``/``execute`` write at once, so the
  same domain code runs unchanged everywhere.

If the block raises, what was queued before the raise is still sent (when the
transaction is usable), as it would have been written without batching.
"""

from __future__ import annotations

import functools
import itertools
import re
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection, connections
from django.db.models import Model
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery
from psycopg import RawCursor

# Switched off by a test to show both paths write the same rows.
ENABLED = True


def _queue() -> list[tuple[str, Sequence]] | None:
    return getattr(connection, "kium_batch", None)


@contextmanager
def batched_writes() -> Iterator[None]:
    """Queue the ``insert``/``execute`` calls of the block; send them at its end."""
    if not ENABLED or connection.vendor != "postgresql" or _queue() is not None:
        yield  # SQLite, or already inside a batch (the outer block sends)
        return
    connection.kium_batch = []
    try:
        yield
    finally:
        queued, connection.kium_batch = connection.kium_batch, None
        if queued and not connection.needs_rollback:
            _send(queued)


def _send(statements: list[tuple[str, Sequence]]) -> None:
    params = [value for _, values in statements for value in values]
    if len(statements) > 1 and _combinable(statements):
        _execute_native(_combined(tuple(text for text, _ in statements)), params)
        return
    # psycopg's pipeline mode: every statement goes out before any answer is awaited,
    # and the first error comes back when the pipeline syncs at the end of the block.
    with (
        connection.wrap_database_errors,
        connection.connection.pipeline(),
        connection.cursor() as cursor,
    ):
        for sql, values in statements:
            cursor.execute(sql, values)


def _combinable(statements: list[tuple[str, Sequence]]) -> bool:
    """Writes PostgreSQL can run as one statement of data-modifying CTEs: plain INSERTs
    and UPDATEs with nothing returned, each to a different table. Within one statement
    the sub-statements run in no set order and do not see each other's rows: two
    inserts into one table could get their ids the other way round, and an UPDATE would
    miss a row inserted beside it. One table each rules both out, as long as no write
    reads another table the batch writes (none does: callers queue plain INSERTs and
    UPDATEs by primary key)."""
    tables: set[str] = set()
    for text, _ in statements:
        words = text.split(" ", 3)
        if words[0] == "INSERT" and words[1] == "INTO":
            table = words[2]
        elif words[0] == "UPDATE":
            table = words[1]
        else:
            return False
        if " RETURNING " in text or table.strip('"') in tables:
            return False
        tables.add(table.strip('"'))
    return True


_PLACEHOLDER = re.compile(r"%s")


@functools.lru_cache(maxsize=64)
def _combined(texts: tuple[str, ...]) -> str:
    """One statement running every write in ``texts`` (in this order of parameters):
    one round trip, one statement to parse and, once frequent, one prepared plan."""
    parts = [f"kium_w{n} AS ({text})" for n, text in enumerate(texts[:-1])]
    combined = f"WITH {', '.join(parts)} {texts[-1]}"
    # Converted to PostgreSQL's own $n placeholders once, here: psycopg converts %s on
    # every call and keeps the result only for statements under 4 KB and 50 parameters,
    # and a booking's writes are longer (that conversion was a fifth of the batch's cost).
    numbers = itertools.count(1)
    native = _PLACEHOLDER.sub(lambda _: f"${next(numbers)}", combined)
    if "%" in native:  # a literal % (escaped as %%) would need psycopg's own parsing
        raise ValueError("batched statements must hold no literal %")
    return native


def _execute_native(text: str, params: list) -> None:
    """Run ``text`` (``$n`` placeholders) through psycopg's ``RawCursor``, which sends it
    as it is, inside Django's cursor wrapper (errors translated as usual). Django's
    debug logging would try to format the text with %s, so the statement is logged here
    instead: tests and the debug toolbar still see it."""
    connection.ensure_connection()
    started = time.monotonic()
    with connection.make_cursor(RawCursor(connection.connection)) as cursor:
        cursor.execute(text, params)
    if connection.queries_logged:
        elapsed = time.monotonic() - started
        connection.queries_log.append({"sql": text, "time": f"{elapsed:.3f}"})


def execute(sql: str, params: Sequence) -> None:
    """A write with no answer needed (e.g. an UPDATE of known rows)."""
    queue = _queue()
    if queue is None:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
        return
    queue.append((sql, list(params)))


def insert(obj: Model, *, ignore_conflicts: bool = False) -> None:
    """Insert ``obj`` (its primary key stays unset when batched)."""
    insert_many([obj], ignore_conflicts=ignore_conflicts)


def insert_many(objs: Iterable[Model], *, ignore_conflicts: bool = False) -> None:
    """Insert rows of one model; outside a batch this is ``bulk_create``."""
    rows = list(objs)
    if not rows:
        return
    model = type(rows[0])
    queue = _queue()
    if queue is None:
        model._default_manager.bulk_create(rows, ignore_conflicts=ignore_conflicts)
        return
    queue.append(_insert_sql(model, rows, ignore_conflicts))
    for row in rows:  # as bulk_create leaves them: saved, on this database
        row._state.adding = False
        row._state.db = connection.alias


def _insert_sql(model, rows: list[Model], ignore_conflicts: bool) -> tuple[str, list]:
    db = connections[connection.alias]  # the connection itself, not its thread-local proxy
    meta = model._meta
    # As Model._save_table does: an unset auto primary key is left to the database.
    fields = tuple(
        field
        for field in meta.local_concrete_fields
        if not (field is meta.auto_field and getattr(rows[0], field.attname) is None)
    )
    if len(rows) != 1:
        # Several rows compile to a different shape (on PostgreSQL, INSERT … UNNEST
        # with one array per column): left to the ORM.
        return _compiled_insert_sql(model, rows, fields, ignore_conflicts)
    [row] = rows
    params = []
    for field in fields:
        # What SQLInsertCompiler does per value: pre_save (auto_now_add and the like),
        # then the field's own conversion for this database.
        value = field.pre_save(row, True)
        if hasattr(value, "resolve_expression") or hasattr(field, "get_placeholder"):
            return _compiled_insert_sql(model, rows, fields, ignore_conflicts)
        params.append(field.get_db_prep_save(value, connection=db))
    return _insert_text(db.vendor, model, fields, ignore_conflicts), params


@functools.cache
def _insert_text(vendor: str, model, fields: tuple, ignore_conflicts: bool) -> str:
    """The INSERT text the ORM compiles for one row of these fields (see the test),
    kept: compiling it anew cost more than PostgreSQL spent running it."""
    return _compiled_insert_sql(model, [model()], fields, ignore_conflicts)[0]


def _compiled_insert_sql(model, rows, fields, ignore_conflicts: bool) -> tuple[str, list]:
    query = InsertQuery(model, on_conflict=OnConflict.IGNORE if ignore_conflicts else None)
    query.insert_values(list(fields), rows)
    compiler = query.get_compiler(connection=connections[connection.alias])
    [(sql, params)] = compiler.as_sql()
    return sql, list(params)
