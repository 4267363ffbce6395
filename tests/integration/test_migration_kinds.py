"""Migration 0010 on a database that had products, requests and decided pemerataan-v1 runs.

The data is made at head, the schema taken back to 0009 (no kinds: what a Pemda running the
previous release has), then upgraded again: every product and request gets a kind by the
written rules (procure/kinds/rules.py), what no rule places lands in the catch-all kind, and
every stored v1 run still renders and recomputes to exactly what was stored.
"""

from __future__ import annotations

import json

from flask import Flask
from flask_migrate import downgrade, upgrade
from sqlalchemy import select, text

from procure.allocation.policy import evaluate
from procure.allocation.records import inputs_from_dict
from procure.catalog.models import ProductKind
from procure.extensions import db
from procure.procurement.models import AllocationRun, PurchaseRequest
from procure.umkm.models import Product
from tests import factories

BEFORE_KINDS = "0009_import_jobs"


def test_upgrade_places_every_product_and_keeps_v1_runs(fresh_app: Flask) -> None:
    fresh_app.config["ALLOCATION_POLICY"] = "pemerataan-v1"
    officer = factories.user("opd")
    request, run, orders = factories.issued_orders(
        quantity=120, capacities=(50, 50, 50), officer=officer
    )
    assert run.policy == "pemerataan-v1" and orders
    odd = factories.product(name="Taplak Meja Ecoprint")  # no rule places it
    db.session.commit()
    stored_before = json.loads(json.dumps(run.result))
    names = dict(db.session.execute(select(Product.id, Product.name)).tuples().all())
    run_id, request_id, odd_id = run.id, request.id, odd.id
    officer_email = officer.email
    db.session.remove()

    downgrade(revision=BEFORE_KINDS)
    with db.engine.connect() as conn:
        columns = conn.execute(text("SELECT * FROM product LIMIT 0")).keys()
        assert "kind_id" not in columns
    upgrade()
    db.session.remove()

    kinds = {k.id: (k.slug, k.is_catch_all) for k in db.session.scalars(select(ProductKind)).all()}
    placed = dict(db.session.execute(select(Product.id, Product.kind_id)).tuples().all())
    assert set(placed) == set(names)
    for product_id, kind_id in placed.items():
        slug, catch_all = kinds[kind_id]
        if product_id == odd_id:
            assert catch_all and slug == "lainnya"
        else:  # "Kemeja Batik Tulis Lengan Panjang n": the rules place it
            assert slug == "kemeja-lengan-panjang", names[product_id]
    placed_request = db.session.get(PurchaseRequest, request_id)
    assert placed_request is not None
    assert kinds[placed_request.kind_id][0] == "kemeja-lengan-panjang"

    kept = db.session.get(AllocationRun, run_id)
    assert kept is not None and kept.result == stored_before
    assert evaluate(*inputs_from_dict(kept.result), policy=kept.policy).to_dict() == kept.result

    client = fresh_app.test_client()
    client.post("/masuk", data={"email": officer_email, "password": factories.PASSWORD})
    page = client.get(f"/pengadaan/permintaan/{request_id}")
    assert page.status_code == 200
    assert "pemerataan-v1" in page.get_data(as_text=True)
