"""Forms of the order pages. The rules (deadlines, quantities, dates) live in the services."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField
from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, ValidationError

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
    field_flags = {"required": True}

    def __call__(self, form: Any, field: StringField) -> None:
        if not field.data:
            raise ValidationError("Isi jumlah yang ditransfer (neto), misalnya 9.820.450.")
        try:
            field.data = parse_rupiah(field.data)
        except RuleError as exc:
            raise ValidationError(str(exc)) from exc
        if field.data <= 0:
            raise ValidationError("Jumlah dibayar neto harus lebih dari Rp 0.")


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
        "Dibayar neto (Rp), yang benar-benar ditransfer",
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
