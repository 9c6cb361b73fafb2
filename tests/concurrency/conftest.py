"""Race tests need real concurrent transactions: PostgreSQL only (make test-postgres)."""

import pytest
from django.db import connection


@pytest.fixture(autouse=True)
def _require_postgres(transactional_db):
    if connection.vendor != "postgresql":
        raise pytest.UsageError(
            "tests/concurrency runs on PostgreSQL: use make test-postgres (DATABASE_URL)"
        )
    # A transactional test before this one flushed the migration-loaded reference data.
    from kium.orgs.reference import ensure_reference_data

    ensure_reference_data()
