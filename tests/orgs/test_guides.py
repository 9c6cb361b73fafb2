"""ACC-7: 보육반장 codes and accounts."""

import pytest

from kium.core.models import AuditEntry
from kium.orgs.domain.errors import OrgError
from kium.orgs.domain.guides import (
    create_guide,
    create_guide_code,
    delete_guide_code,
    guide_codes_for_user,
    guides_for_user,
    update_guide,
    update_guide_code,
)
from kium.orgs.domain.scope import scope_for
from kium.orgs.models import District, Dong


@pytest.fixture
def guide_officer(people):
    return people.staff(role="구관리자_보육반장", district_code="NW")


def nw():
    return District.objects.get(code="NW")


def test_guide_code_crud_in_scope(people, guide_officer):
    code = create_guide_code(actor=guide_officer, code="nw-g01", district=nw())
    assert code.code == "NW-G01"
    assert list(guide_codes_for_user(guide_officer)) == [code]
    assert not guide_codes_for_user(people.staff(role="구관리자_보육반장", district_code="GN"))
    update_guide_code(
        actor=guide_officer, guide_code=code, code="NW-G01", district=nw(), description="상계"
    )
    code.refresh_from_db()
    assert code.description == "상계"
    assert AuditEntry.objects.filter(action="guide_code.update").exists()
    with pytest.raises(OrgError) as err:
        create_guide_code(actor=guide_officer, code="NW-G01", district=nw())
    assert err.value.code == "duplicate_code"
    with pytest.raises(OrgError) as err:
        create_guide_code(
            actor=guide_officer, code="GN-G01", district=District.objects.get(code="GN")
        )
    assert err.value.code == "out_of_scope"


def test_guide_code_dong_must_belong_to_district(guide_officer):
    gn_dong = Dong.objects.create(district=District.objects.get(code="GN"), name="테스트동")
    with pytest.raises(OrgError) as err:
        create_guide_code(actor=guide_officer, code="NW-G02", district=nw(), dong=gn_dong)
    assert err.value.field == "dong"


def test_create_guide_makes_account_with_district_role(people, guide_officer):
    code = create_guide_code(actor=guide_officer, code="NW-G01", district=nw())
    guide = create_guide(
        actor=guide_officer,
        username="nwguide1",
        name="박반장",
        phone="01055556666",
        password="seoul2026care",
        district=nw(),
        guide_code=code,
    )
    user = guide.user
    assert user.is_approved and user.must_change_password
    assignment = user.role_assignments.get()
    assert assignment.role.name == "보육반장"
    assert assignment.district.code == "NW"
    assert scope_for(user).district_ids == frozenset({nw().pk})
    assert list(guides_for_user(guide_officer)) == [guide]
    with pytest.raises(OrgError) as err:
        delete_guide_code(actor=guide_officer, guide_code=code)
    assert err.value.code == "in_use"
    with pytest.raises(OrgError) as err:
        create_guide(
            actor=guide_officer,
            username="nwguide2",
            name="최반장",
            phone="01055557777",
            password="seoul2026care",
            district=nw(),
            guide_code=code,
        )
    assert err.value.code == "code_taken"


def test_guide_checks(people, guide_officer):
    kwargs = {
        "actor": guide_officer,
        "username": "nwguide1",
        "name": "박반장",
        "phone": "01055556666",
        "password": "seoul2026care",
        "district": nw(),
    }
    with pytest.raises(OrgError) as err:
        create_guide(**{**kwargs, "username": "x"})
    assert err.value.field == "username"
    with pytest.raises(OrgError) as err:
        create_guide(**{**kwargs, "password": "abc"})
    assert err.value.field == "password"
    with pytest.raises(OrgError) as err:
        create_guide(**{**kwargs, "district": District.objects.get(code="GN")})
    assert err.value.code == "out_of_scope"
    guide = create_guide(**kwargs)
    import datetime as dt

    with pytest.raises(OrgError) as err:
        update_guide(
            actor=guide_officer,
            guide=guide,
            name="박반장",
            phone="01055556666",
            active_from=dt.date(2026, 3, 1),
            active_until=dt.date(2026, 2, 1),
        )
    assert err.value.field == "active_until"


def test_unused_code_can_be_deleted(guide_officer):
    code = create_guide_code(actor=guide_officer, code="NW-G09", district=nw())
    delete_guide_code(actor=guide_officer, guide_code=code)
    assert not guide_codes_for_user(guide_officer).exists()
    assert AuditEntry.objects.filter(action="guide_code.delete").exists()
