"""Attendance (ATT-1, ATT-2): RF readers, RF cards, taps and absences.

The day's attendance is derived from the taps (docs/attendance.md): a child's live taps
of one day at one facility, ordered by ``tapped_at``, alternate check-in / check-out.
``Tap.event`` stores the derived label so lists need no recomputation; the domain
rewrites it under the child-day lock whenever the order changes (a late tap, a void).
Models stay thin; the rules live in ``domain/``.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kium.attendance.enums import CardStatus, TapEvent


class Reader(models.Model):
    """One RF reader at a centre. It authenticates with its own device token: only the
    SHA-256 of the token is stored, and a revoked reader is refused at once."""

    facility = models.ForeignKey(
        "orgs.Facility", on_delete=models.PROTECT, related_name="rf_readers", verbose_name=_("시설")
    )
    name = models.CharField(_("리더기 이름"), max_length=100)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("등록일시"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(_("사용중지일시"), null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    last_seen_at = models.DateTimeField(_("마지막 수신일시"), null=True, blank=True)

    class Meta:
        ordering = ["facility", "name", "pk"]
        verbose_name = _("RF 리더기")
        verbose_name_plural = _("RF 리더기")

    def __str__(self) -> str:
        return self.name

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class RfCard(models.Model):
    """A child's RF card at one centre. Retired cards stay as history."""

    facility = models.ForeignKey(
        "orgs.Facility", on_delete=models.PROTECT, related_name="rf_cards", verbose_name=_("시설")
    )
    child = models.ForeignKey(
        "accounts.Child", on_delete=models.PROTECT, related_name="rf_cards", verbose_name=_("아동")
    )
    card_uid = models.CharField(_("카드번호"), max_length=64)
    status = models.CharField(
        _("상태"), max_length=8, choices=CardStatus.choices, default=CardStatus.ACTIVE
    )
    registered_at = models.DateTimeField(_("등록일시"))
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    retired_at = models.DateTimeField(_("회수일시"), null=True, blank=True)
    retired_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    retire_reason = models.CharField(_("회수 사유"), max_length=200, blank=True)
    replaced_by = models.OneToOneField(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="replaces",
        verbose_name=_("교체된 카드"),
    )

    class Meta:
        ordering = ["-registered_at", "-pk"]
        verbose_name = _("RF 카드")
        verbose_name_plural = _("RF 카드")
        constraints = [
            models.UniqueConstraint(
                fields=["card_uid"],
                condition=Q(status=CardStatus.ACTIVE),
                name="one_active_card_per_uid",
            ),
            models.UniqueConstraint(
                fields=["child", "facility"],
                condition=Q(status=CardStatus.ACTIVE),
                name="one_active_card_per_child_facility",
            ),
            models.CheckConstraint(
                condition=Q(status=CardStatus.ACTIVE, retired_at__isnull=True)
                | Q(status=CardStatus.RETIRED, retired_at__isnull=False),
                name="rf_card_retired_has_time",
            ),
        ]

    def __str__(self) -> str:
        return self.card_uid


class Tap(models.Model):
    """One check-in/out: a reader's tap, or a staff member's manual entry (with reason).

    ``child`` is empty for a tap of an unknown or retired card (kept so the teacher can
    see it). A wrong tap is voided, never deleted; voided taps leave the alternation.
    """

    reader = models.ForeignKey(
        Reader, null=True, blank=True, on_delete=models.PROTECT, related_name="taps"
    )
    facility = models.ForeignKey(
        "orgs.Facility", on_delete=models.PROTECT, related_name="+", verbose_name=_("시설")
    )
    card = models.ForeignKey(
        RfCard, null=True, blank=True, on_delete=models.PROTECT, related_name="taps"
    )
    card_uid = models.CharField(_("카드번호"), max_length=64, blank=True)
    child = models.ForeignKey(
        "accounts.Child",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="taps",
        verbose_name=_("아동"),
    )
    day = models.DateField(_("일자"))  # tapped_at's date in Seoul
    tapped_at = models.DateTimeField(_("태그일시"))
    received_at = models.DateTimeField(_("수신일시"))
    nonce = models.CharField(max_length=64, blank=True)
    event = models.CharField(_("구분"), max_length=10, choices=TapEvent.choices, blank=True)
    flagged_no_care = models.BooleanField(_("예약 없는 태그"), default=False)
    notified = models.BooleanField(_("보호자 알림"), default=False)
    manual = models.BooleanField(_("수동 처리"), default=False)
    reason = models.CharField(_("수동 처리 사유"), max_length=200, blank=True)
    staff = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    voided_at = models.DateTimeField(_("정정일시"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    void_reason = models.CharField(_("정정 사유"), max_length=200, blank=True)

    class Meta:
        ordering = ["tapped_at", "pk"]
        verbose_name = _("출결 태그")
        verbose_name_plural = _("출결 태그")
        indexes = [
            models.Index(fields=["child", "facility", "day"], name="tap_child_day"),
            models.Index(fields=["facility", "day"], name="tap_facility_day"),
        ]
        constraints = [
            # A reader resending its buffer: one row per (reader, nonce).
            models.UniqueConstraint(
                fields=["reader", "nonce"],
                condition=Q(reader__isnull=False),
                name="one_tap_per_reader_nonce",
            ),
            models.CheckConstraint(
                condition=Q(manual=False, reader__isnull=False)
                | (Q(manual=True, staff__isnull=False) & ~Q(reason="")),
                name="tap_reader_or_manual_with_reason",
            ),
            models.CheckConstraint(
                condition=Q(child__isnull=True, event="")
                | Q(child__isnull=False, event__in=[e.value for e in TapEvent]),
                name="tap_event_iff_child",
            ),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""),
                name="tap_void_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.child_id} {self.event} {self.tapped_at:%Y-%m-%d %H:%M}"


class Absence(models.Model):
    """결석: staff mark a child absent for one day at one facility (with a reason)."""

    child = models.ForeignKey(
        "accounts.Child", on_delete=models.PROTECT, related_name="absences", verbose_name=_("아동")
    )
    facility = models.ForeignKey(
        "orgs.Facility", on_delete=models.PROTECT, related_name="+", verbose_name=_("시설")
    )
    day = models.DateField(_("일자"))
    reason = models.CharField(_("결석 사유"), max_length=200)
    marked_at = models.DateTimeField(_("등록일시"))
    marked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["day", "pk"]
        verbose_name = _("결석")
        verbose_name_plural = _("결석")
        constraints = [
            models.UniqueConstraint(
                fields=["child", "facility", "day"], name="one_absence_per_child_day"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="absence_has_reason"),
        ]
        indexes = [models.Index(fields=["facility", "day"], name="absence_facility_day")]

    def __str__(self) -> str:
        return f"{self.child_id} {self.day}"
