"""Forms of the admin omzet pages: the import upload and the compliance filters."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField

from procure.forms_base import BaseForm


class ImportForm(BaseForm):
    file = FileField(
        "Berkas omzet (CSV atau XLSX)",
        validators=[FileRequired("Pilih berkas CSV atau XLSX yang akan diimpor.")],
        render_kw={
            "accept": ".csv,.xlsx,text/csv,"
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        },
    )
    # On for the first try: the admin sees the counts before anything is written.
    dry_run = BooleanField("Periksa saja (belum disimpan)", default=True)


class ComplianceFilterForm(BaseForm):
    """Read from the query string: no CSRF token (it changes nothing)."""

    class Meta:
        csrf = False

    kecamatan = SelectField("Kecamatan", validate_choice=False)
    category = SelectField("Kategori", validate_choice=False)

    def set_choices(
        self, kecamatan: list[tuple[int, str]], categories: list[tuple[int, str]]
    ) -> None:
        self.kecamatan.choices = [("", "Semua kecamatan")] + [(str(i), n) for i, n in kecamatan]
        self.category.choices = [("", "Semua kategori")] + [(str(i), n) for i, n in categories]

    @staticmethod
    def _id(value: str | None, choices: list[tuple[str, str]]) -> int | None:
        return int(value) if value and value in {c for c, _ in choices} else None

    @property
    def kecamatan_id(self) -> int | None:
        return self._id(self.kecamatan.data, self.kecamatan.choices)  # type: ignore[arg-type]

    @property
    def category_id(self) -> int | None:
        return self._id(self.category.data, self.category.choices)  # type: ignore[arg-type]
