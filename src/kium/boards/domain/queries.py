"""Reads for the CMS pages and the contact lists generated from organisation data."""

from __future__ import annotations

import difflib

from django.db.models import QuerySet

from kium.boards.models import Page, PageRevision
from kium.orgs.enums import DepartmentLevel
from kium.orgs.models import Department, Facility


def published_page(slug: str) -> Page | None:
    return Page.objects.filter(slug=slug, is_published=True).first()


def pages_for_backoffice() -> QuerySet[Page]:
    return Page.objects.select_related("updated_by").order_by("sort_order", "slug")


def revisions_of(page: Page) -> QuerySet[PageRevision]:
    return page.revisions.select_related("saved_by").order_by("-number")


def revision_diff(revision: PageRevision, page: Page) -> list[str]:
    """Line diff from the revision to the current content, for 비교 before restoring."""
    old = [f"# {revision.title}", *revision.body.splitlines()]
    new = [f"# {page.title}", *page.body.splitlines()]
    lines = difflib.unified_diff(
        old, new, fromfile=f"#{revision.number}", tofile="current", lineterm=""
    )
    return list(lines)


def operating_facilities(facility_type: str) -> QuerySet[Facility]:
    """센터연락처: the facilities of one type that are open, in district order.

    Public data on purpose: name, district, address and phone only.
    """
    return (
        Facility.objects.filter(facility_type=facility_type, is_operating=True)
        .select_related("district")
        .order_by("district__sort_order", "district__name", "name")
    )


def district_departments() -> QuerySet[Department]:
    """자치구 담당부서: one department per district, with its phone and fax."""
    return (
        Department.objects.filter(level=DepartmentLevel.DISTRICT)
        .select_related("district")
        .order_by("district__sort_order", "district__name", "sort_order")
    )
