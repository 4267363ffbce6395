"""The list of UMKM waiting for their first order: the first page's query work, timed.

    .venv/bin/python benchmarks/passed_over.py --database-url postgresql://postgres@127.0.0.1/procure_bench_spread

``passed_over.page`` is everything the page's view asks of the database (the list, its count
and the reasons of the page's 50 UMKM); the template is not included.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

import host  # benchmarks/ is the script's own folder

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from procure import create_app  # noqa: E402 - after the path fix, so a checkout runs as is
from procure.clock import today_in_jakarta  # noqa: E402
from procure.config import normalise_database_url  # noqa: E402
from procure.extensions import db  # noqa: E402
from procure.spread import passed_over  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--repeat", type=int, default=6)
    args = parser.parse_args()
    app = create_app({"SQLALCHEMY_DATABASE_URI": normalise_database_url(args.database_url)})
    with app.app_context():
        print("\n".join(host.machine()))
        today = today_in_jakarta()
        times = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            page = passed_over.page(db.session, today, passed_over.Filters(), 1)
            db.session.rollback()
            times.append((time.perf_counter() - started) * 1000)
        print(f"- {page.total:,} UMKM on the list; {len(page.rows)} on the first page")
        print(
            "- first page: "
            + ", ".join(f"{t:.0f}" for t in times)
            + f" ms; median after the first {statistics.median(times[1:]):.0f} ms"
        )


if __name__ == "__main__":
    main()
