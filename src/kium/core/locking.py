"""Lock, check, write (DESIGN rule 4): the one way to take something scarce.

Every function that hands out a scarce thing — a facility registration number, a staff
account number, a place in a centre — runs inside ``locked(...)``:

* PostgreSQL: a transaction-scoped advisory lock on a key derived from the resource
  name, with ``lock_timeout`` so a stuck holder gives a clear error instead of a hang.
* SQLite: the settings open every transaction with ``BEGIN IMMEDIATE``, which takes the
  database-wide write lock at once, so the transaction itself is the lock.

The database constraints (unique numbers, capacity ≥ 0) stay as the last line of defence.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TypeVar

from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.utils.translation import gettext_noop

M = TypeVar("M", bound=Model)

LOCK_TIMEOUT_MS = 5000
# What a person is told when the lock stayed taken too long (API and pages alike): nothing
# was written, so trying again is safe. Retry-After tells clients how long to wait.
BUSY_MESSAGE = gettext_noop("요청이 많아 처리하지 못했습니다. 잠시 후 다시 시도해 주세요.")
BUSY_RETRY_AFTER_SECONDS = 5
# Tests switch this off to prove that the lock is what prevents double booking.
ENABLED = True


class LockTimeout(Exception):
    """The resource stayed locked longer than LOCK_TIMEOUT_MS."""


def advisory_key(resource: str) -> int:
    """A stable signed 64-bit key for pg_advisory_xact_lock."""
    digest = hashlib.blake2b(resource.encode(), digest_size=8).digest()
    return int.from_bytes(digest, "big", signed=True)


@contextmanager
def locked(resource: str) -> Iterator[None]:
    """Run the block in one transaction holding the lock named ``resource``."""
    with transaction.atomic():
        if ENABLED and connection.vendor == "postgresql":
            _take_advisory_lock(resource)
        yield


def _take_advisory_lock(resource: str) -> None:
    from django.db import OperationalError

    with connection.cursor() as cursor:
        try:
            # One round trip: the timeout (local to this transaction), then the lock.
            cursor.execute(
                "SELECT set_config('lock_timeout', %s, true), pg_advisory_xact_lock(%s)",
                [f"{int(LOCK_TIMEOUT_MS)}ms", advisory_key(resource)],
            )
        except OperationalError as exc:  # lock_timeout raises LockNotAvailable
            raise LockTimeout(resource) from exc


def lock_rows(queryset: QuerySet[M]) -> QuerySet[M]:
    """Rows to change under the current transaction's lock (no-op on SQLite)."""
    if ENABLED and connection.vendor == "postgresql":
        return queryset.select_for_update()
    return queryset
