"""Login, logout, home redirect, password change and password reset."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import (
    Blueprint,
    current_app,
    flash,
    g,
    make_response,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_required, login_user, logout_user
from werkzeug.wrappers import Response

from procure.auth import reset
from procure.auth.forms import ForgotForm, LoginForm, PasswordForm, ResetForm
from procure.auth.models import Role, User
from procure.auth.services import (
    LoginResult,
    authenticate,
    change_password,
    end_sessions,
    login_limits,
    purge_login_counters,
)
from procure.edge import Outcome, attempt
from procure.extensions import db, login_manager
from procure.formatting import akhiri_kalimat
from procure.links import public_link

bp = Blueprint("auth", __name__)

HOME_BY_ROLE = {
    Role.ADMIN: "admin.dashboard",
    Role.OPD: "opd.home",
    Role.UMKM: "umkm.home",
    # The portal: new red flags first, the pemerataan dashboard one link away.
    Role.INSPECTOR: "inspection.home",
}


@login_manager.user_loader
def load_user(token: str) -> User | None:
    """The session's user, if its session still counts (``User.get_id``: id and session
    version). Logout, a new password, a role change or disabling raise the version, so
    every copy of an older session cookie is logged out at its next request."""
    user_id, _, version = token.partition(":")
    if not (user_id.isdigit() and version.isdigit()):
        return None  # a session from before versions: log in again
    user = db.session.get(User, int(user_id))
    if user is None or not user.is_enabled or user.session_version != int(version):
        return None
    return user


def start_session(user: User) -> None:
    """Log the user in with a new CSRF token: one read before login must not stay valid."""
    session.pop(current_app.config.get("WTF_CSRF_FIELD_NAME", "csrf_token"), None)
    g.pop("csrf_token", None)
    login_user(user)


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
        limits = login_limits(
            current_app.config["LOGIN_MAX_FAILURES"], current_app.config["LOGIN_WINDOW_MINUTES"]
        )
        # A failed login is a result, not a refusal: its counters are committed too (the
        # attempt itself was counted before the password was checked).
        # The client's address: with PROCURE_PROXY_COUNT set, ProxyFix has put the address
        # the trusted proxies saw here (create_app); a forged X-Forwarded-For never is.
        result = _login_result(
            attempt(
                lambda: authenticate(
                    db.session,
                    form.email.data or "",
                    form.password.data or "",
                    request.remote_addr or "-",
                    limits,
                )
            )
        )
        if result.user is not None:
            attempt(lambda: purge_login_counters(db.session))
            start_session(result.user)
            flash(akhiri_kalimat(f"Selamat datang, {result.user.full_name}"), "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("auth.index"))
        flash(result.error or "Gagal masuk.", "danger")
    return render_template("auth/login.html", form=form)


def _login_result(outcome: Outcome[LoginResult]) -> LoginResult:
    """What the login gave; a refused input (a rule the e-mail breaks) reads as a failure."""
    return outcome.value or LoginResult(None, outcome.error)


@bp.route("/keluar", methods=["POST"])
@login_required
def logout() -> Response:
    attempt(lambda: end_sessions(db.session, current_user))
    logout_user()
    flash("Anda sudah keluar.", "info")
    return redirect(url_for("auth.login"))


@bp.route("/akun/kata-sandi", methods=["GET", "POST"])
@login_required
def password() -> Response | str:
    form = PasswordForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: change_password(
                db.session, current_user, form.current.data or "", form.new.data or ""
            )
        )
        if not outcome.ok:
            flash(outcome.error or "", "danger")
        else:
            # Every other session of the account has ended; this device stays logged in.
            start_session(current_user._get_current_object())
            flash("Kata sandi sudah diganti. Sesi di perangkat lain sudah diakhiri.", "success")
            return redirect(url_for("auth.index"))
    return render_template("auth/password.html", form=form)


# -- password reset ----------------------------------------------------------------------------


def reset_link_settings() -> reset.LinkSettings:
    """How a reset link is made: absolute, from the platform's public address
    (``PUBLIC_BASE_URL``, as the documents' QR codes), never from the request's Host header."""
    config = current_app.config

    def link_for(token: str) -> str:
        return public_link(config, url_for("auth.reset_password", token=token))

    return reset.LinkSettings(
        minutes=int(config["PASSWORD_RESET_MINUTES"]),
        link_for=link_for,
        pemda_name=str(config["PEMDA_NAME"]),
    )


def _private(page: str) -> Response:
    """A page about a secret link: never cached, and its URL is never sent on as a referrer."""
    response = make_response(page)
    response.headers["Cache-Control"] = "no-store"
    response.headers["Referrer-Policy"] = "no-referrer"
    return response


@bp.route("/lupa-sandi", methods=["GET", "POST"])
def forgot_password() -> Response | str:
    if current_user.is_authenticated:
        return redirect(url_for("auth.index"))
    form = ForgotForm()
    if form.validate_on_submit():
        outcome = attempt(
            lambda: reset.request_link(
                db.session,
                form.email.data or "",
                request.remote_addr or "-",
                reset.reset_limits(current_app.config["LOGIN_WINDOW_MINUTES"]),
                reset_link_settings(),
            )
        )
        if outcome.ok:
            flash(outcome.value or "", "info")
            return redirect(url_for("auth.login"))
        flash(outcome.error or "", "danger")
    return render_template("auth/forgot.html", form=form)


@bp.route("/atur-sandi/<token>", methods=["GET", "POST"])
def reset_password(token: str) -> Response:
    if current_user.is_authenticated:
        return redirect(url_for("auth.index"))
    form = ResetForm()
    found = reset.valid_token(db.session, token)
    valid = found is not None
    email = found.user.email if found is not None else None
    if valid and form.validate_on_submit():
        outcome = attempt(lambda: reset.reset_password(db.session, token, form.new.data or ""))
        if outcome.ok:
            flash("Kata sandi baru sudah disimpan. Silakan masuk dengan kata sandi itu.", "success")
            return redirect(url_for("auth.login"))
        if outcome.error == reset.INVALID_LINK:
            valid = False
        else:
            form.new.errors = [*form.new.errors, outcome.error or ""]
    return _private(
        render_template(
            "auth/reset.html",
            form=form,
            valid=valid,
            email=email,
            invalid_message=reset.INVALID_LINK,
        )
    )
