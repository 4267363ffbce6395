"""Filter forms of the inspector's portal, read from the query string (GET, no CSRF).

Bad input never reaches a query: each field gets an Indonesian message and the page says
what to fix. Parsing and wording live in ``rules``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.widgets import DateInput

from procure.forms_base import BaseForm
from procure.inspection import rules
from procure.inspection.services import SCALE_CHOICES, OrderFilter
from procure.orders.rules import STATUS_LABELS
from procure.umkm.rules import RuleError

YES_NO_CHOICES = [
    SelectChoice("", "Semua"),
    SelectChoice("ya", "Ya"),
    SelectChoice("tidak", "Tidak"),
]


def _strip(value: object) -> object:
    return value.strip() if isinstance(value, str) else value


def _options(empty: str, pairs: list[tuple[int, str]]) -> list[SelectChoice]:
    return [SelectChoice("", empty), *(SelectChoice(str(i), name) for i, name in pairs)]


def _picked(field: SelectField, what: str) -> int | None:
    """The id chosen in a select of ids; anything not in the list is an error on the field."""
    value = (field.data or "").strip()
    if not value:
        return None
    if value not in {c.value for c in field.choices if c.value}:
        field.errors = [*field.errors, f"Pilih {what} dari daftar."]
        return None
    return int(value)


class OrderFilterForm(BaseForm):
    class Meta:
        csrf = False

    opd = SelectField("OPD", validate_choice=False)
    umkm = StringField("UMKM (nama atau NIB)", filters=[_strip])
    kategori = SelectField("Kategori", validate_choice=False)
    dari = StringField("Diterbitkan dari", widget=DateInput(), filters=[_strip])
    sampai = StringField("Diterbitkan sampai", widget=DateInput(), filters=[_strip])
    status = SelectField(
        "Status",
        choices=[SelectChoice("", "Semua status")]
        + [SelectChoice(k, v) for k, v in STATUS_LABELS.items()],
        validate_choice=False,
    )
    override = SelectField("Override", choices=YES_NO_CHOICES, validate_choice=False)
    terlambat = SelectField("Terlambat", choices=YES_NO_CHOICES, validate_choice=False)
    jenis = SelectField("Jenis barang", validate_choice=False)
    kecamatan = SelectField("Kecamatan UMKM", validate_choice=False)
    skala = SelectField(
        "Skala usaha",
        choices=[SelectChoice("", "Semua skala")]
        + [SelectChoice(k, v) for k, v in SCALE_CHOICES.items()],
        validate_choice=False,
    )
    belanja = SelectField(
        "Dihitung sebagai belanja",
        choices=[
            SelectChoice("", "Semua"),
            SelectChoice("ya", "Ya (terbit sampai lunas)"),
            SelectChoice("tidak", "Tidak (ditolak, kedaluwarsa, batal)"),
        ],
        validate_choice=False,
    )

    def set_choices(
        self,
        opds: list[tuple[int, str]],
        categories: list[tuple[int, str]],
        kinds: list[tuple[int, str]] | None = None,
        kecamatan: list[tuple[int, str]] | None = None,
    ) -> None:
        self.opd.choices = _options("Semua OPD", opds)
        self.kategori.choices = _options("Semua kategori", categories)
        self.jenis.choices = _options("Semua jenis", kinds or [])
        self.kecamatan.choices = _options("Semua kecamatan", kecamatan or [])

    def _parsed(self, field: StringField | SelectField, parse: Callable[[Any], Any]) -> Any:
        try:
            return parse(field.data)
        except RuleError as exc:
            field.errors = [*field.errors, str(exc)]
            return None

    def to_filter(self) -> OrderFilter | None:
        """The filter, or None after putting a message on every field that needs fixing."""
        for field in self:
            field.errors = []
        start = self._parsed(self.dari, lambda t: rules.parse_filter_date(t, "Tanggal awal"))
        end = self._parsed(self.sampai, lambda t: rules.parse_filter_date(t, "Tanggal akhir"))
        if not self.dari.errors and not self.sampai.errors:
            self._parsed(self.sampai, lambda _: rules.check_period(start, end))
        status = (self.status.data or "").strip() or None
        if status is not None and status not in STATUS_LABELS:
            self.status.errors = ["Pilih status dari daftar."]
        scale = (self.skala.data or "").strip() or None
        if scale is not None and scale not in SCALE_CHOICES:
            self.skala.errors = ["Pilih skala usaha dari daftar."]
        found = OrderFilter(
            opd_id=_picked(self.opd, "OPD"),
            umkm=(self.umkm.data or "")[:200],
            category_id=_picked(self.kategori, "kategori"),
            issued_from=start,
            issued_to=end,
            status=status,
            is_override=self._parsed(self.override, lambda t: rules.parse_yes_no(t, "override")),
            is_late=self._parsed(self.terlambat, lambda t: rules.parse_yes_no(t, "terlambat")),
            kind_id=_picked(self.jenis, "jenis barang"),
            kecamatan_id=_picked(self.kecamatan, "kecamatan"),
            scale=scale,
            is_spend=self._parsed(self.belanja, lambda t: rules.parse_yes_no(t, "belanja")),
        )
        return None if self.errors_list() else found

    def errors_list(self) -> list[str]:
        return [message for field in self for message in field.errors]

    def args(self) -> dict[str, str]:
        """The non-empty filter values, to carry into pagination and export links."""
        return {f.name: str(f.data) for f in self if f.data not in (None, "")}


class FlagFilterForm(BaseForm):
    class Meta:
        csrf = False

    jenis = SelectField(
        "Jenis tanda",
        choices=[SelectChoice("", "Semua jenis")]
        + [SelectChoice(k, v) for k, v in rules.FLAG_KINDS.items()],
        validate_choice=False,
    )
    opd = SelectField("OPD", validate_choice=False)
    # The inspector home's to-do counts the flags of the last days and links here with it.
    sejak = StringField("Muncul sejak", widget=DateInput(), filters=[_strip])

    def set_opds(self, opds: list[tuple[int, str]]) -> None:
        self.opd.choices = _options("Semua OPD", opds)

    def values(self) -> tuple[str | None, int | None, dt.date | None] | None:
        """(kind, OPD id, first day), or None after putting a message on the field to fix."""
        kind = (self.jenis.data or "").strip() or None
        if kind is not None and kind not in rules.FLAG_KINDS:
            self.jenis.errors = ["Pilih jenis tanda dari daftar."]
            return None
        opd_id = _picked(self.opd, "OPD")
        if self.opd.errors:
            return None
        try:
            since = rules.parse_filter_date(self.sejak.data, "Tanggal muncul")
        except RuleError as exc:
            self.sejak.errors = [str(exc)]
            return None
        return kind, opd_id, since

    def args(self) -> dict[str, str]:
        return {f.name: str(f.data) for f in self if f.data not in (None, "")}
