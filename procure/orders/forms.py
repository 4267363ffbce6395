"""Forms of the order pages. The rules (deadlines, quantities, dates) live in the services."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import (
    AnyOf,
    InputRequired,
    Length,
    NumberRange,
    Optional,
    ValidationError,
)

from procure.formatting import number
from procure.forms_base import BaseForm, IdDateField, WholeNumberField
from procure.orders.rules import (
    CONDITIONS,
    MAX_DELIVERY_NOTE,
    MAX_MEMBER_NAME,
    MAX_TEAM,
    MIN_ORDER_REASON,
    STATUS_LABELS,
    check_inspection_team,
    nip_problem,
)
from procure.payments.rules import (
    MAX_REFERENCE,
    MAX_TAX_LABEL,
    MAX_TAX_LINES,
    METHODS,
    TaxWithheld,
    check_taxes,
)
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
    """A confirmation with nothing to fill in (accept): CSRF only."""


class DeliverForm(BaseForm):
    """Marking "sent": the delivery note (surat jalan) and an optional photo, whose type and
    size are checked by its content in ``umkm.photos.prepare_photo`` (the view calls it)."""

    note = TextAreaField(
        "Nomor surat jalan / keterangan pengiriman",
        validators=[
            InputRequired(
                "Isi nomor surat jalan atau keterangan pengiriman, misalnya "
                "\u201cSJ-012/2026, dikirim dengan mobil boks\u201d."
            ),
            Length(
                max=MAX_DELIVERY_NOTE,
                message=f"Keterangan pengiriman maksimal {MAX_DELIVERY_NOTE} karakter.",
            ),
        ],
        filters=[_strip],
        render_kw={"rows": 2, "maxlength": MAX_DELIVERY_NOTE},
    )
    photo = FileField(
        "Foto barang terkirim (boleh dilewati; JPG, PNG atau WEBP, maksimal 5 MB)",
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )


class HandoverForm(BaseForm):
    handover_date = IdDateField(
        "Tanggal serah terima",
        validators=[InputRequired("Isi tanggal serah terima.")],
    )


def _nip(form: Any, field: StringField) -> None:
    nip = "".join((field.data or "").split())
    problem = nip_problem(nip) if nip else None
    if problem:
        raise ValidationError(problem)


def _team_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for i in range(1, MAX_TEAM + 1):
        fields[f"member_name_{i}"] = StringField(
            f"Nama anggota {i}",
            validators=[
                Length(max=MAX_MEMBER_NAME, message=f"Nama maksimal {MAX_MEMBER_NAME} karakter.")
            ],
            filters=[_strip],
            render_kw={"autocomplete": "off"},
        )
        fields[f"member_nip_{i}"] = StringField(
            f"NIP anggota {i}",
            validators=[_nip],
            filters=[_strip],
            render_kw={"inputmode": "numeric", "autocomplete": "off", "maxlength": 24},
        )
    return fields


# The Tim Pemeriksa's rows (name + NIP, up to MAX_TEAM), declared as fields of a base class so
# every field name is known to the request guard (BaseForm.__init_subclass__).
_TeamForm: type[BaseForm] = type("_TeamForm", (BaseForm,), _team_fields())


class DeclineForm(BaseForm):
    reason = _reason("Alasan menolak", "kapasitas produksi bulan ini sudah penuh")


class CancelForm(BaseForm):
    reason = _reason("Alasan pembatalan", "kegiatan dibatalkan oleh kepala dinas")


class InspectionForm(_TeamForm):  # type: ignore[valid-type,misc]
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

    def team(self) -> list[tuple[str, str]]:
        return [
            (self[f"member_name_{i}"].data or "", self[f"member_nip_{i}"].data or "")
            for i in range(1, MAX_TEAM + 1)
        ]

    def set_team(self, members: list[dict[str, str]]) -> None:
        for i, member in enumerate(members[:MAX_TEAM], start=1):
            self[f"member_name_{i}"].data = member.get("name", "")
            self[f"member_nip_{i}"].data = member.get("nip", "")

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not ok:
            return False
        try:
            check_inspection_team(self.team())
        except RuleError as exc:
            self.member_name_1.errors = [*self.member_name_1.errors, str(exc)]
            return False
        return True


class _Rupiah:
    """A whole-Rupiah amount typed as 9.820.450 (``parse_rupiah``); ``allow_zero`` for a tax
    withheld, ``optional`` for a tax row left empty."""

    def __init__(self, message: str, *, allow_zero: bool = False, optional: bool = False):
        self.message = message
        self.allow_zero = allow_zero
        self.optional = optional
        self.field_flags = {} if optional else {"required": True}

    def __call__(self, form: Any, field: StringField) -> None:
        if field.data in (None, ""):
            if self.optional:
                field.data = None
                return
            raise ValidationError(self.message)
        if isinstance(field.data, int):
            return
        try:
            field.data = parse_rupiah(field.data)
        except RuleError as exc:
            raise ValidationError(str(exc)) from exc
        if field.data < 0 or (field.data == 0 and not self.allow_zero):
            raise ValidationError(f"{field.label.text} harus lebih dari Rp 0.")


class _RupiahField(StringField):
    """An amount in Rupiah, shown as 1.550.000 again when a refused form comes back (its
    validator has turned what was typed into a whole number)."""

    def _value(self) -> str:
        if isinstance(self.data, int) and not isinstance(self.data, bool):
            return number(self.data)
        return str(super()._value())


def _money(label: str, message: str, **kw: Any) -> StringField:
    return _RupiahField(
        label,
        validators=[_Rupiah(message, **kw)],
        filters=[_strip],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )


def _tax_fields() -> dict[str, Any]:
    fields: dict[str, Any] = {}
    for i in range(1, MAX_TAX_LINES + 1):
        fields[f"tax_label_{i}"] = StringField(
            f"Nama pajak ke-{i}",
            validators=[
                Length(max=MAX_TAX_LABEL, message=f"Nama pajak maksimal {MAX_TAX_LABEL} karakter.")
            ],
            filters=[_strip],
        )
        fields[f"tax_amount_{i}"] = _money(
            f"Jumlah pajak ke-{i} (Rp)", "", allow_zero=True, optional=True
        )
    return fields


# The taxes withheld (name + amount, up to MAX_TAX_LINES), declared as fields of a base class
# so every field name is known to the request guard (BaseForm.__init_subclass__).
_TaxLines: type[BaseForm] = type("_TaxLines", (BaseForm,), _tax_fields())


class PaymentForm(_TaxLines):  # type: ignore[valid-type,misc]
    """One payment as it happened: method, reference (and the SP2D's date), the day, Nilai
    bruto, each tax withheld and Dibayar neto. The rules (card numbers, net = gross - taxes,
    overpayment) are checked in ``procure.payments.services``; ``payment_key`` makes a double
    click record once."""

    method = SelectField(
        "Cara pembayaran",
        choices=_choices("Pilih cara pembayaran", [(m.code, m.label) for m in METHODS.values()]),
        validators=[
            InputRequired("Pilih cara pembayaran."),
            AnyOf(list(METHODS), message="Pilih cara pembayaran dari daftar."),
        ],
        validate_choice=False,
    )
    reference = StringField(
        "Referensi pembayaran",
        validators=[
            InputRequired("Isi referensi pembayaran (nomor SP2D, RRN/kode persetujuan, dll.)."),
            Length(max=MAX_REFERENCE, message=f"Referensi maksimal {MAX_REFERENCE} karakter."),
        ],
        filters=[_strip],
        render_kw={"autocomplete": "off"},
    )
    reference_date = IdDateField("Tanggal SP2D (hanya untuk SP2D-LS)", validators=[Optional()])
    paid_on = IdDateField(
        "Tanggal bayar",
        validators=[InputRequired("Isi tanggal pembayaran.")],
    )
    gross = _money("Nilai bruto (Rp)", "Isi Nilai bruto yang dibayar, misalnya 6.000.000.")
    net = _money(
        "Dibayar neto (Rp), yang benar-benar ditransfer",
        "Isi jumlah yang ditransfer (neto), misalnya 5.910.000.",
    )
    payment_key = HiddenField(validators=[Optional(), Length(max=100)])

    def taxes(self) -> list[TaxWithheld]:
        """The tax rows filled in (checked again by the service)."""
        return list(
            check_taxes(
                (getattr(self, f"tax_label_{i}").data, getattr(self, f"tax_amount_{i}").data)
                for i in range(1, MAX_TAX_LINES + 1)
            )
        )

    def set_taxes(self, lines: Any) -> None:
        for i, line in enumerate(list(lines)[:MAX_TAX_LINES], start=1):
            getattr(self, f"tax_label_{i}").data = line.label
            getattr(self, f"tax_amount_{i}").data = number(line.amount)

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if not ok:
            return False
        try:
            self.taxes()
        except RuleError as exc:
            self.tax_label_1.errors = [*self.tax_label_1.errors, str(exc)]
            return False
        return True


class ReversalForm(BaseForm):
    """Koreksi: cancel a mistaken payment, saying why (it is never edited)."""

    reason = _reason("Alasan koreksi", "SP2D dicatat pada pesanan yang salah")


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
