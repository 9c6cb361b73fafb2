"""Fixtures for the centres tests: quarters come from the default-data migration."""

from __future__ import annotations

import datetime as dt

import pytest

from kium.centres.domain.periods import set_operating_period
from kium.centres.models import Quarter

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"
TERM_HOURS = (dt.time(13, 0), dt.time(20, 0))


@pytest.fixture
def login(client):
    def _login(user):
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return _login


@pytest.fixture
def semester1(db) -> Quarter:
    return Quarter.objects.get(year=2026, term="semester1")


@pytest.fixture
def semester2(db) -> Quarter:
    return Quarter.objects.get(year=2026, term="semester2")


@pytest.fixture
def open_all_year():
    """Give a facility operating periods over all of 2026's term quarters (system actor)."""

    def make(facility, *, saturday=None):
        for term in ("semester1", "summer_vacation", "semester2"):
            quarter = Quarter.objects.get(year=2026, term=term)
            set_operating_period(
                actor=None,
                facility=facility,
                quarter=quarter,
                weekday_hours=TERM_HOURS,
                saturday_hours=saturday,
            )
        return facility

    return make
