"""The one error type of the organisation domain: a broken rule with a Korean message.

Views show ``message`` next to ``field`` (or above the form); the API turns ``code`` into
a status (``out_of_scope`` → 404, ``forbidden`` → 403, anything else → 400).
"""

from __future__ import annotations


class OrgError(Exception):
    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = str(message)
        self.field = field


OUT_OF_SCOPE = "out_of_scope"
FORBIDDEN = "forbidden"
