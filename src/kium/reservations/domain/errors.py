"""Rule codes of the reservation engine (API.md) and the error carrying them."""

from __future__ import annotations

# 422: the request breaks a rule.
OUTSIDE_BOOKING_WINDOW = "outside_booking_window"
TOO_SHORT = "too_short"
NOT_OPERATING_DAY = "not_operating_day"
CARE_TYPE_NOT_OFFERED = "care_type_not_offered"
DUPLICATE = "duplicate"
OUTSIDE_HOURS = "outside_hours"
INVALID_REQUEST = "invalid_request"
NOT_EXTENDABLE = "not_extendable"
EXTENSION_CLOSED = "extension_closed"
DOCUMENTS_MISSING = "documents_missing"
# 409: the state does not allow it.
FULL = "full"
OFFER_EXPIRED = "offer_expired"
INVALID_TRANSITION = "invalid_transition"
# 404 / 403.
NOT_FOUND = "not_found"
FORBIDDEN = "forbidden"

CONFLICT_CODES = frozenset({FULL, OFFER_EXPIRED, INVALID_TRANSITION})


class ReservationError(Exception):
    """A refused reservation action: ``code`` for machines, ``message`` in Korean."""

    def __init__(self, code: str, message: str, field: str | None = None):
        super().__init__(message)
        self.code = code
        self.message = message
        self.field = field

    @property
    def http_status(self) -> int:
        if self.code == NOT_FOUND:
            return 404
        if self.code == FORBIDDEN:
            return 403
        if self.code in CONFLICT_CODES:
            return 409
        return 422
