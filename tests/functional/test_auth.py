"""Login, logout, throttling, CSRF and error pages through the real forms."""

from __future__ import annotations

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select

from procure.auth.models import LoginAttempt, User
from procure.extensions import db
from tests import factories


def test_login_sends_each_role_home(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    expected = {"admin": "/admin/", "opd": "/opd/", "umkm": "/umkm/", "inspector": "/pemeriksaan/"}
    users = {role: factories.user(role) for role in expected}
    db.session.commit()
    for role, home in expected.items():
        response = auth.login(users[role].email)
        assert response.status_code == 302
        assert client.get("/").headers["Location"] == home
        auth.logout()


def test_wrong_password_says_so_and_records_the_attempt(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = factories.user("admin")
    db.session.commit()
    response = auth.login(user.email, "salah-sekali-123")
    assert response.status_code == 200
    assert "E-mail atau kata sandi salah." in response.get_data(as_text=True)
    attempts = db.session.scalars(select(LoginAttempt)).all()
    assert [(a.email, a.is_success) for a in attempts] == [(user.email, False)]


def test_email_is_case_insensitive(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = factories.user("admin", email="budi@sukamaju.go.id")
    db.session.commit()
    assert auth.login("  Budi@Sukamaju.go.id ").status_code == 302
    assert client.get("/admin/").status_code == 200  # logged in as Budi
    db.session.expire_all()  # read the login time as stored, not the copy this session holds
    assert db.session.get(User, user.id).last_login_at is not None


def test_five_failures_pause_even_the_right_password(app: Flask, client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = factories.user("opd")
    db.session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES"]):
        auth.login(user.email, "tebakan-salah-1")
    response = auth.login(user.email)
    assert response.status_code == 200
    assert "Terlalu banyak percobaan" in response.get_data(as_text=True)
    assert client.get("/opd/").status_code == 302  # still not logged in
    # The pause is per account: a colleague on the same office network still gets in.
    other = factories.user("opd")
    db.session.commit()
    assert auth.login(other.email).status_code == 302


def test_disabled_account_cannot_log_in(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = factories.user("opd", is_enabled=False)
    db.session.commit()
    response = auth.login(user.email)
    assert "dinonaktifkan" in response.get_data(as_text=True)


def test_next_parameter_cannot_leave_the_site(client: FlaskClient) -> None:
    user = factories.user("admin")
    db.session.commit()
    for target, expected in [
        ("https://evil.example/x", "/"),
        ("//evil.example", "/"),
        ("/admin/", "/admin/"),
    ]:
        response = client.post(
            f"/masuk?next={target}", data={"email": user.email, "password": factories.PASSWORD}
        )
        assert response.headers["Location"] == expected
        client.post("/keluar")


def test_logout_needs_post(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = factories.user("admin")
    db.session.commit()
    auth.login(user.email)
    assert client.get("/keluar").status_code == 405
    assert client.post("/keluar").status_code == 302
    assert client.get("/admin/").status_code == 302


def test_missing_csrf_token_is_refused(app: Flask, client: FlaskClient) -> None:
    user = factories.user("admin")
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    response = client.post("/masuk", data={"email": user.email, "password": factories.PASSWORD})
    assert response.status_code == 400
    assert "token CSRF" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 0


def test_password_change(client: FlaskClient, auth) -> None:  # type: ignore[no-untyped-def]
    user = factories.user("umkm")
    db.session.commit()
    auth.login(user.email)
    weak = client.post(
        "/akun/kata-sandi",
        data={"current": factories.PASSWORD, "new": "pendek", "confirm": "pendek"},
    )
    assert "minimal 10 karakter" in weak.get_data(as_text=True)
    ok = client.post(
        "/akun/kata-sandi",
        data={"current": factories.PASSWORD, "new": "BaruSekali2026", "confirm": "BaruSekali2026"},
    )
    assert ok.status_code == 302
    auth.logout()
    assert auth.login(user.email, "BaruSekali2026").status_code == 302


def test_passwords_are_hashed_with_scrypt(app: Flask) -> None:
    from procure.auth.services import create_user

    user = create_user(
        db.session,
        email="x@sukamaju.go.id",
        password="Kenari-Lumbung-Sawah-31",
        full_name="X",
        role="inspector",
        actor_id=None,
    )
    assert user.password_hash.startswith("scrypt:")
    assert "Kenari-Lumbung-Sawah-31" not in user.password_hash


def test_error_pages_are_indonesian(client: FlaskClient) -> None:
    response = client.get("/tidak-ada-halaman-ini")
    assert response.status_code == 404
    assert "Halaman tidak ditemukan" in response.get_data(as_text=True)


def test_anonymous_users_are_sent_to_login(client: FlaskClient) -> None:
    response = client.get("/katalog/")
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/masuk?next=")


def test_security_headers(client: FlaskClient) -> None:
    response = client.get("/masuk")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert "default-src 'self'" in response.headers["Content-Security-Policy"]
