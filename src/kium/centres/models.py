"""Usage quarters (RES-4), facilities' operating periods (FAC-3) and closed days.

The rules that tie them together (no overlapping quarters, a period inside its quarter,
which days are open) live in ``domain/``; see docs/quarters.md.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kium.centres.enums import TERM_NAMES_KO, MealSupport, Term
from kium.core.models import TrackedModel


class Quarter(TrackedModel):
    """이용분기: one term of a school year, with the dates the city publishes each year.

    ``year`` is the school year: the 겨울방학 of 2026 runs in January–February 2027.
    """

    year = models.PositiveSmallIntegerField(_("연도"))
    term = models.CharField(_("구분"), max_length=20, choices=Term.choices)
    start = models.DateField(_("시작일"))
    end = models.DateField(_("종료일"))

    class Meta:
        ordering = ["start"]
        verbose_name = _("이용분기")
        verbose_name_plural = _("이용분기")
        constraints = [
            models.UniqueConstraint(fields=["year", "term"], name="unique_quarter_year_term"),
            models.CheckConstraint(condition=Q(start__lte=F("end")), name="quarter_start_le_end"),
            models.CheckConstraint(
                condition=Q(year__gte=2000, year__lte=2100), name="quarter_year_range"
            ),
        ]

    @property
    def name(self) -> str:
        return TERM_NAMES_KO[self.term]

    def __str__(self) -> str:
        return f"{self.year} {self.name}"


class OperatingPeriod(TrackedModel):
    """운영기간 of one facility in one quarter, with its opening hours (FAC-3)."""

    facility = models.ForeignKey(
        "orgs.Facility",
        on_delete=models.CASCADE,
        related_name="operating_periods",
        verbose_name=_("시설"),
    )
    quarter = models.ForeignKey(
        Quarter, on_delete=models.PROTECT, related_name="operating_periods", verbose_name=_("분기")
    )
    start = models.DateField(_("운영 시작일"))
    end = models.DateField(_("운영 종료일"))
    open_time = models.TimeField(_("평일 시작시간"))
    close_time = models.TimeField(_("평일 종료시간"))
    saturday_open_time = models.TimeField(_("토요일 시작시간"), null=True, blank=True)
    saturday_close_time = models.TimeField(_("토요일 종료시간"), null=True, blank=True)

    class Meta:
        ordering = ["facility", "start"]
        verbose_name = _("운영기간")
        verbose_name_plural = _("운영기간")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "quarter"], name="unique_operating_period_per_quarter"
            ),
            models.CheckConstraint(
                condition=Q(start__lte=F("end")), name="operating_period_start_le_end"
            ),
            models.CheckConstraint(
                condition=Q(open_time__lt=F("close_time")), name="operating_period_hours_order"
            ),
            models.CheckConstraint(
                name="operating_period_saturday_hours",
                condition=Q(saturday_open_time__isnull=True, saturday_close_time__isnull=True)
                | Q(
                    saturday_open_time__isnull=False,
                    saturday_close_time__isnull=False,
                    saturday_open_time__lt=F("saturday_close_time"),
                ),
            ),
        ]

    @property
    def opens_on_saturday(self) -> bool:
        return self.saturday_open_time is not None

    def __str__(self) -> str:
        return f"{self.facility_id} {self.quarter} {self.start:%Y.%m.%d}–{self.end:%Y.%m.%d}"


class ClosedDay(TrackedModel):
    """휴무일: a day a facility (or, with no facility, every facility) is closed."""

    facility = models.ForeignKey(
        "orgs.Facility",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="closed_days",
        verbose_name=_("시설"),
        help_text=_("비워 두면 시 지정 휴무일(모든 시설)입니다."),
    )
    date = models.DateField(_("휴무일"))
    reason = models.CharField(_("사유"), max_length=100)

    class Meta:
        ordering = ["date"]
        verbose_name = _("휴무일")
        verbose_name_plural = _("휴무일")
        constraints = [
            models.UniqueConstraint(
                fields=["facility", "date"],
                condition=Q(facility__isnull=False),
                name="unique_facility_closed_day",
            ),
            # NULLs are distinct in a plain unique index, so the city-wide days get their own.
            models.UniqueConstraint(
                fields=["date"], condition=Q(facility__isnull=True), name="unique_city_closed_day"
            ),
        ]

    @property
    def is_city_wide(self) -> bool:
        return self.facility_id is None

    def __str__(self) -> str:
        return f"{self.date:%Y.%m.%d} {self.reason}"


class CapacityRequestStatus(models.TextChoices):
    PENDING = "pending", _("승인대기")
    APPROVED = "approved", _("승인")
    REJECTED = "rejected", _("반려")


class CapacityRequest(models.Model):
    """정원 변경 요청 (RES-2, RES-3): the latest approved one overrides floor(면적 / 3.3)."""

    facility = models.ForeignKey(
        "orgs.Facility",
        on_delete=models.CASCADE,
        related_name="capacity_requests",
        verbose_name=_("시설"),
    )
    requested_capacity = models.PositiveIntegerField(_("요청 정원"))
    reason = models.CharField(_("요청 사유"), max_length=500)
    requested_by = models.ForeignKey(
        "accounts.User",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("요청자"),
    )
    requested_at = models.DateTimeField(_("요청일시"))
    status = models.CharField(
        _("상태"),
        max_length=10,
        choices=CapacityRequestStatus.choices,
        default=CapacityRequestStatus.PENDING,
    )
    decided_by = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("처리자"),
    )
    decided_at = models.DateTimeField(_("처리일시"), null=True, blank=True)
    decision_reason = models.CharField(_("처리 사유"), max_length=500, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        verbose_name = _("정원 변경 요청")
        verbose_name_plural = _("정원 변경 요청")
        constraints = [
            models.UniqueConstraint(
                fields=["facility"],
                condition=Q(status="pending"),
                name="one_pending_capacity_request_per_facility",
            ),
            models.CheckConstraint(
                condition=Q(requested_capacity__gt=0), name="capacity_request_positive"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.requested_capacity} ({self.status})"


def _hours_pair_constraint(prefix: str) -> models.CheckConstraint:
    """Both times of a pair are set (open before close) or neither is."""
    open_field, close_field = f"{prefix}_open_time", f"{prefix}_close_time"
    return models.CheckConstraint(
        name=f"profile_{prefix}_hours",
        condition=Q(**{f"{open_field}__isnull": True, f"{close_field}__isnull": True})
        | Q(
            **{
                f"{open_field}__isnull": False,
                f"{close_field}__isnull": False,
                f"{open_field}__lt": F(close_field),
            }
        ),
    )


class FacilityProfile(TrackedModel):
    """FAC-2: what a parent reads about a facility beyond its record (one per facility).

    The hours here are the facility's usual hours per kind of quarter (학기중, 방학중,
    토요일); the 예약정보 tab's operating periods take them as their default and may
    differ per quarter. See docs/facility-profile.md.
    """

    facility = models.OneToOneField(
        "orgs.Facility", on_delete=models.CASCADE, related_name="profile", verbose_name=_("시설")
    )
    introduction = models.TextField(_("시설 소개"), blank=True, max_length=4000)
    term_open_time = models.TimeField(_("학기중 시작시간"), null=True, blank=True)
    term_close_time = models.TimeField(_("학기중 종료시간"), null=True, blank=True)
    vacation_open_time = models.TimeField(_("방학중 시작시간"), null=True, blank=True)
    vacation_close_time = models.TimeField(_("방학중 종료시간"), null=True, blank=True)
    saturday_open_time = models.TimeField(_("토요일 시작시간"), null=True, blank=True)
    saturday_close_time = models.TimeField(_("토요일 종료시간"), null=True, blank=True)
    meal_support = models.CharField(
        _("급식·간식 지원"), max_length=12, choices=MealSupport.choices, default=MealSupport.NONE
    )
    monthly_fee = models.PositiveIntegerField(_("정기돌봄 월 이용료(원)"), null=True, blank=True)
    daily_fee = models.PositiveIntegerField(_("일시돌봄 1일 이용료(원)"), null=True, blank=True)
    fee_note = models.CharField(_("이용료 안내"), max_length=300, blank=True)
    morning_care = models.BooleanField(_("아침돌봄"), default=False)
    night_care = models.BooleanField(_("야간돌봄"), default=False)
    sick_child_care = models.BooleanField(_("아픈아이 돌봄"), default=False)
    # RES: a centre may review temporary bookings instead of confirming them at once.
    temporary_review = models.BooleanField(_("일시돌봄 예약 승인제"), default=False)

    class Meta:
        verbose_name = _("시설 소개 정보")
        verbose_name_plural = _("시설 소개 정보")
        constraints = [
            _hours_pair_constraint("term"),
            _hours_pair_constraint("vacation"),
            _hours_pair_constraint("saturday"),
            models.CheckConstraint(
                condition=Q(monthly_fee__isnull=True) | Q(monthly_fee__lte=10_000_000),
                name="profile_monthly_fee_range",
            ),
            models.CheckConstraint(
                condition=Q(daily_fee__isnull=True) | Q(daily_fee__lte=1_000_000),
                name="profile_daily_fee_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} profile"


class FacilityPhoto(TrackedModel):
    """A public photo of a facility (size- and type-checked on upload, served by a view)."""

    facility = models.ForeignKey(
        "orgs.Facility", on_delete=models.CASCADE, related_name="photos", verbose_name=_("시설")
    )
    image = models.ImageField(_("사진"), upload_to="facility-photos/%Y/%m/")
    # Screen readers read this; KWCAG asks for a text alternative on every image.
    alt_text = models.CharField(_("사진 설명(대체텍스트)"), max_length=150)
    content_type = models.CharField(max_length=40)
    sort_order = models.PositiveSmallIntegerField(_("순서"), default=0)

    class Meta:
        ordering = ["facility", "sort_order", "pk"]
        verbose_name = _("시설 사진")
        verbose_name_plural = _("시설 사진")

    def __str__(self) -> str:
        return f"{self.facility_id} photo {self.pk}"


class FavouriteFacility(models.Model):
    """A guardian's 관심시설: the two or three places a family uses again and again."""

    user = models.ForeignKey(
        "accounts.User", on_delete=models.CASCADE, related_name="favourite_facilities"
    )
    facility = models.ForeignKey(
        "orgs.Facility", on_delete=models.CASCADE, related_name="favoured_by"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("관심시설")
        verbose_name_plural = _("관심시설")
        constraints = [
            models.UniqueConstraint(fields=["user", "facility"], name="unique_favourite_facility")
        ]

    def __str__(self) -> str:
        return f"{self.user_id} ♥ {self.facility_id}"
