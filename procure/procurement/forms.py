"""Forms of the officer's purchase requests and decisions. The rules themselves live in the
services and ``rules.py``; these only parse what people type."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from flask_wtf import FlaskForm
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional, ValidationError
from wtforms.widgets import HiddenInput

from procure.clock import today_in_jakarta
from procure.forms_base import BaseForm, IdDateField, IdField
from procure.input_rules import number_text, parse_id
from procure.kinds.forms import KIND_PLACEHOLDER, kind_select
from procure.kinds.services import KindGroup
from procure.umkm.forms import strip
from procure.umkm.rules import UNITS, RuleError, parse_count, parse_rupiah

QUANTITY_PREFIX = "jumlah_"  # the decision form's quantity inputs: jumlah_<umkm id>
MAX_ATTENDEES = 100_000  # more than any stadium in the country holds: a typo


def _text(label: str, max_len: int, required: str | None = None) -> StringField:
    validators: list[Any] = [DataRequired(required)] if required else [Optional()]
    validators.append(Length(max=max_len, message=f"{label} paling panjang {max_len} karakter."))
    return StringField(label, validators=validators, filters=[strip])


def _area(label: str, max_len: int, required: str | None = None, rows: int = 3) -> TextAreaField:
    validators: list[Any] = [DataRequired(required)] if required else [Optional()]
    validators.append(
        Length(
            max=max_len, message=f"{label} paling panjang {max_len:,} karakter.".replace(",", ".")
        )
    )
    return TextAreaField(label, validators=validators, filters=[strip], render_kw={"rows": rows})


class _Whole:
    """A whole number at least ``minimum``, typed as ``1.000`` or ``1000``."""

    def __init__(
        self, label: str, minimum: int = 1, required: bool = True, maximum: int | None = None
    ) -> None:
        self.label = label
        self.minimum = minimum
        self.maximum = maximum
        self.field_flags = {"required": required}
        self.required = required

    def __call__(self, form: FlaskForm, field: StringField) -> None:
        if not self.required and not (field.data or "").strip():
            field.data = None
            return
        try:
            field.data = parse_count(field.data or "", self.label)
        except RuleError as exc:
            raise ValidationError(str(exc)) from exc
        if field.data < self.minimum:
            raise ValidationError(f"{self.label} paling sedikit {self.minimum}.")
        if self.maximum is not None and field.data > self.maximum:
            raise ValidationError(f"{self.label} paling banyak {number_text(self.maximum)}.")


def _whole(
    label: str, minimum: int = 1, required: bool = True, maximum: int | None = None, **kw: Any
) -> StringField:
    return StringField(
        label,
        validators=[_Whole(label, minimum, required, maximum)],
        filters=[strip],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
        **kw,
    )


def _hps(form: FlaskForm, field: StringField) -> None:
    try:
        field.data = parse_rupiah(field.data or "")
    except RuleError as exc:
        raise ValidationError(str(exc)) from exc
    if field.data <= 0:
        raise ValidationError("HPS per satuan harus lebih dari Rp 0.")


class RequestForm(BaseForm):
    """Every field of ``services.RequestInput``."""

    title = _text("Nama paket", 200, "Nama paket wajib diisi.")
    kind_id = kind_select()
    specification = _area("Spesifikasi barang", 5000, "Spesifikasi barang wajib diisi.", rows=4)
    quantity = _whole("Jumlah")
    unit = SelectField(
        "Satuan",
        choices=[SelectChoice("", "— Pilih satuan —")] + [SelectChoice(u) for u in UNITS],
        validators=[DataRequired("Pilih satuan.")],
        invalid_choice_message="Pilih satuan dari daftar.",
    )
    hps_unit_price = StringField(
        "HPS per satuan (Rp)",
        validators=[DataRequired("HPS per satuan wajib diisi."), _hps],
        filters=[strip],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "placeholder": "200.000"},
    )
    needed_by = IdDateField(
        "Tanggal kebutuhan", validators=[DataRequired("Tanggal kebutuhan wajib diisi.")]
    )
    delivery_address = _text("Alamat pengiriman", 255, "Alamat pengiriman wajib diisi.")
    budget_code = _text("Kode rekening / kegiatan", 100, "Kode rekening / kegiatan wajib diisi.")
    fiscal_year = _whole("Tahun Anggaran", minimum=2000)
    notes = _area("Catatan", 2000)
    event_name = _text("Nama acara", 200)
    event_date = IdDateField("Tanggal acara", validators=[Optional()])
    invitation_number = _text("Nomor undangan", 100)
    expected_attendees = _whole("Jumlah peserta", required=False, maximum=MAX_ATTENDEES)
    excess_reason = _area("Alasan porsi melebihi peserta", 2000)

    def set_choices(self, groups: Sequence[KindGroup]) -> None:
        """The kinds grouped by category (one ``<optgroup>`` each), after a placeholder."""
        choices: dict[str, list[SelectChoice]] = {"": [KIND_PLACEHOLDER]}
        for group in groups:
            choices[group.category_name] = [SelectChoice(str(k.id), k.name) for k in group.kinds]
        self.kind_id.choices = choices

    def validate_fiscal_year(self, field: StringField) -> None:
        this_year = today_in_jakarta().year
        if isinstance(field.data, int) and not this_year - 1 <= field.data <= this_year + 1:
            raise ValidationError(
                f"Tahun Anggaran harus antara {this_year - 1} dan {this_year + 1}."
            )


class CancelForm(BaseForm):
    """Cancel an undecided request: the reason is required (checked by the service)."""

    reason = TextAreaField(
        "Alasan pembatalan (minimal 10 karakter)",
        validators=[
            DataRequired("Tulis alasan pembatalan."),
            Length(max=2000, message="Alasan paling panjang 2.000 karakter."),
        ],
        filters=[strip],
        render_kw={"rows": 3},
    )


class DecisionForm(BaseForm):
    """Accept the proposal or one's own choice; the quantities are read by ``parse_choices``."""

    run_id = IdField(validators=[DataRequired()], widget=HiddenInput())
    decision_key = HiddenField(validators=[DataRequired(), Length(min=8, max=100)])
    choice = HiddenField(validators=[AnyOf(["terima", "sendiri"])])
    reason = TextAreaField(
        "Alasan menyimpang dari usulan (minimal 20 karakter)",
        validators=[Optional(), Length(max=2000, message="Alasan paling panjang 2.000 karakter.")],
        filters=[strip],
        render_kw={"rows": 3},
    )


def parse_choices(data: Mapping[str, str], names: Mapping[int, str]) -> list[tuple[int, int]]:
    """``(umkm_id, quantity)`` from the ``jumlah_<umkm id>`` inputs; empty or 0 is not chosen.

    A negative number is passed on so the policy's check names the UMKM and the rule.
    """
    chosen = []
    for key, raw in data.items():
        if not key.startswith(QUANTITY_PREFIX) or not raw.strip():
            continue
        umkm_id = parse_id(key[len(QUANTITY_PREFIX) :])
        if umkm_id is None:
            raise RuleError("Formulir tidak sah; muat ulang halaman lalu coba lagi.")
        quantity = parse_count(raw, f"Jumlah untuk {names.get(umkm_id, f'UMKM #{umkm_id}')}")
        if quantity != 0:
            chosen.append((umkm_id, quantity))
    return sorted(chosen)
