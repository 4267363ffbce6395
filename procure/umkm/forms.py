"""Registration, profile and product forms. The checks themselves live in ``rules``."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    EmailField,
    PasswordField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from procure.auth.services import check_password_strength
from procure.forms_base import BaseForm, int_or_none
from procure.kinds.forms import KIND_PLACEHOLDER, kind_select
from procure.kinds.services import KindGroup
from procure.umkm.models import BusinessScale
from procure.umkm.rules import (
    UNITS,
    Limits,
    RuleError,
    check_bank_account,
    check_email,
    check_nib,
    check_nik,
    check_npwp,
    check_phone,
    check_product_figures,
    parse_count,
    parse_rupiah,
)
from procure.umkm.services import Wilayah

PKP_HELP = (
    "PPN 11% dipisahkan dari harga pada dokumen pesanan dan kuitansi. Kebanyakan usaha mikro "
    "bukan PKP; biarkan kosong bila ragu."
)
PP55_HELP = (
    "Bila punya, Bendahara memotong PPh final 0,5% sebagai ganti PPh 22/23. Simpan salinan "
    "suratnya untuk ditunjukkan saat pembayaran."
)
SCALE_HELP = (
    "Menurut omzet setahun: mikro sampai Rp2 miliar, kecil di atas Rp2 miliar sampai "
    "Rp15 miliar, menengah di atas Rp15 miliar sampai Rp50 miliar."
)


KELURAHAN_ELSEWHERE = (
    "Kelurahan ini tidak berada di kecamatan yang dipilih. "
    "Pilih kelurahan dari kelompok kecamatan Anda."
)


def strip(value: Any) -> Any:
    return value.strip() if isinstance(value, str) else value


class Rule:
    """Run a pure ``check_*`` rule: its message becomes the field error, its result the data."""

    field_flags = {"required": True}

    def __init__(self, check: Callable[[str], Any]) -> None:
        self.check = check

    def __call__(self, form: FlaskForm, field: Any) -> None:
        try:
            field.data = self.check(field.data or "")
        except RuleError as exc:
            raise ValidationError(str(exc)) from exc


def _text(label: str, max_len: int, required: str | None = None, **render_kw: str) -> StringField:
    validators: list[Any] = [DataRequired(required)] if required else [Optional()]
    validators.append(Length(max=max_len, message=f"{label} paling panjang {max_len} karakter."))
    return StringField(label, validators=validators, filters=[strip], render_kw=render_kw or None)


def _number(check: Callable[[str], Any], **render_kw: str) -> dict[str, Any]:
    return {
        "validators": [Rule(check)],
        "filters": [strip],
        "render_kw": {"inputmode": "numeric", "autocomplete": "off", **render_kw},
    }


def _select(
    label: str, required: str, invalid: str, render_kw: dict[str, str] | None = None
) -> SelectField:
    return SelectField(
        label,
        coerce=int_or_none,
        validators=[DataRequired(required)],
        invalid_choice_message=invalid,
        invalid_value_message=invalid,
        render_kw=render_kw,
    )


class BusinessForm(BaseForm):
    """The business's data, shared by registration and the profile page."""

    owner_name = _text(
        "Nama pemilik (sesuai KTP)", 200, "Nama pemilik wajib diisi.", autocomplete="name"
    )
    nik = StringField("NIK pemilik (16 digit)", **_number(check_nik))
    business_name = _text("Nama usaha", 200, "Nama usaha wajib diisi.", autocomplete="organization")
    nib = StringField("NIB (13 digit)", **_number(check_nib))
    npwp = StringField("NPWP (15 atau 16 digit)", **_number(check_npwp))
    declared_scale = SelectField(
        "Skala usaha",
        choices=[SelectChoice("", "— Pilih skala usaha —")]
        + [SelectChoice(s.value, s.label) for s in BusinessScale],
        validators=[DataRequired("Pilih skala usaha.")],
        invalid_choice_message="Pilih skala usaha dari daftar.",
        description=SCALE_HELP,
    )
    is_own_production = BooleanField("Saya memproduksi sendiri barang yang saya jual")
    is_pkp = BooleanField("Usaha saya Pengusaha Kena Pajak (PKP)", description=PKP_HELP)
    has_pp55_certificate = BooleanField(
        "Saya memiliki Surat Keterangan PP 55/2022 (PPh final 0,5%)", description=PP55_HELP
    )
    address = _text("Alamat usaha", 255, "Alamat usaha wajib diisi.", autocomplete="street-address")
    kecamatan_id = _select("Kecamatan", "Pilih kecamatan.", "Pilih kecamatan dari daftar.")
    # procure/static/region.js narrows the options to the chosen kecamatan (data-follows).
    kelurahan_id = _select(
        "Kelurahan",
        "Pilih kelurahan.",
        "Pilih kelurahan dari daftar.",
        {"data-follows": "kecamatan_id"},
    )
    phone = StringField(
        "Nomor HP/WhatsApp",
        validators=[Rule(check_phone)],
        filters=[strip],
        render_kw={"inputmode": "tel", "autocomplete": "tel", "type": "tel"},
    )
    bank_name = _text("Nama bank", 100, "Nama bank wajib diisi.")
    bank_account_number = StringField("Nomor rekening", **_number(check_bank_account))
    bank_account_name = _text("Nama pemilik rekening", 200, "Nama pemilik rekening wajib diisi.")
    categories = SelectMultipleField(
        "Kategori usaha",
        coerce=int,
        validators=[DataRequired("Pilih minimal satu kategori usaha.")],
        widget=ListWidget(prefix_label=False),
        option_widget=CheckboxInput(),
        invalid_choice_message="Pilih kategori dari daftar.",
        invalid_value_message="Pilih kategori dari daftar.",
    )
    description = TextAreaField(
        "Deskripsi singkat usaha",
        validators=[
            Optional(),
            Length(max=2000, message="Deskripsi paling panjang 2.000 karakter."),
        ],
        filters=[strip],
        render_kw={"rows": 4},
    )

    def set_choices(self, wilayah: Wilayah, categories: list[tuple[int, str]]) -> None:
        """Fill the selects from the database (kelurahan grouped by kecamatan)."""
        self._kecamatan_of = wilayah.kecamatan_of()
        self.kecamatan_id.choices = [SelectChoice("", "— Pilih kecamatan —")] + [
            SelectChoice(str(kid), name) for kid, name in wilayah.kecamatan
        ]
        kelurahan = [SelectChoice("", "— Pilih kelurahan —")]
        for kid, kec_name in wilayah.kecamatan:
            kelurahan += [
                SelectChoice(
                    str(lid),
                    name,
                    render_kw={"data-kecamatan": str(kid)},
                    optgroup=f"Kecamatan {kec_name}",
                )
                for lid, name in wilayah.kelurahan_by_kecamatan.get(kid, [])
            ]
        self.kelurahan_id.choices = kelurahan
        self.categories.choices = [SelectChoice(str(cid), name) for cid, name in categories]

    def validate_kelurahan_id(self, field: SelectField) -> None:
        kecamatan_id = self.kecamatan_id.data
        if kecamatan_id and field.data and self._kecamatan_of.get(field.data) != kecamatan_id:
            raise ValidationError(KELURAHAN_ELSEWHERE)


def _password_strength(form: FlaskForm, field: PasswordField) -> None:
    own = (getattr(form, name, None) for name in ("email", "owner_name", "business_name"))
    message = check_password_strength(field.data or "", *(f.data for f in own if f is not None))
    if message:
        raise ValidationError(message)


class RegistrationForm(BusinessForm):
    email = EmailField(
        "E-mail",
        validators=[Rule(check_email)],
        filters=[strip],
        render_kw={"autocomplete": "email", "inputmode": "email"},
    )
    password = PasswordField(
        "Kata sandi",
        validators=[DataRequired("Kata sandi wajib diisi."), _password_strength],
        render_kw={"autocomplete": "new-password"},
    )
    password_confirm = PasswordField(
        "Ulangi kata sandi",
        validators=[
            DataRequired("Ulangi kata sandi."),
            EqualTo("password", "Kedua kata sandi tidak sama."),
        ],
        render_kw={"autocomplete": "new-password"},
    )


class ProfileForm(BusinessForm):
    """The owner's profile; the view removes the identity fields once verified."""


def _money(form: FlaskForm, field: StringField) -> None:
    try:
        field.data = parse_rupiah(field.data or "")
    except RuleError as exc:
        raise ValidationError(str(exc)) from exc


class _Count:
    field_flags = {"required": True}

    def __init__(self, label: str) -> None:
        self.label = label

    def __call__(self, form: FlaskForm, field: StringField) -> None:
        try:
            field.data = parse_count(field.data or "", self.label)
        except RuleError as exc:
            raise ValidationError(str(exc)) from exc


def _count_field(label: str, help_label: str, default: str | None = None) -> StringField:
    return StringField(
        label,
        default=default,
        validators=[_Count(help_label)],
        filters=[strip],
        render_kw={"inputmode": "numeric", "autocomplete": "off"},
    )


class ProductForm(BaseForm):
    name = _text("Nama produk", 200, "Nama produk wajib diisi.", autocomplete="off")
    # Grouped by category in the page (``templates/kinds/_picker.html``); the service checks
    # that the kind may be chosen (active, or the product's own) and takes its category.
    kind_id = kind_select(validate_choice=False)  # the service says why (retired ...)
    description = TextAreaField(
        "Deskripsi / spesifikasi",
        validators=[
            Optional(),
            Length(max=2000, message="Deskripsi paling panjang 2.000 karakter."),
        ],
        filters=[strip],
        render_kw={"rows": 4},
    )
    unit = SelectField(
        "Satuan",
        validators=[DataRequired("Pilih satuan.")],
        invalid_choice_message="Pilih satuan dari daftar.",
    )
    unit_price = StringField(
        "Harga satuan (Rp)",
        validators=[DataRequired("Harga satuan wajib diisi."), _money],
        filters=[strip],
        render_kw={"inputmode": "numeric", "autocomplete": "off", "placeholder": "175.000"},
    )
    monthly_capacity = _count_field("Kapasitas per bulan", "Kapasitas per bulan")
    lead_time_days = _count_field("Waktu pengerjaan (hari)", "Waktu pengerjaan")
    min_order = _count_field("Pesanan minimum", "Pesanan minimum", default="1")
    photo = FileField(
        "Foto produk (JPG, PNG atau WEBP, maksimal 5 MB)",
        render_kw={"accept": "image/jpeg,image/png,image/webp"},
    )
    remove_photo = BooleanField("Hapus foto yang sekarang")
    is_active = BooleanField("Tampilkan di katalog (aktif)", default=True)

    def set_choices(
        self, kind_groups: Iterable[KindGroup], current_unit: str | None = None
    ) -> None:
        self.kind_id.choices = [KIND_PLACEHOLDER] + [
            SelectChoice(str(k.id), k.name) for group in kind_groups for k in group.kinds
        ]
        units = list(UNITS)
        if current_unit and current_unit not in units:
            units.append(current_unit)  # a unit from an import stays selectable
        self.unit.choices = [SelectChoice("", "— Pilih satuan —")] + [
            SelectChoice(u) for u in units
        ]

    def check_figures(self, limits: Limits) -> bool:
        """Run the sanity rules on the parsed figures; errors go on their fields."""
        figures = (self.unit_price, self.monthly_capacity, self.lead_time_days, self.min_order)
        if any(f.errors or not isinstance(f.data, int) for f in figures):
            return False
        errors = check_product_figures(*(f.data for f in figures), limits)
        for name, message in errors.items():
            self[name].errors = [*self[name].errors, message]
        return not errors
