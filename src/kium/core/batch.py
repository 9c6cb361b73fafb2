"""Writes that need no answer, sent to PostgreSQL in one round trip.

A booking ends with four writes nobody reads back in the request: the care-day row,
the day's counters, the audit entry and the outbox message. Each one sent on its own is
a round trip to the database, and on a booking rush the round trips, not the rules, are
what a booking costs (docs/performance.md). Inside ``batched_writes()`` these writes are
queued on the connection and sent as one multi-statement string when the block ends,
still inside the caller's transaction, so they commit or roll back with it.

The SQL is the ORM's own (``InsertQuery`` compiled for this connection), with values
bound by psycopg's client-side cursor exactly as a normal ``save()`` binds them: nothing
is hand-written per model, and ``auto_now_add`` and defaults apply as usual.

Rules for callers:
* only writes whose result the block does not read (no id back, no row count);
* nothing inside the block may read the rows it queued (they are not there yet);
* elsewhere (SQLite, or outside a block) ``insert``/``execute`` write at once, so the
  same domain code runs unchanged everywhere.

If the block raises, what was queued before the raise is still sent (when the
transaction is usable), as it would have been written without batching.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from django.db import connection
from django.db.models import Model
from django.db.models.constants import OnConflict
from django.db.models.sql import InsertQuery

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
    sql = ";\n".join(text for text, _ in statements)
    params = [value for _, values in statements for value in values]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


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
    meta = model._meta
    # As Model._save_table does: an unset auto primary key is left to the database.
    fields = [
        field
        for field in meta.local_concrete_fields
        if not (field is meta.auto_field and getattr(rows[0], field.attname) is None)
    ]
    query = InsertQuery(model, on_conflict=OnConflict.IGNORE if ignore_conflicts else None)
    query.insert_values(fields, rows)
    compiler = query.get_compiler(connection=connection)
    [(sql, params)] = compiler.as_sql()
    return sql, list(params)
