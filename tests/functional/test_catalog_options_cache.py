"""The catalog's filter options kept per process (procure/catalog/options.py)."""

from __future__ import annotations

from typing import Any

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from procure.catalog import options
from procure.catalog.models import Category
from procure.extensions import db
from tests import factories


def _login(auth: Any) -> None:
    user = factories.user("opd")
    db.session.commit()
    auth.login(user.email)


def test_options_are_kept_and_a_change_here_shows_at_once(
    app: Flask, client: FlaskClient, auth: Any
) -> None:
    app.config["CATALOG_OPTIONS_TTL"] = 60
    options.forget()
    factories.category("batik")
    _login(auth)
    assert ">Batik</option>" in client.get("/katalog/").get_data(as_text=True)

    # A change through the ORM (the admin's pages) drops the kept lists at once.
    db.session.add(Category(slug="tenun", name="Tenun Ikat", sort_order=5))
    db.session.commit()
    assert ">Tenun Ikat</option>" in client.get("/katalog/").get_data(as_text=True)

    # A change the process does not see (another worker) waits for the TTL ...
    db.session.execute(text("UPDATE category SET name = 'Songket' WHERE slug = 'tenun'"))
    db.session.commit()
    html = client.get("/katalog/").get_data(as_text=True)
    assert ">Tenun Ikat</option>" in html
    assert ">Songket</option>" not in html

    # ... or for the kept lists to be dropped.
    options.forget()
    assert ">Songket</option>" in client.get("/katalog/").get_data(as_text=True)
    options.forget()


def test_a_zero_ttl_reads_every_time(app: Flask, client: FlaskClient, auth: Any) -> None:
    app.config["CATALOG_OPTIONS_TTL"] = 0
    factories.category("batik")
    _login(auth)
    client.get("/katalog/")
    db.session.execute(text("UPDATE category SET name = 'Batik Tulis' WHERE slug = 'batik'"))
    db.session.commit()
    assert ">Batik Tulis</option>" in client.get("/katalog/").get_data(as_text=True)
