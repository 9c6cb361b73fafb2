"""The outbox (DESIGN rule 7): one row per message to one person.

Domain code writes a row in its own transaction (``kium.core.notify.notify``); a worker
claims due rows, calls the provider and records its answer. ``idempotency_key`` is
unique, and a row reaches ``sent`` at most once, so one key is never delivered twice by
Kium. Personal data is kept to what delivery needs: the phone/e-mail snapshot and the
caller's context.
"""

from __future__ import annotations

from django.conf import settings
from django.core.serializers.json import DjangoJSONEncoder
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from kium.core.models import TrackedModel


class Channel(models.TextChoices):
    ALIMTALK = "alimtalk", _("알림톡")
    SMS = "sms", _("문자")
    EMAIL = "email", _("이메일")
    CONSOLE = "console", _("콘솔(개발용)")


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("대기")
    SENDING = "sending", _("발송 중")
    SENT = "sent", _("발송 완료")
    FAILED = "failed", _("발송 실패")
    GAVE_UP = "gave_up", _("재시도 중단")


class OutboxMessage(models.Model):
    event = models.CharField(_("이벤트"), max_length=80)
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("수신자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="outbox_messages",
        db_index=False,  # outbox_recipient_recent starts with it
    )
    phone = models.CharField(_("휴대전화번호"), max_length=20, blank=True)
    email = models.EmailField(_("이메일"), blank=True)
    channel = models.CharField(_("채널"), max_length=10, choices=Channel.choices)
    delivered_channel = models.CharField(
        _("실제 발송 채널"), max_length=10, choices=Channel.choices, blank=True
    )
    template_code = models.CharField(_("템플릿 코드"), max_length=100, blank=True)
    context = models.JSONField(_("내용 변수"), default=dict, encoder=DjangoJSONEncoder)
    # Unique through a constraint (Meta) rather than unique=True, which on PostgreSQL
    # would add a second, LIKE-pattern index that no query uses.
    idempotency_key = models.CharField(_("중복 방지 키"), max_length=200)
    status = models.CharField(
        _("상태"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING
    )
    attempts = models.PositiveIntegerField(_("시도 횟수"), default=0)
    next_attempt_at = models.DateTimeField(_("다음 시도 일시"))
    claimed_at = models.DateTimeField(_("점유 일시"), null=True, blank=True)
    claimed_by = models.CharField(_("점유 작업자"), max_length=100, blank=True)
    provider_message_id = models.CharField(_("발송사 메시지 ID"), max_length=100, blank=True)
    last_error = models.TextField(_("마지막 오류"), blank=True)
    created_at = models.DateTimeField(_("생성 일시"), auto_now_add=True)
    sent_at = models.DateTimeField(_("발송 일시"), null=True, blank=True)

    class Meta:
        verbose_name = _("알림 발송함")
        verbose_name_plural = _("알림 발송함")
        ordering = ["-created_at", "-pk"]
        indexes = [
            # The worker's claim query: due pending rows, and expired leases.
            models.Index(
                fields=["next_attempt_at"],
                condition=Q(status="pending"),
                name="outbox_pending_due",
            ),
            models.Index(
                fields=["claimed_at"],
                condition=Q(status="sending"),
                name="outbox_sending_lease",
            ),
            # Send history per recipient and per day.
            models.Index(fields=["recipient", "-created_at"], name="outbox_recipient_recent"),
            models.Index(fields=["status", "created_at"], name="outbox_status_created"),
        ]
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="outbox_idempotency_key"),
            models.CheckConstraint(
                condition=Q(status__in=[s.value for s in OutboxStatus]),
                name="outbox_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id or self.phone or self.email} ({self.status})"


class NotificationTemplate(TrackedModel):
    """알림톡 관리: what one event says, and the 알림톡 template code Kakao approved for it.

    No row for an event means the built-in default text (``domain/texts.py``) and the
    code from ``KIUM_ALIMTALK_TEMPLATES``. A disabled event records no message at all.
    The body must match the approved 알림톡 text exactly; it is also the SMS fallback.
    """

    event = models.CharField(_("이벤트"), max_length=80, unique=True)
    body = models.TextField(_("내용"), blank=True)
    alimtalk_template_code = models.CharField(_("알림톡 템플릿 코드"), max_length=100, blank=True)
    enabled = models.BooleanField(_("사용"), default=True)

    class Meta:
        verbose_name = _("알림 템플릿")
        verbose_name_plural = _("알림 템플릿")
        ordering = ["event"]

    def __str__(self) -> str:
        return self.event


class NotificationPreference(models.Model):
    """A person's own choice of channels, and their SMS consent (NTF-1).

    No row means the defaults: 알림톡 on, SMS off, e-mail off. SMS — also as the
    알림톡 fallback — goes only to someone whose consent is recorded (``sms_consent_at``);
    withdrawing clears it, and the audit log keeps the history.
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("회원"),
        on_delete=models.CASCADE,
        related_name="notification_preference",
    )
    alimtalk = models.BooleanField(_("알림톡 수신"), default=True)
    sms = models.BooleanField(_("문자 수신"), default=False)
    email = models.BooleanField(_("이메일 수신"), default=False)
    sms_consent_at = models.DateTimeField(_("문자 수신 동의 일시"), null=True, blank=True)
    updated_at = models.DateTimeField(_("수정일시"), auto_now=True)

    class Meta:
        verbose_name = _("알림 수신 설정")
        verbose_name_plural = _("알림 수신 설정")
        constraints = [
            models.CheckConstraint(
                condition=Q(sms=False) | Q(sms_consent_at__isnull=False),
                name="notification_sms_needs_consent",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}"
