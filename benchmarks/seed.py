"""Time ``procure seed`` on fresh SQLite and PostgreSQL databases.

    .venv/bin/python benchmarks/seed.py --umkm 100000 --repeat 3
    .venv/bin/python benchmarks/seed.py --umkm 100000 --orders 200000 \
        --backends postgresql --methods copy

Each run gets a new, migrated database (SQLite: a file in a temporary folder; PostgreSQL: a
scratch database created through --postgres-admin-url and dropped afterwards), then seeds it
with the same function as ``procure seed``, commit included; migrating is not counted.
Prints the machine and a Markdown table for docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import os
import platform
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from host import cpu_model, load_average, ram_gib  # noqa: E402 - benchmarks/ is the script's own folder
from scratch import scratch_postgres  # noqa: E402

from procure import create_app  # noqa: E402 - after the path fix, so a checkout runs as is
from procure.extensions import db  # noqa: E402
from procure.sample_data.seed import seed  # noqa: E402

RUNS = {"sqlite": ("insert",), "postgresql": ("copy", "insert")}


@contextmanager
def fresh_database(backend: str, admin_url: str) -> Iterator[str]:
    """The URL of a new empty database, removed on exit."""
    if backend == "sqlite":
        with tempfile.TemporaryDirectory() as folder:
            yield f"sqlite:///{folder}/seed.db"
        return
    with scratch_postgres(admin_url, "procure_seedbench") as url:
        yield url


def run_once(
    url: str, umkm: int, method: str, batch: int, omzet_months: int, orders: int = 0
) -> tuple[int, float, float]:
    """Migrate ``url``, then seed it; (rows written, seconds including the commit, of which
    the orders)."""
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "benchmark-only"})
    with app.app_context():
        upgrade()
        started = time.perf_counter()
        result = seed(
            db.session,
            umkm,
            method=method,
            batch_size=batch,
            progress=False,
            omzet_months=omzet_months,
            deadline_day=app.config["OMZET_DEADLINE_DAY"],
            orders=orders,
        )
        db.session.commit()
        seconds = time.perf_counter() - started
        db.session.remove()
        db.engine.dispose()
    if orders:
        writes = ", ".join(f"{name} {s:.1f} s" for name, s in result.order_writes.items())
        print(f"  orders: {result.orders_seconds:.1f} s (writing: {writes})", flush=True)
    return result.rows, seconds, result.orders_seconds


def machine(admin_url: str) -> list[str]:
    engine = create_engine(admin_url)
    with engine.connect() as conn:
        pg = conn.scalar(text("SHOW server_version"))
    engine.dispose()
    return [
        f"- CPU: {cpu_model()}, {os.cpu_count()} vCPU (nproc), RAM {ram_gib():.0f} GiB",
        f"- Python {platform.python_version()}, SQLite {sqlite3.sqlite_version}, PostgreSQL {pg}",
        f"- load average before the runs: {load_average()}",
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--umkm", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--batch", type=int, default=10_000)
    parser.add_argument("--omzet-months", type=int, default=12, help="as procure seed; 0: none")
    parser.add_argument("--orders", type=int, default=0, help="as procure seed; 0: none")
    parser.add_argument("--backends", default="sqlite,postgresql")
    parser.add_argument("--methods", default="copy,insert", help="which of them to run")
    parser.add_argument(
        "--postgres-admin-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    args = parser.parse_args()
    print("\n".join(machine(args.postgres_admin_url)))
    print(f"- {time.strftime('%Y-%m-%d %H:%M %Z')}, {args.repeat} runs each, median shown\n")
    print(
        "| backend | method | UMKM | orders | rows | seconds (median) | fastest | rows/s (median) "
        "| orders' seconds (median) |"
    )
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for backend in args.backends.split(","):
        for method in (m for m in RUNS[backend] if m in args.methods.split(",")):
            timings, order_timings, rows = [], [], 0
            for _ in range(args.repeat):
                with fresh_database(backend, args.postgres_admin_url) as url:
                    rows, seconds, orders_seconds = run_once(
                        url, args.umkm, method, args.batch, args.omzet_months, args.orders
                    )
                timings.append(seconds)
                order_timings.append(orders_seconds)
            median = statistics.median(timings)
            print(
                f"| {backend} | {method} | {args.umkm:,} | {args.orders:,} | {rows:,} "
                f"| {median:.1f} | {min(timings):.1f} | {rows / median:,.0f} "
                f"| {statistics.median(order_timings):.1f} |",
                flush=True,
            )


if __name__ == "__main__":
    main()
