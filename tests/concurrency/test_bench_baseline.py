"""The bench's minimal booking baseline keeps its capacity (PostgreSQL SQL)."""

from __future__ import annotations

import importlib

from django.test import Client, override_settings
from django.urls import clear_url_caches

from kium import urls
from kium.core.bench_views import create_tables


def test_minimal_booking_stops_at_capacity():
    with override_settings(KIUM_BENCH_ENDPOINTS=True):
        clear_url_caches()
        importlib.reload(urls)
        try:
            create_tables(days=1, capacity=2)
            client = Client()
            answers = [
                client.post("/bench/minimal-booking", {"day": 0}, content_type="application/json")
                for _ in range(3)
            ]
        finally:
            clear_url_caches()
    clear_url_caches()
    importlib.reload(urls)
    assert [a.status_code for a in answers] == [201, 201, 409]
