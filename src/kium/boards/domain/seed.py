"""Load the starting CMS pages; idempotent, so the demo seed may call it again."""

from __future__ import annotations

from kium.boards.html import sanitize_html
from kium.boards.seed_pages import SEED_PAGES


def ensure_seed_pages(apps=None) -> int:
    """Create the pages of ``SEED_PAGES`` that do not exist yet; return how many.

    ``apps`` is a migration's registry (historical models, whose ``save`` does not
    sanitise, hence the explicit call); existing pages are never overwritten.
    """
    if apps is not None:
        page_model = apps.get_model("boards", "Page")
        revision_model = apps.get_model("boards", "PageRevision")
    else:
        from kium.boards.models import Page as page_model
        from kium.boards.models import PageRevision as revision_model
    created = 0
    for order, seed in enumerate(SEED_PAGES, start=1):
        if page_model.objects.filter(slug=seed["slug"]).exists():
            continue
        page = page_model.objects.create(
            slug=seed["slug"],
            menu=seed["menu"],
            group=seed["group"],
            title=seed["title"],
            body=sanitize_html(seed["body"]),
            sort_order=order,
        )
        revision_model.objects.create(
            page=page, number=1, title=page.title, body=page.body, note="최초 등록"
        )
        created += 1
    return created
