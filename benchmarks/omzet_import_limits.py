"""Omzet import limits (issue 10, finding 2): the checks stay linear, refusals are quick.

Usage::

    .venv/bin/python benchmarks/omzet_import_limits.py --database-url sqlite:////tmp/bench_limits.db
    .venv/bin/python benchmarks/omzet_import_limits.py \
        --database-url postgresql://postgres@127.0.0.1/procure_bench_limits   # createdb first

For 5,000 / 20,000 / 100,000 rows it times ``import_omzet`` as a dry run (read, every check,
no write) on two CSV files: one row repeated N times (every row a duplicate: the case that was
quadratic, 10,000 rows 9.9 s) and N distinct unregistered NIBs (one error per row). Then the
limit checks alone on an XLSX of N rows (zip directory, real inflate, streaming scan) against
the whole read, and the refusals of the crafted files (one cell at XFD1048576, a million rows
declared, a bomb).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import func, select, update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from procure import create_app  # noqa: E402
from procure.config import normalise_database_url  # noqa: E402
from procure.extensions import db  # noqa: E402
from procure.omzet.imports.bounds import check_xlsx  # noqa: E402
from procure.omzet.imports.importer import ImportSettings, import_omzet  # noqa: E402
from procure.omzet.imports.limits import ImportLimits  # noqa: E402
from procure.omzet.imports.table import FileRefused, read_table  # noqa: E402
from procure.omzet.services import today_in_jakarta  # noqa: E402
from procure.umkm.models import Umkm  # noqa: E402
from tests.omzet_files import far_cell_xlsx, header_row, sheet, xlsx  # noqa: E402

SIZES = (5_000, 20_000, 100_000)


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def prepare() -> str:
    from flask_migrate import upgrade

    from procure.sample_data.seed import seed

    upgrade()
    if not db.session.scalar(select(func.count()).select_from(Umkm)):
        seed(db.session, 100, products_per_umkm=1, progress=False)
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=800)
    db.session.execute(update(Umkm).values(submitted_at=long_ago))
    db.session.commit()
    return str(db.session.scalar(select(Umkm.nib).order_by(Umkm.id)))


def dry_run(data: bytes, settings: ImportSettings) -> int:
    result = import_omzet(
        db.session,
        data,
        "bench.csv",
        actor_id=None,
        settings=settings,
        dry_run=True,
        today=today_in_jakarta(),
    )
    db.session.rollback()
    return len(result.errors)


def csv_files(nib: str, rows: int) -> dict[str, bytes]:
    head = "NIB;periode;omzet\n"
    return {
        "one row repeated": (head + f"{nib};2026-10;12.500.000\n" * rows).encode(),
        "distinct unknown NIBs": (
            head + "".join(f"{9_000_000_000_000 + i};2026-10;1.000\n" for i in range(rows))
        ).encode(),
    }


def xlsx_of(rows: int) -> bytes:
    frame = pd.DataFrame(
        {"NIB": [f"{i:013d}" for i in range(rows)], "periode": "2026-10", "omzet": 12_500_000}
    )
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    return buffer.getvalue()


def refusal(data: bytes) -> str:
    try:
        read_table(data)
    except FileRefused as exc:
        return exc.errors[0].message[:60]
    return "read (not refused)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    args = parser.parse_args()
    url = normalise_database_url(args.database_url)
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        print(f"database: {db.engine.dialect.name}")
        nib = prepare()
        settings = ImportSettings.from_config(app.config)
        print("\n| rows | file | size | dry run (s) | errors |\n|---:|---|---:|---:|---:|")
        for rows in SIZES:
            for name, data in csv_files(nib, rows).items():
                seconds, errors = timed(lambda data=data: dry_run(data, settings))
                size = f"{len(data) / 1024:,.0f} KB"
                print(f"| {rows:,} | {name} | {size} | {seconds:.2f} | {errors:,} |", flush=True)
        print("\n| rows | XLSX size | limit checks (s) | whole read (s) |\n|---:|---:|---:|---:|")
        for rows in SIZES:
            data = xlsx_of(rows)
            check, _ = timed(lambda data=data: check_xlsx(data, ImportLimits()))
            whole, _ = timed(lambda data=data: read_table(data))
            print(f"| {rows:,} | {len(data) / 1024:,.0f} KB | {check:.2f} | {whole:.2f} |")
        crafted = {
            "one cell at XFD1048576": far_cell_xlsx(),
            "1,000,000 rows, dimension declared": xlsx(
                sheet(header_row() + '<row r="2"><c r="A2"><v>1</v></c></row>', "A1:C1000000")
            ),
            "1,000,000 rows, no dimension": xlsx(
                sheet(header_row() + "<row><c><v>1</v></c></row>" * 1_000_000)
            ),
            "300 MB of zeros in one part": xlsx(
                sheet(header_row()), {"xl/media/x.bin": b"\x00" * 300_000_000}
            ),
        }
        print("\n| crafted file | size | refused in (s) | message |\n|---|---:|---:|---|")
        for name, data in crafted.items():
            seconds, message = timed(lambda data=data: refusal(data))
            print(f"| {name} | {len(data) / 1024:,.1f} KB | {seconds:.3f} | {message}… |")


if __name__ == "__main__":
    main()
