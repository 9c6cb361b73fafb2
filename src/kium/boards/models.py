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


class VillageResourceCategory(models.TextChoices):
    """마을돌봄자원 분류 (FAC-4)."""

    LIBRARY = "library", _("도서관")
    PARK = "park", _("공원·놀이터")
    SPORTS = "sports", _("체육시설")
    CULTURE = "culture", _("문화시설")
    YOUTH = "youth", _("청소년시설")
    OTHER = "other", _("기타")


class CulturalEvent(TrackedModel):
    """문화행사 (FAC-4): an event for children, of one district or the whole city."""

    title = models.CharField(_("행사명"), max_length=200)
    # Empty district: a city-wide event, which only city officers manage.
    district = models.ForeignKey(
        "orgs.District",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("자치구"),
    )
    facility = models.ForeignKey(
        "orgs.Facility",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("주관 시설"),
    )
    place = models.CharField(_("장소"), max_length=200)
    starts_on = models.DateField(_("시작일"))
    ends_on = models.DateField(_("종료일"))
    target_ages = models.CharField(_("대상 연령"), max_length=100, blank=True)
    description = models.TextField(_("내용"), blank=True)
    is_published = models.BooleanField(_("게시여부"), default=False)

    class Meta:
        ordering = ["-starts_on", "-pk"]
        verbose_name = _("문화행사")
        verbose_name_plural = _("문화행사")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gte=models.F("starts_on")),
                name="cultural_event_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        # Shown unescaped on the portal: no path may store unsafe HTML.
        self.description = sanitize_html(self.description)
        super().save(*args, **kwargs)


class VillageResource(TrackedModel):
    """마을돌봄자원 (FAC-4): a library, park, sports hall… near the centres."""

    name = models.CharField(_("자원명"), max_length=200)
    category = models.CharField(_("분류"), max_length=16, choices=VillageResourceCategory.choices)
    district = models.ForeignKey(
        "orgs.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("자치구")
    )
    dong = models.ForeignKey(
        "orgs.Dong",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("동"),
    )
    address = models.CharField(_("주소"), max_length=200, blank=True)
    phone = models.CharField(_("전화번호"), max_length=20, blank=True)
    url = models.URLField(_("홈페이지"), max_length=300, blank=True)
    description = models.TextField(_("설명"), blank=True)
    is_published = models.BooleanField(_("게시여부"), default=False)

    class Meta:
        ordering = ["district__sort_order", "category", "name"]
        verbose_name = _("마을돌봄자원")
        verbose_name_plural = _("마을돌봄자원")

    def __str__(self) -> str:
        return self.name
