"""The admin's kind forms: add a kind, rename it, retire or bring it back, move a product or
request out of the catch-all kind. The name's rules live in ``rules.checked_name``."""

from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import AnyOf, DataRequired, Length

from procure.forms_base import BaseForm, int_or_none
from procure.kinds.rules import NAME_MAX

# The first choice of every kind picker: choosing nothing is refused as "Pilih jenis barang."
KIND_PLACEHOLDER = SelectChoice("", "— Pilih jenis barang —")


def _name() -> StringField:
    return StringField(
        "Nama jenis barang",
        validators=[
            DataRequired("Nama jenis barang wajib diisi."),
            Length(max=NAME_MAX, message=f"Nama jenis barang paling banyak {NAME_MAX} karakter."),
        ],
        render_kw={"autocomplete": "off", "placeholder": "mis. Kemeja Batik Anak"},
    )


def kind_select(label: str = "Jenis barang", *, validate_choice: bool = True) -> SelectField:
    """A kind picker (the product form, the request form, the admin's move): a kind id, or
    None for the placeholder. ``validate_choice=False`` leaves the choice to the service, which
    says why a kind may not be chosen (retired, of another category)."""
    return SelectField(
        label,
        coerce=int_or_none,
        validators=[DataRequired("Pilih jenis barang.")],
        invalid_choice_message="Pilih jenis barang dari daftar.",
        invalid_value_message="Pilih jenis barang dari daftar.",
        validate_choice=validate_choice,
    )


class KindForm(BaseForm):
    category_id = SelectField(
        "Kategori",
        coerce=int_or_none,
        validators=[DataRequired("Pilih kategori.")],
        invalid_choice_message="Pilih kategori dari daftar.",
        invalid_value_message="Pilih kategori dari daftar.",
    )
    name = _name()


class KindRenameForm(BaseForm):
    name = _name()


class KindStatusForm(BaseForm):
    # "1": bring it back, "0": retire; explicit, so a repeated submission does not flip back.
    is_active = HiddenField(validators=[AnyOf(["0", "1"], message="Pilihan tidak valid.")])


class KindDeleteForm(BaseForm):
    """Only the CSRF token: the confirmation is the page's own step."""


class MoveForm(BaseForm):
    # The service checks the kind belongs to the record's category.
    kind_id = kind_select("Pindahkan ke jenis", validate_choice=False)
