"""Password reset by e-mail link: the same answer for any e-mail, a link that works once and
for a while, older links void, other sessions logged out, throttled, audited; and the admin's
"Kirim tautan sandi" beside the temporary password."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from flask import Flask
from sqlalchemy import func, select

from procure import clock
from procure.audit.models import AuditLog
from procure.auth.models import PasswordResetToken, User
from procure.auth.reset import hash_token
from procure.extensions import db
from procure.notify.models import OutboxMessage
from tests import factories
from tests.browser import Browser, browser

NEW = "Kopi Tubruk Pagi Hari 2026"
FORGOT = "/lupa-sandi"
SAME_ANSWER = "Jika alamat itu terdaftar, tautan atur ulang sudah dikirim"
LINK = re.compile(r"(https?://\S+/atur-sandi/([A-Za-z0-9_\-]+))")


@pytest.fixture
def client(app: Flask) -> Browser:
    return browser(app)


def count(model: type) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model)) or 0


def ask(client: Browser, email: str, address: str = "198.51.100.7") -> str:
    response = client.post(
        FORGOT, data={"email": email}, environ_base={"REMOTE_ADDR": address}, follow_redirects=True
    )
    assert response.status_code == 200
    return response.get_data(as_text=True)


def mailed_links(email: str) -> list[tuple[str, str]]:
    """(link, token) of each reset e-mail queued for ``email``, oldest first."""
    db.session.expire_all()
    bodies = db.session.scalars(
        select(OutboxMessage.body)
        .where(OutboxMessage.recipient == email, OutboxMessage.topic == "password.reset")
        .order_by(OutboxMessage.id)
    )
    return [LINK.search(body).groups() for body in bodies]  # type: ignore[union-attr]


def set_new(client: Browser, token: str, password: str = NEW) -> str:
    response = client.post(
        f"/atur-sandi/{token}", data={"new": password, "confirm": password}, follow_redirects=True
    )
    return response.get_data(as_text=True)


def test_login_page_links_to_forgot_password(client: Browser) -> None:
    page = client.get("/masuk").get_data(as_text=True)
    assert 'href="/lupa-sandi"' in page and "Lupa kata sandi?" in page


def test_known_and_unknown_email_get_the_same_answer_only_one_gets_mail(
    app: Flask, client: Browser
) -> None:
    user = factories.user("opd", email="pejabat@sukamaju.go.id")
    db.session.commit()
    known = ask(client, "Pejabat@Sukamaju.go.id ")
    unknown = ask(client, "tidak.ada@sukamaju.go.id")
    assert SAME_ANSWER in known and SAME_ANSWER in unknown
    strip = re.compile(r'name="csrf_token"[^>]*>')
    assert strip.sub("", known) == strip.sub("", unknown)
    assert count(OutboxMessage) == 1
    message = db.session.scalar(select(OutboxMessage))
    assert message is not None
    assert message.recipient == user.email and message.user_id == user.id
    assert message.channel == "email" and message.subject
    token_row = db.session.scalar(select(PasswordResetToken))
    assert token_row is not None and message.dedupe_key == f"password.reset:{token_row.id}"
    ((link, token),) = mailed_links(user.email)
    # absolute, from the platform's public address (not the request's host)
    assert link.startswith(str(app.config["PUBLIC_BASE_URL"]).rstrip("/") + "/atur-sandi/")
    assert token_row.token_hash == hash_token(token) and token not in token_row.token_hash
    assert len(token) >= 40


def test_base_url_setting_starts_the_link(app: Flask, client: Browser) -> None:
    app.config["PUBLIC_BASE_URL"] = "https://katalog.sukamaju.go.id/"
    user = factories.user("umkm")
    db.session.commit()
    ask(client, user.email)
    ((link, _),) = mailed_links(user.email)
    assert link.startswith("https://katalog.sukamaju.go.id/atur-sandi/")


def test_a_forged_host_header_does_not_change_the_link(app: Flask, client: Browser) -> None:
    app.config["PUBLIC_BASE_URL"] = "https://katalog.sukamaju.go.id"
    user = factories.user("umkm")
    db.session.commit()
    forged = {"Host": "penipu.example"}
    client.get(FORGOT, headers=forged)
    response = client.post(FORGOT, data={"email": user.email}, headers=forged)
    assert response.status_code in (200, 302, 303)
    ((link, _),) = mailed_links(user.email)
    assert link.startswith("https://katalog.sukamaju.go.id/atur-sandi/")


def test_link_works_once_and_ends_other_sessions(app: Flask, client: Browser) -> None:
    user = factories.user("umkm")
    db.session.commit()
    other_device = browser(app)
    assert (
        other_device.post(
            "/masuk", data={"email": user.email, "password": factories.PASSWORD}
        ).status_code
        == 302
    )
    assert other_device.get("/umkm/").status_code == 200
    ask(client, user.email)
    ((_, token),) = mailed_links(user.email)
    form = client.get(f"/atur-sandi/{token}")
    assert form.status_code == 200 and user.email in form.get_data(as_text=True)
    assert form.headers["Referrer-Policy"] == "no-referrer"
    assert "no-store" in form.headers["Cache-Control"]

    weak = set_new(client, token, "pendek")
    assert "minimal 10 karakter" in weak  # the password rules apply; the link still works
    done = set_new(client, token)
    assert "Kata sandi baru sudah disimpan" in done

    assert other_device.get("/umkm/").status_code == 302  # logged out
    assert client.post("/masuk", data={"email": user.email, "password": NEW}).status_code == 302
    client.post("/keluar")
    again = set_new(client, token, "Teh Manis Sore Hari 2027")
    assert "tidak berlaku lagi" in again
    assert client.post("/masuk", data={"email": user.email, "password": NEW}).status_code == 302
    actions = set(db.session.scalars(select(AuditLog.action).where(AuditLog.entity_id == user.id)))
    assert {"user.password_reset_link", "user.password_reset"} <= actions


def test_link_expires(app: Flask, client: Browser, monkeypatch: pytest.MonkeyPatch) -> None:
    user = factories.user("opd")
    db.session.commit()
    ask(client, user.email)
    ((_, token),) = mailed_links(user.email)
    minutes = app.config["PASSWORD_RESET_MINUTES"]
    start = clock.now()
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=minutes - 1))
    assert 'name="new"' in client.get(f"/atur-sandi/{token}").get_data(as_text=True)
    monkeypatch.setattr(clock, "now", lambda: start + dt.timedelta(minutes=minutes + 1))
    page = client.get(f"/atur-sandi/{token}").get_data(as_text=True)
    assert "tidak berlaku lagi" in page and 'name="new"' not in page
    assert "tidak berlaku lagi" in set_new(client, token)
    assert (
        client.post(
            "/masuk", data={"email": user.email, "password": factories.PASSWORD}
        ).status_code
        == 302
    )  # the old password still works


def test_a_new_link_voids_the_older_one(client: Browser) -> None:
    user = factories.user("opd")
    db.session.commit()
    ask(client, user.email)
    ask(client, user.email)
    (_, first), (_, second) = mailed_links(user.email)
    assert "tidak berlaku lagi" in set_new(client, first)
    assert "Kata sandi baru sudah disimpan" in set_new(client, second)


def test_disabled_account_gets_no_link_and_its_links_stop(client: Browser) -> None:
    user = factories.user("opd")
    db.session.commit()
    ask(client, user.email)
    ((_, token),) = mailed_links(user.email)
    user.is_enabled = False
    db.session.commit()
    assert SAME_ANSWER in ask(client, user.email)
    assert len(mailed_links(user.email)) == 1
    assert "tidak berlaku lagi" in set_new(client, token)


def test_unknown_or_odd_tokens_get_the_invalid_page(client: Browser) -> None:
    for token in ("abc", "x" * 500, "a-b_c" * 9):
        response = client.get(f"/atur-sandi/{token}")
        assert response.status_code == 200
        assert "tidak berlaku lagi" in response.get_data(as_text=True)


def test_requests_are_throttled_per_email_and_address(client: Browser) -> None:
    user = factories.user("opd")
    db.session.commit()
    for _ in range(3):
        assert SAME_ANSWER in ask(client, user.email)
    slowed = ask(client, user.email)
    assert "Terlalu banyak permintaan" in slowed and "untuk e-mail ini" in slowed
    assert len(mailed_links(user.email)) == 3
    # The same words for an e-mail without an account: the counters tell nothing.
    for _ in range(3):
        ask(client, "tidak.ada@contoh.go.id")
    assert "untuk e-mail ini" in ask(client, "tidak.ada@contoh.go.id")
    # One address asking for many e-mails is stopped too (4 × the per-e-mail limit).
    pages = [ask(client, f"orang{n}@contoh.go.id", "203.0.113.9") for n in range(13)]
    assert "dari jaringan ini" in pages[-1]


def test_logged_in_users_are_sent_home(client: Browser) -> None:
    user = factories.user("opd")
    db.session.commit()
    client.post("/masuk", data={"email": user.email, "password": factories.PASSWORD})
    assert client.get(FORGOT).status_code == 302
    assert client.get("/atur-sandi/apa-saja").status_code == 302


def test_csrf_is_required(app: Flask, client: Browser) -> None:
    user = factories.user("opd")
    db.session.commit()
    app.config["WTF_CSRF_ENABLED"] = True
    page = client.get(FORGOT).get_data(as_text=True)
    assert 'name="csrf_token"' in page
    assert client.post(FORGOT, data={"email": user.email}).status_code == 400
    assert count(OutboxMessage) == 0


def test_admin_sends_a_link_after_confirming(client: Browser) -> None:
    admin = factories.user("admin")
    user = factories.user("umkm")
    db.session.commit()
    client.post("/masuk", data={"email": admin.email, "password": factories.PASSWORD})
    listing = client.get("/admin/akun").get_data(as_text=True)
    assert f"/admin/akun/{user.id}/tautan-sandi" in listing
    assert "Ya, kirim tautan sandi" in listing  # the confirmation step
    response = client.post(f"/admin/akun/{user.id}/tautan-sandi", follow_redirects=True)
    assert f"Tautan atur ulang kata sandi dikirim ke {user.email}" in response.get_data(
        as_text=True
    )
    row = db.session.scalar(select(PasswordResetToken).where(PasswordResetToken.user_id == user.id))
    assert row is not None and row.requested_by_id == admin.id
    ((_, token),) = mailed_links(user.email)
    audit = db.session.scalar(select(AuditLog).where(AuditLog.action == "user.password_reset_link"))
    assert audit is not None and audit.actor_id == admin.id
    client.post("/keluar")
    assert "Kata sandi baru sudah disimpan" in set_new(client, token)


def test_admin_cannot_send_a_link_to_a_disabled_account(client: Browser) -> None:
    admin = factories.user("admin")
    user = factories.user("opd", is_enabled=False)
    db.session.commit()
    client.post("/masuk", data={"email": admin.email, "password": factories.PASSWORD})
    page = client.post(f"/admin/akun/{user.id}/tautan-sandi", follow_redirects=True)
    assert "dinonaktifkan" in page.get_data(as_text=True)
    assert count(PasswordResetToken) == 0 and count(OutboxMessage) == 0


def test_users_keep_their_sessions_until_the_link_is_used(app: Flask, client: Browser) -> None:
    user = factories.user("opd")
    db.session.commit()
    device = browser(app)
    device.post("/masuk", data={"email": user.email, "password": factories.PASSWORD})
    ask(client, user.email)  # a stranger asking must not log the owner out
    assert device.get("/opd/").status_code == 200
    version = db.session.get(User, user.id).session_version  # type: ignore[union-attr]
    assert version == user.session_version
