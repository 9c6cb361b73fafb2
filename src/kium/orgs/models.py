"""Districts, 동, departments, facilities and their codes, roles and assignments."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kium.core.models import TrackedModel
from kium.orgs.enums import DepartmentLevel, FacilityKind, FacilityType, ScopeLevel


class District(models.Model):
    """자치구 (ORG-1). Codes are data the city can edit, loaded by migration."""

    code = models.CharField(
        _("자치구 코드"),
        max_length=2,
        unique=True,
        validators=[RegexValidator(r"^[A-Z]{2}$", _("영문 대문자 2자로 입력해 주세요."))],
    )
    name = models.CharField(_("자치구명"), max_length=20, unique=True)
    sort_order = models.PositiveSmallIntegerField(_("정렬순서"), default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("자치구")
        verbose_name_plural = _("자치구")

    def __str__(self) -> str:
        return self.name


class Dong(models.Model):
    """행정동 of a district: editable data."""

    district = models.ForeignKey(District, on_delete=models.CASCADE, related_name="dongs")
    name = models.CharField(_("동"), max_length=30)
    is_active = models.BooleanField(_("사용여부"), default=True)

    class Meta:
        ordering = ["district", "name"]
        verbose_name = _("동")
        verbose_name_plural = _("동")
        constraints = [
            models.UniqueConstraint(fields=["district", "name"], name="unique_dong_per_district")
        ]

    def __str__(self) -> str:
        return self.name


class FacilityNumberCounter(models.Model):
    """The last registration number given per district and type (ORG-3).

    Kept apart from the facilities so a deleted facility's number is never reused.
    """

    district = models.ForeignKey(District, on_delete=models.CASCADE)
    facility_type = models.CharField(max_length=2, choices=FacilityType.choices)
    last_number = models.PositiveSmallIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["district", "facility_type"], name="unique_counter_per_district_type"
            ),
            models.CheckConstraint(condition=Q(last_number__lte=999), name="counter_max_999"),
        ]

    def __str__(self) -> str:
        return f"{self.district.code}{self.facility_type} {self.last_number}"


class Facility(TrackedModel):
    """A care facility's record (시설). Issue 3 adds the public profile fields."""

    code = models.CharField(_("시설코드"), max_length=7, unique=True)
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="facilities", verbose_name=_("자치구")
    )
    facility_type = models.CharField(_("시설유형"), max_length=2, choices=FacilityType.choices)
    registration_number = models.PositiveSmallIntegerField(
        _("등록순번"), validators=[MinValueValidator(1), MaxValueValidator(999)]
    )
    kind = models.CharField(_("센터유형"), max_length=16, choices=FacilityKind.choices, blank=True)
    name = models.CharField(_("시설명"), max_length=100)
    dong = models.ForeignKey(
        Dong, on_delete=models.PROTECT, null=True, blank=True, verbose_name=_("동")
    )
    ages = models.JSONField(_("이용연령"), default=list, blank=True)
    required_documents = models.CharField(_("필요 서류"), max_length=300, blank=True)
    address = models.CharField(_("주소"), max_length=200)
    address_detail = models.CharField(_("상세주소"), max_length=100, blank=True)
    lat = models.DecimalField(_("위도"), max_digits=9, decimal_places=6, null=True, blank=True)
    lng = models.DecimalField(_("경도"), max_digits=9, decimal_places=6, null=True, blank=True)
    opened_on = models.DateField(_("운영일"), null=True, blank=True)
    email = models.EmailField(_("E-mail"), blank=True)
    phone = models.CharField(_("전화번호"), max_length=20, blank=True)
    area_m2 = models.DecimalField(
        _("전용면적"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    is_operating = models.BooleanField(_("운영여부"), default=True)
    last_staff_number = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["district__sort_order", "facility_type", "registration_number"]
        verbose_name = _("시설")
        verbose_name_plural = _("시설")
        constraints = [
            models.UniqueConstraint(
                fields=["district", "facility_type", "registration_number"],
                name="unique_facility_registration_number",
            ),
            models.CheckConstraint(
                condition=Q(area_m2__isnull=True) | Q(area_m2__gt=0), name="facility_area_positive"
            ),
            models.CheckConstraint(
                condition=Q(last_staff_number__lte=999), name="facility_staff_number_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.code})"


class Department(TrackedModel):
    """부서 (ORG-5): 서울시 → 자치구 → facility-type department → facility.

    ``facility`` is the ORG-6 mapping to the public facility record; a facility-level
    department without it is flagged in the back office.
    """

    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name=_("상위부서"),
    )
    level = models.CharField(_("구분"), max_length=16, choices=DepartmentLevel.choices)
    name = models.CharField(_("부서명"), max_length=100)
    code = models.CharField(_("부서코드"), max_length=20, unique=True)
    phone = models.CharField(_("전화번호"), max_length=20, blank=True)
    fax = models.CharField(_("팩스번호"), max_length=20, blank=True)
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, related_name="departments"
    )
    facility_type = models.CharField(
        _("시설유형"), max_length=2, choices=FacilityType.choices, blank=True
    )
    facility = models.OneToOneField(
        Facility,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="department",
        verbose_name=_("매핑 시설"),
    )
    sort_order = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "code"]
        verbose_name = _("부서")
        verbose_name_plural = _("부서")

    def __str__(self) -> str:
        return self.name


class Role(models.Model):
    """권한 (ACC-4): a named set of menu permissions."""

    name = models.CharField(_("권한명"), max_length=50, unique=True)
    level = models.CharField(_("적용범위"), max_length=16, choices=ScopeLevel.choices)
    facility_type = models.CharField(
        _("시설유형"), max_length=2, choices=FacilityType.choices, blank=True
    )
    menus = models.JSONField(_("메뉴 권한"), default=list)
    description = models.CharField(_("설명"), max_length=200, blank=True)
    is_active = models.BooleanField(_("사용여부"), default=True)
    sort_order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["sort_order", "name"]
        verbose_name = _("권한")
        verbose_name_plural = _("권한")

    def __str__(self) -> str:
        return self.name


class RoleAssignment(TrackedModel):
    """권한할당: user + role + scope (city, one district, one facility)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_assignments"
    )
    role = models.ForeignKey(Role, on_delete=models.PROTECT, related_name="assignments")
    scope_level = models.CharField(_("범위"), max_length=16, choices=ScopeLevel.choices)
    district = models.ForeignKey(District, null=True, blank=True, on_delete=models.PROTECT)
    facility = models.ForeignKey(Facility, null=True, blank=True, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("권한할당")
        verbose_name_plural = _("권한할당")
        constraints = [
            models.CheckConstraint(
                name="assignment_scope_shape",
                condition=(
                    Q(scope_level="city", district__isnull=True, facility__isnull=True)
                    | Q(scope_level="district", district__isnull=False, facility__isnull=True)
                    | Q(scope_level="facility", facility__isnull=False)
                ),
            ),
            # One partial constraint per scope level: "NULLS NOT DISTINCT" is not
            # available on SQLite, and the null columns differ by level anyway.
            models.UniqueConstraint(
                fields=["user", "role"],
                condition=Q(scope_level="city"),
                name="unique_city_assignment",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "district"],
                condition=Q(scope_level="district"),
                name="unique_district_assignment",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "facility"],
                condition=Q(scope_level="facility"),
                name="unique_facility_assignment",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.role}"


class GuideCode(TrackedModel):
    """보육반장 코드: the city's codes for neighbourhood child-care guides."""

    code = models.CharField(_("보육반장 코드"), max_length=20, unique=True)
    district = models.ForeignKey(District, on_delete=models.PROTECT, verbose_name=_("자치구"))
    dong = models.ForeignKey(
        Dong, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("동")
    )
    description = models.CharField(_("설명"), max_length=200, blank=True)
    is_active = models.BooleanField(_("사용여부"), default=True)

    class Meta:
        ordering = ["code"]
        verbose_name = _("보육반장 코드")
        verbose_name_plural = _("보육반장 코드")

    def __str__(self) -> str:
        return self.code


class ChildcareGuide(TrackedModel):
    """보육반장: an account of a neighbourhood child-care guide, with their code."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guide_profile"
    )
    guide_code = models.OneToOneField(
        GuideCode,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="guide",
        verbose_name=_("보육반장 코드"),
    )
    active_from = models.DateField(_("활동 시작일"), null=True, blank=True)
    active_until = models.DateField(_("활동 종료일"), null=True, blank=True)

    class Meta:
        verbose_name = _("보육반장")
        verbose_name_plural = _("보육반장")

    def __str__(self) -> str:
        return str(self.user)


class AccessReview(models.Model):
    """접속기록 월간점검: an officer's record that one month's access records were checked.

    ``district`` empty means the whole city was reviewed.
    """

    month = models.DateField(_("점검 대상 월"))
    district = models.ForeignKey(
        District, null=True, blank=True, on_delete=models.PROTECT, verbose_name=_("자치구")
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("점검자"),
    )
    reviewer_username = models.CharField(_("점검자 아이디"), max_length=150)
    note = models.TextField(_("점검 의견"), blank=True)
    reviewed_at = models.DateTimeField(_("점검일시"), auto_now_add=True)

    class Meta:
        ordering = ["-month", "-reviewed_at"]
        verbose_name = _("접속기록 월간점검")
        verbose_name_plural = _("접속기록 월간점검")
        constraints = [
            models.UniqueConstraint(
                fields=["month"],
                condition=Q(district__isnull=True),
                name="unique_city_review_per_month",
            ),
            models.UniqueConstraint(
                fields=["month", "district"],
                condition=Q(district__isnull=False),
                name="unique_district_review_per_month",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.month:%Y.%m} {self.reviewer_username}"
