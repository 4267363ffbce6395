"""The inspector's red flags kept per worker (procure/inspection/kept.py): computed on every
view for a small register or with the TTL at 0, kept for the TTL (and said so, with the time)
for a large one, dropped at once by a change made in this worker (both databases)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import update

from procure.clock import now
from procure.extensions import db
from procure.inspection import kept
from procure.procurement.models import PurchaseRequest
from tests import factories
from tests.conftest import AuthActions


@pytest.fixture(autouse=True)
def _no_kept_flags(app: Flask) -> Iterator[None]:
    app.extensions.pop(kept.KEPT.extension_key, None)
    yield
    app.extensions.pop(kept.KEPT.extension_key, None)


def _requests(count: int) -> tuple[object, list[PurchaseRequest]]:
    """``count`` consumption requests of one OPD with no excess portions."""
    officer = factories.user("opd")
    kitchen = factories.umkm(categories=["konsumsi"])
    factories.product(
        kitchen, "konsumsi", name="Nasi Kotak Ayam", unit="kotak", unit_price=30_000,
        monthly_capacity=5_000,
    )  # fmt: skip
    meals = dict(
        kind_id=factories.kind("konsumsi", "nasi-kotak"), unit="kotak", hps_unit_price=35_000
    )
    found = [
        factories.purchase_request(officer, 10, expected_attendees=10, **meals)
        for _ in range(count)
    ]
    return officer, found


def _flag_elsewhere(request: PurchaseRequest) -> None:
    """Mark a request as excess portions without this worker's ORM (as another worker would)."""
    db.session.execute(
        update(PurchaseRequest)
        .where(PurchaseRequest.id == request.id)
        .values(is_excess_portions=True)
        .execution_options(synchronize_session=False)
    )
    db.session.commit()


def _listed(client: FlaskClient) -> str:
    response = client.get("/pemeriksaan/tanda-bahaya?jenis=excess_portions")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _home_count(client: FlaskClient) -> tuple[int, str]:
    html = client.get("/pemeriksaan/").get_data(as_text=True)
    found = re.search(
        r"jenis=excess_portions\">Porsi melebihi undangan</a></td>\s*<td class=\"text-end\">"
        r"(?:<span class=\"badge text-bg-danger\">)?(\d+)",
        html,
    )
    assert found, "no excess portions row on the home"
    return int(found.group(1)), html


def _login(auth: AuthActions) -> None:
    db.session.commit()
    auth.login(factories.user("inspector").email)
    db.session.commit()


def test_small_register_is_computed_on_every_view(
    app: Flask, client: FlaskClient, auth: AuthActions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(app.config, "RED_FLAGS_TTL", 300)  # on, but the register is small
    _, (first, second) = _requests(2)
    _flag_elsewhere(first)
    _login(auth)
    assert _home_count(client)[0] == 1
    assert f"Permintaan #{first.id}<" in _listed(client)
    _flag_elsewhere(second)
    count, home = _home_count(client)
    listed = _listed(client)
    assert count == 2 and f"Permintaan #{second.id}<" in listed
    assert "Dihitung pukul" not in home and "Dihitung pukul" not in listed
    assert app.extensions.get(kept.KEPT.extension_key, {}) == {}


def test_ttl_zero_computes_on_every_view_even_when_large(
    app: Flask, client: FlaskClient, auth: AuthActions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kept, "KEEP_FROM_ORDERS", 0)
    monkeypatch.setitem(app.config, "RED_FLAGS_TTL", 0)
    _, (first, second) = _requests(2)
    _flag_elsewhere(first)
    _login(auth)
    assert _home_count(client)[0] == 1
    _listed(client)
    _flag_elsewhere(second)
    count, home = _home_count(client)
    listed = _listed(client)
    assert count == 2 and f"Permintaan #{second.id}<" in listed
    assert "Dihitung pukul" not in home and "Dihitung pukul" not in listed


def test_large_register_is_kept_with_its_time_and_refreshed_after_the_ttl(
    app: Flask, client: FlaskClient, auth: AuthActions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kept, "KEEP_FROM_ORDERS", 0)  # "large" from no order
    monkeypatch.setitem(app.config, "RED_FLAGS_TTL", 300)
    clock = [now()]
    monkeypatch.setattr(kept, "now", lambda: clock[0])
    _, (first, second) = _requests(2)
    _flag_elsewhere(first)
    _login(auth)
    count, home = _home_count(client)
    listed = _listed(client)
    assert count == 1 and f"Permintaan #{first.id}<" in listed
    for html in (home, listed):
        assert "Dihitung pukul" in html and "WIB; diperbarui tiap 5 menit." in html

    _flag_elsewhere(second)  # another worker's change: seen within the TTL
    clock[0] += dt.timedelta(seconds=299)
    count, home = _home_count(client)
    listed = _listed(client)
    assert count == 1 and f"Permintaan #{second.id}<" not in listed
    assert "Dihitung pukul" in home and "Dihitung pukul" in listed

    clock[0] += dt.timedelta(seconds=2)
    count, home = _home_count(client)
    listed = _listed(client)
    assert count == 2 and f"Permintaan #{second.id}<" in listed
    assert "Dihitung pukul" in home  # kept again from this view


def test_a_change_made_in_this_worker_drops_the_kept_flags(
    app: Flask, client: FlaskClient, auth: AuthActions, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(kept, "KEEP_FROM_ORDERS", 0)
    monkeypatch.setitem(app.config, "RED_FLAGS_TTL", 300)
    _, (first, second) = _requests(2)
    _flag_elsewhere(first)
    _login(auth)
    assert _home_count(client)[0] == 1
    assert f"Permintaan #{second.id}<" not in _listed(client)
    row = db.session.get(PurchaseRequest, second.id)
    assert row is not None
    row.is_excess_portions = True  # through this worker's ORM: flushed, so dropped at once
    db.session.commit()
    assert _home_count(client)[0] == 2
    assert f"Permintaan #{second.id}<" in _listed(client)


def test_pages_past_the_kept_block_are_computed_on_their_own() -> None:
    assert kept.kept_first(50) == kept.KEPT_FLAGS
    assert kept.kept_first(kept.KEPT_FLAGS) == kept.KEPT_FLAGS
    assert kept.kept_first(kept.KEPT_FLAGS + 50) == 2 * kept.KEPT_FLAGS
