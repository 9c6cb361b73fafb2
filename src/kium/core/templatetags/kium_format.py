"""Display filters: Korean phone numbers and readable audit changes."""

from __future__ import annotations

import re
from typing import Any

from django import template

register = template.Library()


@register.filter
def phone(value: str | None) -> str:
    """01012345678 → 010-1234-5678, 0221334947 → 02-2133-4947; anything else as it is."""
    digits = re.sub(r"\D", "", value or "")
    if digits.startswith("02") and len(digits) in (9, 10):
        return f"02-{digits[2:-4]}-{digits[-4:]}"
    if len(digits) in (10, 11):
        return f"{digits[:3]}-{digits[3:-4]}-{digits[-4:]}"
    return value or ""


@register.filter
def changes(entry) -> list[tuple[str, Any, Any]]:
    """The fields an audit entry changed, as (field, before, after), unchanged ones left out."""
    before = entry.before if isinstance(entry.before, dict) else {}
    after = entry.after if isinstance(entry.after, dict) else {}
    rows = []
    for key in list(dict.fromkeys([*before, *after])):
        old, new = before.get(key), after.get(key)
        if old != new:
            rows.append((key, _show(old), _show(new)))
    return rows


def _show(value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "예" if value else "아니오"
    if isinstance(value, list):
        return ", ".join(_show(v) for v in value)
    return str(value)
