"""Information pages of the portal menus (BRD-5): CMS pages and generated contact lists.

Each page finds its own place in ``PUBLIC_MENUS`` by address, so the side navigation
and the breadcrumb follow the menu registry and are never typed twice.
"""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from kium.boards.domain.queries import district_departments, operating_facilities, published_page
from kium.orgs.enums import FacilityType


def _item_href(item) -> str:
    if not isinstance(item, dict):
        return ""
    if item.get("url_name"):
        try:
            return reverse(item["url_name"])
        except NoReverseMatch:
            return ""
    return str(item.get("href") or "")


def _menu_context(path: str, title: str) -> dict:
    """Side navigation (the top menu holding ``path``) and the breadcrumb to it."""
    from kium.orgs import menus  # looked up at call time so tests can swap the registry

    for top in menus.PUBLIC_MENUS:
        for group_label, items in top["groups"]:
            if any(_item_href(item) == path for item in items):
                return {
                    "side_menu": _side_menu(top, path),
                    "breadcrumb": [
                        {"label": top["label"]},
                        {"label": group_label},
                        {"label": title},
                    ],
                }
    return {"side_menu": None, "breadcrumb": [{"label": title}]}


def _side_menu(top: dict, path: str) -> dict:
    groups = []
    for group_label, items in top["groups"]:
        rows = []
        for item in items:
            href = _item_href(item)
            label = item.get("label") if isinstance(item, dict) else item
            rows.append({"label": label, "href": href, "current": bool(href) and href == path})
        groups.append({"label": group_label, "items": rows})
    return {"label": top["label"], "groups": groups}


def cms_page(request: HttpRequest, slug: str) -> HttpResponse:
    page = published_page(slug)
    if page is None:
        raise Http404(_("페이지를 찾을 수 없습니다."))
    context = {"page": page, **_menu_context(request.path, page.title)}
    return render(request, "public/cms/page.html", context)


def contacts(request: HttpRequest, facility_type: str) -> HttpResponse:
    """센터연락처: generated from the facility register, so contacts are kept in one place."""
    if facility_type not in FacilityType.values:
        raise Http404(_("페이지를 찾을 수 없습니다."))
    type_label = FacilityType(facility_type).label
    title = _("%(type)s 연락처") % {"type": type_label}
    context = {
        "title": title,
        "type_label": type_label,
        "facilities": operating_facilities(facility_type),
        **_menu_context(request.path, title),
    }
    return render(request, "public/cms/contacts.html", context)


def district_offices(request: HttpRequest) -> HttpResponse:
    """자치구 담당부서: the district departments of the organisation tree (ORG-5)."""
    title = _("자치구 담당부서")
    context = {
        "title": title,
        "departments": district_departments(),
        **_menu_context(request.path, title),
    }
    return render(request, "public/cms/district_offices.html", context)
