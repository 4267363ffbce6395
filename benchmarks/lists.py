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
from pathlib import Path
from typing import Any

from flask import g
from flask_login import FlaskLoginClient

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from measure import query_times, timed, user_for  # noqa: E402 - benchmarks/, the script's folder

from procure import create_app  # noqa: E402 - after the path fix, so a checkout runs as is
from procure.auth.models import Role  # noqa: E402
from procure.config import normalise_database_url  # noqa: E402
from procure.extensions import db, login_manager  # noqa: E402

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


def summary(timings: list[float]) -> str:
    p95 = statistics.quantiles(timings, n=100, method="inclusive")[94] if len(timings) > 1 else 0
    return (
        f"p50 {statistics.median(timings):7.1f}  p95 {p95:7.1f}  max {max(timings):7.1f} ms"
        f"  ({len(timings)} requests)"
    )


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

            timings = timed(get, args.repeat, args.warmup)
            print(f"{role.value:>6} {path:<34} {summary(timings)}", flush=True)
            if args.queries:
                print("\n".join(query_times(get, width=160)))


if __name__ == "__main__":
    main()
