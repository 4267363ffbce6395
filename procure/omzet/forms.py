"""Omzet forms: file a month, correct it, filter the flag list. The rules live in ``rules``."""

from __future__ import annotations

from typing import Any

from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, ValidationError

from procure.forms_base import BaseForm
from procure.input_rules import parse_id
from procure.omzet.reading import FLAG_KINDS
from procure.omzet.rules import Period, check_amount
from procure.omzet.services import MIN_REASON_LENGTH
from procure.umkm.rules import RuleError, parse_rupiah

AMOUNT_HELP = "Penjualan kotor sebulan, dalam rupiah. Contoh: 12.500.000. Isi 0 bila tidak ada."


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class _Amount:
    """Parse "12.500.000" into whole Rupiah and apply the sanity ceiling of the form."""

    field_flags = {"required": True}

    def __call__(self, form: Any, field: StringField) -> None:
        if not field.data:
            raise ValidationError("Omzet wajib diisi. Isi 0 bila bulan itu tidak ada penjualan.")
        try:
            field.data = parse_rupiah(field.data)
            check_amount(field.data, form.max_monthly)
        except RuleError as exc:
            raise ValidationError(str(exc)) from exc


class _OptionalAmount(_Amount):
    """Like ``_Amount`` but a blank field is a month left out (the first-login prompt)."""

    field_flags = {"optional": True}

    def __call__(self, form: Any, field: StringField) -> None:
        if field.data in (None, ""):
            field.data = None
            return
        super().__call__(form, field)


def _amount_field(*, optional: bool = False) -> StringField:
    return StringField(
        "Omzet (Rp)",
        validators=[_OptionalAmount() if optional else _Amount()],
        filters=[_strip],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "placeholder": "12.500.000"},
    )


class _OmzetForm(BaseForm):
    def __init__(self, *args: Any, max_monthly: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.max_monthly = max_monthly


class FilingForm(_OmzetForm):
    # The month is checked by the rules (completed, not before registration), not by the
    # choice list, so a stale or forged value gets the rule's own message.
    period = SelectField("Bulan", validate_choice=False)
    amount = _amount_field()

    def set_choices(self, periods: list[Period]) -> None:
        self.period.choices = [SelectChoice(str(p), p.label) for p in periods]
        if not self.is_submitted() and periods:
            self.period.data = str(periods[0])

    def validate_period(self, field: SelectField) -> None:
        try:
            field.data = Period.parse(field.data or "")
        except RuleError as exc:
            raise ValidationError("Pilih bulan yang dilaporkan dari daftar.") from exc


class FirstMonthsForm(_OmzetForm):
    """The first-login prompt: the three months before the registration month, one field each.

    ``amount_1`` .. ``amount_3`` are always those months, oldest first (registration does not
    move), so a submission means the same months as the page that was shown. A blank field is
    a month left for later; at least one must be filled. A month already filed has no field on
    the page; a figure sent for it anyway is refused on its field.
    """

    amount_1 = _amount_field(optional=True)
    amount_2 = _amount_field(optional=True)
    amount_3 = _amount_field(optional=True)

    def set_months(self, months: list[Period], filed: set[Period]) -> None:
        self.months = dict(zip(self.amount_fields(), months, strict=True))
        self.filed = filed
        for field, month in self.months.items():
            field.label.text = f"Omzet {month.label} (Rp)"

    def amount_fields(self) -> list[StringField]:
        return [self.amount_1, self.amount_2, self.amount_3]

    def open_fields(self) -> list[tuple[StringField, Period]]:
        """The fields of months not yet filed, oldest first."""
        return [(f, m) for f, m in self.months.items() if m not in self.filed]

    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field, month in self.months.items():
            if month in self.filed and field.data is not None:
                field.errors = [
                    *field.errors,
                    f"Omzet {month.label} sudah dilaporkan; ubah lewat koreksi di halaman Omzet.",
                ]
                valid = False
        open_fields = self.open_fields()
        if valid and open_fields and all(f.data is None for f, _ in open_fields):
            first = open_fields[0][0]
            first.errors = [
                *first.errors,
                "Isi omzet setidaknya satu bulan (0 bila tidak ada penjualan), "
                "atau pilih Nanti saja.",
            ]
            valid = False
        if not valid:  # show every figure as it was typed, not as parsed ("9.000.000")
            for field in self.amount_fields():
                if field.raw_data:
                    field.data = str(field.raw_data[0]).strip()
        return valid

    def closed_errors(self) -> list[str]:
        """Errors of months filed already: they have no field to show them under."""
        return [e for f, m in self.months.items() if m in self.filed for e in f.errors]

    def amounts(self) -> dict[Period, int]:
        return {m: f.data for f, m in self.open_fields() if f.data is not None}


class DismissForm(BaseForm):
    """ "Nanti saja": only the CSRF token."""


class CorrectionForm(_OmzetForm):
    amount = _amount_field()
    reason = TextAreaField(
        "Alasan koreksi",
        filters=[_strip],
        validators=[
            DataRequired(f"Tulis alasan koreksi, minimal {MIN_REASON_LENGTH} karakter."),
            Length(
                min=MIN_REASON_LENGTH,
                max=1000,
                message=f"Alasan koreksi {MIN_REASON_LENGTH} sampai 1.000 karakter.",
            ),
        ],
        render_kw={"rows": 3},
    )


class FlagFilterForm(BaseForm):
    """Read from the query string: no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False

    kind = SelectField(
        "Jenis tanda",
        choices=[SelectChoice("", "Semua jenis")]
        + [SelectChoice(k, v) for k, v in FLAG_KINDS.items()],
        validate_choice=False,
    )
    kecamatan = SelectField("Kecamatan", validate_choice=False)

    def set_kecamatan(self, kecamatan: list[tuple[int, str]]) -> None:
        self.kecamatan.choices = [SelectChoice("", "Semua kecamatan")] + [
            SelectChoice(str(kid), name) for kid, name in kecamatan
        ]

    @property
    def kind_value(self) -> str | None:
        return self.kind.data if self.kind.data in FLAG_KINDS else None

    @property
    def kecamatan_id(self) -> int | None:
        return parse_id(self.kecamatan.data)
