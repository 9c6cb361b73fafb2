"""FAC-2 domain: update_facility (the record) and save_profile (소개 정보)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from kium.centres.domain.errors import FORBIDDEN, OUT_OF_SCOPE, CentresError
from kium.centres.domain.profile import (
    ProfileError,
    hour_errors,
    profile_of,
    register_facility_with_details,
    save_profile,
    update_facility,
)
from kium.centres.models import FacilityProfile
from kium.core.models import AuditEntry
from kium.orgs.domain.errors import OrgError
from kium.orgs.models import District, Dong, Facility

T = dt.time


# --- update_facility ------------------------------------------------------------------


def test_district_officer_changes_the_record_with_audit(people):
    facility = people.facility("NW")
    officer = people.district_officer("NW")
    dong = Dong.objects.create(district=facility.district, name="테스트구역9동")
    update_facility(
        actor=officer,
        facility=facility,
        name="새 이름 키움센터",
        dong=dong,
        address="서울특별시 노원구 노해로 437",
        address_detail="2층",
        lat=Decimal("37.654321"),
        lng=Decimal("127.056789"),
        area_m2=Decimal("120.50"),
        is_operating=False,
        kind="hub",
        ages=["elementary", "middle"],
        opened_on=dt.date(2026, 3, 2),
    )
    facility.refresh_from_db()
    assert facility.name == "새 이름 키움센터"
    assert facility.dong == dong
    assert facility.address_detail == "2층"
    assert facility.lat == Decimal("37.654321")
    assert facility.area_m2 == Decimal("120.50")
    assert facility.is_operating is False
    assert facility.kind == "hub"
    assert facility.updated_by == officer
    entry = AuditEntry.objects.get(action="facility.update", object_id=str(facility.pk))
    assert entry.actor == officer
    assert entry.before["is_operating"] is True
    assert entry.after["is_operating"] is False
    assert entry.before["name"] != entry.after["name"] == "새 이름 키움센터"
    assert entry.after["address_detail"] == "2층"


def test_city_officer_may_change_any_district(people):
    facility = people.facility("GN")
    update_facility(actor=people.city_officer(), facility=facility, phone="02-111-2222")
    facility.refresh_from_db()
    assert facility.phone == "02-111-2222"


def test_other_district_is_out_of_scope(people):
    facility = people.facility("GN")
    with pytest.raises(CentresError) as caught:
        update_facility(actor=people.district_officer("NW"), facility=facility, name="x")
    assert caught.value.code == OUT_OF_SCOPE
    facility.refresh_from_db()
    assert facility.name != "x"
    assert not AuditEntry.objects.filter(action="facility.update").exists()


def test_centre_manager_may_fix_contacts_but_not_the_record(people):
    facility = people.facility("NW")
    manager = people.centre_manager(facility)
    update_facility(
        actor=manager,
        facility=facility,
        phone="02-333-4444",
        email="new@example.kr",
        required_documents="재직증명서",
        # the unchanged name sent back is no change
        name=facility.name,
    )
    facility.refresh_from_db()
    assert facility.phone == "02-333-4444"
    assert facility.required_documents == "재직증명서"
    for field, value in (
        ("name", "바꾼 이름"),
        ("address", "다른 주소 1"),
        ("lat", Decimal("37.5")),
        ("area_m2", Decimal("200")),
        ("is_operating", False),
    ):
        with pytest.raises(CentresError) as caught:
            update_facility(actor=manager, facility=facility, **{field: value})
        assert caught.value.code == FORBIDDEN
        assert caught.value.field == field
    facility.refresh_from_db()
    assert facility.is_operating is True and facility.name != "바꾼 이름"


def test_centre_manager_of_another_facility_is_out_of_scope(people):
    facility = people.facility("NW")
    other = people.centre_manager(people.facility("NW"))
    with pytest.raises(CentresError) as caught:
        update_facility(actor=other, facility=facility, phone="02-1")
    assert caught.value.code == OUT_OF_SCOPE


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"name": "  "}, "name"),
        ({"address": ""}, "address"),
        ({"lat": Decimal("37.5"), "lng": None}, "lng"),
        ({"lat": Decimal("40.1"), "lng": Decimal("127")}, "lat"),
        ({"lat": Decimal("37.1"), "lng": Decimal("140")}, "lng"),
        ({"area_m2": Decimal("0")}, "area_m2"),
        ({"email": "not-an-email"}, "email"),
        ({"ages": ["toddler"]}, "ages"),
        ({"kind": "mega"}, "kind"),
        ({"address_detail": "가" * 101}, "address_detail"),
    ],
)
def test_bad_record_values_name_their_field(people, fields, field):
    facility = people.facility("NW")
    with pytest.raises(OrgError) as caught:
        update_facility(actor=people.district_officer("NW"), facility=facility, **fields)
    assert caught.value.field == field
    assert caught.value.message  # Korean text to show next to the field
    assert not AuditEntry.objects.filter(action="facility.update").exists()


def test_dong_of_another_district_is_refused(people):
    facility = people.facility("NW")
    gangnam_dong = Dong.objects.create(
        district=District.objects.get(code="GN"), name="테스트구역8동"
    )
    with pytest.raises(OrgError) as caught:
        update_facility(actor=people.district_officer("NW"), facility=facility, dong=gangnam_dong)
    assert caught.value.field == "dong"


def test_kind_only_for_kium_centres(people):
    facility = people.facility("NW", facility_type="CC")
    with pytest.raises(OrgError) as caught:
        update_facility(actor=people.district_officer("NW"), facility=facility, kind="hub")
    assert caught.value.field == "kind"


def test_district_and_type_cannot_be_passed(people):
    facility = people.facility("NW")
    with pytest.raises(TypeError):
        update_facility(actor=None, facility=facility, district=District.objects.get(code="GN"))
    with pytest.raises(TypeError):
        update_facility(actor=None, facility=facility, facility_type="CC")


def test_nothing_changed_writes_no_entry(people):
    facility = people.facility("NW")
    update_facility(actor=people.district_officer("NW"), facility=facility, name=facility.name)
    assert not AuditEntry.objects.filter(action="facility.update").exists()


def test_registration_keeps_the_address_detail(people):
    officer = people.district_officer("NW")
    facility = register_facility_with_details(
        actor=officer,
        district=District.objects.get(code="NW"),
        facility_type="UK",
        name="상세주소 키움센터",
        address="서울특별시 노원구 노해로 437",
        address_detail="3층 301호",
        required_documents="재직증명서",
    )
    facility = Facility.objects.get(pk=facility.pk)
    assert facility.address_detail == "3층 301호"
    assert facility.required_documents == "재직증명서"
    assert facility.code.startswith("NWUK")


def test_registration_is_undone_when_the_detail_is_bad(people):
    with pytest.raises(ProfileError):
        register_facility_with_details(
            actor=people.district_officer("NW"),
            district=District.objects.get(code="NW"),
            facility_type="UK",
            name="너무 긴 상세주소",
            address="서울특별시 노원구 노해로 437",
            address_detail="가" * 101,
        )
    assert not Facility.objects.filter(name="너무 긴 상세주소").exists()


# --- save_profile --------------------------------------------------------------------


PROFILE = {
    "introduction": "  햇빛이 잘 드는 센터입니다.  ",
    "term_open_time": T(13, 0),
    "term_close_time": T(20, 0),
    "vacation_open_time": T(9, 0),
    "vacation_close_time": T(18, 0),
    "saturday_open_time": None,
    "saturday_close_time": None,
    "meal_support": "meal_snack",
    "monthly_fee": 100_000,
    "daily_fee": 3_000,
    "fee_note": "간식비 별도",
    "morning_care": True,
    "night_care": False,
    "sick_child_care": True,
    "temporary_review": True,
}


def test_centre_manager_writes_own_profile_with_audit(people):
    facility = people.facility("NW")
    manager = people.centre_manager(facility)
    assert profile_of(facility) is None
    profile = save_profile(actor=manager, facility=facility, **PROFILE)
    profile.refresh_from_db()
    assert profile.introduction == "햇빛이 잘 드는 센터입니다."
    assert profile.term_open_time == T(13, 0)
    assert profile.meal_support == "meal_snack"
    assert profile.temporary_review is True
    assert profile.created_by == manager
    entry = AuditEntry.objects.get(action="facility_profile.save")
    assert entry.before is None
    assert entry.after["monthly_fee"] == 100_000

    # A second save changes the same row and records before and after.
    save_profile(actor=manager, facility=facility, monthly_fee=120_000)
    assert FacilityProfile.objects.filter(facility=facility).count() == 1
    last = AuditEntry.objects.filter(action="facility_profile.save").order_by("-pk").first()
    assert last.before["monthly_fee"] == 100_000
    assert last.after["monthly_fee"] == 120_000
    assert last.after["term_open_time"] == "13:00:00"  # untouched fields stay


def test_district_officer_and_city_write_profiles_in_scope(people):
    facility = people.facility("NW")
    save_profile(actor=people.district_officer("NW"), facility=facility, morning_care=True)
    save_profile(actor=people.city_officer(), facility=facility, night_care=True)
    profile = profile_of(facility)
    assert profile.morning_care and profile.night_care


@pytest.mark.parametrize(
    "actor_kind", ["other_district", "other_centre", "guardian", "anonymous_like"]
)
def test_profile_out_of_scope(people, actor_kind):
    facility = people.facility("NW")
    actor = {
        "other_district": lambda: people.district_officer("GN"),
        "other_centre": lambda: people.centre_manager(people.facility("NW")),
        "guardian": lambda: people.guardian(),
        "anonymous_like": lambda: people.staff(approved=False),
    }[actor_kind]()
    with pytest.raises(CentresError) as caught:
        save_profile(actor=actor, facility=facility, introduction="남의 소개")
    assert caught.value.code == OUT_OF_SCOPE
    assert profile_of(facility) is None
    assert not AuditEntry.objects.filter(action="facility_profile.save").exists()


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"term_open_time": T(13, 0)}, "term_close_time", "학기중"),
        ({"vacation_close_time": T(18, 0)}, "vacation_open_time", "방학중"),
        (
            {"saturday_open_time": T(14, 0), "saturday_close_time": T(9, 0)},
            "saturday_close_time",
            "토요일",
        ),
        ({"term_open_time": T(9, 0), "term_close_time": T(9, 0)}, "term_close_time", "학기중"),
        ({"meal_support": "buffet"}, "meal_support", "급식"),
        ({"monthly_fee": -1}, "monthly_fee", "이용료"),
        ({"monthly_fee": 10_000_001}, "monthly_fee", "이용료"),
        ({"daily_fee": 1_000_001}, "daily_fee", "이용료"),
        ({"fee_note": "가" * 301}, "fee_note", "300"),
        ({"introduction": "가" * 4001}, "introduction", "4,000"),
    ],
)
def test_bad_profile_values(people, fields, field, words):
    facility = people.facility("NW")
    with pytest.raises(ProfileError) as caught:
        save_profile(actor=people.district_officer("NW"), facility=facility, **fields)
    assert caught.value.field == field
    assert words in caught.value.message
    assert profile_of(facility) is None


def test_clearing_both_hours_is_allowed(people):
    facility = people.facility("NW")
    save_profile(actor=None, facility=facility, **PROFILE)
    save_profile(actor=None, facility=facility, term_open_time=None, term_close_time=None)
    profile = profile_of(facility)
    assert profile.term_open_time is None and profile.term_close_time is None


def test_unknown_profile_field(people):
    with pytest.raises(TypeError):
        save_profile(actor=None, facility=people.facility("NW"), wifi=True)


def test_hour_errors_reports_every_pair():
    errors = hour_errors(
        {
            "term_open_time": T(10, 0),
            "term_close_time": None,
            "vacation_open_time": T(12, 0),
            "vacation_close_time": T(11, 0),
            "saturday_open_time": None,
            "saturday_close_time": None,
        }
    )
    assert [field for field, _ in errors] == ["term_close_time", "vacation_close_time"]
