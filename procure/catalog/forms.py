"""The catalog search form: a GET form, so no CSRF token.

It only renders labelled inputs; ``rules.parse_search_args`` reads and checks the values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from wtforms import SearchField, SelectField, StringField
from wtforms.fields.choices import SelectChoice

from procure.catalog.rules import SORTS, SearchQuery
from procure.formatting import number
from procure.forms_base import GetForm


class SearchForm(GetForm):
    q = SearchField("Cari produk atau nama usaha", render_kw={"placeholder": "mis. nasi kotak"})
    kategori = SelectField("Kategori", choices=[])
    # Rendered by the page with an <optgroup> per category (kinds.js follows ``kategori``).
    jenis = SelectField("Jenis barang", choices=[])
    kecamatan = SelectField("Kecamatan", choices=[])
    harga_min = StringField(
        "Harga minimum (Rp)", render_kw={"inputmode": "numeric", "placeholder": "mis. 10.000"}
    )
    harga_max = StringField(
        "Harga maksimum (Rp)", render_kw={"inputmode": "numeric", "placeholder": "mis. 500.000"}
    )
    skala = SelectField("Skala usaha", choices=[])
    urut = SelectField("Urutkan", choices=[SelectChoice(k, v) for k, v in SORTS.items()])


def _options(empty_label: str, pairs: list[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice("", empty_label), *(SelectChoice(v, label) for v, label in pairs)]


def _price_text(value: int | None, typed: str | None) -> str:
    # An ignored price keeps what was typed, next to the message, so it can be corrected.
    return number(value) if value is not None else (typed or "").strip()[:30]


def search_form(
    query: SearchQuery,
    typed: Mapping[str, str],
    categories: list[tuple[str, str]],
    kecamatans: list[tuple[str, str]],
    scales: list[tuple[str, str]],
    kinds: Sequence[tuple[str, str]] = (),
) -> SearchForm:
    """The form filled with the query actually run; ``typed`` is the raw query string."""
    form = SearchForm(
        data={
            "q": query.text,
            "kategori": query.category_slug or "",
            "jenis": str(query.kind_id) if query.kind_id else "",
            "kecamatan": str(query.kecamatan_id) if query.kecamatan_id else "",
            "harga_min": _price_text(query.min_price, typed.get("harga_min")),
            "harga_max": _price_text(query.max_price, typed.get("harga_max")),
            "skala": query.scale or "",
            "urut": query.sort,
        }
    )
    form.kategori.choices = _options("Semua kategori", categories)
    form.jenis.choices = _options("Semua jenis", list(kinds))
    form.kecamatan.choices = _options("Semua kecamatan", kecamatans)
    form.skala.choices = _options("Semua skala", scales)
    return form
