"""Login, logout, home redirect and password change."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from procure.auth.forms import LoginForm, PasswordForm
from procure.auth.models import Role, User
from procure.auth.services import AccountError, authenticate, change_password
from procure.extensions import db, login_manager

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = {
    Role.ADMIN: "admin.dashboard",
    Role.OPD: "opd.home",
    Role.UMKM: "umkm.home",
    Role.INSPECTOR: "catalog.index",
}


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The session's user; a disabled account is logged out at its next request."""
    user = db.session.get(User, int(user_id))
    return user if user is not None and user.is_enabled else None


def _safe_next(target: str | None) -> str | None:
    """Only same-site paths: an open redirect would let a phishing link borrow our login."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not target.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/")
def index() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for(HOME_BY_ROLE[Role(current_user.role)]))
    return render_template("auth/landing.html")


@bp.route("/masuk", methods=["GET", "POST"])
def login() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("auth.index"))
    form = LoginForm()
    if form.validate_on_submit():
        result = authenticate(
            db.session,
            form.email.data or "",
            form.password.data or "",
            request.remote_addr or "-",
            current_app.config["LOGIN_MAX_FAILURES"],
            current_app.config["LOGIN_WINDOW_MINUTES"],
        )
        db.session.commit()
        if result.user is not None:
            login_user(result.user)
            flash(f"Selamat datang, {result.user.full_name}.", "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("auth.index"))
        flash(result.error or "Gagal masuk.", "danger")
    return render_template("auth/login.html", form=form)


@bp.route("/keluar", methods=["POST"])
@login_required
def logout() -> Response:
    logout_user()
    flash("Anda sudah keluar.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
def password() -> Response | str:
    form = PasswordForm()
    if form.validate_on_submit():
        try:
            change_password(db.session, current_user, form.current.data or "", form.new.data or "")
        except AccountError as exc:
            flash(str(exc), "danger")
        else:
            db.session.commit()
            flash("Kata sandi sudah diganti.", "success")
            return redirect(url_for("auth.index"))
    return render_template("auth/password.html", form=form)
