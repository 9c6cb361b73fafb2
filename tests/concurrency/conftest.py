"""Race tests need real concurrent transactions: PostgreSQL only (make test-postgres)."""

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _require_postgres(django_db_serialized_rollback, transactional_db):
    # serialized_rollback restores the migration-loaded districts and roles that a
    # transactional test's flush would otherwise wipe.
    if connection.vendor != "postgresql":
        raise pytest.UsageError(
            "tests/concurrency runs on PostgreSQL: use make test-postgres (DATABASE_URL)"
        )
