"""The load balancer's probes and the request body limits, on SQLite and PostgreSQL."""

from __future__ import annotations

import io

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import func, select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from procure.auth.models import LoginAttempt
from procure.body_limits import UPLOAD_LIMITS, body_limit, too_large_message
from procure.extensions import db
from tests import factories
from tests.conftest import AuthActions
from tests.redis_server import redis_url_or_skip

MB = 1024 * 1024


def _post_file(
    client: FlaskClient, url: str, field: str, filename: str, data: bytes, **fields: str
):  # type: ignore[no-untyped-def]
    """A multipart POST encoded in memory (the test client would spool a large file to a
    temporary file that it leaves open when the app refuses the body)."""
    values: dict[str, object] = {field: FileStorage(io.BytesIO(data), filename=filename), **fields}
    boundary, body = encode_multipart(values)  # type: ignore[arg-type]
    return client.post(url, data=body, content_type=f"multipart/form-data; boundary={boundary}")


def test_healthz_answers_without_a_session_or_the_database(
    client: FlaskClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("database down")

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "ok\n"
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers


def test_readyz_checks_the_database(client: FlaskClient, monkeypatch: pytest.MonkeyPatch) -> None:
    assert client.get("/readyz").status_code == 200

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("password authentication failed for user procure at 10.0.0.5")

    monkeypatch.setattr(db.session, "execute", broken)
    response = client.get("/readyz")
    assert response.status_code == 503
    body = response.get_data(as_text=True)
    assert body == "tidak siap\n"  # never the reason, the host or a version


def test_readyz_checks_redis_only_when_configured(app: Flask, client: FlaskClient) -> None:
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"  # nothing listens there
    response = client.get("/readyz")
    assert response.status_code == 503
    assert "127.0.0.1" not in response.get_data(as_text=True)
    url = redis_url_or_skip()
    app.config["REDIS_URL"] = url
    assert client.get("/readyz").status_code == 200


def test_a_form_larger_than_the_form_limit_is_refused_in_indonesian(
    client: FlaskClient,
) -> None:
    response = client.post("/masuk", data={"email": "a@contoh.id", "password": "x" * (2 * MB)})
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert "paling banyak 1,0 MB" in page
    # Refused before the form was read: no login was even attempted.
    assert db.session.scalar(select(func.count()).select_from(LoginAttempt)) == 0


def test_routes_that_take_a_file_accept_that_file_and_refuse_more(
    app: Flask, client: FlaskClient
) -> None:
    just_under = b"%PDF-1.7\n" + b"0" * (2 * MB)
    response = _post_file(client, "/verifikasi/", "pdf", "salinan.pdf", just_under)
    assert response.status_code == 200  # read and judged: not a document of this system
    assert "Data yang dikirim terlalu besar" not in response.get_data(as_text=True)
    too_big = b"%PDF-1.7\n" + b"0" * (app.config["VERIFY_UPLOAD_MAX_BYTES"] + MB)
    response = _post_file(client, "/verifikasi/", "pdf", "besar.pdf", too_big)
    assert response.status_code == 413
    assert "paling banyak 10,2 MB" in response.get_data(as_text=True)


def test_a_photo_within_its_limit_passes_the_body_limit(app: Flask, client: FlaskClient) -> None:
    owner = factories.user("umkm", umkm=factories.umkm())
    db.session.commit()
    AuthActions(client).login(owner.email)
    photo = b"\xff\xd8" + b"0" * (3 * MB)  # not a real JPEG: judged by the form
    response = _post_file(client, "/umkm/produk/baru", "photo", "foto.jpg", photo, name="Kemeja")
    assert response.status_code == 200
    assert "Data yang dikirim terlalu besar" not in response.get_data(as_text=True)


def test_every_upload_route_exists_and_has_a_limit(app: Flask) -> None:
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    assert set(UPLOAD_LIMITS) <= endpoints
    for endpoint in UPLOAD_LIMITS:
        assert body_limit(endpoint, app.config) > app.config["FORM_MAX_BYTES"]
    assert body_limit("auth.login", app.config) == app.config["FORM_MAX_BYTES"]
    assert body_limit(None, app.config) == app.config["FORM_MAX_BYTES"]


def test_the_message_names_the_limit() -> None:
    assert "512 KB" in too_large_message(512 * 1024)
    assert "5,2 MB" in too_large_message(5 * MB + 256 * 1024)
    assert "terlalu besar" in too_large_message(None)
