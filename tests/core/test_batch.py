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


def test_on_postgresql_the_block_is_one_statement_sent_at_its_end():
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        with batch.batched_writes():
            _write_three("test.one-trip")
            inside = AuditEntry.objects.filter(action="test.one-trip").count()
        after = AuditEntry.objects.filter(action="test.one-trip").count()
    sqls = [q["sql"] for q in queries.captured_queries]
    inserts = [sql for sql in sqls if sql.startswith('INSERT INTO "core_auditentry"')]
    if connection.vendor == "postgresql":
        assert inside == 0  # queued, not yet written
        assert len(inserts) == 1
        assert inserts[0].count("INSERT INTO") == 3
    else:  # SQLite writes at once: the same code, no batching
        assert inside == 3
        assert len(inserts) == 3
    assert after == 3


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
