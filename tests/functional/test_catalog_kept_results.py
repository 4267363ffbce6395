"""The catalog search's rendered results kept per worker (procure/catalog/kept_results.py).

Two apps on one database stand for two workers: a change made through either shows on the
next search of both, because it raises ``catalog_version`` in its own transaction.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select, update

from procure import create_app
from procure.auth.models import User
from procure.catalog import views
from procure.catalog.kept_results import catalog_version
from procure.catalog.listing import refresh_listing
from procure.catalog.models import CatalogVersion, Category
from procure.extensions import db
from procure.umkm.models import Product, ProductPhoto, Umkm, UmkmStatus
from tests import factories
from tests.conftest import AuthActions

SEARCH = "/katalog/?q=batik"


@pytest.fixture
def searches(monkeypatch: pytest.MonkeyPatch) -> list[object]:
    """The searches actually run (a kept page runs none)."""
    ran: list[object] = []
    real = views.search_products

    def counted(session: Any, query: Any) -> Any:
        ran.append(query)
        return real(session, query)

    monkeypatch.setattr(views, "search_products", counted)
    return ran


@pytest.fixture
def kept(app: Flask) -> Iterator[None]:
    app.config["CATALOG_RESULTS_KEPT"] = 50
    # PostgreSQL's test tables are emptied after each test: the migration's row is put back.
    if db.session.get(CatalogVersion, 1) is None:
        db.session.add(CatalogVersion(id=1, version=1))
        db.session.commit()
    yield
    app.extensions.pop("procure.catalog_results", None)


@pytest.fixture
def worker2(app: Flask, database_url: str) -> Iterator[Flask]:
    """A second app on the same database: another worker with its own kept results."""
    other = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": database_url})
    other.config["CATALOG_RESULTS_KEPT"] = 50
    yield other
    with other.app_context():
        db.session.remove()
        db.engine.dispose()


def _officer(client: FlaskClient, email: str = "opd@example.go.id") -> None:
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None:
        factories.user("opd", email=email)
        db.session.commit()
    AuthActions(client).login(email)


def _page(client: FlaskClient, path: str = SEARCH) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_the_same_search_is_rendered_once(
    app: Flask, client: FlaskClient, kept: None, searches: list[object]
) -> None:
    factories.product(name="Kemeja Batik Parang")
    db.session.commit()
    _officer(client)
    assert "Kemeja Batik Parang" in _page(client)
    assert "Kemeja Batik Parang" in _page(client)
    assert len(searches) == 1
    _page(client, SEARCH + "&urut=price_asc")  # another query string: its own entry
    assert len(searches) == 2


def test_nothing_is_kept_under_the_tests_setting(
    app: Flask, client: FlaskClient, searches: list[object]
) -> None:
    assert app.config["CATALOG_RESULTS_KEPT"] == 0
    factories.product(name="Kemeja Batik Parang")
    db.session.commit()
    _officer(client)
    _page(client)
    _page(client)
    assert len(searches) == 2


def test_changes_show_at_once_on_every_worker(
    app: Flask, client: FlaskClient, kept: None, worker2: Flask
) -> None:
    product = factories.product(name="Kemeja Batik Parang", unit_price=175_000)
    db.session.commit()
    _officer(client)
    other = worker2.test_client()
    _officer(other)
    for c in (client, other):
        assert "175.000" in _page(c)

    # A price change.
    product.unit_price = 180_000
    db.session.commit()
    for c in (client, other):
        html = _page(c)
        assert "180.000" in html and "175.000" not in html

    # A name change, with HTML in it: escaped, from a kept page too.
    product.name = "Kemeja Batik <b>Kawung</b>"
    db.session.commit()
    for c in (client, other):
        for _ in range(2):
            html = _page(c)
            assert "Kemeja Batik &lt;b&gt;Kawung&lt;/b&gt;" in html
            assert "<b>Kawung</b>" not in html

    # A photo added.
    photo = ProductPhoto(
        product_id=product.id,
        content_type="image/png",
        data=b"x",
        sha256="0" * 64,
        width=1,
        height=1,
    )
    db.session.add(photo)
    db.session.commit()
    for c in (client, other):
        html = _page(c)
        assert 'alt="Foto Kemeja Batik' in html
        assert "product-photo-placeholder" not in html

    # The UMKM suspended the admin's way (a bulk UPDATE, then the listing refreshed).
    db.session.execute(
        update(Umkm)
        .where(Umkm.id == product.umkm_id)
        .values(status=UmkmStatus.SUSPENDED.value)
        .execution_options(synchronize_session=False)
    )
    refresh_listing(db.session, umkm_ids=[product.umkm_id])
    db.session.commit()
    for c in (client, other):
        assert "Kawung" not in _page(c)


def test_another_workers_change_shows_here(
    app: Flask, client: FlaskClient, kept: None, worker2: Flask
) -> None:
    product_id = factories.product(name="Kemeja Batik Parang").id
    db.session.commit()
    _officer(client)
    assert "Kemeja Batik Parang" in _page(client)
    # The id read before: inside the other app's context this session would borrow its engine.
    with worker2.app_context():
        other_product = db.session.get(Product, product_id)
        assert other_product is not None
        other_product.is_active = False
        db.session.commit()
    assert "Kemeja Batik Parang" not in _page(client)


def test_a_new_category_shows_in_the_kept_form(
    app: Flask, client: FlaskClient, kept: None, worker2: Flask
) -> None:
    app.config["CATALOG_OPTIONS_TTL"] = 60
    factories.product(name="Kemeja Batik Parang")
    db.session.commit()
    _officer(client)
    assert ">Tenun Ikat</option>" not in _page(client)
    with worker2.app_context():
        db.session.add(Category(slug="tenun", name="Tenun Ikat", sort_order=5))
        db.session.commit()
    assert ">Tenun Ikat</option>" in _page(client)


def test_a_rolled_back_change_and_other_edits_leave_the_version(app: Flask, kept: None) -> None:
    owner = factories.umkm()
    db.session.commit()
    before = catalog_version(db.session)
    owner.owner_name = "Pemilik Baru"  # not shown in the catalog
    db.session.commit()
    assert catalog_version(db.session) == before
    owner.business_name = "Usaha Lain"
    db.session.rollback()
    assert catalog_version(db.session) == before
    owner.business_name = "Usaha Lain"
    db.session.commit()
    assert catalog_version(db.session) == before + 1  # type: ignore[operator]
