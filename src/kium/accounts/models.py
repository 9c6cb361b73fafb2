"""People: one custom user model for guardians, staff and devices; children; logins."""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kium.accounts.enums import ApprovalStatus, Sex, UserKind, VerificationPurpose


class KiumUserManager(UserManager):
    def create_superuser(self, username, email=None, password=None, **extra_fields):
        # A superuser is a staff member of the city with 개발자권한 (every menu).
        extra_fields.setdefault("kind", UserKind.STAFF)
        extra_fields.setdefault("approval_status", ApprovalStatus.APPROVED)
        extra_fields.setdefault("name", username)
        return super().create_superuser(username, email, password, **extra_fields)


class User(AbstractUser):
    """Guardians (portal members), staff (city, district, facility) and RF devices.

    ``is_staff`` is Django's flag for its own admin site and stays off except for
    superusers; back-office access is ``kind == staff`` plus an approved account plus a
    role assignment (orgs.RoleAssignment).
    """

    kind = models.CharField(_("구분"), max_length=16, choices=UserKind.choices)
    name = models.CharField(_("이름"), max_length=50)
    phone = models.CharField(_("휴대전화번호"), max_length=20, blank=True, db_index=True)
    approval_status = models.CharField(
        _("승인상태"),
        max_length=16,
        choices=ApprovalStatus.choices,
        default=ApprovalStatus.APPROVED,
    )
    rejection_reason = models.CharField(_("반려 사유"), max_length=500, blank=True)
    approved_at = models.DateTimeField(_("승인일시"), null=True, blank=True)
    approved_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    must_change_password = models.BooleanField(_("비밀번호 변경 필요"), default=False)

    # Staff sign-up fields (ACC-1).
    duty = models.CharField(_("담당업무"), max_length=50, blank=True)
    jurisdiction = models.CharField(_("담당관할"), max_length=16, blank=True)
    district = models.ForeignKey(
        "orgs.District",
        verbose_name=_("담당지역"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    office_phone = models.CharField(_("전화번호"), max_length=20, blank=True)
    department = models.ForeignKey(
        "orgs.Department",
        verbose_name=_("부서"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="staff",
    )
    facility = models.ForeignKey(
        "orgs.Facility",
        verbose_name=_("소속 시설"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    staff_number = models.PositiveSmallIntegerField(_("계정 순번"), null=True, blank=True)

    # Guardian consents (dates are evidence; no resident registration number, ever).
    terms_consent_at = models.DateTimeField(_("이용약관 동의일시"), null=True, blank=True)
    privacy_consent_at = models.DateTimeField(_("개인정보 동의일시"), null=True, blank=True)
    sms_consent_at = models.DateTimeField(_("문자 수신 동의일시"), null=True, blank=True)

    objects = KiumUserManager()
    REQUIRED_FIELDS = ["email"]

    class Meta:
        verbose_name = _("사용자")
        verbose_name_plural = _("사용자")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in UserKind]), name="user_kind_valid"
            ),
            models.UniqueConstraint(
                fields=["facility", "staff_number"],
                condition=Q(facility__isnull=False, staff_number__isnull=False),
                name="unique_staff_number_per_facility",
            ),
            models.UniqueConstraint(
                fields=["phone", "kind"],
                condition=~Q(phone="") & Q(kind__in=["guardian"]),
                name="unique_guardian_phone",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.username})" if self.name else self.username

    @property
    def is_guardian(self) -> bool:
        return self.kind == UserKind.GUARDIAN

    @property
    def is_staff_member(self) -> bool:
        return self.kind == UserKind.STAFF

    @property
    def is_approved(self) -> bool:
        return self.approval_status == ApprovalStatus.APPROVED


class Child(models.Model):
    """A guardian's child. Health and allergy notes are sensitive data (own consent)."""

    guardian = models.ForeignKey(
        User, on_delete=models.CASCADE, related_name="children", verbose_name=_("보호자")
    )
    name = models.CharField(_("이름"), max_length=50)
    birth_date = models.DateField(_("생년월일"))
    sex = models.CharField(_("성별"), max_length=1, choices=Sex.choices)
    school = models.CharField(_("학교"), max_length=100, blank=True)
    grade = models.PositiveSmallIntegerField(_("학년"), null=True, blank=True)
    health_notes = models.TextField(_("건강·알레르기 특이사항"), blank=True)
    guardian_consent_at = models.DateTimeField(_("법정대리인 동의일시"))
    sensitive_consent_at = models.DateTimeField(_("민감정보 동의일시"), null=True, blank=True)
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)
    updated_at = models.DateTimeField(_("수정일시"), auto_now=True)

    class Meta:
        ordering = ["birth_date", "id"]
        verbose_name = _("아동")
        verbose_name_plural = _("아동")
        constraints = [
            models.CheckConstraint(
                condition=Q(health_notes="") | Q(sensitive_consent_at__isnull=False),
                name="child_health_notes_need_consent",
            ),
            models.CheckConstraint(
                condition=Q(grade__isnull=True) | Q(grade__gte=1, grade__lte=6),
                name="child_grade_range",
            ),
        ]

    def __str__(self) -> str:
        return self.name


class PhoneVerification(models.Model):
    """A 6-digit code sent by SMS: single use, valid 10 minutes, attempts limited."""

    phone = models.CharField(max_length=20, db_index=True)
    purpose = models.CharField(max_length=32, choices=VerificationPurpose.choices)
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    verified_at = models.DateTimeField(null=True, blank=True)
    consumed_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    ip = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        verbose_name = _("휴대폰 인증")
        verbose_name_plural = _("휴대폰 인증")

    def __str__(self) -> str:
        return f"{self.phone} {self.purpose}"


class LoginHistory(models.Model):
    """접속이력: every login attempt to the back office, the portal or the API."""

    user = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="logins"
    )
    username = models.CharField(_("아이디"), max_length=150, db_index=True)
    at = models.DateTimeField(_("일시"), auto_now_add=True, db_index=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)
    channel = models.CharField(_("경로"), max_length=16)  # backoffice | portal | api
    success = models.BooleanField(_("성공"))
    detail = models.CharField(_("내용"), max_length=100, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("접속이력")
        verbose_name_plural = _("접속이력")

    def __str__(self) -> str:
        return f"{self.username} {self.at:%Y.%m.%d %H:%M}"


class ApiToken(models.Model):
    """Bearer tokens for the API; only a hash is stored."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("API 토큰")
        verbose_name_plural = _("API 토큰")

    def __str__(self) -> str:
        return f"token of {self.user_id}"
