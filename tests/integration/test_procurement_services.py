"""Purchase requests through the services: create, allocate, decide (both databases)."""

from __future__ import annotations

import pytest
from flask import Flask
from sqlalchemy import func, select

from procure.extensions import db
from procure.procurement.models import PurchaseOrder
from procure.procurement.services import (
    decide,
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
