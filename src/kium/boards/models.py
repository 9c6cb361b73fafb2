"""CMS pages (BRD-5): the information pages of the public menus, edited by city officers."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kium.boards.html import sanitize_html
from kium.core.models import AppendOnlyModel, TrackedModel

slug_validator = RegexValidator(
    r"^[a-z0-9-]+(/[a-z0-9-]+)*$",
    _("주소는 영문 소문자, 숫자, -와 /만 쓸 수 있습니다."),
)


class Page(TrackedModel):
    """One information page: /info/<slug>/ on the portal."""

    slug = models.CharField(_("주소"), max_length=100, unique=True, validators=[slug_validator])
    menu = models.CharField(_("메뉴"), max_length=50)
    group = models.CharField(_("메뉴 묶음"), max_length=100)
    title = models.CharField(_("제목"), max_length=200)
    body = models.TextField(_("본문"), blank=True)
    is_published = models.BooleanField(_("게시여부"), default=True)
    sort_order = models.PositiveSmallIntegerField(_("정렬순서"), default=0)

    class Meta:
        ordering = ["sort_order", "slug"]
        verbose_name = _("콘텐츠 페이지")
        verbose_name_plural = _("콘텐츠 페이지")

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # The body is shown unescaped on the portal: no path may store unsafe HTML.
        self.body = sanitize_html(self.body)
        super().save(*args, **kwargs)


class PageRevision(AppendOnlyModel):
    """One saved version of a page; the newest is the page's current content."""

    page = models.ForeignKey(
        Page, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("페이지")
    )
    number = models.PositiveIntegerField(_("판"))
    title = models.CharField(_("제목"), max_length=200)
    body = models.TextField(_("본문"), blank=True)
    note = models.CharField(_("비고"), max_length=200, blank=True)
    saved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("저장자"),
    )
    saved_at = models.DateTimeField(_("저장일시"), auto_now_add=True)

    class Meta:
        ordering = ["page", "-number"]
        verbose_name = _("콘텐츠 변경이력")
        verbose_name_plural = _("콘텐츠 변경이력")
        constraints = [
            models.UniqueConstraint(fields=["page", "number"], name="unique_page_revision_number")
        ]

    def __str__(self) -> str:
        return f"{self.page} #{self.number}"
