"""The admin's kind forms: add a kind, rename it, retire or bring it back, move a product or
request out of the catch-all kind. The name's rules live in ``rules.checked_name``."""

from __future__ import annotations

from wtforms import HiddenField, SelectField, StringField
from wtforms.validators import AnyOf, DataRequired, Length

from procure.forms_base import BaseForm
from procure.kinds.rules import NAME_MAX
from procure.umkm.forms import int_or_none


def _name() -> StringField:
    return StringField(
        "Nama jenis barang",
        validators=[
            DataRequired("Nama jenis barang wajib diisi."),
            Length(max=NAME_MAX, message=f"Nama jenis barang paling banyak {NAME_MAX} karakter."),
        ],
        render_kw={"autocomplete": "off", "placeholder": "mis. Kemeja Batik Anak"},
    )


def _kind_select(label: str) -> SelectField:
    return SelectField(
        label,
        coerce=int_or_none,
        validators=[DataRequired("Pilih jenis barang.")],
        invalid_choice_message="Pilih jenis barang dari daftar.",
        invalid_value_message="Pilih jenis barang dari daftar.",
        validate_choice=False,  # the service checks it belongs to the record's category
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
    kind_id = _kind_select("Pindahkan ke jenis")
