"""The big lists at the seeded size: server time through the Flask test client.

    .venv/bin/python benchmarks/lists.py \\
        --database-url postgresql://postgres@127.0.0.1/procure_bench_lists --repeat 50

The database must already be migrated and seeded (a copy of the one ``benchmarks/pages.py``
seeds: 100,000 UMKM and 200,000 orders). Each list is asked ``--warmup`` times unmeasured, then
``--repeat`` times, one request after the other in this process (no network, no worker queue:
the time Flask, the queries and the template take): the officer of the OPD with the most orders
(its orders, its orders filtered by a to-do step, its requests) and an admin (the UMKM list,
the verification queue, the omzet compliance page, the orders of every OPD). Printed: p50, p95
and the slowest in milliseconds, then (``--queries``) each list's statements of one request,
slowest first. It writes nothing.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from flask import g
from flask_login import FlaskLoginClient
from sqlalchemy import event, func, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from procure import create_app  # noqa: E402 - after the path fix, so a checkout runs as is
from procure.auth.models import Role, User  # noqa: E402
from procure.config import normalise_database_url  # noqa: E402
from procure.extensions import db, login_manager  # noqa: E402
from procure.procurement.models import PurchaseOrder, PurchaseRequest  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1/procure_bench_lists"
GOAL_MS = 150
PAGES = [
    (Role.OPD, "/pengadaan/pesanan"),
    (Role.OPD, "/pengadaan/pesanan?page=400"),
    (Role.OPD, "/pengadaan/pesanan?status=paid"),
    (Role.OPD, "/pengadaan/pesanan?langkah=bayar"),
    (Role.OPD, "/pengadaan/permintaan"),
    (Role.ADMIN, "/pengadaan/pesanan"),
    (Role.ADMIN, "/admin/umkm"),
    (Role.ADMIN, "/admin/umkm?q=batik"),
    (Role.ADMIN, "/admin/verifikasi"),
    (Role.ADMIN, "/omzet/kepatuhan"),
]


def user_for(role: Role) -> User | None:
    """The officer of the OPD with the most orders; else the first enabled user of the role."""
    stmt = select(User).where(User.role == role.value, User.is_enabled.is_(True))
    if role is Role.OPD:
        busiest = (
            select(PurchaseRequest.opd_id)
            .join(PurchaseOrder, PurchaseOrder.request_id == PurchaseRequest.id)
            .group_by(PurchaseRequest.opd_id)
            .order_by(func.count().desc())
            .limit(1)
            .scalar_subquery()
        )
        found = db.session.scalar(stmt.where(User.opd_id == busiest).limit(1))
        if found is not None:
            return found
    return db.session.scalar(stmt.order_by(User.id).limit(1))


def summary(timings: list[float]) -> str:
    p95 = statistics.quantiles(timings, n=100, method="inclusive")[94] if len(timings) > 1 else 0
    return (
        f"p50 {statistics.median(timings):7.1f}  p95 {p95:7.1f}  max {max(timings):7.1f} ms"
        f"  ({len(timings)} requests)"
    )


def query_times(action: Callable[[], Any]) -> list[str]:
    """Each statement of one request with its time, slowest first."""
    found: list[tuple[float, str]] = []
    engine = db.engine

    def before(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        conn.info["started"] = time.perf_counter()

    def after(conn: Any, cursor: Any, statement: str, *args: Any) -> None:
        found.append(((time.perf_counter() - conn.info["started"]) * 1000, statement))

    event.listen(engine, "before_cursor_execute", before)
    event.listen(engine, "after_cursor_execute", after)
    try:
        action()
    finally:
        event.remove(engine, "before_cursor_execute", before)
        event.remove(engine, "after_cursor_execute", after)
    found.sort(key=lambda f: -f[0])
    return [f"    {ms:7.1f} ms  {' '.join(s.split())[:160]}" for ms, s in found]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=50, help="timed requests per list")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per list")
    parser.add_argument("--only", default="", help="paths containing this text")
    parser.add_argument("--queries", action="store_true", help="list each page's statements")
    args = parser.parse_args()

    url = normalise_database_url(args.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark-only"})
    app.test_client_class = FlaskLoginClient  # logged in as the user given
    with app.app_context():
        users = {role: user_for(role) for role, _ in PAGES}
        db.session.rollback()
        # The test client's session carries no browser mark for "strong" protection.
        login_manager.session_protection = None
        for role, path in PAGES:
            user = users[role]
            if args.only not in path:
                continue
            if user is None:
                print(f"{role.value:>6} {path}: no {role.value} account, skipped")
                continue
            client = app.test_client(user=user)

            def get(client: Any = client, path: str = path) -> None:
                # One app context serves every request here: forget the last request's user.
                g.pop("_login_user", None)
                response = client.get(path)
                if response.status_code != 200:
                    raise SystemExit(f"{path}: HTTP {response.status_code}")

            for _ in range(args.warmup):
                get()
            timings = []
            for _ in range(args.repeat):
                started = time.perf_counter()
                get()
                timings.append((time.perf_counter() - started) * 1000)
            print(f"{role.value:>6} {path:<34} {summary(timings)}", flush=True)
            if args.queries:
                print("\n".join(query_times(get)))


if __name__ == "__main__":
    main()
