"""What the request itself carries, checked before any view: the guard, ids in the URL, pages.

- A control character or bidi override in the path, a query parameter (name or value), a
  form field's name, an uploaded file's name, or a form value that no form field checks (see
  ``forms_base.FORM_FIELD_NAMES``) is answered 400 with an Indonesian page (JSON for the open
  data API). Form fields give their own message under the field instead.
- ``<int:...>`` in a route accepts only what an INTEGER id column holds: a larger number is
  "not found", never an overflow in the query (nor int() of 5,000 digits).
- ``paginate`` reads the page through ``input_rules.parse_page``: every list page, one rule.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify, request
from werkzeug.routing import IntegerConverter, Map, ValidationError

from procure.extensions import db
from procure.forms_base import FORM_FIELD_NAMES
from procure.input_rules import INT32_MAX, forbidden_character, has_control, parse_page
from procure.web import render_error

QUERY_MESSAGE = (
    "Alamat halaman ini berisi karakter tersembunyi yang tidak diizinkan (misalnya %00). "
    "Buka halaman dari menunya lalu pilih filternya lagi."
)
FORM_MESSAGE = (
    "Formulir yang dikirim berisi karakter tersembunyi yang tidak diizinkan. Muat ulang "
    "halaman lalu isi formulirnya lagi."
)
FILE_MESSAGE = (
    "Nama berkas yang diunggah berisi karakter tersembunyi. Ganti nama berkasnya (huruf, angka, "
    "titik, tanda hubung) lalu unggah lagi."
)


class IdConverter(IntegerConverter):
    """``<int:...>``: 0 to INT32_MAX, at most 10 digits (checked before int() is called)."""

    def __init__(
        self,
        map: Map,
        fixed_digits: int = 0,
        min: int | None = None,
        max: int | None = None,
        signed: bool = False,
    ) -> None:
        super().__init__(map, fixed_digits, min, INT32_MAX if max is None else max, signed)

    def to_python(self, value: str) -> Any:
        if len(value) > len(str(INT32_MAX)) or not value.isascii():
            raise ValidationError()
        return super().to_python(value)


def _field_name_checked_by_a_form(key: str) -> bool:
    # Two forms on one page carry a prefix: "kec-name".
    return key in FORM_FIELD_NAMES or key.partition("-")[2] in FORM_FIELD_NAMES


def refusal() -> str | None:
    """The message for a request that carries what no page accepts; None when it is clean."""
    if has_control(request.path):
        return QUERY_MESSAGE
    for key, value in request.args.items(multi=True):
        if has_control(key) or has_control(value):
            return QUERY_MESSAGE
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return None
    for key, value in request.form.items(multi=True):
        if has_control(key):
            return FORM_MESSAGE
        if not _field_name_checked_by_a_form(key) and forbidden_character(value, multiline=True):
            return FORM_MESSAGE
    for key, upload in request.files.items(multi=True):
        if has_control(key) or has_control(upload.filename or ""):
            return FILE_MESSAGE
    return None


def page_arg() -> int:
    """The ``page`` query parameter of a list: 1 to ``MAX_PAGE``, anything odd is 1."""
    return parse_page(request.args.get("page"))


def paginate(stmt: Any, per_page: int) -> Any:
    """A Flask-SQLAlchemy page of ``stmt`` (out of range: an empty page, never a 404 or 500).

    The page is always given: left out, Flask-SQLAlchemy would read ``page`` itself, unbounded.
    """
    return db.paginate(stmt, page=page_arg(), per_page=per_page, error_out=False)


def init_app(app: Flask) -> None:
    """Before any blueprint is registered: the converter applies to the rules added after."""
    app.url_map.converters["int"] = IdConverter

    @app.before_request
    def refuse_hidden_characters() -> Any:
        message = refusal()
        if message is None:
            return None
        if request.blueprint == "opendata":
            return jsonify({"error": message}), 400
        return render_error(400, message)
