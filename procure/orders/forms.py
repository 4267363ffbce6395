"""Forms of the order pages. The rules (deadlines, quantities, dates) live in the services."""

from __future__ import annotations

from typing import Any

from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, ValidationError

from procure.forms_base import BaseForm, IdDateField, WholeNumberField
from procure.orders.rules import CONDITIONS, MIN_ORDER_REASON, STATUS_LABELS
from procure.umkm.rules import RuleError, parse_rupiah


def _choices(empty_label: str, pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice("", empty_label), *(SelectChoice(v, label) for v, label in pairs)]


def _strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


def _reason(label: str, example: str) -> TextAreaField:
    return TextAreaField(
        label,
        validators=[
            InputRequired(f"Tulis alasannya, misalnya \u201c{example}\u201d."),
            Length(
                min=MIN_ORDER_REASON,
                max=1000,
                message=f"Alasan minimal {MIN_ORDER_REASON} dan maksimal 1000 karakter.",
            ),
        ],
        filters=[_strip],
        render_kw={"rows": 3},
    )


class ActionForm(BaseForm):
    """A confirmation with nothing to fill in (accept, delivered, handover): CSRF only."""


class DeclineForm(BaseForm):
    reason = _reason("Alasan menolak", "kapasitas produksi bulan ini sudah penuh")


class CancelForm(BaseForm):
    reason = _reason("Alasan pembatalan", "kegiatan dibatalkan oleh kepala dinas")


class InspectionForm(BaseForm):
    received_quantity = WholeNumberField(
        "Jumlah diterima",
        validators=[
            InputRequired("Isi jumlah barang yang diterima (angka, 0 bila tidak ada)."),
            NumberRange(min=0, message="Jumlah diterima tidak boleh negatif."),
        ],
        render_kw={"inputmode": "numeric"},
    )
    condition = SelectField(
        "Kondisi barang",
        choices=_choices("Pilih kondisi", [(c, c.capitalize()) for c in CONDITIONS]),
        validators=[AnyOf(CONDITIONS, message="Pilih kondisi barang: baik atau kurang baik.")],
        validate_choice=False,  # AnyOf answers in Indonesian
    )
    notes = TextAreaField(
        "Catatan pemeriksaan",
        validators=[Length(max=2000, message="Catatan maksimal 2000 karakter.")],
        filters=[_strip],
        render_kw={"rows": 2},
    )


class _Rupiah:
    field_flags = {"required": True}

    def __call__(self, form: Any, field: StringField) -> None:
        if not field.data:
            raise ValidationError("Isi jumlah yang dibayar, misalnya 9.970.000.")
        try:
            field.data = parse_rupiah(field.data)
        except RuleError as exc:
            raise ValidationError(str(exc)) from exc
        if field.data <= 0:
            raise ValidationError("Jumlah dibayar harus lebih dari Rp 0.")


class PaymentForm(BaseForm):
    paid_on = IdDateField(
        "Tanggal bayar",
        validators=[InputRequired("Isi tanggal pembayaran.")],
    )
    reference = StringField(
        "Nomor referensi (SP2D / bukti transfer)",
        validators=[
            InputRequired("Isi nomor referensi pembayaran."),
            Length(max=100, message="Nomor referensi maksimal 100 karakter."),
        ],
        filters=[_strip],
    )
    amount = StringField(
        "Jumlah dibayar (Rp)",
        validators=[_Rupiah()],
        filters=[_strip],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )


class OrderFilterForm(BaseForm):
    """The officer's list: by status; admin and inspector also by OPD (GET, no CSRF)."""

    class Meta:
        csrf = False

    status = SelectField(
        "Status",
        choices=_choices("Semua status", list(STATUS_LABELS.items())),
        validate_choice=False,
    )
    opd = SelectField("OPD", choices=_choices("Semua OPD", []), validate_choice=False)

    def set_opd_choices(self, opds: list[tuple[int, str]]) -> None:
        self.opd.choices = _choices("Semua OPD", [(str(i), name) for i, name in opds])
