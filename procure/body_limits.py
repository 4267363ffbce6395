"""How large a request body each kind of route accepts; past it, 413 in Indonesian.

Most routes take a form of a few kilobytes (``FORM_MAX_BYTES``); the routes that take a file
get that file's own limit plus room for the form around it. The limit is set on the request
before anything reads the body (before the CSRF check, which reads the form), so a large body
is refused without being parsed or held in memory.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Flask, request

# Endpoint -> the setting that limits its file.
UPLOAD_LIMITS = {
    "omzet.import_upload": "OMZET_IMPORT_MAX_BYTES",
    "umkm.product_new": "PHOTO_MAX_BYTES",
    "umkm.product_edit": "PHOTO_MAX_BYTES",
    "orders.order_deliver": "PHOTO_MAX_BYTES",
    "documents.verify_upload": "VERIFY_UPLOAD_MAX_BYTES",
    "documents.verify_any": "VERIFY_UPLOAD_MAX_BYTES",
}
FORM_AROUND_FILE = 256 * 1024  # the other fields and the multipart boundaries


def body_limit(endpoint: str | None, config: Mapping[str, Any]) -> int:
    """The largest body, in bytes, that this endpoint accepts."""
    setting = UPLOAD_LIMITS.get(endpoint or "")
    if setting is None:
        return int(config["FORM_MAX_BYTES"])
    return int(config[setting]) + FORM_AROUND_FILE


def too_large_message(limit: int | None) -> str:
    if not limit:
        return "Data yang dikirim terlalu besar. Kecilkan berkas lalu coba lagi."
    size = f"{limit / (1024 * 1024):.1f}".replace(".", ",") + " MB"
    if limit < 1024 * 1024:
        size = f"{limit // 1024} KB"
    return (
        f"Data yang dikirim terlalu besar: halaman ini menerima paling banyak {size}. "
        "Kecilkan berkas (atau pecah menjadi beberapa berkas) lalu kirim lagi."
    )


def init_app(app: Flask) -> None:
    def limit_body() -> None:
        request.max_content_length = body_limit(request.endpoint, app.config)

    # First of all before-request functions: the CSRF check reads the form.
    app.before_request_funcs.setdefault(None, []).insert(0, limit_body)
