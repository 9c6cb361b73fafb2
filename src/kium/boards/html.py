"""The one HTML sanitiser for content officers type (CMS pages, later board posts).

Officers paste HTML from word processors and old pages; whatever they paste is shown
to every parent, so it is cut down to plain structure: no scripts, styles, event
attributes or ``javascript:`` links, and images only from http(s) addresses.
"""

from __future__ import annotations

import nh3

ALLOWED_TAGS = {
    "h2", "h3", "h4", "h5", "h6", "p", "br", "hr", "blockquote",
    "ul", "ol", "li", "dl", "dt", "dd",
    "table", "caption", "thead", "tbody", "tfoot", "tr", "th", "td",
    "a", "strong", "em", "b", "i", "u", "span", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
    "ol": {"start"},
}
# Links may also dial or mail; relative links (to other portal pages) pass unchanged.
URL_SCHEMES = {"http", "https", "mailto", "tel"}
# Removed together with their content, not just unwrapped.
DROPPED_WITH_CONTENT = {"script", "style"}


def _filter_attribute(element: str, attribute: str, value: str) -> str | None:
    if element == "img" and attribute == "src":
        return value if value.lower().startswith(("http://", "https://")) else None
    return value


def sanitize_html(html: str | None) -> str:
    """The safe subset of ``html``; idempotent, so cleaning twice changes nothing."""
    if not html:
        return ""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        clean_content_tags=DROPPED_WITH_CONTENT,
        attributes=ALLOWED_ATTRIBUTES,
        attribute_filter=_filter_attribute,
        url_schemes=URL_SCHEMES,
        strip_comments=True,
    ).strip()
