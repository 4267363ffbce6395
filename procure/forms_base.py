"""The base of every form in Procure, and the bounded fields they share.

``BaseForm`` puts one check in front of every text field (``input_rules.clean_text``): a
control character or a bidi override gets a message under its own field, zero-width spaces are
dropped, and a text area keeps its line breaks. A test walks every form class and fails when
one does not derive from it (tests/fuzz/test_input_findings.py); the request guard in
``procure.web_inputs`` answers 400 for what no form field reads (query strings, path segments,
field names, file names, raw form values).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from flask_wtf import FlaskForm
from wtforms import DateField, IntegerField, PasswordField, StringField, TextAreaField
from wtforms.fields.core import UnboundField
from wtforms.validators import StopValidation

from procure.input_rules import RuleError, check_date, clean_text, forbidden_character, parse_id
from procure.umkm.rules import parse_count

# Every field name a form declares: the request guard leaves their values to the form, which
# gives the better message (under the field, with everything else typed kept).
FORM_FIELD_NAMES: set[str] = set()


def _text_filter(field_class: type) -> Any:
    multiline = issubclass(field_class, TextAreaField)
    secret = issubclass(field_class, PasswordField)

    def clean(value: Any) -> Any:
        if not isinstance(value, str):
            return value
        if secret:
            # A password is never changed on the way (its hash must keep matching), only refused.
            message = forbidden_character(value, multiline=False)
            if message:
                raise ValueError(message)
            return value
        try:
            return clean_text(value, multiline=multiline)
        except RuleError as exc:
            raise ValueError(str(exc)) from None

    return clean


def int_or_none(value: Any) -> int | None:
    """Coerce a select's value; the empty placeholder becomes None (caught by DataRequired).

    Anything but a valid id (a positive INTEGER) is an invalid choice, never an overflow."""
    if value in ("", None):
        return None
    number = value if isinstance(value, int) else parse_id(value)
    if number is None:
        raise ValueError("Pilihan tidak valid.")
    return number


class BaseForm(FlaskForm):
    """A Flask-WTF form whose every field is checked for forbidden characters first."""

    class Meta:
        def bind_field(
            self, form: Any, unbound_field: UnboundField, options: dict[str, Any]
        ) -> Any:
            filters = [_text_filter(unbound_field.field_class)]
            filters += list(unbound_field.kwargs.get("filters") or ())
            return unbound_field.bind(form=form, filters=filters, **options)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        for field in self:
            # A value that could not be read (a control character, a date or number out of
            # range) is that field's one message; its other checks ran on the raw text.
            if field.process_errors:
                field.errors = list(field.process_errors)
        return ok

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        FORM_FIELD_NAMES.update(
            name for name in dir(cls) if isinstance(getattr(cls, name, None), UnboundField)
        )


class GetForm(BaseForm):
    """A filter form read from the query string: no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False


class IdDateField(DateField):
    """A date input whose errors are in Indonesian, from 2000 to 2099 (``check_date``)."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None  # empty: DataRequired or Optional says what that means here
            return
        try:
            super().process_formdata(valuelist)
        except ValueError:
            self.data = None
            raise ValueError("Tanggal tidak valid; pilih dari kalender (TTTT-BB-HH).") from None
        if isinstance(self.data, dt.date):
            try:
                check_date(self.data, "Tanggal")
            except RuleError as exc:
                self.data = None
                raise ValueError(str(exc)) from None


class IdField(StringField):
    """A record id sent back by a page (hidden input): a positive INTEGER or None, so a
    forged ``2147483648`` is refused like an unknown id instead of overflowing a query."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        self.data = parse_id(valuelist[0]) if valuelist else None

    def _value(self) -> str:
        return "" if self.data is None else str(self.data)


class WholeNumberField(IntegerField):
    """A whole number typed as ``1.000`` or ``1000`` that fits an INTEGER column
    (``parse_count``), with Indonesian messages; the validators see None when it does not."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = parse_count(str(valuelist[0]), str(self.label.text))
        except RuleError as exc:
            self.data = None
            raise ValueError(str(exc)) from None

    def pre_validate(self, form: Any) -> None:
        if self.process_errors:
            raise StopValidation()
