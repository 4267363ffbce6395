"""Allocation benchmark: ranking + split + persisting the run, on a seeded database.

    .venv/bin/python benchmarks/allocation.py \\
        --database-url postgresql://postgres@127.0.0.1/procure_bench2 --category atk --requests 5

Each request is created, allocated (``run_allocation``: load offers and facts, evaluate
pemerataan-v1, store the run) and rolled back, so the database is left as it was. Prints the
number of offers and candidates, and median / p95 / max milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import time

from sqlalchemy import func, select

from procure import create_app
from procure.auth.models import User
from procure.catalog.models import Category
from procure.config import normalise_database_url
from procure.extensions import db
from procure.opd.models import Opd
from procure.procurement.services import (
    RequestInput,
    create_request,
    run_allocation,
    today_in_jakarta,
)
from procure.umkm.models import Product


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--category", default="konsumsi")
    parser.add_argument("--requests", type=int, default=20)
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(args.database_url)})
    timings: list[float] = []
    with app.app_context():
        category = db.session.scalar(select(Category).where(Category.slug == args.category))
        assert category is not None, f"no category {args.category}"
        products = db.session.scalar(
            select(func.count()).select_from(Product).where(Product.category_id == category.id)
        )
        opd = db.session.scalar(select(Opd).limit(1))
        if opd is None:
            opd = Opd(code="BENCH", name="OPD Benchmark", address="-", head_name="-")
            db.session.add(opd)
        officer = db.session.scalar(select(User).where(User.role == "opd").limit(1))
        if officer is None:
            officer = User(
                email="bench@x.id",
                full_name="Bench",
                role="opd",
                password_hash="-",  # noqa: S106 - cannot log in: not a hash opd=opd
            )
            db.session.add(officer)
        db.session.flush()
        candidates = 0
        for i in range(args.requests):
            data = RequestInput(
                title=f"Benchmark {i}",
                category_id=category.id,
                specification="-",
                quantity=100 + i,
                unit="porsi",
                hps_unit_price=100_000,
                needed_by=today_in_jakarta() + dt.timedelta(days=30),
                delivery_address="-",
                budget_code="-",
                fiscal_year=today_in_jakarta().year,
            )
            request = create_request(
                db.session,
                data,
                opd_id=officer.opd_id or opd.id,
                actor_id=officer.id,
                config=app.config,
            )
            start = time.perf_counter()
            run = run_allocation(db.session, request, actor_id=officer.id, config=app.config)
            db.session.flush()
            timings.append((time.perf_counter() - start) * 1000)
            candidates = len(run.result["candidates"])
        db.session.rollback()
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    print(f"category {args.category}: {products} products, {candidates} ranked UMKM")
    print(
        f"run_allocation over {len(timings)} requests: median {statistics.median(timings):.0f} ms, "
        f"p95 {p95:.0f} ms, max {timings[-1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
