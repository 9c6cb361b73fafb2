from __future__ import annotations


class BoardsError(Exception):
    """A rule of the boards app said no; ``field`` names the form field it belongs to."""

    def __init__(self, message, field: str | None = None):
        super().__init__(str(message))
        self.message = message
        self.field = field
