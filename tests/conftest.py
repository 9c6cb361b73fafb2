"""Shared fixtures. Factories live in tests/factories/."""

from __future__ import annotations

import os

import pytest

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture(autouse=True)
def _fresh_state(settings, tmp_path_factory):
    """Each test starts with empty caches, rate limits and captured notices."""
    from django.core.cache import cache

    # Uploads of a test land in its own temporary folders, never in var/.
    media = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = str(media / "public")
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(media / "private"), "base_url": "/no-public-url/"},
        },
    }

    from kium.accounts import sms
    from kium.core import notify

    cache.clear()
    notify.sent.clear()
    sms.outbox.clear()
    yield
    notify.sent.clear()


@pytest.fixture
def people(db):
    from tests.factories import people as factory

    return factory


@pytest.fixture
def api_client(client):
    return client


def bearer(client, username: str, password: str) -> dict:
    response = client.post(
        "/api/v1/auth/token",
        {"username": username, "password": password},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    return {"HTTP_AUTHORIZATION": f"Bearer {response.json()['token']}"}
