"""Two officers registering at once never get the same facility number (ORG-3).

The critical section is slowed down on purpose so that, without the lock, every thread
reads the same counter value; the second test proves the lock is what saves us.
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal

from django.db import IntegrityError, connection

from kium.core import locking
from kium.orgs.domain import codes
from kium.orgs.domain.facilities import register_facility
from kium.orgs.models import District, Facility

THREADS = 6


def _slow_lock_rows(queryset):
    result = locking.lock_rows(queryset)
    time.sleep(0.2)
    return result


def _register_concurrently(monkeypatch) -> tuple[list[str], list[Exception]]:
    monkeypatch.setattr(codes, "lock_rows", _slow_lock_rows)
    district = District.objects.get(code="NW")
    barrier = threading.Barrier(THREADS)
    created: list[str] = []
    errors: list[Exception] = []

    def worker(n: int) -> None:
        try:
            barrier.wait()
            facility = register_facility(
                actor=None,
                district=district,
                facility_type="UK",
                name=f"동시 등록 센터 {n}",
                address="서울특별시 노원구",
                area_m2=Decimal("66"),
            )
            created.append(facility.code)
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return created, errors


def test_concurrent_registrations_get_distinct_codes(monkeypatch):
    created, errors = _register_concurrently(monkeypatch)
    assert errors == []
    assert sorted(created) == [f"NWUK{n:03d}" for n in range(1, THREADS + 1)]


def test_without_the_lock_numbers_collide(monkeypatch):
    monkeypatch.setattr(locking, "ENABLED", False)
    created, errors = _register_concurrently(monkeypatch)
    assert any(isinstance(error, IntegrityError) for error in errors)
    assert len(created) < THREADS
    assert Facility.objects.count() == len(created)
