"""core/batch.py: queued writes reach the database as the ORM would have written them."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from kium.core import batch
from kium.core.audit import log_action
from kium.core.models import AuditEntry
from kium.orgs.models import District

pytestmark = pytest.mark.django_db

FIELDS = ("action", "object_type", "object_id", "object_repr", "after", "reason", "ip")


def _entries(action: str) -> list[tuple]:
    return list(AuditEntry.objects.filter(action=action).order_by("pk").values_list(*FIELDS))


def _write_three(action: str) -> None:
    district = District.objects.first()
    for n in range(3):
        log_action(actor=None, action=action, obj=district, after={"n": n}, reason=f"r{n}")


def test_batched_and_immediate_writes_leave_the_same_rows():
    with transaction.atomic():
        _write_three("test.immediate")
    with transaction.atomic(), batch.batched_writes():
        _write_three("test.batched")
    immediate, batched = _entries("test.immediate"), _entries("test.batched")
    assert len(batched) == 3
    assert [row[1:] for row in batched] == [row[1:] for row in immediate]
    assert AuditEntry.objects.filter(action="test.batched", at__isnull=True).count() == 0


def test_on_postgresql_the_block_is_sent_at_its_end():
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        with batch.batched_writes():
            _write_three("test.one-trip")
            inside = AuditEntry.objects.filter(action="test.one-trip").count()
        after = AuditEntry.objects.filter(action="test.one-trip").count()
    sqls = [q["sql"] for q in queries.captured_queries]
    inserts = [sql for sql in sqls if sql.startswith('INSERT INTO "core_auditentry"')]
    if connection.vendor == "postgresql":
        assert inside == 0  # queued, not yet written
    else:  # SQLite writes at once: the same code, no batching
        assert inside == 3
    # Three rows of one table stay three statements (pipelined on PostgreSQL), so their
    # ids keep the order they were written in.
    assert len(inserts) == 3
    assert after == 3
    assert [row[5] for row in _entries("test.one-trip")] == ["r0", "r1", "r2"]


def test_writes_to_different_tables_become_one_statement_on_postgresql():
    district = District.objects.get(code="NW")
    with (
        transaction.atomic(),
        CaptureQueriesContext(connection) as queries,
        batch.batched_writes(),
    ):
        log_action(actor=None, action="test.combined", obj=district, reason="one")
        batch.execute("UPDATE orgs_district SET name = %s WHERE id = %s", ["합친구", district.pk])
    sqls = [q["sql"] for q in queries.captured_queries if "core_auditentry" in q["sql"]]
    if connection.vendor == "postgresql":
        assert len(sqls) == 1
        assert sqls[0].startswith("WITH kium_w0 AS (INSERT INTO")
        assert "UPDATE orgs_district" in sqls[0]
        assert "%s" not in sqls[0] and "$1" in sqls[0]  # converted once, sent as it is
    assert len(_entries("test.combined")) == 1
    assert District.objects.get(pk=district.pk).name == "합친구"


@pytest.mark.parametrize(
    ("texts", "combinable"),
    [
        (['INSERT INTO "a" ("x") VALUES (%s)', "UPDATE b SET y = %s WHERE id = %s"], True),
        (['INSERT INTO "a" ("x") VALUES (%s)', 'INSERT INTO "a" ("x") VALUES (%s)'], False),
        (["UPDATE b SET y = %s", "UPDATE b SET z = %s"], False),
        (['INSERT INTO "a" ("x") VALUES (%s) RETURNING "a"."id"', "UPDATE b SET y = %s"], False),
        (["DELETE FROM a", "UPDATE b SET y = %s"], False),
    ],
)
def test_only_returning_nothing_writes_to_distinct_tables_are_combined(texts, combinable):
    assert batch._combinable([(text, []) for text in texts]) is combinable


def test_writes_queued_before_an_error_are_still_sent():
    with transaction.atomic():
        with pytest.raises(RuntimeError), batch.batched_writes():
            _write_three("test.raised")
            raise RuntimeError("a check failed after the writes")
        assert len(_entries("test.raised")) == 3


def test_ignore_conflicts_and_raw_statements_are_queued_too():
    district = District.objects.first()
    with transaction.atomic(), batch.batched_writes():
        batch.insert(District(code=district.code, name="중복"), ignore_conflicts=True)
        batch.execute("UPDATE orgs_district SET name = %s WHERE code = %s", ["바뀐구", "NW"])
    assert District.objects.filter(code=district.code).count() == 1
    assert District.objects.get(code="NW").name == "바뀐구"


def test_switched_off_every_write_is_immediate(monkeypatch):
    monkeypatch.setattr(batch, "ENABLED", False)
    with transaction.atomic(), batch.batched_writes():
        _write_three("test.off")
        assert len(_entries("test.off")) == 3


def test_the_kept_insert_text_and_values_are_what_the_orm_compiles(people):
    """``_insert_sql`` keeps the INSERT text per model instead of compiling it each
    time; the text and every bound value must stay exactly the ORM's."""
    import datetime as dt

    import time_machine

    from kium.notifications.models import OutboxMessage

    district = District.objects.get(code="NW")
    guardian = people.guardian()
    rows = [
        AuditEntry(
            actor=guardian,
            action="test.same",
            object_type="x",
            object_id="1",
            after={"n": 1},
            ip="127.0.0.1",
        ),
        OutboxMessage(
            event="test.same",
            recipient=guardian,
            channel="console",
            idempotency_key="same-1",
            context={"at": dt.date(2026, 3, 2)},
            next_attempt_at=dt.datetime(2026, 3, 2, tzinfo=dt.UTC),
        ),
        District(code="ZZ", name="같은구", sort_order=99),
    ]
    with time_machine.travel(dt.datetime(2026, 3, 2, 9, tzinfo=dt.UTC), tick=False):
        for row in [*rows, district]:
            model = type(row)
            fields = tuple(
                f
                for f in model._meta.local_concrete_fields
                if not (f is model._meta.auto_field and getattr(row, f.attname) is None)
            )
            for many in ([row], [row, row]):  # one row kept; several compiled as before
                kept_sql, kept_params = batch._insert_sql(model, many, ignore_conflicts=True)
                sql, params = batch._compiled_insert_sql(model, many, fields, True)
                assert kept_sql == sql
                assert [_comparable(p) for p in kept_params] == [_comparable(p) for p in params]


def _comparable(value):
    """psycopg's JSON wrappers compare by identity; what they carry is what counts."""
    if isinstance(value, list):
        return [_comparable(item) for item in value]
    return (type(value).__name__, value.obj) if hasattr(value, "obj") else value
