"""Admin forms. Messages are Indonesian; WTForms' built-in English ones are avoided on purpose
(``validate_choice=False`` plus an explicit ``AnyOf``, a date field with its own message).

``GetForm`` and ``IdDateField`` live in ``procure.forms_base``; they are imported from here too.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    PasswordField,
    SelectField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length, Optional, Regexp, ValidationError

from procure.admin.rules import MANUAL_CHECKS
from procure.forms_base import BaseForm, GetForm, IdDateField
from procure.input_rules import check_contact_phone
from procure.umkm.rules import RuleError, check_nip, check_phone


def _strip(value: Any) -> Any:
    return " ".join(value.split()) if isinstance(value, str) else value


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


def rule(check: Callable[[str], str]) -> Callable[[FlaskForm, Any], None]:
    """A validator that runs a pure ``check_*`` rule and keeps its normalised value."""

    def validate(form: FlaskForm, field: Any) -> None:
        if not field.data:
            return
        try:
            field.data = check(field.data)
        except RuleError as exc:
            raise ValidationError(str(exc)) from exc

    return validate


def options(empty_label: str | None, pairs: Iterable[tuple[object, str]]) -> list[SelectChoice]:
    """Select options from ``(value, label)`` pairs, after an optional empty "all/none" one."""
    first = [SelectChoice("", empty_label)] if empty_label else []
    return first + [SelectChoice(str(value), label) for value, label in pairs]


def required(label: str) -> DataRequired:
    return DataRequired(f"{label} wajib diisi.")


# -- verification -----------------------------------------------------------------------------


class VerifyForm(BaseForm):
    own_production = BooleanField(MANUAL_CHECKS["own_production"])
    address_in_city = BooleanField(MANUAL_CHECKS["address_in_city"])
    note = TextAreaField(
        "Catatan (boleh kosong)",
        filters=[_strip],
        validators=[Optional(), Length(max=1000, message="Catatan paling panjang 1000 karakter.")],
    )


class ReasonForm(BaseForm):
    reason = TextAreaField(
        "Alasan",
        filters=[_strip],
        validators=[
            required("Alasan"),
            Length(min=10, max=2000, message="Alasan 10 sampai 2000 karakter."),
        ],
    )


class UmkmFilterForm(GetForm):
    q = StringField("Cari nama usaha atau NIB", filters=[_strip])
    status = SelectField("Status", validate_choice=False)
    kecamatan = SelectField("Kecamatan", validate_choice=False)
    category = SelectField("Kategori", validate_choice=False)


# -- OPD and accounts -------------------------------------------------------------------------


EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


def optional_email(label: str, example: str) -> StringField:
    """An e-mail field that may stay empty: trimmed, lower-cased, at most 200 characters."""
    return StringField(
        label,
        filters=[_strip, lambda v: v.lower() if isinstance(v, str) else v],
        validators=[
            Optional(),
            Length(max=200, message="E-mail paling panjang 200 karakter."),
            Regexp(EMAIL_PATTERN, message=f"E-mail tidak valid, contoh: {example}."),
        ],
        render_kw={"type": "email", "autocomplete": "off"},
    )


class OpdForm(BaseForm):
    code = StringField(
        "Kode OPD",
        filters=[_strip, _upper],
        validators=[
            required("Kode OPD"),
            Regexp(
                r"^[A-Z0-9]{2,20}$",
                message="Kode OPD 2 sampai 20 huruf besar atau angka tanpa spasi, "
                "misalnya DISDAGKOP.",
            ),
        ],
    )
    name = StringField(
        "Nama OPD",
        filters=[_strip],
        validators=[required("Nama OPD"), Length(max=200, message="Nama paling panjang 200.")],
    )
    address = StringField(
        "Alamat",
        filters=[_strip],
        validators=[required("Alamat"), Length(max=255, message="Alamat paling panjang 255.")],
    )
    # The office's own contact, printed in the kop of every document the OPD issues.
    phone = StringField(
        "Telepon kantor (boleh kosong)",
        validators=[rule(check_contact_phone)],
        render_kw={"type": "tel", "inputmode": "tel", "autocomplete": "off"},
    )
    email = optional_email("E-mail kantor (boleh kosong)", "disdik@sukamaju.go.id")
    head_name = StringField(
        "Nama kepala OPD",
        filters=[_strip],
        validators=[required("Nama kepala OPD"), Length(max=200, message="Paling panjang 200.")],
    )
    head_nip = StringField("NIP kepala OPD (boleh kosong)", validators=[rule(check_nip)])
    # The Bendahara Pengeluaran signs every Kuitansi "Lunas"; left empty, the line stays blank.
    treasurer_name = StringField(
        "Nama Bendahara Pengeluaran",
        filters=[_strip],
        validators=[Optional(), Length(max=200, message="Paling panjang 200.")],
    )
    treasurer_nip = StringField(
        "NIP Bendahara Pengeluaran (boleh kosong)", validators=[rule(check_nip)]
    )
    # Where the Bendahara gets payment reminders (docs/payment-clock.md).
    treasurer_email = optional_email("E-mail Bendahara (boleh kosong)", "bendahara@sukamaju.go.id")
    treasurer_phone = StringField(
        "Nomor HP/WhatsApp Bendahara (boleh kosong)",
        validators=[rule(check_phone)],
        render_kw={"type": "tel", "inputmode": "tel", "autocomplete": "off"},
    )
    is_active = BooleanField("Aktif", default=True)

    def validate_treasurer_nip(self, field: StringField) -> None:
        if field.data and not self.treasurer_name.data:
            raise ValidationError("Isi juga nama Bendahara Pengeluaran pemilik NIP ini.")


CREATABLE_ROLES = [
    ("opd", "Pejabat Pengadaan OPD"),
    ("admin", "Admin (Dinas Koperasi & UKM)"),
    ("inspector", "Inspektorat / Auditor"),
]


class UserForm(BaseForm):
    email = StringField(
        "E-mail",
        filters=[_strip],
        validators=[
            required("E-mail"),
            Length(max=255, message="E-mail paling panjang 255 karakter."),
            Regexp(EMAIL_PATTERN, message="E-mail tidak valid, contoh: nama@sukamaju.go.id."),
        ],
    )
    full_name = StringField(
        "Nama lengkap",
        filters=[_strip],
        validators=[required("Nama lengkap"), Length(max=200, message="Paling panjang 200.")],
    )
    role = SelectField(
        "Peran",
        choices=options(None, CREATABLE_ROLES),
        validate_choice=False,
        validators=[
            AnyOf(
                [value for value, _ in CREATABLE_ROLES],
                message="Pilih peran: OPD, admin atau inspektorat. Akun UMKM dibuat lewat "
                "pendaftaran usaha.",
            )
        ],
    )
    opd_id = SelectField("OPD (wajib untuk peran OPD)", validate_choice=False)
    nip = StringField("NIP (boleh kosong)", validators=[rule(check_nip)])
    jabatan = StringField(
        "Jabatan (boleh kosong)",
        filters=[_strip],
        validators=[Optional(), Length(max=100, message="Jabatan paling panjang 100 karakter.")],
    )
    password = PasswordField("Kata sandi awal", validators=[required("Kata sandi awal")])


class UserFilterForm(GetForm):
    role = SelectField("Peran", validate_choice=False)


# -- reference data ---------------------------------------------------------------------------


class CategoryForm(BaseForm):
    name = StringField(
        "Nama kategori",
        filters=[_strip],
        validators=[
            required("Nama kategori"),
            Length(min=2, max=100, message="Nama kategori 2 sampai 100 karakter."),
        ],
    )
    description = TextAreaField(
        "Keterangan (boleh kosong)",
        filters=[_strip],
        validators=[Optional(), Length(max=500, message="Keterangan paling panjang 500.")],
    )


class CategoryEditForm(CategoryForm):
    is_active = BooleanField("Aktif (tampil di katalog dan pilihan produk)")


class KecamatanForm(BaseForm):
    name = StringField(
        "Nama kecamatan",
        filters=[_strip],
        validators=[
            required("Nama kecamatan"),
            Length(min=2, max=100, message="Nama 2 sampai 100 karakter."),
        ],
    )


class KelurahanForm(BaseForm):
    kecamatan_id = SelectField("Kecamatan", validate_choice=False)
    name = StringField(
        "Nama kelurahan",
        filters=[_strip],
        validators=[
            required("Nama kelurahan"),
            Length(min=2, max=100, message="Nama 2 sampai 100 karakter."),
        ],
    )


class AuditFilterForm(GetForm):
    action = StringField("Awalan tindakan (mis. umkm.)", filters=[_strip])
    entity_type = SelectField("Jenis data", validate_choice=False)
    actor = StringField("E-mail pelaku", filters=[_strip])
    date_from = IdDateField("Dari tanggal", validators=[Optional()])
    date_to = IdDateField("Sampai tanggal", validators=[Optional()])
