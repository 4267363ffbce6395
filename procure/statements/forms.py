"""Forms of the statement pages: the UMKM's request, the admin's decision, the bank's check."""

from __future__ import annotations

from wtforms import StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from procure.forms_base import BaseForm, IdDateField


class StatementRequestForm(BaseForm):
    period_start = IdDateField(
        "Periode dari tanggal", validators=[DataRequired("Isi tanggal awal periode.")]
    )
    period_end = IdDateField(
        "Sampai tanggal", validators=[DataRequired("Isi tanggal akhir periode.")]
    )
    purpose = StringField(
        "Keperluan (tidak wajib)",
        validators=[Optional(), Length(max=200, message="Keperluan paling banyak 200 karakter.")],
    )


class DecisionForm(BaseForm):
    """Approve: only the CSRF token. Reject: a reason."""

    reason = TextAreaField(
        "Alasan penolakan",
        validators=[Optional(), Length(max=1000, message="Alasan paling banyak 1000 karakter.")],
    )


class AccessCodeForm(BaseForm):
    """Make (or replace) the access code: only the CSRF token."""


class VerifyStatementForm(BaseForm):
    code = StringField(
        "Kode akses",
        validators=[
            DataRequired("Isi kode akses yang diberikan pemilik usaha."),
            Length(max=40, message="Kode akses terdiri dari 12 huruf dan angka."),
        ],
    )
    checker = StringField(
        "Nama bank / petugas (tidak wajib)",
        validators=[Optional(), Length(max=200, message="Paling banyak 200 karakter.")],
    )
