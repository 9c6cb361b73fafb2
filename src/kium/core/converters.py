"""URL converters shared by the view apps."""

from __future__ import annotations


class FacilityCodeConverter:
    """시설코드 in a URL: district letters + type letters + number (e.g. NWUK001), any case.

    Anything else is not a facility: the URL does not match and the answer is 404 before a
    query is made (a NUL byte would otherwise reach the database).
    """

    regex = "[A-Za-z]{2}[A-Za-z]{2}[0-9]{3}"

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return str(value)
