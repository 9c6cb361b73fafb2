"""Small query helpers for hot paths."""

from __future__ import annotations

from typing import TypeVar

from django.db.models import Model, QuerySet

M = TypeVar("M", bound=Model)


def first_row(queryset: QuerySet[M]) -> M | None:
    """The row of a lookup by a unique key, or None.

    ``.first()`` adds ``ORDER BY pk``, and compiling that ordering cost more than the
    query itself on the RF-tap path (docs/performance.md, ``taps``); a lookup by a unique
    key has at most one row, so no order is needed.
    """
    for row in queryset[:1]:
        return row
    return None
