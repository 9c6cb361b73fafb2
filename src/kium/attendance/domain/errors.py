"""Refusal codes of attendance (API.md "Attendance devices") and the error carrying them."""

from __future__ import annotations

# 404
NOT_FOUND = "not_found"
UNKNOWN_CARD = "unknown_card"
# 409: the state does not allow it
CARD_IN_USE = "card_in_use"
CARD_RETIRED = "card_retired"
READER_REVOKED = "reader_revoked"
OUT_OF_ORDER = "out_of_order"
ALREADY_VOIDED = "already_voided"
ALREADY_ABSENT = "already_absent"
ALREADY_PRESENT = "already_present"
# 400: the input
INVALID = "invalid"
FACILITY_REQUIRED = "facility_required"

_STATUS = {
    NOT_FOUND: 404,
    UNKNOWN_CARD: 404,
    CARD_IN_USE: 409,
    CARD_RETIRED: 409,
    READER_REVOKED: 409,
    OUT_OF_ORDER: 409,
    ALREADY_VOIDED: 409,
    ALREADY_ABSENT: 409,
    ALREADY_PRESENT: 409,
}


class AttendanceError(Exception):
    """A refused attendance action: ``code`` for machines, ``message`` in Korean."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    @property
    def http_status(self) -> int:
        return _STATUS.get(self.code, 400)
