"""Errors the admin services raise; views turn them into messages on the right form field."""

from __future__ import annotations

from procure.input_rules import RuleError


class FieldError(RuleError):
    """A value is refused; ``field`` names the form field the message belongs to."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field
