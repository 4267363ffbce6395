"""Sessions end on the server: a copied session cookie dies at logout, at a password change or
reset, a role change and disabling; the CSRF token is new after login; every role, inspectors
included, changes its own password."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from procure.audit.models import AuditLog
from procure.auth.models import User
from procure.extensions import db
from tests import factories
from tests.browser import Browser, browser

HOME = {"admin": "/admin/", "opd": "/opd/", "umkm": "/umkm/", "inspector": "/katalog/"}
NEW_PASSWORD = "Sawah-Kenari-Lumbung-29"


@pytest.fixture
def client(app: Flask) -> Browser:
    return browser(app)


def _login(client: FlaskClient, email: str, password: str = factories.PASSWORD) -> None:
    response = client.post("/masuk", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)


def _copy(app: Flask, client: FlaskClient) -> FlaskClient:
    """A second browser holding a copy of the first one's session cookie (a stolen cookie)."""
    cookie = client.get_cookie("session")
    assert cookie is not None
    thief = browser(app)
    thief.set_cookie("session", cookie.value)
    return thief


def _logged_in(client: FlaskClient, role: str) -> bool:
    return client.get(HOME[role]).status_code == 200


def test_copied_cookie_works_until_logout(app: Flask, client: FlaskClient) -> None:
    user = factories.user("opd")
    db.session.commit()
    _login(client, user.email)
    thief = _copy(app, client)
    assert _logged_in(thief, "opd")  # the copy works while the session lives
    assert client.post("/keluar").status_code == 302
    assert not _logged_in(thief, "opd")
    assert thief.get("/opd/").headers["Location"].startswith("/masuk")


def test_password_change_ends_other_sessions_but_not_this_one(
    app: Flask, client: FlaskClient
) -> None:
    user = factories.user("umkm")
    db.session.commit()
    _login(client, user.email)
    thief = _copy(app, client)
    other_device = browser(app)
    _login(other_device, user.email)
    response = client.post(
        "/akun/kata-sandi",
        data={"current": factories.PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    assert _logged_in(client, "umkm")  # the device that changed it stays logged in
    assert not _logged_in(thief, "umkm")
    assert not _logged_in(other_device, "umkm")


def test_admin_reset_ends_the_accounts_sessions(app: Flask, client: FlaskClient) -> None:
    admin = factories.user("admin")
    officer = factories.user("opd")
    db.session.commit()
    _login(client, officer.email)
    admin_client = browser(app)
    _login(admin_client, admin.email)
    assert admin_client.post(f"/admin/akun/{officer.id}/sandi").status_code == 200
    assert not _logged_in(client, "opd")
    assert _logged_in(admin_client, "admin")


def test_disabling_ends_the_accounts_sessions(app: Flask, client: FlaskClient) -> None:
    admin = factories.user("admin")
    officer = factories.user("opd")
    db.session.commit()
    _login(client, officer.email)
    thief = _copy(app, client)
    admin_client = browser(app)
    _login(admin_client, admin.email)
    assert admin_client.post(f"/admin/akun/{officer.id}/status").status_code == 302
    assert not _logged_in(client, "opd")
    assert not _logged_in(thief, "opd")
    # Enabling the account again does not bring the old sessions back.
    assert admin_client.post(f"/admin/akun/{officer.id}/status").status_code == 302
    assert not _logged_in(thief, "opd")
    _login(client, officer.email)
    assert _logged_in(client, "opd")


def test_role_change_ends_the_accounts_sessions(app: Flask, client: FlaskClient) -> None:
    """No page changes a role today; whatever code does (the command line, a future form),
    the account's sessions end with it."""
    user = factories.user("inspector")
    db.session.commit()
    _login(client, user.email)
    thief = _copy(app, client)
    stored = db.session.get(User, user.id)
    assert stored is not None
    stored.role = "admin"
    db.session.commit()
    assert not _logged_in(client, "admin")  # sent to log in, not let in as admin
    assert not _logged_in(thief, "admin")
    _login(client, user.email)
    assert _logged_in(client, "admin")


def test_unchanged_fields_keep_the_session(app: Flask, client: FlaskClient) -> None:
    user = factories.user("opd")
    db.session.commit()
    _login(client, user.email)
    stored = db.session.get(User, user.id)
    assert stored is not None
    stored.full_name = "Nama Baru"
    stored.role = "opd"  # the same value again
    db.session.commit()
    assert _logged_in(client, "opd")


def _csrf_token(html: str) -> str:
    match = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html)
    assert match is not None, html
    return match.group(1)


def test_csrf_token_is_new_after_login(app: Flask, client: FlaskClient) -> None:
    user = factories.user("opd")
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    before = _csrf_token(client.get("/masuk").get_data(as_text=True))
    response = client.post(
        "/masuk", data={"email": user.email, "password": factories.PASSWORD, "csrf_token": before}
    )
    assert response.status_code == 302
    after = _csrf_token(client.get("/akun/kata-sandi").get_data(as_text=True))
    assert after != before
    # The token read before login no longer passes: a page planted before login cannot post.
    stale = client.post(
        "/akun/kata-sandi",
        data={
            "current": factories.PASSWORD,
            "new": NEW_PASSWORD,
            "confirm": NEW_PASSWORD,
            "csrf_token": before,
        },
    )
    assert stale.status_code == 400


def test_inspector_changes_own_password(client: FlaskClient) -> None:
    inspector = factories.user("inspector")
    db.session.commit()
    _login(client, inspector.email)
    response = client.post(
        "/akun/kata-sandi",
        data={"current": factories.PASSWORD, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD},
    )
    assert response.status_code == 302
    db.session.expire_all()
    stored = db.session.get(User, inspector.id)
    assert stored is not None and stored.check_password(NEW_PASSWORD)
    assert db.session.scalars(select(AuditLog.action)).all() == ["user.password"]
    # Still read-only everywhere else.
    assert client.post("/admin/opd/baru", data={"name": "Coba"}).status_code == 403


def test_weak_new_password_is_refused_with_advice(client: FlaskClient) -> None:
    user = factories.user("opd", email="budi.santoso@contoh.go.id", full_name="Budi Santoso")
    db.session.commit()
    _login(client, user.email)
    for weak in ("password12", "qwerty1234", "Sukamaju2026", "\u200b" * 10, "BudiSantoso2026"):
        html = client.post(
            "/akun/kata-sandi", data={"current": factories.PASSWORD, "new": weak, "confirm": weak}
        ).get_data(as_text=True)
        assert "terlalu mudah ditebak" in html or "tidak terlihat" in html, weak
    db.session.expire_all()
    stored = db.session.get(User, user.id)
    assert stored is not None and stored.check_password(factories.PASSWORD)
