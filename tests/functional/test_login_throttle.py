"""Login throttling through the real form: an attacker's failures slow the account down but do
not keep its owner out; the address is the client's, not a forged header's; an unknown e-mail
costs the same password hashing as a known one."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from procure import create_app
from procure.auth import models as auth_models
from procure.auth.models import LoginAttempt, LoginThrottle
from procure.db import utcnow
from procure.extensions import db
from tests import factories
from tests.browser import Browser, browser


@pytest.fixture
def client(app: Flask) -> Browser:
    return browser(app)


ATTACKER = "203.0.113.66"
OWNER = "198.51.100.7"
WRONG = "tebakan-salah-1"


def _login(
    client: FlaskClient, email: str, password: str = factories.PASSWORD, address: str = OWNER
) -> tuple[int, str]:
    response = client.post(
        "/masuk",
        data={"email": email, "password": password},
        environ_base={"REMOTE_ADDR": address},
    )
    if response.status_code == 302:
        client.post("/keluar", environ_base={"REMOTE_ADDR": address})
    return response.status_code, response.get_data(as_text=True)


def _move_slow_down_into_the_past(email: str) -> None:
    db.session.execute(
        update(LoginThrottle)
        .where(LoginThrottle.key == f"email:{email}")
        .values(next_at=utcnow() - dt.timedelta(seconds=1))
    )
    db.session.commit()


def test_owner_gets_in_after_an_attackers_failures(app: Flask, client: FlaskClient) -> None:
    owner = factories.user("opd")
    db.session.commit()
    for _ in range(12):
        _login(client, owner.email, WRONG, ATTACKER)
    status, page = _login(client, owner.email, factories.PASSWORD, ATTACKER)
    assert status == 200 and "Terlalu banyak percobaan" in page  # the attacker is slowed
    assert _login(client, owner.email, factories.PASSWORD, OWNER)[0] == 302


def test_a_slowed_account_gets_one_attempt_per_growing_interval(
    app: Flask, client: FlaskClient
) -> None:
    user = factories.user("opd")
    db.session.commit()
    limit = app.config["LOGIN_MAX_FAILURES"]
    for _ in range(limit):
        assert "kata sandi salah" in _login(client, user.email, WRONG)[1]
    status, page = _login(client, user.email)
    assert status == 200 and "Coba lagi dalam 30 detik" in page
    _move_slow_down_into_the_past(user.email)
    assert "kata sandi salah" in _login(client, user.email, WRONG)[1]  # one attempt, then
    assert "Coba lagi dalam 1 menit" in _login(client, user.email)[1]  # a longer wait
    _move_slow_down_into_the_past(user.email)
    assert _login(client, user.email)[0] == 302  # never locked: the right password gets in
    assert "kata sandi salah" in _login(client, user.email, WRONG)[1]  # and starts afresh


def test_admin_reset_lifts_the_slow_down(app: Flask, client: FlaskClient) -> None:
    admin = factories.user("admin")
    user = factories.user("opd")
    db.session.commit()
    for _ in range(app.config["LOGIN_MAX_FAILURES"] + 1):
        _login(client, user.email, WRONG)
    assert "Terlalu banyak" in _login(client, user.email)[1]
    admin_client = browser(app)
    admin_client.post("/masuk", data={"email": admin.email, "password": factories.PASSWORD})
    page = admin_client.post(f"/admin/akun/{user.id}/sandi").get_data(as_text=True)
    match = re.search(r'user-select-all">([A-Za-z0-9]{12})<', page)
    assert match is not None
    assert _login(client, user.email, match.group(1))[0] == 302


def test_an_address_is_paused_after_many_failures_on_many_accounts(
    app: Flask, client: FlaskClient
) -> None:
    users = [factories.user("opd") for _ in range(5)]
    db.session.commit()
    limit = app.config["LOGIN_MAX_FAILURES"] * 4
    for n in range(limit):
        _login(client, users[n % 5].email, WRONG, ATTACKER)
    page = _login(client, users[0].email, factories.PASSWORD, ATTACKER)[1]
    assert "dari jaringan ini" in page
    # Everyone else, and the accounts themselves from elsewhere, are not paused.
    assert _login(client, users[1].email)[0] == 302


def test_forwarded_for_is_ignored_by_default(app: Flask, client: FlaskClient) -> None:
    """Without PROCURE_PROXY_COUNT the header is the client's to forge: ignored."""
    users = [factories.user("opd") for _ in range(5)]
    db.session.commit()
    limit = app.config["LOGIN_MAX_FAILURES"] * 4
    for n in range(limit):
        client.post(
            "/masuk",
            data={"email": users[n % 5].email, "password": WRONG},
            headers={"X-Forwarded-For": f"192.0.2.{n}"},
        )
    addresses = set(db.session.scalars(select(LoginAttempt.ip)))
    assert addresses == {"127.0.0.1"}
    response = client.post(
        "/masuk",
        data={"email": users[0].email, "password": factories.PASSWORD},
        headers={"X-Forwarded-For": "192.0.2.200"},
    )
    assert "dari jaringan ini" in response.get_data(as_text=True)


@pytest.fixture
def behind_proxy(database_url: str) -> Iterator[Flask]:
    """The app as ``PROCURE_PROXY_COUNT=1`` builds it, on the test's database."""
    proxied = create_app(
        {"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url, "PROXY_COUNT": 1}
    )
    yield proxied
    with proxied.app_context():
        db.session.remove()
        db.engine.dispose()


def test_forwarded_for_is_honoured_behind_the_configured_proxy(
    app: Flask, behind_proxy: Flask
) -> None:
    # E-mails read now: inside the other app's context this session would borrow its engine.
    emails = [factories.user("opd").email for _ in range(5)]
    db.session.commit()
    limit = app.config["LOGIN_MAX_FAILURES"] * 4
    client = behind_proxy.test_client()
    with behind_proxy.app_context():
        for n in range(limit):
            client.post(
                "/masuk",
                data={"email": emails[n % 5], "password": WRONG},
                # The client forged the first entry; the load balancer appended the real one.
                headers={"X-Forwarded-For": f"10.9.9.9, 192.0.2.{n}"},
            )
        # One address of a shared load balancer does not pause everyone's logins.
        response = client.post(
            "/masuk",
            data={"email": emails[1], "password": factories.PASSWORD},
            headers={"X-Forwarded-For": "192.0.2.250"},
        )
        assert response.status_code == 302
    db.session.expire_all()
    addresses = set(db.session.scalars(select(LoginAttempt.ip)))
    assert addresses == {f"192.0.2.{n}" for n in range(limit)} | {"192.0.2.250"}


def test_unknown_email_costs_a_password_hash_too(
    app: Flask, client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = factories.user("opd")
    db.session.commit()
    checked: list[str] = []
    real = auth_models.check_password_hash

    def counting(pwhash: str, password: str) -> bool:
        checked.append(pwhash.split("$", 1)[0])
        return real(pwhash, password)

    monkeypatch.setattr(auth_models, "check_password_hash", counting)
    page = _login(client, "tidak-ada@contoh.go.id", WRONG)[1]
    assert "E-mail atau kata sandi salah." in page
    assert _login(client, user.email, WRONG)[1].count("E-mail atau kata sandi salah.") == 1
    assert len(checked) == 2  # one hash check on each path
    # The unknown e-mail's check has a real account's cost (the factories' hash is cheap).
    assert (
        checked[0]
        == auth_models.generate_password_hash("x", auth_models.PASSWORD_METHOD).split("$", 1)[0]
    )
