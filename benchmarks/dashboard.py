"""The pemerataan dashboard's figures: built afresh, refreshed into the store, and pages served.

    .venv/bin/python benchmarks/dashboard.py --period 2026 --repeat 20
    .venv/bin/python benchmarks/dashboard.py --database-url sqlite:////tmp/bench.db

The database must already hold a seed with a year of orders (``procure seed`` with its orders)
and be migrated (the store, ``spread_report``). Times, ``--repeat`` times each after
``--warmup`` unmeasured runs, each in its own transaction as a request would be:

- ``build_report`` afresh (the one service every output reads) for the whole Pemda and for one
  OPD (the OPD with the most orders in the period, as an officer's view);
- a refresh of the stored report (``store.refresh``: fingerprint, build, write the JSON);
- pages through the Flask test client with the store warm (what a visitor gets): the dashboard
  ``/pemerataan/`` as an admin, as that OPD's officer, and the public page ``/transparansi/``
  (template rendering, charts and all included);

and prints the median, p95 and slowest in milliseconds, with the time of each query of one
fresh build (``--explain`` prints PostgreSQL's plans of the slowest ones). It writes only the
stored reports of the period.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import host  # benchmarks/ is the script's own folder
from flask_login import FlaskLoginClient
from sqlalchemy import func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measure import query_times  # noqa: E402 - benchmarks/, the script's folder

from procure import create_app  # noqa: E402 - after the path fix, so a checkout runs as is
from procure.auth.models import User  # noqa: E402
from procure.clock import today_in_jakarta  # noqa: E402
from procure.config import normalise_database_url  # noqa: E402
from procure.extensions import db, login_manager  # noqa: E402
from procure.omzet.models import OmzetReport  # noqa: E402
from procure.procurement.models import PurchaseOrder, PurchaseRequest  # noqa: E402
from procure.spread import store  # noqa: E402
from procure.spread.periods import ReportPeriod  # noqa: E402
from procure.spread.services import build_report  # noqa: E402
from procure.umkm.models import Umkm  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1/procure_bench_spread"
GOAL_MS = 500


def machine() -> list[str]:
    return host.database_machine(
        db, {"UMKM": Umkm, "orders": PurchaseOrder, "omzet rows": OmzetReport}
    )


def busiest_opd(period: ReportPeriod) -> int | None:
    start = dt.datetime.combine(period.start, dt.time(), dt.UTC)
    found = db.session.scalar(
        select(PurchaseRequest.opd_id)
        .join(PurchaseOrder, PurchaseOrder.request_id == PurchaseRequest.id)
        .where(PurchaseOrder.issued_at >= start)
        .group_by(PurchaseRequest.opd_id)
        .order_by(func.count().desc())
        .limit(1)
    )
    db.session.rollback()
    return found


def timed(action: Callable[[], Any], repeat: int, warmup: int) -> list[float]:
    for _ in range(warmup):
        action()
        db.session.rollback()
    timings = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        db.session.rollback()  # the transaction ends, as a request's does
        timings.append((time.perf_counter() - started) * 1000)
    return timings


def summary(timings: list[float]) -> str:
    p95 = statistics.quantiles(timings, n=100, method="inclusive")[94] if len(timings) > 1 else 0
    return (
        f"median {statistics.median(timings):7.1f} ms  p95 {p95:7.1f} ms  "
        f"max {max(timings):7.1f} ms  ({len(timings)} runs; goal p95 ≤ {GOAL_MS} ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--period", default=str(today_in_jakarta().year))
    parser.add_argument("--repeat", type=int, default=20, help="timed runs per case")
    parser.add_argument("--warmup", type=int, default=2, help="untimed runs per case")
    parser.add_argument("--explain", action="store_true", help="plans of the slowest queries")
    args = parser.parse_args()

    url = normalise_database_url(args.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark-only"})
    period = ReportPeriod.parse(args.period)
    today = today_in_jakarta()
    shown = period.clipped(today) if period.start <= today else period  # as the pages ask
    with app.app_context():
        print("\n".join(machine()))
        opd_id = busiest_opd(period)
        cases: list[tuple[str, Callable[[], Any]]] = [
            ("Pemda afresh", lambda: build_report(db.session, shown, today=today)),
        ]
        if opd_id is not None:
            cases.append(
                (
                    f"OPD #{opd_id} afresh",
                    lambda: build_report(db.session, shown, today=today, opd_id=opd_id),
                )
            )
        cases.append(("refresh", lambda: store.refresh(db.session, shown, None, today)))
        admin = db.session.scalar(select(User).where(User.role == "admin").limit(1))
        officer = db.session.scalar(
            select(User).where(User.role == "opd", User.opd_id == opd_id).limit(1)
        )
        app.test_client_class = FlaskLoginClient  # logged in as the user given
        clients = {
            name: app.test_client(user=user)
            for name, user in (("admin", admin), ("officer", officer))
            if user is not None
        }
        # The test client's session carries no browser mark for "strong" protection.
        login_manager.session_protection = None
        clients["visitor"] = app.test_client()
        db.session.rollback()

        def page(url: str, who: str) -> Callable[[], Any]:
            def get() -> None:
                response = clients[who].get(url)
                if response.status_code != 200:
                    raise SystemExit(f"{url}: HTTP {response.status_code}")

            return get

        query = f"?periode={period}"
        if "admin" in clients:
            cases.append(("dashboard admin", page("/pemerataan/" + query, "admin")))
        if "officer" in clients:
            cases.append(("dashboard OPD", page("/pemerataan/" + query, "officer")))
        cases.append(("public page", page("/transparansi/" + query, "visitor")))
        report = cases[0][1]()
        db.session.rollback()
        s = report.pemda
        print(
            f"- period {period} ({period.label}): {s.order_count:,} orders, "
            f"Rp {s.spend:,} spend, {s.umkm_with_orders:,} of {s.umkm_count:,} UMKM with orders, "
            f"Gini {float(s.gini):.3f}, {s.sized_count:,} sized, {len(report.opds)} OPDs"
        )
        for name, action in cases:
            print(f"{name:>16}: {summary(timed(action, args.repeat, args.warmup))}", flush=True)
        for name, action in cases[:1]:
            print(f"\nQueries of one run ({name}):")
            print("\n".join(query_times(action, args.explain)))


if __name__ == "__main__":
    main()
