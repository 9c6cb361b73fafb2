"""CMS > 콘텐츠 관리 (BRD-5): city officers edit the portal's information pages.

Pages are not anyone's personal data and belong to the whole city, so there is no
scope filter: the menu (held only by city roles) is the gate.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from kium.backoffice.decorators import backoffice_view
from kium.backoffice.views_common import nav
from kium.boards.domain.errors import BoardsError
from kium.boards.domain.pages import restore_revision, set_published, update_page
from kium.boards.domain.queries import pages_for_backoffice, revision_diff, revisions_of
from kium.boards.forms import PageForm
from kium.boards.html import sanitize_html
from kium.boards.models import Page

MENU = "cms.pages"


def _page_or_404(pk: int) -> Page:
    return get_object_or_404(Page, pk=pk)


def _apply_error(form, exc: BoardsError) -> None:
    field = exc.field if exc.field in form.fields else None
    form.add_error(field, exc.message)


@backoffice_view(MENU)
def cms_pages(request: HttpRequest) -> HttpResponse:
    context = {"pages": pages_for_backoffice(), **nav(request, MENU)}
    return render(request, "backoffice/cms/pages.html", context)


@backoffice_view(MENU)
def cms_page_edit(request: HttpRequest, pk: int) -> HttpResponse:
    """수정 with 미리보기: preview shows the sanitised body without saving anything."""
    page = _page_or_404(pk)
    initial = {"title": page.title, "body": page.body}
    form = PageForm(request.POST or None, initial=initial)
    preview, status = None, 200
    if request.method == "POST":
        if form.is_valid() and request.POST.get("action") == "preview":
            preview = sanitize_html(form.cleaned_data["body"])
        elif form.is_valid():
            try:
                update_page(actor=request.user, page=page, **form.cleaned_data)
            except BoardsError as exc:
                _apply_error(form, exc)
                status = 400
            else:
                messages.success(request, _("콘텐츠를 저장했습니다."))
                return redirect("backoffice:cms_page_edit", pk=page.pk)
        else:
            status = 400
    context = {
        "page": page,
        "form": form,
        "preview": preview if preview is not None else page.body,
        "is_preview": preview is not None,
        **nav(request, MENU),
    }
    return render(request, "backoffice/cms/edit.html", context, status=status)


@backoffice_view(MENU)
@require_POST
def cms_page_publish(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page_or_404(pk)
    published = request.POST.get("published") == "1"
    set_published(actor=request.user, page=page, published=published)
    if published:
        messages.success(request, _("페이지를 게시했습니다."))
    else:
        messages.success(request, _("페이지를 게시하지 않도록 바꿨습니다."))
    # Only two places to go back to: no caller-supplied address (no open redirect).
    if request.POST.get("back") == "edit":
        return redirect("backoffice:cms_page_edit", pk=page.pk)
    return redirect("backoffice:cms_pages")


@backoffice_view(MENU)
def cms_revisions(request: HttpRequest, pk: int) -> HttpResponse:
    page = _page_or_404(pk)
    context = {"page": page, "revisions": revisions_of(page), **nav(request, MENU)}
    return render(request, "backoffice/cms/revisions.html", context)


@backoffice_view(MENU)
def cms_revision(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    """One old version beside a line diff to the current content, and 복원."""
    page = _page_or_404(pk)
    revision = get_object_or_404(page.revisions, number=number)
    if request.method == "POST":
        try:
            restore_revision(actor=request.user, page=page, revision=revision)
        except BoardsError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("제%(number)s판 내용으로 복원했습니다.") % {"number": number}
            )
        return redirect("backoffice:cms_revisions", pk=page.pk)
    context = {
        "page": page,
        "revision": revision,
        "diff": revision_diff(revision, page),
        **nav(request, MENU),
    }
    return render(request, "backoffice/cms/revision.html", context)
