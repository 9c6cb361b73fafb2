"""The demo data of Seoul (``manage.py seed_demo``): officers, facilities, staff, parents.

Everything is made through the domain functions a person's action would call, so the demo
carries the same codes, departments, role assignments and audit entries as real use.
Seeding is idempotent: each thing is looked up first (officers and guardians by username,
facilities by name, a centre's manager by the facility) and made only when missing.

The ten 키움센터 are those of the deck's facility-list screenshot, registered in the order
the deck shows them being written (oldest first), so on an empty database their codes are
fixed: 노원17호점 is NWUK001, 노원20호점 NWUK002 and so on. Addresses and coordinates
are illustrative points in the right 동 (checked against the district boundaries), not the
centres' real addresses.

Every demo account uses ``DEMO_PASSWORD``; the README's demo table lists the same
accounts (a test compares them).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from kium.accounts.domain.children import register_child
from kium.accounts.domain.passwords import set_new_password
from kium.accounts.domain.signup import sign_up_guardian, sign_up_staff
from kium.accounts.enums import ApprovalStatus, Sex, UserKind
from kium.accounts.models import User
from kium.core import clock
from kium.core.audit import log_action
from kium.orgs.domain.approvals import approve_staff
from kium.orgs.domain.departments import ensure_base_departments
from kium.orgs.domain.facilities import register_facility
from kium.orgs.domain.roles import describe_scope
from kium.orgs.domain.scope import forget_scope
from kium.orgs.domain.staff import create_staff_account
from kium.orgs.enums import AgeGroup, DepartmentLevel, Duty, FacilityKind, FacilityType, ScopeLevel
from kium.orgs.models import Department, District, Dong, Facility, Role, RoleAssignment

# 10–20 characters mixing letters and digits: the deck's password rule (ACC-1).
# Published on purpose (README); seeding is refused in production.
DEMO_PASSWORD = "kiumdemo2026"


# --- definitions ---------------------------------------------------------------------


@dataclass(frozen=True)
class DemoOfficer:
    username: str
    name: str
    phone: str
    office_phone: str
    email: str
    role: str
    duty: str
    district: str | None = None  # None: the whole city


@dataclass(frozen=True)
class DemoFacility:
    name: str
    district: str
    facility_type: str
    dong: str
    address: str
    lat: str
    lng: str
    area_m2: str
    ages: tuple[str, ...]
    email: str
    phone: str
    opened_on: dt.date
    kind: str = ""
    manager: str = ""  # the centre manager's name (키움센터 only)
    manager_phone: str = ""


@dataclass(frozen=True)
class DemoChild:
    name: str
    birth_date: dt.date
    sex: str
    school: str = ""
    health_notes: str = ""


@dataclass(frozen=True)
class DemoGuardian:
    username: str
    name: str
    phone: str
    email: str
    sms_consent: bool
    children: tuple[DemoChild, ...] = field(default_factory=tuple)


OFFICERS: tuple[DemoOfficer, ...] = (
    DemoOfficer(
        username="seoul_admin",
        name="서울시담당",
        phone="010-2133-0001",
        office_phone="02-2133-4947",
        email="seoul.admin@example.com",
        role="총괄운영",
        duty=Duty.GENERAL,
    ),
    DemoOfficer(
        username="nowon_admin",
        name="노원구담당",
        phone="010-2116-0001",
        office_phone="02-2116-3721",
        email="nowon.admin@example.com",
        role="구관리자_우리동네키움센터",
        duty=Duty.KIUM,
        district="NW",
    ),
    DemoOfficer(
        username="gangnam_admin",
        name="강남구담당",
        phone="010-3423-0001",
        office_phone="02-3423-5761",
        email="gangnam.admin@example.com",
        role="구관리자_우리동네키움센터",
        duty=Duty.KIUM,
        district="GN",
    ),
)

_ELEMENTARY = (AgeGroup.ELEMENTARY,)
_INFANTS = (AgeGroup.INFANT, AgeGroup.KINDERGARTEN)
_CAFE = (AgeGroup.INFANT, AgeGroup.KINDERGARTEN, AgeGroup.ELEMENTARY)
_UK, _CC, _GI, _SK = (
    FacilityType.KIUM,
    FacilityType.COMMUNITY,
    FacilityType.LOCAL_CHILD,
    FacilityType.KIDS_CAFE,
)

# Order matters: codes are handed out in registration order.
FACILITIES: tuple[DemoFacility, ...] = (
    # The deck's ten 키움센터, oldest registration first (its list shows them newest first).
    DemoFacility(
        name="노원17호점 우리동네키움센터(상계6단지 아이휴센터)",
        district="NW", facility_type=_UK, dong="상계6·7동",
        address="서울특별시 노원구 노원로 532 (상계동)", lat="37.656300", lng="127.065800",
        area_m2="99.17", ages=_ELEMENTARY, email="nowon17.center@example.com",
        phone="02-951-1717", opened_on=dt.date(2020, 5, 18),
        manager="김은정", manager_phone="010-5101-0017",
    ),
    DemoFacility(
        name="송파5호점 우리동네키움센터(가락본동 송파키움센터)",
        district="SP", facility_type=_UK, dong="가락본동",
        address="서울특별시 송파구 송이로 123 (가락동)", lat="37.498800", lng="127.119000",
        area_m2="132.23", ages=_ELEMENTARY, email="songpa5.center@example.com",
        phone="02-443-0505", opened_on=dt.date(2020, 6, 1),
        manager="박지혜", manager_phone="010-5102-0005",
    ),
    DemoFacility(
        name="송파6호점 우리동네키움센터(문정2동 송파키움센터)",
        district="SP", facility_type=_UK, dong="문정2동",
        address="서울특별시 송파구 법원로 92 (문정동)", lat="37.484500", lng="127.122000",
        area_m2="115.70", ages=_ELEMENTARY, email="songpa6.center@example.com",
        phone="02-443-0606", opened_on=dt.date(2020, 6, 1),
        manager="이수민", manager_phone="010-5102-0006",
    ),
    DemoFacility(
        name="중구5호점 우리동네키움센터(모든아이 신당5동센터)",
        district="JG", facility_type=_UK, dong="신당5동",
        address="서울특별시 중구 다산로 274 (신당동)", lat="37.564000", lng="127.020000",
        area_m2="82.64", ages=_ELEMENTARY, email="junggu5.center@example.com",
        phone="02-2231-0505", opened_on=dt.date(2020, 6, 8),
        manager="최영미", manager_phone="010-5103-0005",
    ),
    DemoFacility(
        name="노원20호점 우리동네키움센터(상계두산 융합형 아이휴센터)",
        district="NW", facility_type=_UK, kind=FacilityKind.FUSION, dong="상계1동",
        address="서울특별시 노원구 동일로 1677 (상계동)", lat="37.674500", lng="127.057000",
        area_m2="165.29", ages=_ELEMENTARY, email="nowon20.center@example.com",
        phone="02-951-2020", opened_on=dt.date(2020, 6, 15),
        manager="정미경", manager_phone="010-5101-0020",
    ),
    DemoFacility(
        # The deck writes 장1동; the 동 is 창1동. The name stays as the deck has it.
        name="도봉4호점 우리동네키움센터(장1동 별별키움센터)",
        district="DB", facility_type=_UK, dong="창1동",
        address="서울특별시 도봉구 해등로 20 (창동)", lat="37.647800", lng="127.039000",
        area_m2="92.56", ages=_ELEMENTARY, email="dobong4.center@example.com",
        phone="02-990-0404", opened_on=dt.date(2020, 6, 22),
        manager="한소영", manager_phone="010-5104-0004",
    ),
    DemoFacility(
        name="도봉3호점 우리동네키움센터(도봉2동 별별키움센터)",
        district="DB", facility_type=_UK, dong="도봉2동",
        address="서울특별시 도봉구 도봉로 964 (도봉동)", lat="37.679000", lng="127.043000",
        area_m2="105.79", ages=_ELEMENTARY, email="dobong3.center@example.com",
        phone="02-990-0303", opened_on=dt.date(2020, 6, 29),
        manager="윤혜진", manager_phone="010-5104-0003",
    ),
    DemoFacility(
        name="강남3호점 우리동네키움센터(강남 다함께키움센터(정담))",
        district="GN", facility_type=_UK, dong="세곡동",
        address="서울특별시 강남구 헌릉로590길 63 (세곡동)", lat="37.465500", lng="127.104000",
        area_m2="148.76", ages=_ELEMENTARY, email="gangnam3.center@example.com",
        phone="02-459-0303", opened_on=dt.date(2020, 7, 1),
        manager="장서윤", manager_phone="010-5105-0003",
    ),
    DemoFacility(
        name="노원18호점 우리동네키움센터(상계1단지 아이휴센터)",
        district="NW", facility_type=_UK, dong="상계8동",
        address="서울특별시 노원구 한글비석로 480 (상계동)", lat="37.654500", lng="127.070000",
        area_m2="89.26", ages=_ELEMENTARY, email="nowon18.center@example.com",
        phone="02-951-1818", opened_on=dt.date(2020, 7, 6),
        manager="오나래", manager_phone="010-5101-0018",
    ),
    DemoFacility(
        name="노원19호점 우리동네 키움센터(중계무지개 아이휴센터)",
        district="NW", facility_type=_UK, dong="중계2·3동",
        address="서울특별시 노원구 중계로 233 (중계동)", lat="37.646500", lng="127.070000",
        area_m2="76.03", ages=_ELEMENTARY, email="nowon19.center@example.com",
        phone="02-951-1919", opened_on=dt.date(2020, 7, 13),
        manager="서민아", manager_phone="010-5101-0019",
    ),
    # A hub centre (거점형): temporary care only.
    DemoFacility(
        name="노원 거점형 우리동네키움센터",
        district="NW", facility_type=_UK, kind=FacilityKind.HUB, dong="공릉1동",
        address="서울특별시 노원구 동일로 1018 (공릉동)", lat="37.625500", lng="127.073500",
        area_m2="198.35", ages=_ELEMENTARY, email="nowon.hub@example.com",
        phone="02-951-0001", opened_on=dt.date(2021, 3, 2),
        manager="강하늘", manager_phone="010-5101-0100",
    ),
    # 열린육아방·공동육아나눔터.
    DemoFacility(
        name="노원구 공동육아나눔터 중계점",
        district="NW", facility_type=_CC, dong="중계1동",
        address="서울특별시 노원구 중계로 193 (중계동)", lat="37.648000", lng="127.076000",
        area_m2="99.00", ages=_INFANTS, email="nowon.share@example.com",
        phone="02-952-4411", opened_on=dt.date(2019, 9, 2),
    ),
    DemoFacility(
        name="서울형 열린육아방 강남 역삼점",
        district="GN", facility_type=_CC, dong="역삼1동",
        address="서울특별시 강남구 역삼로7길 16 (역삼동)", lat="37.499500", lng="127.036500",
        area_m2="82.50", ages=_INFANTS, email="gangnam.openroom@example.com",
        phone="02-3423-7811", opened_on=dt.date(2021, 4, 1),
    ),
    DemoFacility(
        name="서울형 열린육아방 마포 성산점",
        district="MP", facility_type=_CC, dong="성산2동",
        address="서울특별시 마포구 월드컵로 212 (성산동)", lat="37.566200", lng="126.911500",
        area_m2="72.60", ages=_INFANTS, email="mapo.openroom@example.com",
        phone="02-3153-6622", opened_on=dt.date(2020, 11, 16),
    ),
    DemoFacility(
        name="송파구 공동육아나눔터 잠실점",
        district="SP", facility_type=_CC, dong="잠실3동",
        address="서울특별시 송파구 올림픽로35길 10 (잠실동)", lat="37.511500", lng="127.085500",
        area_m2="115.00", ages=_INFANTS, email="songpa.share@example.com",
        phone="02-2147-2933", opened_on=dt.date(2018, 3, 5),
    ),
    # 지역아동센터.
    DemoFacility(
        name="노원 햇살지역아동센터",
        district="NW", facility_type=_GI, dong="월계1동",
        address="서울특별시 노원구 월계로45길 12 (월계동)", lat="37.623500", lng="127.058500",
        area_m2="86.00", ages=(AgeGroup.ELEMENTARY_MIDDLE,), email="nowon.sunshine@example.com",
        phone="02-942-3301", opened_on=dt.date(2012, 3, 1),
    ),
    DemoFacility(
        name="강남 늘푸른지역아동센터",
        district="GN", facility_type=_GI, dong="개포4동",
        address="서울특별시 강남구 개포로20길 9 (개포동)", lat="37.479000", lng="127.049000",
        area_m2="95.40", ages=(AgeGroup.ELEMENTARY_MIDDLE,), email="gangnam.evergreen@example.com",
        phone="02-573-1024", opened_on=dt.date(2010, 9, 1),
    ),
    DemoFacility(
        name="관악 꿈나무지역아동센터",
        district="GA", facility_type=_GI, dong="난곡동",
        address="서울특별시 관악구 난곡로24길 31 (신림동)", lat="37.471500", lng="126.922500",
        area_m2="69.30", ages=(AgeGroup.ELEMENTARY_MIDDLE,), email="gwanak.sprout@example.com",
        phone="02-856-4077", opened_on=dt.date(2014, 5, 12),
    ),
    # 서울형 키즈카페.
    DemoFacility(
        name="서울형 키즈카페 노원 중계점",
        district="NW", facility_type=_SK, dong="중계본동",
        address="서울특별시 노원구 한글비석로24길 7 (중계동)", lat="37.644000", lng="127.080000",
        area_m2="210.00", ages=_CAFE, email="nowon.kidscafe@example.com",
        phone="02-2116-7290", opened_on=dt.date(2023, 5, 4),
    ),
    DemoFacility(
        name="서울형 키즈카페 송파 장지점",
        district="SP", facility_type=_SK, dong="장지동",
        address="서울특별시 송파구 새말로8길 20 (장지동)", lat="37.478500", lng="127.131000",
        area_m2="181.80", ages=_CAFE, email="songpa.kidscafe@example.com",
        phone="02-2147-3761", opened_on=dt.date(2023, 7, 20),
    ),
    DemoFacility(
        name="서울형 키즈카페 은평 진관점",
        district="EP", facility_type=_SK, dong="진관동",
        address="서울특별시 은평구 진관2로 29 (진관동)", lat="37.638000", lng="126.920000",
        area_m2="158.70", ages=_CAFE, email="eunpyeong.kidscafe@example.com",
        phone="02-351-8250", opened_on=dt.date(2023, 9, 1),
    ),
)  # fmt: skip

GUARDIANS: tuple[DemoGuardian, ...] = (
    DemoGuardian(
        username="parent1", name="김지현", phone="010-4001-0001",
        email="parent1@example.com", sms_consent=True,
        children=(
            DemoChild("이서준", dt.date(2016, 4, 12), Sex.MALE, "서울상계초등학교"),
            DemoChild("이서아", dt.date(2018, 9, 3), Sex.FEMALE, "서울상계초등학교"),
        ),
    ),
    DemoGuardian(
        username="parent2", name="박준호", phone="010-4001-0002",
        email="parent2@example.com", sms_consent=True,
        children=(
            DemoChild(
                "박하윤", dt.date(2017, 1, 25), Sex.FEMALE, "서울중계초등학교",
                health_notes="땅콩·견과류 알레르기 (간식 확인 필요, 에피펜 지참)",
            ),
        ),
    ),
    DemoGuardian(
        username="parent3", name="최유진", phone="010-4001-0003",
        email="parent3@example.com", sms_consent=False,
        children=(DemoChild("정도윤", dt.date(2015, 11, 8), Sex.MALE, "서울세곡초등학교"),),
    ),
    DemoGuardian(
        username="parent4", name="이민수", phone="010-4001-0004",
        email="parent4@example.com", sms_consent=True,
        children=(
            DemoChild("이지우", dt.date(2014, 6, 30), Sex.FEMALE, "서울가락초등학교"),
            DemoChild("이건우", dt.date(2019, 2, 14), Sex.MALE, "서울가락초등학교"),
        ),
    ),
    DemoGuardian(
        username="parent5", name="한소희", phone="010-4001-0005",
        email="parent5@example.com", sms_consent=False,
        children=(DemoChild("한예준", dt.date(2017, 8, 21), Sex.MALE, "서울창동초등학교"),),
    ),
)  # fmt: skip


# --- seeding ---------------------------------------------------------------------------


class DemoSeedError(Exception):
    """The demo cannot be seeded here (production, or sign-up needs SMS verification)."""


@dataclass
class SeedResult:
    created: Counter = field(default_factory=Counter)

    @property
    def changed(self) -> bool:
        return sum(self.created.values()) > 0


def any_facility_exists() -> bool:
    return Facility.objects.exists()


def check_can_seed() -> None:
    if settings.PRODUCTION:
        # Accounts with a published password must never exist on a live service.
        raise DemoSeedError(
            _("운영 환경(KIUM_ENV=production)에서는 데모 데이터를 만들 수 없습니다.")
        )
    if settings.KIUM_REQUIRE_PHONE_VERIFICATION:
        raise DemoSeedError(
            _(
                "휴대폰 본인인증이 필수(KIUM_REQUIRE_PHONE_VERIFICATION)인 동안에는 데모 계정을 "
                "만들 수 없습니다."
            )
        )


@transaction.atomic
def seed_demo() -> SeedResult:
    """Make whatever part of the demo is missing; all of it or nothing."""
    check_can_seed()
    result = SeedResult()
    ensure_base_departments()
    officers = _ensure_officers(result)
    facilities = _ensure_facilities(officers, result)
    _ensure_centre_managers(facilities, officers, result)
    _ensure_guardians(result)
    _ensure_centre_operations(result)
    return result


# DOMAIN.md: 일반형 term 13–20 / vacation 9–18; 융합형 term 13–20 / vacation 8–20 and
# Saturday 4 h; 거점형 term 13–19 / vacation 8–20 / Saturday 10–18.
DEMO_HOURS = {
    FacilityKind.GENERAL: ((13, 20), (9, 18), None),
    FacilityKind.FUSION: ((13, 20), (8, 20), (9, 13)),
    FacilityKind.HUB: ((13, 19), (8, 20), (10, 18)),
}
VACATION_TERMS = ("summer_vacation", "winter_vacation")


def _ensure_centre_operations(result: SeedResult) -> None:
    """Profiles and this and next quarter's operating periods of the demo 키움센터, so a
    fresh install can be browsed on the map and booked at once."""
    from kium.centres.domain.periods import set_operating_period
    from kium.centres.models import FacilityProfile, OperatingPeriod, Quarter

    today = clock.today()
    quarters = list(Quarter.objects.filter(end__gte=today).order_by("start")[:2])
    centres = Facility.objects.filter(facility_type=FacilityType.KIUM, is_operating=True)
    for facility in centres:
        term, vacation, saturday = DEMO_HOURS.get(facility.kind, DEMO_HOURS[FacilityKind.GENERAL])
        if not FacilityProfile.objects.filter(facility=facility).exists():
            FacilityProfile.objects.create(
                facility=facility,
                introduction=_(
                    "초등학생 자녀의 방과 후 돌봄을 책임지는 우리동네키움센터입니다. "
                    "놀이·숙제 지도·간식과 함께 안전한 하루를 보냅니다."
                ),
                term_open_time=dt.time(term[0]),
                term_close_time=dt.time(term[1]),
                vacation_open_time=dt.time(vacation[0]),
                vacation_close_time=dt.time(vacation[1]),
                saturday_open_time=dt.time(saturday[0]) if saturday else None,
                saturday_close_time=dt.time(saturday[1]) if saturday else None,
                meal_support="snack",
                monthly_fee=None if facility.kind == FacilityKind.HUB else 50_000,
                daily_fee=2_500,
                fee_note=_("방학 중 점심은 무료입니다. 급식비는 별도입니다."),
                morning_care=facility.kind == FacilityKind.FUSION,
                night_care=facility.kind == FacilityKind.HUB,
                sick_child_care=facility.kind == FacilityKind.HUB,
            )
            result.created["profiles"] += 1
        for quarter in quarters:
            if OperatingPeriod.objects.filter(facility=facility, quarter=quarter).exists():
                continue
            hours = vacation if quarter.term in VACATION_TERMS else term
            set_operating_period(
                actor=None,
                facility=facility,
                quarter=quarter,
                weekday_hours=(dt.time(hours[0]), dt.time(hours[1])),
                saturday_hours=(dt.time(saturday[0]), dt.time(saturday[1])) if saturday else None,
            )
            result.created["operating periods"] += 1


def _ensure_officers(result: SeedResult) -> dict[str | None, User]:
    """The officers by district code (None: the city officer)."""
    officers: dict[str | None, User] = {}
    city = _ensure_city_officer(OFFICERS[0], result)
    officers[None] = city
    for spec in OFFICERS[1:]:
        user = User.objects.filter(username=spec.username).first()
        if user is None:
            user = _sign_up_officer(spec)
            approve_staff(actor=city, user=user, role=Role.objects.get(name=spec.role))
            result.created["officers"] += 1
        officers[spec.district] = user
    return officers


def _sign_up_officer(spec: DemoOfficer) -> User:
    return sign_up_staff(
        username=spec.username,
        password=DEMO_PASSWORD,
        name=spec.name,
        phone=spec.phone,
        office_phone=spec.office_phone,
        email=spec.email,
        duty=spec.duty,
        jurisdiction=ScopeLevel.DISTRICT if spec.district else ScopeLevel.CITY,
        district=District.objects.get(code=spec.district) if spec.district else None,
    )


def _ensure_city_officer(spec: DemoOfficer, result: SeedResult) -> User:
    """The first city officer signs up like anyone; nobody is there to approve them yet.

    On a live service the first account is made with ``createsuperuser`` (개발자권한),
    who then approves the city's officers. The demo has no superuser, so it approves
    this one itself, as the system, and says so in the audit log.
    """
    user = User.objects.filter(username=spec.username).first()
    if user is not None:
        return user
    user = _sign_up_officer(spec)
    user.approval_status = ApprovalStatus.APPROVED
    user.approved_at = clock.now()
    user.department = Department.objects.filter(level=DepartmentLevel.CITY).first()
    user.save(update_fields=["approval_status", "approved_at", "department"])
    log_action(
        actor=None,
        action="staff.approve",
        obj=user,
        before={"approval_status": ApprovalStatus.PENDING},
        after={"approval_status": user.approval_status, "role": spec.role},
        reason="데모 데이터: 첫 서울시 담당자",
    )
    assignment = RoleAssignment.objects.create(
        user=user, role=Role.objects.get(name=spec.role), scope_level=ScopeLevel.CITY
    )
    log_action(
        actor=None,
        action="role.assign",
        obj=user,
        after={"role": assignment.role.name, "scope_level": ScopeLevel.CITY},
        reason="데모 데이터: 첫 서울시 담당자",
    )
    forget_scope(user)
    result.created["officers"] += 1
    return user


def _ensure_facilities(
    officers: dict[str | None, User], result: SeedResult
) -> list[tuple[DemoFacility, Facility]]:
    made = []
    for spec in FACILITIES:
        facility = Facility.objects.filter(name=spec.name).first()
        if facility is None:
            facility = _register(spec, _officer_for(spec.district, officers))
            result.created["facilities"] += 1
        made.append((spec, facility))
    return made


def _officer_for(district_code: str, officers: dict[str | None, User]) -> User:
    """A district's own officer registers its centres; the city officer the others."""
    return officers.get(district_code) or officers[None]


def _register(spec: DemoFacility, actor: User) -> Facility:
    district = District.objects.get(code=spec.district)
    return register_facility(
        actor=actor,
        district=district,
        facility_type=spec.facility_type,
        kind=spec.kind,
        name=spec.name,
        # An officer may have renamed or retired a 동; the facility then has none.
        dong=Dong.objects.filter(district=district, name=spec.dong).first(),
        address=spec.address,
        lat=Decimal(spec.lat),
        lng=Decimal(spec.lng),
        area_m2=Decimal(spec.area_m2),
        ages=list(spec.ages),
        email=spec.email,
        phone=spec.phone,
        opened_on=spec.opened_on,
    )


def _ensure_centre_managers(
    facilities: list[tuple[DemoFacility, Facility]],
    officers: dict[str | None, User],
    result: SeedResult,
) -> None:
    for spec, facility in facilities:
        if not spec.manager or User.objects.filter(facility=facility, kind=UserKind.STAFF).exists():
            continue
        user = create_staff_account(
            actor=_officer_for(spec.district, officers),
            facility=facility,
            name=spec.manager,
            phone=spec.manager_phone,
            email=spec.email,
            password=DEMO_PASSWORD,
        )
        # An officer-made account must change its initial password at first login; demo
        # accounts must log in directly with the published password, so the demo sets it
        # through the same (audited) call a password change uses, which lifts the flag.
        set_new_password(actor=None, user=user, password=DEMO_PASSWORD, action="demo.password_set")
        result.created["centre_managers"] += 1


def _ensure_guardians(result: SeedResult) -> None:
    for spec in GUARDIANS:
        if User.objects.filter(username=spec.username).exists():
            continue
        guardian = sign_up_guardian(
            username=spec.username,
            password=DEMO_PASSWORD,
            name=spec.name,
            phone=spec.phone,
            email=spec.email,
            terms_consent=True,
            privacy_consent=True,
            sms_consent=spec.sms_consent,
        )
        result.created["guardians"] += 1
        for child in spec.children:
            register_child(
                guardian=guardian,
                name=child.name,
                birth_date=child.birth_date,
                sex=child.sex,
                school=child.school if school_grade(child.birth_date) else "",
                grade=school_grade(child.birth_date),
                health_notes=child.health_notes,
                guardian_consent=True,
                sensitive_consent=bool(child.health_notes),
            )
            result.created["children"] += 1


def school_grade(birth_date: dt.date, today: dt.date | None = None) -> int | None:
    """The elementary grade this school year (it starts in March), or None outside 1–6.

    Korean children start school in the March after they turn six.
    """
    today = today or clock.today()
    school_year = today.year if today.month >= 3 else today.year - 1
    grade = school_year - birth_date.year - 6
    return grade if 1 <= grade <= 6 else None


# --- the account table -----------------------------------------------------------------


@dataclass(frozen=True)
class AccountRow:
    username: str
    role: str
    scope: str


def demo_usernames() -> list[str]:
    """The fixed demo accounts (centre managers' ids depend on their facility codes)."""
    return [o.username for o in OFFICERS] + [g.username for g in GUARDIANS]


def demo_account_rows() -> list[AccountRow]:
    """The demo accounts that exist now, for the table ``seed_demo`` prints."""
    rows = []
    staff_names = [o.username for o in OFFICERS]
    manager_facilities = Facility.objects.filter(name__in=[f.name for f in FACILITIES if f.manager])
    staff = User.objects.filter(
        Q(username__in=staff_names) | Q(facility__in=manager_facilities), kind=UserKind.STAFF
    )
    order = {name: i for i, name in enumerate(staff_names)}
    for user in sorted(staff, key=lambda u: (order.get(u.username, len(order)), u.username)):
        assignments = RoleAssignment.objects.filter(user=user).select_related(
            "role", "district", "facility"
        )
        for assignment in assignments:
            rows.append(AccountRow(user.username, assignment.role.name, describe_scope(assignment)))
    guardians = User.objects.filter(
        kind=UserKind.GUARDIAN, username__in=[g.username for g in GUARDIANS]
    ).order_by("username")
    for guardian in guardians:
        count = guardian.children.count()
        rows.append(
            AccountRow(
                guardian.username,
                _("보호자 (이용자)"),
                _("본인과 자녀 %(count)d명") % {"count": count},
            )
        )
    return rows


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def format_account_table(rows: list[AccountRow], password: str = DEMO_PASSWORD) -> str:
    """A plain-text table that lines up in a terminal (Hangul is two columns wide)."""
    header = (_("아이디"), _("역할"), _("범위"), _("비밀번호"))
    lines = [(r.username, r.role, r.scope, password) for r in rows]
    widths = [max(_width(cells[i]) for cells in [header, *lines]) for i in range(len(header))]
    rule = "-+-".join("-" * w for w in widths)
    out = [" | ".join(_pad(c, w) for c, w in zip(header, widths, strict=True)), rule]
    out += [" | ".join(_pad(c, w) for c, w in zip(cells, widths, strict=True)) for cells in lines]
    return "\n".join(out)
