"""Forms of the documents pages: the list's filter, the verification upload and the kop's
coat of arms."""

from __future__ import annotations

from typing import Any

from flask_wtf.file import FileField, FileRequired
from wtforms import BooleanField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Optional

from procure.documents.models import DocumentStatus
from procure.documents.numbering import DocumentKind
from procure.forms_base import BaseForm, IdDateField

KIND_CHOICES = [SelectChoice("", "Semua jenis")] + [
    SelectChoice(k.value, k.label) for k in DocumentKind
]
STATUS_CHOICES = [SelectChoice("", "Semua status")] + [
    SelectChoice(s.value, s.label) for s in DocumentStatus
]


class DocumentFilterForm(BaseForm):
    """GET filters; not a write, so no CSRF token."""

    class Meta:
        csrf = False

    kind = SelectField("Jenis dokumen", choices=KIND_CHOICES, default="")
    opd = SelectField("OPD", choices=[SelectChoice("", "Semua OPD")], default="")
    umkm = StringField("UMKM (nama usaha)", validators=[Optional()])
    status = SelectField("Status", choices=STATUS_CHOICES, default="")
    start = IdDateField("Terbit sejak", validators=[Optional()])
    end = IdDateField("Terbit sampai", validators=[Optional()])

    def set_opd_choices(self, pairs: list[tuple[Any, str]]) -> None:
        self.opd.choices = [SelectChoice("", "Semua OPD")] + [
            SelectChoice(str(k), v) for k, v in pairs
        ]

    def validate(self, extra_validators: Any = None) -> bool:
        ok = super().validate(extra_validators)
        if self.start.data and self.end.data and self.start.data > self.end.data:
            self.end.errors = [*self.end.errors, "Tanggal akhir harus sesudah tanggal awal."]
            ok = False
        return ok


class VerifyUploadForm(BaseForm):
    pdf = FileField(
        "Berkas PDF yang ingin diperiksa",
        validators=[FileRequired("Pilih berkas PDF dulu.")],
    )


class EmblemUploadForm(BaseForm):
    image = FileField(
        "Berkas lambang (PNG atau SVG)",
        validators=[FileRequired("Pilih berkas gambar lambang dulu.")],
    )


class EmblemRemoveForm(BaseForm):
    confirm = BooleanField(
        "Ya, dokumen baru dicetak tanpa lambang",
        validators=[DataRequired("Centang konfirmasi untuk melepas lambang.")],
    )
