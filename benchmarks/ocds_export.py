"""OCDS export benchmark: 10,000 orders in a scratch PostgreSQL database, exported as one package.

    .venv/bin/python benchmarks/ocds_export.py [--database-url postgresql://postgres@127.0.0.1/postgres]

The URL (default: DATABASE_URL, else the local server) is only used to create the scratch
database ``procure_ocds_bench_…`` beside it, which is migrated, filled in bulk (UMKM and
products by ``procure.sample_data.seed``; OPDs, officers, requests, decided runs, orders and their
events as plain row dicts, written the same way) and dropped at the end. Then
``GET /ocds/releases.json`` over the 366 days that hold every request is timed through the test
client (queries, building and JSON encoding); the goal is 5 s. Prints the seconds of each run and
the package size.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from sqlalchemy import select, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from scratch import scratch_postgres  # noqa: E402 - benchmarks/ is the script's own folder

from procure import create_app  # noqa: E402 - after the path fix, so a checkout runs as is
from procure.auth.models import User  # noqa: E402
from procure.clock import JAKARTA  # noqa: E402
from procure.config import normalise_database_url  # noqa: E402
from procure.extensions import db  # noqa: E402
from procure.opd.models import Opd  # noqa: E402
from procure.procurement.models import (  # noqa: E402
    AllocationRun,
    OrderEvent,
    PurchaseOrder,
    PurchaseRequest,
)
from procure.sample_data.seed import seed, write_insert  # noqa: E402
from procure.umkm.models import Product  # noqa: E402

OPDS = 12
# Final statuses and the steps that lead there, with their share of the orders.
PATHS: list[tuple[float, list[str]]] = [
    (0.40, ["issued", "accepted", "delivered", "received", "paid"]),
    (0.15, ["issued", "accepted", "delivered", "received"]),
    (0.15, ["issued", "accepted"]),
    (0.10, ["issued"]),
    (0.10, ["issued", "declined"]),
    (0.05, ["issued", "expired"]),
    (0.05, ["issued", "accepted", "cancelled"]),
]
STAMPS = {
    "accepted": "responded_at",
    "declined": "responded_at",
    "delivered": "delivered_at",
    "received": "handed_over_at",
    "cancelled": "cancelled_at",
}


def scratch_database(admin_url: str):  # type: ignore[no-untyped-def]
    """A new empty database on the server of ``admin_url``, dropped on exit."""
    return scratch_postgres(admin_url, "procure_ocds_bench")


def _people(now: dt.datetime) -> list[int]:
    """OPDs and one officer each; returns the officers' user ids (officer i works at OPD i)."""
    write_insert(
        db.session,
        Opd.__table__,
        [
            {
                "id": i,
                "code": f"OPD{i:02d}",
                "name": f"Dinas Benchmark {i}",
                "address": f"Jl. Balai Kota No. {i}",
                "head_name": f"Kepala Dinas {i}",
                "head_nip": None,
                "is_active": True,
                "created_at": now,
            }
            for i in range(1, OPDS + 1)
        ],
    )
    write_insert(
        db.session,
        User.__table__,
        [
            {
                "id": i,
                "email": f"pengadaan{i}@bench.go.id",
                "password_hash": "-",  # cannot log in: not a hash
                "full_name": f"Pejabat Pengadaan {i}",
                "role": "opd",
                "opd_id": i,
                "umkm_id": None,
                "is_enabled": True,
                "created_at": now,
            }
            for i in range(1, OPDS + 1)
        ],
    )
    return list(range(1, OPDS + 1))


def _order_rows(
    rng: random.Random, order_id: int, request: dict[str, Any], product: Any, quantity: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """One order on ``product`` and its events, along a random path of the lifecycle."""
    steps = rng.choices([p for _, p in PATHS], weights=[w for w, _ in PATHS])[0]
    issued = request["created_at"] + dt.timedelta(hours=rng.randint(1, 48))
    row: dict[str, Any] = {
        "id": order_id,
        "request_id": request["id"],
        "run_id": request["id"],
        "umkm_id": product.umkm_id,
        "product_id": product.id,
        "quantity": quantity,
        "unit_price": product.unit_price,
        "value": quantity * product.unit_price,
        "due_date": request["needed_by"],
        "rank": 1,
        "passed_from_id": None,
        "status": steps[-1],
        "issued_by_id": request["created_by_id"],
        "issued_at": issued,
        "response_deadline": (issued + dt.timedelta(days=3)).astimezone(JAKARTA).date(),
        "paid_on": None,
        "payment_reference": None,
        "payment_amount": None,
    }
    row |= dict.fromkeys(STAMPS.values())
    events, moment = [], issued
    for before, step in zip([None, *steps], steps, strict=False):
        if step != "issued":
            moment += dt.timedelta(hours=rng.randint(2, 72))
        if step in STAMPS:
            row[STAMPS[step]] = moment
        if step == "paid":
            row["paid_on"] = moment.astimezone(JAKARTA).date()
            row["payment_reference"] = f"SP2D {order_id:05d}"
            row["payment_amount"] = row["value"]
        events.append(
            {
                "order_id": order_id,
                "from_status": before,
                "to_status": step,
                "actor_id": request["created_by_id"],
                "at": moment,
                "note": None,
                "data": {},
            }
        )
    return row, events


def fill(order_count: int, umkm_count: int) -> tuple[int, dt.date, dt.date]:
    """UMKM, products, people, requests, runs, orders and events; returns (requests, range)."""
    rng = random.Random(2026)
    seed(db.session, umkm_count, products_per_umkm=1, progress=False)
    now = dt.datetime.now(dt.UTC)
    officers = _people(now)
    products = db.session.execute(
        select(Product.id, Product.umkm_id, Product.category_id, Product.unit, Product.unit_price)
    ).all()
    requests, runs, orders, events = [], [], [], []
    request_id = 0
    while len(orders) < order_count:
        request_id += 1
        parts = min(rng.choice((1, 2, 3, 3)), order_count - len(orders))
        chosen = rng.sample(products, parts)
        created = now - dt.timedelta(days=rng.uniform(1, 360))
        officer = rng.choice(officers)
        request = {
            "id": request_id,
            "opd_id": officer,
            "created_by_id": officer,
            "title": f"Pengadaan benchmark {request_id}",
            "category_id": chosen[0].category_id,
            "specification": "Sesuai spesifikasi katalog",
            "quantity": 0,
            "unit": chosen[0].unit,
            "hps_unit_price": max(p.unit_price for p in chosen),
            "needed_by": (created + dt.timedelta(days=30)).astimezone(JAKARTA).date(),
            "delivery_address": "Jl. Balai Kota No. 1",
            "budget_code": "5.1.02.01.01.0024",
            "fiscal_year": created.year,
            "status": "ordered",
            "created_at": created,
            "is_excess_portions": False,
            "is_split_suspect": False,
        }
        for product in chosen:
            quantity = rng.randint(5, 60)
            request["quantity"] += quantity
            row, steps = _order_rows(rng, len(orders) + 1, request, product, quantity)
            orders.append(row)
            events += steps
        requests.append(request)
        runs.append(
            {
                "id": request_id,
                "request_id": request_id,
                "policy": "pemerataan",
                "policy_version": 1,
                "settings": {},
                "result": {"candidates": [], "allocation": []},
                "shortfall": 0,
                "created_by_id": officer,
                "created_at": created,
                "final_choice": [],
                "is_override": rng.random() < 0.1,
                "decided_by_id": officer,
                "decided_at": created + dt.timedelta(minutes=30),
            }
        )
    for table, rows in (
        (PurchaseRequest.__table__, requests),
        (AllocationRun.__table__, runs),
        (PurchaseOrder.__table__, orders),
        (OrderEvent.__table__, events),
    ):
        for start in range(0, len(rows), 5_000):
            write_insert(db.session, table, rows[start : start + 5_000])
    db.session.execute(text("ANALYZE"))
    db.session.commit()
    to = now.astimezone(JAKARTA).date()
    return len(requests), to - dt.timedelta(days=365), to


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url",
        default=os.environ.get("DATABASE_URL", "postgresql://postgres@127.0.0.1:5432/postgres"),
        help="a PostgreSQL server URL; the scratch database is created beside it",
    )
    parser.add_argument("--orders", type=int, default=10_000)
    parser.add_argument("--umkm", type=int, default=3_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    admin_url = normalise_database_url(args.database_url)
    if not admin_url.startswith("postgresql"):
        parser.error("--database-url must be a PostgreSQL URL")
    from flask_migrate import upgrade

    with scratch_database(admin_url) as url:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark-only"})
        with app.app_context():
            upgrade()
            started = time.perf_counter()
            request_count, date_from, date_to = fill(args.orders, args.umkm)
            print(
                f"filled {args.orders:,} orders of {request_count:,} requests "
                f"in {time.perf_counter() - started:.1f} s"
            )
            db.session.remove()
            client = app.test_client()
            url_path = f"/ocds/releases.json?from={date_from}&to={date_to}"
            timings = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                response = client.get(url_path)
                timings.append(time.perf_counter() - started)
                assert response.status_code == 200, response.data[:500]
            package = response.get_json()
            contracts = sum(len(r.get("contracts", [])) for r in package["releases"])
            assert contracts == args.orders, f"{contracts} contracts exported"
            print(
                f"GET {url_path}: {len(package['releases']):,} releases, {contracts:,} contracts, "
                f"{len(response.data) / 1e6:.1f} MB"
            )
            print(
                "seconds per export: "
                + ", ".join(f"{t:.2f}" for t in timings)
                + f" (median {statistics.median(timings):.2f}; goal 5)"
            )
            db.session.remove()
            db.engine.dispose()


if __name__ == "__main__":
    main()
