"""``GET /ocds/releases.json``: public, validated dates, JSON with an inline file name."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from flask import Flask
from flask.testing import FlaskClient

from procure.clock import today_in_jakarta
from procure.extensions import db
from tests import factories
from tests.conftest import AuthActions

URL = "/ocds/releases.json"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("?from=01-03-2026&to=2026-03-31", "Parameter from harus berformat TTTT-BB-HH"),
        ("?from=2026-03-01&to=kemarin", "Parameter to harus berformat TTTT-BB-HH"),
        ("?from=2026-02-30&to=2026-03-31", "tidak ada di kalender"),
        ("?from=2026-03-31&to=2026-03-01", "tidak boleh setelah tanggal to"),
        ("?from=2025-01-01&to=2026-03-31", "paling panjang 366 hari (diminta 455 hari)"),
    ],
)
def test_bad_dates_are_refused_in_indonesian(client: FlaskClient, query: str, message: str) -> None:
    response = client.get(URL + query)
    assert response.status_code == 400
    assert response.mimetype == "application/json"
    assert message in response.get_json()["error"]


def test_anyone_gets_the_package_without_logging_in(app: Flask, client: FlaskClient) -> None:
    request, _run, (order,) = factories.issued_orders(50, (100,))
    db.session.commit()
    today = today_in_jakarta().isoformat()
    response = client.get(f"{URL}?from={today}&to={today}")
    assert response.status_code == 200
    assert response.mimetype == "application/json"
    assert response.headers["Content-Disposition"] == (
        f'inline; filename="ocds-releases-{today}-{today}.json"'
    )
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    package = json.loads(response.data)
    # The configured public address, whatever Host header the request carried.
    assert package["uri"] == f"http://127.0.0.1:5000{URL}?from={today}&to={today}"
    assert package["publisher"] == {"name": app.config["PEMDA_NAME"]}
    (release,) = package["releases"]
    assert release["ocid"].endswith(f"-{request.id}")
    assert release["tender"]["title"] == request.title
    assert [a["suppliers"][0]["id"] for a in release["awards"]] == [f"umkm-{order.umkm_id}"]


def test_default_is_the_last_30_days(client: FlaskClient, auth: AuthActions) -> None:
    request, _run, _orders = factories.issued_orders(50, (100,))
    officer = request.created_by
    db.session.commit()
    auth.login(officer.email)  # logged-in users read it too
    response = client.get(URL)
    assert response.status_code == 200
    today = today_in_jakarta()
    start = (today - dt.timedelta(days=29)).isoformat()
    disposition = response.headers["Content-Disposition"]
    assert f"ocds-releases-{start}-{today.isoformat()}.json" in disposition
    assert [r["ocid"] for r in response.get_json()["releases"]] == [f"ocds-procur-{request.id}"]
    yesterday = (today - dt.timedelta(days=1)).isoformat()
    assert client.get(f"{URL}?from={yesterday}&to={yesterday}").get_json()["releases"] == []


def test_only_get(client: FlaskClient) -> None:
    assert client.post(URL).status_code == 405
