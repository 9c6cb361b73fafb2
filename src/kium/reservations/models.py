"""Reservations (RES-*): applications and bookings, the places they hold, and each
facility's place counters per operating day.

How places are counted, locked and handed on is in docs/reservations.md; the rules live
in ``domain/``. Models stay thin: fields, constraints and cheap properties.
"""

from __future__ import annotations

from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from kium.core.models import TrackedModel
from kium.reservations.enums import (
    ACTIVE_STATUSES,
    DEFAULT_PRIORITY_RULES,
    CareType,
    DocumentKind,
    Exemption,
    Pool,
    Source,
    Status,
)


def private_storage():
    """Applicants' documents live outside MEDIA_ROOT and have no public URL."""
    from django.core.files.storage import storages

    return storages["private"]


def _default_priority_rules() -> list[str]:
    return [str(rule) for rule in DEFAULT_PRIORITY_RULES]


class CentrePolicy(TrackedModel):
    """A centre's own reservation rules: applicant priority and required documents."""

    facility = models.OneToOneField(
        "orgs.Facility",
        on_delete=models.CASCADE,
        related_name="reservation_policy",
        verbose_name=_("시설"),
    )
    priority_rules = models.JSONField(_("우선순위 기준"), default=_default_priority_rules)
    complex_name = models.CharField(
        _("공동주택 단지명"),
        max_length=100,
        blank=True,
        help_text=_("공동주택 단지 안의 센터만 입력합니다. 단지 입주민 자녀 우선 기준에 쓰입니다."),
    )
    requires_admission_documents = models.BooleanField(_("입소 구비서류 필요"), default=True)

    class Meta:
        verbose_name = _("센터 예약 규칙")
        verbose_name_plural = _("센터 예약 규칙")

    def __str__(self) -> str:
        return f"{self.facility_id} policy"


class Reservation(TrackedModel):
    """One application or booking of one child at one facility.

    Single-day care (일시돌봄, 아픈아이 돌봄) uses ``date``; regular care uses
    ``start_date``…``end_date`` with ``weekdays`` (0 = Monday). A reservation that holds
    places has one ``CareDay`` per day.
    """

    # No single-column indexes on facility and guardian: the composite indexes below
    # start with them and serve the same lookups, and every booking pays for each index.
    facility = models.ForeignKey(
        "orgs.Facility",
        on_delete=models.PROTECT,
        related_name="reservations",
        verbose_name=_("시설"),
        db_index=False,
    )
    child = models.ForeignKey(
        "accounts.Child",
        on_delete=models.PROTECT,
        related_name="reservations",
        verbose_name=_("아동"),
    )
    guardian = models.ForeignKey(
        "accounts.User",
        on_delete=models.PROTECT,
        related_name="reservations",
        verbose_name=_("보호자"),
        db_index=False,
    )
    care_type = models.CharField(_("돌봄유형"), max_length=10, choices=CareType.choices)
    status = models.CharField(_("상태"), max_length=12, choices=Status.choices)
    source = models.CharField(
        _("접수경로"), max_length=8, choices=Source.choices, default=Source.ONLINE
    )

    date = models.DateField(_("이용일"), null=True, blank=True)
    start_date = models.DateField(_("이용 시작일"), null=True, blank=True)
    end_date = models.DateField(_("이용 종료일"), null=True, blank=True)
    weekdays = models.JSONField(_("이용 요일"), default=list, blank=True)
    start_time = models.TimeField(_("시작시간"))
    end_time = models.TimeField(_("종료시간"))
    # The pool a confirmed single-day booking took its place from.
    pool = models.CharField(_("배정 정원"), max_length=8, choices=Pool.choices, blank=True)

    # Waiting: the order of the line is (priority_rank, queued_at, pk); see the docs.
    queued_at = models.DateTimeField(_("대기 등록일시"), null=True, blank=True)
    priority_rank = models.PositiveSmallIntegerField(_("우선순위"), default=0)
    offer_expires_at = models.DateTimeField(_("제안 수락기한"), null=True, blank=True)

    # Household facts the guardian declares for the centre's priority rules.
    dual_earner = models.BooleanField(_("맞벌이 가정"), default=False)
    single_parent = models.BooleanField(_("한부모 가정"), default=False)
    many_children = models.BooleanField(_("다자녀(3자녀 이상) 가정"), default=False)
    complex_resident = models.BooleanField(_("공동주택 단지 입주민"), default=False)

    # 아픈아이 돌봄.
    symptoms = models.CharField(_("증상"), max_length=500, blank=True)
    clinic_escort_consent = models.BooleanField(_("병원 동행 동의"), default=False)
    reachable_phone = models.CharField(_("연락 가능한 전화번호"), max_length=20, blank=True)

    # RES-6 ①–③: online consents (time given) or paper forms (time received).
    application_submitted_at = models.DateTimeField(_("이용신청서 제출일시"), null=True)
    privacy_consent_at = models.DateTimeField(_("개인정보 동의일시"), null=True, blank=True)
    pickup_consent_at = models.DateTimeField(
        _("등하원·응급처치·귀가 동의일시"), null=True, blank=True
    )
    paper_forms_received_at = models.DateTimeField(_("서면 동의서 접수일시"), null=True, blank=True)

    fee_amount = models.PositiveIntegerField(_("이용료(원)"), null=True, blank=True)
    exemption = models.CharField(
        _("감면 구분"), max_length=20, choices=Exemption.choices, blank=True, default=""
    )
    note = models.CharField(_("신청 메모"), max_length=500, blank=True)

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
    cancelled_at = models.DateTimeField(_("취소일시"), null=True, blank=True)

    extended_from = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="extension",
        verbose_name=_("연장 전 이용"),
    )
    # Seoul's rule since 2025: regular care continues into the next quarter unless the
    # guardian stops it before the cut-off.
    extension_stopped_at = models.DateTimeField(_("연장 중단일시"), null=True, blank=True)
    # The day-before reminder goes out once (reminders.send_reminders).
    reminded_at = models.DateTimeField(_("전날 알림 발송일시"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("예약")
        verbose_name_plural = _("예약")
        indexes = [
            models.Index(fields=["facility", "status", "date"], name="reservation_facility_day"),
            models.Index(fields=["guardian", "-created_at"], name="reservation_guardian"),
            models.Index(fields=["facility", "care_type", "status"], name="reservation_queue"),
        ]
        constraints = [
            models.CheckConstraint(
                name="reservation_times_order", condition=Q(start_time__lt=F("end_time"))
            ),
            models.CheckConstraint(
                name="reservation_dates_by_type",
                condition=(
                    Q(care_type=CareType.REGULAR, date__isnull=True)
                    & Q(start_date__isnull=False, end_date__isnull=False)
                    & Q(start_date__lte=F("end_date"))
                )
                | (
                    Q(care_type__in=[CareType.TEMPORARY, CareType.SICK], date__isnull=False)
                    & Q(start_date__isnull=True, end_date__isnull=True)
                ),
            ),
            models.CheckConstraint(
                name="reservation_offer_has_deadline",
                condition=~Q(status=Status.OFFERED) | Q(offer_expires_at__isnull=False),
            ),
            # One live single-day booking per child, facility and day (RES: duplicate).
            models.UniqueConstraint(
                fields=["child", "facility", "date"],
                condition=Q(status__in=ACTIVE_STATUSES, date__isnull=False),
                name="one_active_booking_per_child_day",
            ),
        ]

    @property
    def is_single_day(self) -> bool:
        return self.care_type != CareType.REGULAR

    @property
    def first_day(self):
        return self.date if self.is_single_day else self.start_date

    @property
    def last_day(self):
        return self.date if self.is_single_day else self.end_date

    def __str__(self) -> str:
        return f"#{self.pk} {self.facility_id} {self.care_type} {self.status}"


class DayLoad(models.Model):
    """A facility's places on one day: capacities at the time and what is taken.

    The row is the counter the booking functions read and write under the facility's
    lock (core/locking.py); the check constraints are the last line of defence.
    """

    facility = models.ForeignKey(
        "orgs.Facility", on_delete=models.CASCADE, related_name="day_loads"
    )
    date = models.DateField()
    shared_capacity = models.PositiveSmallIntegerField()
    quota_capacity = models.PositiveSmallIntegerField()
    waitlist_capacity = models.PositiveSmallIntegerField()
    shared_used = models.PositiveSmallIntegerField(default=0)
    quota_used = models.PositiveSmallIntegerField(default=0)
    # Single-day bookings waiting for this day (not holding a place).
    waitlisted = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["facility", "date"]
        constraints = [
            models.UniqueConstraint(fields=["facility", "date"], name="unique_day_load"),
            models.CheckConstraint(
                name="day_load_shared_within_capacity",
                condition=Q(shared_used__lte=F("shared_capacity")),
            ),
            models.CheckConstraint(
                name="day_load_quota_within_capacity",
                condition=Q(quota_used__lte=F("quota_capacity")),
            ),
            models.CheckConstraint(
                name="day_load_waitlist_within_capacity",
                condition=Q(waitlisted__lte=F("waitlist_capacity")),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.date} {self.shared_used}+{self.quota_used}"

    @property
    def shared_free(self) -> int:
        return self.shared_capacity - self.shared_used

    @property
    def quota_free(self) -> int:
        return self.quota_capacity - self.quota_used


class CareDay(models.Model):
    """One day's place held by a reservation (the rows DayLoad counts)."""

    # Indexed through unique_care_day and care_day_facility_date (which start with them).
    reservation = models.ForeignKey(
        Reservation, on_delete=models.CASCADE, related_name="days", db_index=False
    )
    facility = models.ForeignKey(
        "orgs.Facility", on_delete=models.CASCADE, related_name="+", db_index=False
    )
    date = models.DateField()
    pool = models.CharField(max_length=8, choices=Pool.choices)

    class Meta:
        ordering = ["date"]
        constraints = [
            models.UniqueConstraint(fields=["reservation", "date"], name="unique_care_day"),
        ]
        indexes = [models.Index(fields=["facility", "date"], name="care_day_facility_date")]

    def __str__(self) -> str:
        return f"{self.reservation_id} {self.date} {self.pool}"


class ReservationDocument(models.Model):
    """RES-6 ④ (and scanned ①–③): a private upload, opened only through checked views."""

    reservation = models.ForeignKey(Reservation, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("서류 종류"), max_length=12, choices=DocumentKind.choices)
    file = models.FileField(
        _("파일"), upload_to="reservation-documents/%Y/%m/", storage=private_storage
    )
    original_name = models.CharField(_("파일명"), max_length=200)
    content_type = models.CharField(max_length=40)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        "accounts.User", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["reservation", "kind", "pk"]
        verbose_name = _("제출 서류")
        verbose_name_plural = _("제출 서류")

    def __str__(self) -> str:
        return f"{self.reservation_id} {self.kind} {self.original_name}"
