"""Eight allocators at once on PostgreSQL: allocations per second, p95, over-booked units.

    .venv/bin/python benchmarks/allocation_concurrent.py \\
        --database-url postgresql://postgres@127.0.0.1/procure_bench4 --threads 8 --per-thread 25

Each thread is one officer of its own OPD with its own session. Per allocation it creates a
request (committed, not timed), then times ``run_allocation`` + commit + ``decide`` (accept the
proposal) + commit; an allocator that lost the race (``RuleError``: the facts changed under the
lock) re-runs and decides once more, as the concurrency test does. With the grace period off
(the default here) every request ranks the same lowest-need UMKM first, so the allocators fight
for the same capacity in the same month. At the end, over every product: units booked by live
orders due in a month beyond the product's monthly capacity (must be 0). Orders and runs stay
in the database; the figures follow them, so a second run starts from a different ranking.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.allocation import bench_officer, percentile, terms  # noqa: E402
from procure import create_app  # noqa: E402 - after the path fix, so a checkout runs as is
from procure.catalog.models import Category  # noqa: E402
from procure.config import normalise_database_url  # noqa: E402
from procure.extensions import db  # noqa: E402
from procure.procurement.models import LIVE_ORDER_STATUSES, PurchaseOrder  # noqa: E402
from procure.procurement.services import create_request, decide, run_allocation  # noqa: E402
from procure.umkm.models import Product  # noqa: E402
from procure.umkm.rules import RuleError  # noqa: E402


def over_booked(session: Session) -> int:
    """Units of live orders beyond their product's monthly capacity, summed over months."""
    month = func.date_trunc("month", PurchaseOrder.due_date)
    booked = (
        select(
            PurchaseOrder.product_id,
            month.label("month"),
            func.sum(PurchaseOrder.quantity).label("units"),
        )
        .where(PurchaseOrder.status.in_(LIVE_ORDER_STATUSES))
        .group_by(PurchaseOrder.product_id, month)
        .subquery()
    )
    excess = func.greatest(booked.c.units - Product.monthly_capacity, 0)
    return int(
        session.scalar(
            select(func.coalesce(func.sum(excess), 0)).join(
                Product, Product.id == booked.c.product_id
            )
        )
        or 0
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--category", default="batik")
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--per-thread", type=int, default=25)
    parser.add_argument("--quantity", type=int, default=50)
    parser.add_argument("--hps", type=int, default=900_000)
    parser.add_argument("--days", type=int, default=25)
    parser.add_argument("--grace-days", type=int, default=0)
    args = parser.parse_args()
    url = normalise_database_url(args.database_url)
    assert url.startswith("postgresql"), "concurrent allocators need PostgreSQL"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "SQLALCHEMY_ENGINE_OPTIONS": {"pool_size": args.threads + 2},
            "NEW_SUPPLIER_GRACE_DAYS": args.grace_days,
        }
    )
    latencies: list[float] = []
    outcomes: dict[str, int] = {"ordered": 0, "retried": 0, "shortfall": 0, "refused": 0}
    errors: list[BaseException] = []
    lock = threading.Lock()
    with app.app_context():
        category = db.session.scalar(select(Category).where(Category.slug == args.category))
        assert category is not None, f"no category {args.category}"
        officers = [(o.id, o.opd_id) for o in (bench_officer(f"C{i}") for i in range(args.threads))]
        before = over_booked(db.session)
        make_session = sessionmaker(bind=db.engine, expire_on_commit=False)
        barrier = threading.Barrier(args.threads)

        def allocate(session: Session, officer_id: int, opd_id: int, n: int) -> str:
            data = terms(category.id, args.quantity, args.hps, args.days, n)
            request = create_request(
                session, data, opd_id=opd_id, actor_id=officer_id, config=app.config
            )
            session.commit()
            start = time.perf_counter()
            outcome = "refused"
            for attempt in (1, 2):
                run = run_allocation(session, request, actor_id=officer_id, config=app.config)
                session.commit()
                if not run.result["allocation"]:
                    outcome = "shortfall"
                    break
                try:
                    decide(
                        session, run, None, "", actor_id=officer_id,
                        decision_key=f"bench-{request.id}-{attempt}", config=app.config,
                    )  # fmt: skip
                    session.commit()
                except RuleError:
                    session.rollback()
                    continue
                outcome = "ordered" if attempt == 1 else "retried"
                break
            elapsed = (time.perf_counter() - start) * 1000
            with lock:
                latencies.append(elapsed)
                outcomes[outcome] += 1
            return outcome

        def worker(officer_id: int, opd_id: int, index: int) -> None:
            with app.app_context():
                session = make_session()
                try:
                    barrier.wait()
                    for k in range(args.per_thread):
                        allocate(session, officer_id, opd_id, index * 10_000 + k)
                except BaseException as exc:  # noqa: BLE001 - reported and counted below
                    session.rollback()
                    errors.append(exc)
                finally:
                    session.close()

        threads = [
            threading.Thread(target=worker, args=(officer_id, opd_id, i))
            for i, (officer_id, opd_id) in enumerate(officers)
        ]
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        db.session.expire_all()
        after = over_booked(db.session)
    done = len(latencies)
    print(
        f"{args.threads} allocators x {args.per_thread} requests (Q={args.quantity}, "
        f"grace {args.grace_days} days) on {args.category}: {done} allocations in {wall:.1f} s "
        f"= {done / wall:.1f} allocations/s"
    )
    print(
        f"per allocation (run + decide + commits, a lost race re-run once): median "
        f"{statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms, "
        f"max {max(latencies):.0f} ms"
    )
    print(
        f"outcomes: {outcomes['ordered']} ordered at once, {outcomes['retried']} after a re-run, "
        f"{outcomes['shortfall']} nothing left, {outcomes['refused']} refused twice; "
        f"errors: {len(errors)} {errors[:3]!r}"
    )
    print(f"over-booked units: {after} (before the run: {before})")


if __name__ == "__main__":
    main()
