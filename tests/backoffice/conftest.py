"""Fixtures for the organisation back-office tests (the auth tests keep their own)."""

from __future__ import annotations

import pytest

from kium.orgs.menus import ALL_MENU_CODES
from kium.orgs.models import Role, RoleAssignment

MODEL_BACKEND = "django.contrib.auth.backends.ModelBackend"


@pytest.fixture
def login(client):
    """Sign ``user`` in on the test client and return the client."""

    def _login(user):
        client.force_login(user, backend=MODEL_BACKEND)
        return client

    return _login


@pytest.fixture
def nw(people):
    return people.facility("NW")


@pytest.fixture
def gn(people):
    return people.facility("GN")


@pytest.fixture
def centre_with_all_menus(people):
    """A centre-level account that holds every menu: only its scope can stop it.

    It stands for "a centre manager of another facility" on screens whose menu the
    real 센터관리자 roles do not carry, so the test shows the 404 comes from scope.
    """

    def make(facility):
        role, _ = Role.objects.get_or_create(
            name="테스트_시설_전체메뉴",
            defaults={"level": "facility", "menus": list(ALL_MENU_CODES)},
        )
        user = people.staff(facility_obj=facility)
        RoleAssignment.objects.create(
            user=user, role=role, scope_level="facility", facility=facility
        )
        return user

    return make


def assert_login_redirect(response, path: str) -> None:
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
    assert "next=" in response["Location"]
