"""Cross-cutting web concerns: template filters, error pages, security headers, role guards."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar

from flask import Flask, abort, render_template, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from procure import body_limits, form_errors, formatting
from procure.extensions import db, login_manager

F = TypeVar("F", bound=Callable[..., Any])

ERROR_TITLES = {
    400: "Permintaan tidak valid",
    403: "Akses ditolak",
    404: "Halaman tidak ditemukan",
    405: "Metode tidak diizinkan",
    413: "Berkas terlalu besar",
    500: "Terjadi kesalahan pada server",
}
ERROR_TEXTS = {
    400: "Permintaan tidak dapat diproses. Muat ulang halaman lalu coba lagi.",
    403: "Akun Anda tidak memiliki hak untuk membuka halaman ini.",
    404: "Alamat yang Anda buka tidak ada atau sudah dipindahkan.",
    405: "Halaman ini tidak menerima cara pengiriman tersebut.",
    413: "Berkas yang diunggah melebihi batas ukuran. Kecilkan berkas lalu coba lagi.",
    500: "Maaf, ada kesalahan di sisi kami. Perubahan Anda tidak disimpan; silakan coba lagi.",
}


# POSTs that change nothing, open to inspectors too: logging out, checking an uploaded PDF.
READ_ONLY_POSTS = ("auth.logout", "documents.verify_upload", "documents.verify_any")
# An inspector's own account is his to keep: every role changes its own password.
OWN_ACCOUNT_POSTS = ("auth.password",)


def require_roles(*roles: str) -> Callable[[], Any]:
    """A ``before_request`` guard: the blueprint is for logged-in users of these roles only."""

    def guard() -> Any:
        if not current_user.is_authenticated:
            # Flask-Login redirects to the login page and remembers where the user was going.
            return login_manager.unauthorized()
        if current_user.role not in roles:
            abort(403)
        return None

    return guard


def roles_required(*roles: str) -> Callable[[F], F]:
    """Decorator form of ``require_roles`` for a single view."""

    def decorator(view: F) -> F:
        @wraps(view)
        def wrapped(*args: Any, **kwargs: Any) -> Any:
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped  # type: ignore[return-value]

    return decorator


def render_error(code: int, message: str | None = None) -> tuple[str, int]:
    return (
        render_template(
            "errors/error.html",
            code=code,
            title=ERROR_TITLES.get(code, "Kesalahan"),
            message=message or ERROR_TEXTS.get(code, ""),
        ),
        code,
    )


def init_app(app: Flask) -> None:
    login_manager.login_view = "auth.login"
    login_manager.login_message = "Silakan masuk terlebih dahulu untuk membuka halaman itu."
    login_manager.login_message_category = "warning"
    login_manager.session_protection = "strong"

    app.jinja_env.filters["rupiah"] = formatting.rupiah
    app.jinja_env.filters["angka"] = formatting.number
    app.jinja_env.filters["tanggal"] = formatting.tanggal
    app.jinja_env.filters["waktu"] = formatting.waktu
    # Identifiers as Indonesians write them (digits grouped, none lost).
    app.jinja_env.filters["nip"] = formatting.nip
    app.jinja_env.filters["npwp"] = formatting.npwp
    app.jinja_env.filters["telepon"] = formatting.telepon
    app.jinja_env.filters["akhiri_kalimat"] = formatting.akhiri_kalimat  # "S.E." takes no 2nd "."
    app.jinja_env.globals["error_summary_once"] = form_errors.summary_once

    @app.context_processor
    def inject_globals() -> dict[str, Any]:
        return {"pemda_name": app.config["PEMDA_NAME"], "pemda_city": app.config["PEMDA_CITY"]}

    _register_error_pages(app)

    @app.before_request
    def inspectors_read_only() -> None:
        """An inspector reads everything and changes nothing, whatever a page forgets."""
        if (
            current_user.is_authenticated
            and current_user.role == "inspector"
            and request.method not in ("GET", "HEAD", "OPTIONS")
            and request.endpoint not in READ_ONLY_POSTS
            and request.endpoint not in OWN_ACCOUNT_POSTS
        ):
            abort(403)

    @app.after_request
    def security_headers(response: Any) -> Any:
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("X-Frame-Options", "DENY")
        response.headers.setdefault("Referrer-Policy", "same-origin")
        # Every asset is served locally; nothing may load from elsewhere.
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
            "frame-ancestors 'none'; form-action 'self'",
        )
        if request.is_secure:
            response.headers.setdefault(
                "Strict-Transport-Security", "max-age=31536000; includeSubDomains"
            )
        return response


def _register_error_pages(app: Flask) -> None:
    """Every error answers with an Indonesian page; a 500 rolls back what the request began."""
    for code in ERROR_TITLES:
        if code in (413, 500):
            continue
        app.register_error_handler(code, lambda e, c=code: render_error(c))

    @app.errorhandler(413)
    def too_large(error: Exception) -> tuple[str, int]:
        return render_error(413, body_limits.too_large_message(request.max_content_length))

    @app.errorhandler(CSRFError)
    def csrf_error(error: CSRFError) -> tuple[str, int]:
        return render_error(
            400,
            "Formulir kedaluwarsa atau tidak sah (token CSRF). Muat ulang halaman lalu kirim lagi.",
        )

    @app.errorhandler(500)
    def server_error(error: Exception) -> tuple[str, int]:
        db.session.rollback()
        return render_error(500)
