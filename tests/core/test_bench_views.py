"""The benchmark baselines exist only when switched on (the minimal booking's SQL is
PostgreSQL's: tests/concurrency/test_bench_baseline.py)."""

from __future__ import annotations

import importlib

import pytest
from django.test import override_settings
from django.urls import clear_url_caches

from kium import urls


def _reload_urls():
    clear_url_caches()
    importlib.reload(urls)


@pytest.fixture
def bench_on():
    with override_settings(KIUM_BENCH_ENDPOINTS=True):
        _reload_urls()
        yield
    _reload_urls()


def test_off_by_default(client, db):
    _reload_urls()
    assert client.get("/bench/ping").status_code == 404


def test_ping(client, db, bench_on):
    assert client.get("/bench/ping").json() == {"status": "ok"}
