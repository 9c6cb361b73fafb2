"""Changing CMS pages: edit, publish, restore a revision (BRD-5). Every change is audited."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from kium.boards.domain.errors import BoardsError
from kium.boards.html import sanitize_html
from kium.boards.models import Page, PageRevision
from kium.core.audit import log_action, snapshot

TITLE_MAX = 200
CONTENT_FIELDS = ["title", "body"]


def _user_or_none(actor):
    return actor if actor is not None and getattr(actor, "is_authenticated", False) else None


def _add_revision(*, actor, page: Page, note: str = "") -> PageRevision:
    last = page.revisions.aggregate(n=Max("number"))["n"] or 0
    return PageRevision.objects.create(
        page=page,
        number=last + 1,
        title=page.title,
        body=page.body,
        note=note[:200],
        saved_by=_user_or_none(actor),
    )


def _save_content(*, actor, page: Page, title: str, body: str, action: str, note: str) -> Page:
    title = (title or "").strip()
    if not title:
        raise BoardsError(_("제목을 입력해 주세요."), field="title")
    if len(title) > TITLE_MAX:
        raise BoardsError(_("제목은 200자 이내로 입력해 주세요."), field="title")
    clean = sanitize_html(body)
    with transaction.atomic():
        # Lock the row so two officers saving at once get consecutive revision numbers.
        page = Page.objects.select_for_update().get(pk=page.pk)
        if page.title == title and page.body == clean:
            return page
        before = snapshot(page, CONTENT_FIELDS)
        page.title, page.body, page.updated_by = title, clean, _user_or_none(actor)
        page.save(update_fields=["title", "body", "updated_by", "updated_at"])
        _add_revision(actor=actor, page=page, note=note)
        log_action(
            actor=actor,
            action=action,
            obj=page,
            before=before,
            after=snapshot(page, CONTENT_FIELDS),
            reason=note,
        )
    return page


def update_page(*, actor, page: Page, title: str, body: str) -> Page:
    """Save new content; the body is sanitised and the version kept as a revision."""
    return _save_content(
        actor=actor, page=page, title=title, body=body, action="cms.page.update", note=""
    )


def set_published(*, actor, page: Page, published: bool) -> Page:
    """Show or hide the page on the portal (hidden pages answer 404)."""
    with transaction.atomic():
        page = Page.objects.select_for_update().get(pk=page.pk)
        if page.is_published == published:
            return page
        before = snapshot(page, ["is_published"])
        page.is_published, page.updated_by = published, _user_or_none(actor)
        page.save(update_fields=["is_published", "updated_by", "updated_at"])
        log_action(
            actor=actor,
            action="cms.page.publish" if published else "cms.page.unpublish",
            obj=page,
            before=before,
            after=snapshot(page, ["is_published"]),
        )
    return page


def restore_revision(*, actor, page: Page, revision: PageRevision) -> Page:
    """Make an old version current again; the restore is itself a new revision."""
    if revision.page_id != page.pk:
        raise BoardsError(_("이 페이지의 변경이력이 아닙니다."))
    note = _("제%(number)s판 복원") % {"number": revision.number}
    return _save_content(
        actor=actor,
        page=page,
        title=revision.title,
        body=revision.body,
        action="cms.page.restore",
        note=note,
    )
