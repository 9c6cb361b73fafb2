"""Helpers the back-office views share: side navigation, pagination, domain errors."""

from __future__ import annotations

from collections.abc import Callable

from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from kium.orgs.domain.errors import OrgError
from kium.orgs.domain.scope import menu_codes_for
from kium.orgs.menus import BACKOFFICE_MENUS, MENU_ITEMS

PER_PAGE_CHOICES = (10, 20, 50, 100)


def menu_href(item) -> str:
    """Where a menu item lives: its own view, or the honest "준비 중" page."""
    if item.url_name:
        try:
            return reverse(item.url_name)
        except NoReverseMatch:
            pass
    return reverse("backoffice:menu", args=[item.code])


def nav(request: HttpRequest, item_code: str) -> dict:
    """Context for the base template's header and side navigation."""
    item = MENU_ITEMS.get(item_code)
    top = next((t for t in BACKOFFICE_MENUS if item in t.items), None)
    if top is None:
        return {}
    held = menu_codes_for(request.user)
    items = [
        {"code": i.code, "label": i.label, "href": menu_href(i)}
        for i in top.items
        if i.code in held
    ]
    return {
        "active_top": top.code,
        "active_item": item_code,
        "side_menu": {"label": top.label, "items": items},
    }


def paginate(request: HttpRequest, queryset, default: int = 10) -> dict:
    """10 per page by default; "전체 N건 (P페이지 / 전체 M페이지)" in the template."""
    try:
        per_page = int(request.GET.get("per_page", default))
    except ValueError:
        per_page = default
    if per_page not in PER_PAGE_CHOICES:
        per_page = default
    paginator = Paginator(queryset, per_page)
    page = paginator.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return {
        "page_obj": page,
        "paginator": paginator,
        "page_range": paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "page_query": query.urlencode(),
        "row_offset": page.start_index() - 1 if paginator.count else 0,
    }


def apply_error(form, exc: OrgError) -> None:
    """Put a domain error next to its field, or above the form."""
    field = exc.field if exc.field in getattr(form, "fields", {}) else None
    form.add_error(field, exc.message)


def reasoned_download(
    request: HttpRequest,
    *,
    what: str,
    label: str,
    rows,
    workbook: Callable[[list], bytes],
    filename_stem: str,
    back_url: str,
    menu_code: str,
) -> HttpResponse:
    """A personal-data download: ask for the reason, record it, then send the file.

    Every Excel download of personal data goes through here (개인정보 안전성 확보조치).
    """
    from kium.orgs.domain import exports
    from kium.orgs.forms import DownloadReasonForm

    form = DownloadReasonForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        items = list(rows)
        try:
            exports.record_download(
                actor=request.user,
                what=what,
                label=label,
                count=len(items),
                reason=form.cleaned_data["reason"],
            )
        except OrgError as exc:
            apply_error(form, exc)
        else:
            response = HttpResponse(workbook(items), content_type=exports.XLSX_CONTENT_TYPE)
            filename = exports.export_filename(filename_stem)
            response["Content-Disposition"] = f'attachment; filename="{filename}"'
            return response
    context = {
        "form": form,
        "title": _("%(label)s 다운로드") % {"label": label},
        # A list also has .count(), with another meaning.
        "count": rows.count() if isinstance(rows, QuerySet) else len(list(rows)),
        "back_url": back_url,
        **nav(request, menu_code),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "backoffice/download_reason.html", context, status=status)
