"""Eight allocators at once on PostgreSQL: allocations per second, p95, over-booked units.

    .venv/bin/python benchmarks/allocation_concurrent.py \\
        --database-url postgresql://postgres@127.0.0.1/procure_bench4 --allocators 8 --each 25

Each allocator is its own process (as app servers are), one officer of its own OPD, released
together by a barrier. Per allocation it creates a request (committed, not timed), then times
``run_allocation`` + commit + ``decide`` (accept the proposal) + commit. An allocator that lost
the race (``RuleError``: the facts changed under the lock) runs the allocation again and
decides again, up to ``--attempts`` times, as an officer would; the time of all of it counts.
``--grace-days 0`` turns the grace period off, so every request ranks the same lowest-need UMKM
first and the allocators fight for the same capacity (the default setting of 60 days spreads
them by the lottery among new UMKM). At the end, over every product and month: units booked by
live orders beyond the product's monthly capacity (must be 0). Orders and runs stay in the
database, and the figures follow them, so a second run starts from another ranking.
"""

from __future__ import annotations

import argparse
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session

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
    query = (
        select(func.coalesce(func.sum(excess), 0))
        .select_from(booked)
        .join(Product, Product.id == booked.c.product_id)
    )
    return int(session.scalar(query) or 0)


def _app(args: argparse.Namespace):  # type: ignore[no-untyped-def]
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": normalise_database_url(args.database_url),
            "NEW_SUPPLIER_GRACE_DAYS": args.grace_days,
        }
    )


def allocator(index: int, args: argparse.Namespace, barrier, results) -> None:  # type: ignore[no-untyped-def]
    """One officer's requests, one after the other; puts (ms, outcome, attempts) per request."""
    app = _app(args)
    with app.app_context():
        officer = bench_officer(f"C{index}")
        officer_id, opd_id = officer.id, officer.opd_id
        category_id = db.session.scalar(select(Category.id).where(Category.slug == args.category))
        session = db.session
        barrier.wait()
        for k in range(args.each):
            data = terms(category_id, args.quantity, args.hps, args.days, index * 10_000 + k)
            request = create_request(
                session, data, opd_id=opd_id, actor_id=officer_id, config=app.config
            )
            session.commit()
            start = time.perf_counter()
            outcome, attempt = "refused", 0
            for attempt in range(1, args.attempts + 1):
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
                outcome = "ordered"
                break
            results.put(((time.perf_counter() - start) * 1000, outcome, attempt))
            session.expunge_all()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--category", default="batik")
    parser.add_argument("--allocators", type=int, default=8)
    parser.add_argument("--each", type=int, default=25, help="requests per allocator")
    parser.add_argument("--attempts", type=int, default=5, help="runs + decisions per request")
    parser.add_argument("--quantity", type=int, default=50)
    parser.add_argument("--hps", type=int, default=900_000)
    parser.add_argument("--days", type=int, default=25)
    parser.add_argument("--grace-days", type=int, default=60)
    args = parser.parse_args()
    assert "postgresql" in normalise_database_url(args.database_url), "needs PostgreSQL"
    app = _app(args)
    with app.app_context():
        for index in range(args.allocators):  # the OPDs and officers, before the race
            bench_officer(f"C{index}")
        before = over_booked(db.session)
        db.session.commit()
        db.engine.dispose()
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(args.allocators + 1)
    results = context.Queue()
    workers = [
        context.Process(target=allocator, args=(i, args, barrier, results))
        for i in range(args.allocators)
    ]
    for worker in workers:
        worker.start()
    barrier.wait()
    started = time.perf_counter()
    rows = [results.get() for _ in range(args.allocators * args.each)]
    wall = time.perf_counter() - started
    for worker in workers:
        worker.join()
    with app.app_context():
        after = over_booked(db.session)
    latencies = [ms for ms, _, _ in rows]
    ordered = [r for r in rows if r[1] == "ordered"]
    print(
        f"{args.allocators} allocators (processes) x {args.each} requests, Q={args.quantity}, "
        f"grace {args.grace_days} days, on {args.category}: {len(rows)} requests in {wall:.1f} s "
        f"= {len(rows) / wall:.1f} allocations/s ({len(ordered) / wall:.1f}/s issued orders)"
    )
    print(
        f"per request (runs + decisions + commits, re-run after a lost race): median "
        f"{statistics.median(latencies):.0f} ms, p95 {percentile(latencies, 0.95):.0f} ms, "
        f"max {max(latencies):.0f} ms"
    )
    attempts = statistics.mean(a for _, _, a in rows)
    print(
        f"outcomes: {len(ordered)} ordered ({sum(1 for r in ordered if r[2] > 1)} after a lost "
        f"race), {sum(1 for r in rows if r[1] == 'shortfall')} nothing left, "
        f"{sum(1 for r in rows if r[1] == 'refused')} refused {args.attempts} times; "
        f"{attempts:.2f} attempts per request"
    )
    print(f"over-booked units: {after} (before the run: {before})")


if __name__ == "__main__":
    main()
