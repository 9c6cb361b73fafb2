"""Base model and the two append-only logs: the audit log and the access record."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class TrackedModel(models.Model):
    """작성자/작성일시/수정자/수정일시 on every record officers manage."""

    created_at = models.DateTimeField(_("작성일시"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("작성자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    updated_at = models.DateTimeField(_("수정일시"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("수정자"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        abstract = True


class AppendOnlyError(Exception):
    """Logs are evidence: they are never edited or deleted through the application."""


class AppendOnlyQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("append-only")

    def delete(self):
        raise AppendOnlyError("append-only")


class AppendOnlyModel(models.Model):
    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise AppendOnlyError("append-only")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("append-only")


class AuditEntry(AppendOnlyModel):
    """변경이력: who changed what, from where, before and after. Kept 3 years."""

    at = models.DateTimeField(_("일시"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="audit_entries",
        verbose_name=_("수행자"),
    )
    actor_username = models.CharField(_("수행자 아이디"), max_length=150, blank=True)
    # Not indexed on their own: 변경이력 searches them with icontains, which no b-tree
    # serves, and an object's history uses the (object_type, object_id) index below.
    # Every change in the portal writes a row here, so each index is paid on each one.
    action = models.CharField(_("행위"), max_length=64)
    object_type = models.CharField(_("대상 종류"), max_length=64)
    object_id = models.CharField(_("대상 번호"), max_length=64)
    object_repr = models.CharField(_("대상"), max_length=200, blank=True)
    before = models.JSONField(_("변경 전"), null=True, blank=True)
    after = models.JSONField(_("변경 후"), null=True, blank=True)
    reason = models.CharField(_("사유"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("변경이력")
        verbose_name_plural = _("변경이력")
        indexes = [models.Index(fields=["object_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y.%m.%d %H:%M} {self.actor_username} {self.action} {self.object_repr}"


class AccessRecord(AppendOnlyModel):
    """개인정보 접속기록: a staff member's read of a person's data. Kept 2 years."""

    at = models.DateTimeField(_("일시"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="access_records",
        verbose_name=_("접속자"),
    )
    actor_username = models.CharField(_("접속자 아이디"), max_length=150)
    action = models.CharField(_("수행업무"), max_length=64)
    subject_type = models.CharField(_("정보주체 종류"), max_length=64)
    subject_id = models.CharField(_("정보주체 번호"), max_length=64, db_index=True)
    subject_repr = models.CharField(_("정보주체"), max_length=200, blank=True)
    reason = models.CharField(_("사유"), max_length=500, blank=True)
    ip = models.GenericIPAddressField(_("IP"), null=True, blank=True)

    class Meta:
        ordering = ["-at", "-id"]
        verbose_name = _("개인정보 접속기록")
        verbose_name_plural = _("개인정보 접속기록")

    def __str__(self) -> str:
        return f"{self.at:%Y.%m.%d %H:%M} {self.actor_username} {self.action} {self.subject_repr}"
