"""Uniqueness that must hold on SQLite as well as PostgreSQL."""

import pytest
from django.db import IntegrityError, transaction

from kium.orgs.models import Role, RoleAssignment


@pytest.mark.parametrize("level", ["city", "district", "facility"])
def test_the_same_assignment_cannot_be_given_twice(people, level):
    user = people.staff()
    role = Role.objects.get(name="총괄운영")
    fields = {"user": user, "role": role, "scope_level": level}
    if level == "district":
        fields["district"] = people.district("NW")
    if level == "facility":
        fields["facility"] = people.facility("NW")
    RoleAssignment.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        RoleAssignment.objects.create(**fields)


def test_same_role_in_two_districts_is_allowed(people):
    user = people.staff()
    role = Role.objects.get(name="구관리자_우리동네키움센터")
    for code in ("NW", "GN"):
        RoleAssignment.objects.create(
            user=user, role=role, scope_level="district", district=people.district(code)
        )
    assert RoleAssignment.objects.filter(user=user).count() == 2
