"""Each role's home page at the seeded size: server time through the Flask test client.

    .venv/bin/python benchmarks/homes.py \\
        --database-url postgresql://postgres@127.0.0.1/procure_bench_admin --repeat 50

The database must already be migrated and seeded (``procure seed --umkm 100000 --orders
200000``, or a copy of the one ``benchmarks/pages.py`` seeds). Each home is asked
``--warmup`` times unmeasured, then ``--repeat`` times, one request after the other in this
process (no network, no worker queue: the time Flask, the queries and the template take),
as: an admin (``/admin/``), the inspector (``/pemeriksaan/``), the officer of the OPD with the
most orders (``/opd/``) and the account of the UMKM with the most orders (``/umkm/``). An
account missing for a role is borrowed from the first user of that role, or the role is
skipped. Printed: p50, p95 and the slowest in milliseconds against the 150 ms p95 goal, then
each home's queries of one request, slowest first (``--explain`` adds PostgreSQL's plans of
the three slowest). It writes nothing.

The admin home keeps the register's figures for five minutes at this size
(``procure/admin/dashboard.py``): the warm-up counts them, the timed requests read them kept.
``--count-every-view`` times the view that counts them (once per five minutes per worker).
"""

from __future__ import annotations

import argparse
import statistics
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import host  # benchmarks/ is the script's own folder
from flask import g
from flask_login import FlaskLoginClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measure import query_times, timed, user_for  # noqa: E402 - benchmarks/, the script's folder

from procure import create_app  # noqa: E402 - after the path fix, so a checkout runs as is
from procure.admin import dashboard  # noqa: E402
from procure.auth.models import Role  # noqa: E402
from procure.config import normalise_database_url  # noqa: E402
from procure.extensions import db, login_manager  # noqa: E402
from procure.procurement.models import PurchaseOrder  # noqa: E402
from procure.umkm.models import Product, Umkm  # noqa: E402

DEFAULT_URL = "postgresql://postgres@127.0.0.1/procure_bench_admin"
GOAL_MS = 150
HOMES = {
    Role.ADMIN: "/admin/",
    Role.INSPECTOR: "/pemeriksaan/",
    Role.OPD: "/opd/",
    Role.UMKM: "/umkm/",
}


def summary(timings: list[float]) -> str:
    p95 = statistics.quantiles(timings, n=100, method="inclusive")[94] if len(timings) > 1 else 0
    verdict = "ok" if p95 <= GOAL_MS else "MISSES"
    return (
        f"p50 {statistics.median(timings):6.1f} ms  p95 {p95:6.1f} ms  "
        f"max {max(timings):6.1f} ms  ({len(timings)} requests; goal p95 ≤ {GOAL_MS} ms: "
        f"{verdict})"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=DEFAULT_URL)
    parser.add_argument("--repeat", type=int, default=50, help="timed requests per home")
    parser.add_argument("--warmup", type=int, default=5, help="untimed requests per home")
    parser.add_argument("--explain", action="store_true", help="plans of the slowest queries")
    parser.add_argument("--only", default="", help="homes whose path contains this")
    parser.add_argument(
        "--count-every-view",
        action="store_true",
        help="the admin home counts the register on every view (its cost once per keep time)",
    )
    parser.add_argument("--no-queries", action="store_true", help="skip the query listing")
    args = parser.parse_args()

    if args.count_every_view:
        dashboard.KEEP_FROM_UMKM = sys.maxsize
    url = normalise_database_url(args.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark-only"})
    app.test_client_class = FlaskLoginClient  # logged in as the user given
    with app.app_context():
        print("\n".join(host.database_machine(db, {"UMKM": Umkm, "products": Product,
                                                    "orders": PurchaseOrder})))  # fmt: skip
        users = {role: user_for(role) for role in HOMES}
        db.session.rollback()
        # The test client's session carries no browser mark for "strong" protection.
        login_manager.session_protection = None
        cases: list[tuple[str, Callable[[], Any]]] = []
        for role, path in HOMES.items():
            user = users[role]
            if user is None:
                print(f"{role.value:>9} {path}: no {role.value} account, skipped")
                continue
            client = app.test_client(user=user)

            def get(client: Any = client, path: str = path) -> None:
                # Requests share this app context's ``g``: forget the last request's user.
                g.pop("_login_user", None)
                response = client.get(path)
                if response.status_code != 200:
                    raise RuntimeError(f"{path}: HTTP {response.status_code}")

            cases.append((f"{role.value:>9} {path:<14}", get))
        measured = []
        for name, action in cases:
            if args.only and args.only not in name:
                continue
            try:
                print(f"{name}: {summary(timed(action, args.repeat, args.warmup))}", flush=True)
            except RuntimeError as refused:  # e.g. an account not allowed in: say so, go on
                print(f"{name}: {refused}", flush=True)
                continue
            measured.append((name, action))
        if not args.no_queries:
            for name, action in measured:
                print(f"\nQueries of one request ({name.strip()}):")
                print("\n".join(query_times(action, args.explain, width=140)))


if __name__ == "__main__":
    main()
