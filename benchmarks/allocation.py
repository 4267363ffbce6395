"""Allocation benchmark: ranking + split + persisting the run, on a seeded database.

    procure seed --umkm 100000 --single-category batik          # DATABASE_URL = the bench DB
    .venv/bin/python benchmarks/allocation.py \\
        --database-url postgresql://postgres@127.0.0.1/procure_bench4 --requests 200

Each request is created and committed (not timed), then allocated: ``run_allocation`` (the
ranking by the stored figures in a large category, the policy on its top, the split, the run
stored) and the commit are timed together. The requests stay in the database as drafts with
their runs (nothing reads them back). Before timing, the number of eligible UMKM for the
request's terms is counted once with the policy's own rules over every offer (slow, untimed).
Prints median / p95 / max milliseconds.
"""

from __future__ import annotations

import argparse
import datetime as dt
import functools
import os
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from procure import create_app  # noqa: E402 - after the path fix, so a checkout runs as is
from procure.allocation.policy import eligibility, jakarta_date, representatives  # noqa: E402
from procure.auth.models import User  # noqa: E402
from procure.catalog.models import Category  # noqa: E402
from procure.config import normalise_database_url  # noqa: E402
from procure.extensions import db  # noqa: E402
from procure.opd.models import Opd  # noqa: E402
from procure.procurement.services import (  # noqa: E402
    RequestInput,
    create_request,
    run_allocation,
    today_in_jakarta,
)
from procure.ranking import facts  # noqa: E402
from procure.ranking.stored_run import REST_OF_RANKING  # noqa: E402
from procure.umkm.models import Product  # noqa: E402


def bench_officer(tag: str = "") -> User:
    """An OPD officer for benchmark requests (made once, committed)."""
    code = f"BENCH{tag}"
    opd = db.session.scalar(select(Opd).where(Opd.code == code))
    if opd is None:
        opd = Opd(code=code, name=f"OPD Benchmark {tag}".strip(), address="-", head_name="-")
        db.session.add(opd)
        db.session.flush()
    email = f"bench{tag.lower()}@benchmark.invalid"
    officer = db.session.scalar(select(User).where(User.email == email))
    if officer is None:
        officer = User(
            email=email,
            full_name=f"Pejabat Benchmark {tag}".strip(),
            role="opd",
            opd_id=opd.id,
            password_hash="-",  # noqa: S106 - not a hash: this account cannot log in
        )
        db.session.add(officer)
    db.session.commit()
    return officer


@functools.cache
def busiest_kind(category_id: int) -> int:
    """The kind of the category with the most listed products: the one requests name."""
    return db.session.execute(
        select(Product.kind_id)
        .where(Product.category_id == category_id, Product.is_listed)
        .group_by(Product.kind_id)
        .order_by(func.count().desc(), Product.kind_id)
        .limit(1)
    ).scalar_one()


def terms(category_id: int, quantity: int, hps: int, days: int, n: int) -> RequestInput:
    today = today_in_jakarta()
    return RequestInput(
        title=f"Benchmark alokasi {n}",
        kind_id=busiest_kind(category_id),
        specification="-",
        quantity=quantity,
        unit="potong",
        hps_unit_price=hps,
        needed_by=today + dt.timedelta(days=days),
        delivery_address="-",
        budget_code="-",
        fiscal_year=today.year,
    )


def count_eligible(app, request) -> int:  # type: ignore[no-untyped-def]
    """UMKM with an eligible offer for ``request``: the policy's rules over every offer."""
    policy_request = facts.policy_request(request)
    settings = facts.policy_settings(app.config)
    t = jakarta_date(policy_request.created_at)
    offers = facts.load_offers(db.session, request.category_id, request.needed_by)
    supplier = {f.umkm_id: f for f in facts.load_facts(db.session, request.category_id, t)}
    eligible = [
        o for o in offers if not eligibility(o, policy_request, supplier[o.umkm_id], settings)
    ]
    return len(representatives(eligible))


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, round(share * len(ordered)) - 1)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--category", default="batik")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=5)
    parser.add_argument("--quantity", type=int, default=50)
    parser.add_argument("--hps", type=int, default=900_000)
    parser.add_argument("--days", type=int, default=25, help="needed-by, days from today")
    parser.add_argument("--no-count", action="store_true", help="skip counting eligible UMKM")
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(args.database_url)})
    timings: list[float] = []
    load_before = os.getloadavg()
    with app.app_context():
        category_id = db.session.scalar(select(Category.id).where(Category.slug == args.category))
        assert category_id is not None, f"no category {args.category}"
        products = db.session.scalar(
            select(func.count()).select_from(Product).where(Product.category_id == category_id)
        )
        officer = bench_officer()
        officer_id, opd_id = officer.id, officer.opd_id
        first = create_request(
            db.session,
            terms(category_id, args.quantity, args.hps, args.days, 0),
            opd_id=opd_id,
            actor_id=officer_id,
            config=app.config,
        )
        db.session.commit()
        if not args.no_count:
            started = time.perf_counter()
            eligible = count_eligible(app, first)
            print(
                f"eligible UMKM for Q={args.quantity}, HPS {args.hps}, D=+{args.days} days: "
                f"{eligible:,} (counted with the policy over every offer in "
                f"{time.perf_counter() - started:.1f} s, untimed)"
            )
        stored = read = most_read = 0
        for n in range(args.warmup + args.requests):
            # Vary the terms a little; the lottery differs per request id anyway.
            request = create_request(
                db.session,
                terms(category_id, args.quantity - n % 5, args.hps, args.days + n % 3, n + 1),
                opd_id=opd_id,
                actor_id=officer_id,
                config=app.config,
            )
            db.session.commit()
            start = time.perf_counter()
            run = run_allocation(db.session, request, actor_id=officer_id, config=app.config)
            db.session.commit()
            elapsed = (time.perf_counter() - start) * 1000
            if n >= args.warmup:
                timings.append(elapsed)
            rest = run.result.get(REST_OF_RANKING) or {}
            stored, read = len(run.result["candidates"]), rest.get("read_umkm", stored)
            most_read = max(most_read, read)
            db.session.expunge_all()
    print(
        f"category {args.category}: {products:,} products; the last run read {read} UMKM "
        f"(at most {most_read}) and stored {stored} candidates "
        f"({'top of the ranking' if rest else 'whole ranking'})"
    )
    print(
        f"run_allocation + commit over {len(timings)} requests ({args.warmup} warm-up not "
        f"counted): median {statistics.median(timings):.1f} ms, "
        f"p95 {percentile(timings, 0.95):.1f} ms, max {max(timings):.1f} ms"
    )
    load_after = os.getloadavg()
    print(
        "load average (1, 5, 15 min): before "
        + " ".join(f"{x:.2f}" for x in load_before)
        + ", after "
        + " ".join(f"{x:.2f}" for x in load_after)
        + f" on {os.cpu_count()} CPUs"
    )


if __name__ == "__main__":
    main()
