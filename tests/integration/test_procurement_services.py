"""Purchase requests through the services: create, allocate, decide (both databases)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from procure.catalog.models import ProductKind
from procure.extensions import db
from procure.procurement.models import PurchaseOrder
from procure.procurement.services import (
    RequestInput,
    cancel_request,
    decide,
    earliest_lead_time,
    edit_request,
    run_allocation,
)
from procure.umkm.rules import RuleError
from tests import factories


def test_allocate_and_issue_orders_once(app: Flask) -> None:
    officer = factories.user("opd")
    makers = [factories.umkm(business_name=f"Batik {n}") for n in "ABCD"]
    for m in makers:
        factories.product(m, unit_price=175_000, monthly_capacity=80, lead_time_days=7)
    request = factories.purchase_request(officer, 200)
    run = run_allocation(db.session, request, actor_id=officer.id, config=app.config)
    assert [p["quantity"] for p in run.result["allocation"]] == [80, 80, 40]
    orders = decide(
        db.session, run, None, "", actor_id=officer.id, decision_key="k1", config=app.config
    )
    db.session.commit()
    assert sorted(o.quantity for o in orders) == [40, 80, 80]
    again = decide(
        db.session, run, None, "", actor_id=officer.id, decision_key="k1", config=app.config
    )
    assert {o.id for o in again} == {o.id for o in orders}
    assert db.session.scalar(select(func.count()).select_from(PurchaseOrder)) == 3


def test_capacity_taken_by_an_earlier_request_is_not_offered_again(app: Flask) -> None:
    officer = factories.user("opd")
    maker = factories.umkm()
    factories.product(maker, unit_price=175_000, monthly_capacity=50)
    first = factories.purchase_request(officer, 40)
    run = run_allocation(db.session, first, actor_id=officer.id, config=app.config)
    decide(db.session, run, None, "", actor_id=officer.id, decision_key="a", config=app.config)
    second = factories.purchase_request(officer, 40)
    run2 = run_allocation(db.session, second, actor_id=officer.id, config=app.config)
    assert run2.shortfall == 30
    assert [p["quantity"] for p in run2.result["allocation"]] == [10]


def test_value_above_the_catalog_cap_is_refused(app: Flask) -> None:
    officer = factories.user("opd")
    with pytest.raises(RuleError, match="melebihi batas katalog lokal"):
        factories.purchase_request(officer, 300)


def test_a_request_takes_its_category_from_the_kind(app: Flask) -> None:
    officer = factories.user("opd")
    meals = factories.kind("konsumsi", "nasi-kotak")
    request = factories.purchase_request(officer, 10, kind_id=meals, hps_unit_price=35_000)
    assert (request.kind_id, request.category_id) == (meals, factories.category("konsumsi").id)


def test_a_retired_kind_or_an_inactive_category_is_refused_by_name(app: Flask) -> None:
    officer = factories.user("opd")
    kind = db.session.get(ProductKind, factories.kind())
    assert kind is not None
    kind.is_active = False
    with pytest.raises(RuleError, match="Kemeja Batik Lengan Panjang.*sudah tidak dipakai"):
        factories.purchase_request(officer, 10)
    kind.is_active = True
    kind.category.is_active = False
    with pytest.raises(RuleError, match="Kategori Batik sedang tidak aktif"):
        factories.purchase_request(officer, 10)
    with pytest.raises(RuleError, match="Pilih jenis barang dari daftar"):
        factories.purchase_request(officer, 10, kind_id=2_000_000)


def test_a_request_names_a_real_kind_not_the_catch_all(app: Flask) -> None:
    """ "Lainnya (perlu dipilah)" holds what the admin has still to sort: not something to buy."""
    officer = factories.user("opd")
    with pytest.raises(RuleError, match="bukan jenis barang yang dapat diminta"):
        factories.purchase_request(officer, 10, kind_id=factories.kind("batik", "lainnya"))


def test_only_the_kind_is_offered(app: Flask) -> None:
    officer = factories.user("opd")
    shirts, blouses = factories.umkm(), factories.umkm()
    factories.product(shirts, name="Kemeja Batik Lengan Panjang Parang")
    factories.product(blouses, name="Blus Batik Kawung")
    request = factories.purchase_request(officer, 10)
    run = run_allocation(db.session, request, actor_id=officer.id, config=app.config)
    assert [p["umkm_id"] for p in run.result["allocation"]] == [shirts.id]


def test_cancel_is_idempotent_and_refused_once_decided(app: Flask) -> None:
    officer = factories.user("opd")
    request = factories.purchase_request(officer, 10)
    with pytest.raises(RuleError, match="minimal 10 karakter"):
        cancel_request(db.session, request.id, "batal", actor_id=officer.id, config=app.config)
    reason = "Anggaran dialihkan ke kegiatan lain"
    assert cancel_request(db.session, request.id, reason, actor_id=officer.id, config=app.config)
    assert not cancel_request(
        db.session, request.id, reason, actor_id=officer.id, config=app.config
    )
    assert request.status == "cancelled"
    with pytest.raises(RuleError, match="sudah dibatalkan"):
        run_allocation(db.session, request, actor_id=officer.id, config=app.config)

    factories.product(factories.umkm())
    decided, _, _ = factories.decided_orders(officer, quantity=5)
    with pytest.raises(RuleError, match="sudah diputuskan"):
        cancel_request(db.session, decided.id, reason, actor_id=officer.id, config=app.config)


def test_an_edit_of_a_decided_request_is_refused(app: Flask) -> None:
    officer = factories.user("opd")
    factories.product(factories.umkm())
    decided, _, _ = factories.decided_orders(officer, quantity=5)
    data = RequestInput(
        title="Diubah",
        kind_id=decided.kind_id,
        specification="-",
        quantity=1,
        unit="potong",
        hps_unit_price=1,
        needed_by=decided.needed_by,
        delivery_address="-",
        budget_code="-",
        fiscal_year=decided.fiscal_year,
    )
    with pytest.raises(RuleError, match="sudah diputuskan"):
        edit_request(db.session, decided.id, data, actor_id=officer.id, config=app.config)
    db.session.refresh(decided)
    assert (decided.title, decided.quantity) == ("Kemeja batik seragam Jumat", 5)


def test_the_shortest_lead_time_counts_listed_products_of_the_kind_only(app: Flask) -> None:
    kind = factories.kind()
    assert earliest_lead_time(db.session, kind) is None
    factories.product(factories.umkm(), lead_time_days=9)
    factories.product(factories.umkm(status="pending"), lead_time_days=2)  # not listed
    factories.product(factories.umkm(), lead_time_days=3, is_active=False)  # not listed
    factories.product(factories.umkm(), name="Blus Batik Kawung", lead_time_days=1)  # other kind
    db.session.flush()
    assert earliest_lead_time(db.session, kind) == 9
