"""Omzet import at 100,000 rows: ``import_omzet`` end to end (read + validate + write + commit).

Usage (PostgreSQL: a scratch database, migrated by this script)::

    createdb -h 127.0.0.1 -U postgres procure_bench_import
    .venv/bin/python benchmarks/omzet_import.py \
        --database-url postgresql://postgres@127.0.0.1/procure_bench_import
    .venv/bin/python benchmarks/omzet_import.py --database-url sqlite:////tmp/bench_import.db
    dropdb -h 127.0.0.1 -U postgres procure_bench_import

It seeds ``--umkm`` verified UMKM with ``procure.sample_data.seed`` (registered long ago, so
every month of the file may be filed), writes two files per shape (CSV with ``;`` and
``12.500.000`` amounts,
XLSX with numeric cells), and times, for each: a first import (all rows new), the same file
again (all unchanged, nothing written) and a dry run. Then the compliance list (count and one
page) and its XLSX export, with every UMKM a non-filer (the worst case).
"""

from __future__ import annotations

import argparse
import datetime as dt
import io
import random
import sys
import time
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import delete, func, select, text, update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from procure import create_app  # noqa: E402
from procure.audit.models import AuditLog  # noqa: E402
from procure.config import normalise_database_url  # noqa: E402
from procure.extensions import db  # noqa: E402
from procure.omzet import compliance  # noqa: E402
from procure.omzet.compliance_rules import ReminderContext, reporting_month  # noqa: E402
from procure.omzet.imports.importer import ImportSettings, import_omzet  # noqa: E402
from procure.omzet.models import OmzetImport, OmzetReport  # noqa: E402
from procure.omzet.services import today_in_jakarta  # noqa: E402
from procure.umkm.models import Umkm  # noqa: E402


def timed(action: Callable[[], Any]) -> tuple[float, Any]:
    started = time.perf_counter()
    value = action()
    return time.perf_counter() - started, value


def prepare(umkm_count: int) -> None:
    from flask_migrate import upgrade

    from procure.sample_data.seed import seed

    upgrade()
    have = db.session.scalar(select(func.count()).select_from(Umkm)) or 0
    if have < umkm_count:
        seconds, _ = timed(
            lambda: seed(db.session, umkm_count - have, products_per_umkm=1, progress=False)
        )
        print(f"seeded {umkm_count - have:,} UMKM in {seconds:.1f} s")
    # Registered two years ago: every month of the file is one the UMKM may file.
    long_ago = dt.datetime.now(dt.UTC) - dt.timedelta(days=800)
    db.session.execute(update(Umkm).values(submitted_at=long_ago))
    db.session.commit()


def make_files(umkm: int, months: int, rng: random.Random) -> tuple[bytes, bytes]:
    nibs = db.session.scalars(select(Umkm.nib).order_by(Umkm.id).limit(umkm)).all()
    last = reporting_month(today_in_jakarta())
    periods = [str(last.shift(-i)) for i in range(months)]
    rows = [(nib, p, rng.randrange(0, 400_000_000)) for nib in nibs for p in periods]
    csv_text = "NIB;periode;omzet\r\n" + "".join(
        f"{nib};{p};{amount:,}\r\n".replace(",", ".") for nib, p, amount in rows
    )
    frame = pd.DataFrame(rows, columns=["NIB", "periode", "omzet"])
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    return ("\ufeff" + csv_text).encode("utf-8"), buffer.getvalue()


def clear_omzet() -> None:
    """Back to no omzet at all (TRUNCATE on PostgreSQL: no dead rows left to slow the next run)."""
    db.session.execute(delete(AuditLog).where(AuditLog.action == "omzet.import"))
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("TRUNCATE omzet_report, omzet_import"))
    else:
        db.session.execute(delete(OmzetImport))
        db.session.execute(delete(OmzetReport))
    db.session.commit()


def run_import(data: bytes, name: str, settings: ImportSettings, dry_run: bool = False) -> str:
    result = import_omzet(
        db.session,
        data,
        name,
        actor_id=None,
        settings=settings,
        dry_run=dry_run,
        today=today_in_jakarta(),
    )
    if result.errors:
        raise SystemExit(f"{name}: {len(result.errors)} errors, first: {result.errors[0]}")
    db.session.commit()
    return result.summary


def bench_imports(shapes: list[tuple[int, int]], settings: ImportSettings) -> list[list[str]]:
    rng = random.Random(2026)
    table = []
    for umkm, months in shapes:
        csv_data, xlsx_data = make_files(umkm, months, rng)
        for kind, data in (("CSV", csv_data), ("XLSX", xlsx_data)):
            clear_omzet()
            name = f"omzet-{umkm}x{months}.{kind.lower()}"
            first, summary = timed(partial(run_import, data, name, settings))
            again, _ = timed(partial(run_import, data, name, settings))
            dry, _ = timed(partial(run_import, data, name, settings, dry_run=True))
            size = f"{len(data) / 1024 / 1024:.1f} MB"
            table.append(
                [f"{umkm:,} × {months}", kind, size, f"{first:.2f}", f"{again:.2f}", f"{dry:.2f}"]
            )
            print(
                f"  {kind} {umkm}x{months} ({size}): first {first:.2f} s ({summary}), "
                f"again {again:.2f} s, dry run {dry:.2f} s",
                flush=True,
            )
    return table


def bench_compliance(app: Any, export: bool) -> list[str]:
    clear_omzet()
    today = today_in_jakarta()
    period = reporting_month(today)
    filters = compliance.ComplianceFilter()
    with app.test_request_context():
        reminder = ReminderContext("Sukamaju", "http://localhost/omzet/", 10, today)

        def page() -> int:
            found = db.paginate(compliance.non_filer_ids(period, filters), page=2, per_page=50)
            compliance.page_rows(db.session, found.items, period, reminder)
            compliance.obliged_count(db.session, period, filters)
            return int(found.total or 0)

        seconds, total = timed(page)
        line = [f"{total:,}", f"{seconds:.2f}"]
        if export:
            export_seconds, data = timed(
                lambda: compliance.export_xlsx(
                    compliance.all_rows(db.session, period, filters, reminder), period
                )
            )
            line.append(f"{export_seconds:.1f} ({len(data) / 1024 / 1024:.1f} MB)")
    return line


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--database-url", required=True)
    parser.add_argument("--umkm", type=int, default=100_000)
    parser.add_argument("--skip-export", action="store_true")
    args = parser.parse_args()
    url = normalise_database_url(args.database_url)
    app = create_app({"ENV_NAME": "testing", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        print(f"database: {db.engine.dialect.name}")
        prepare(args.umkm)
        settings = ImportSettings.from_config(app.config)
        shapes = [(args.umkm, 1), (-(-args.umkm // 12), 12)]
        rows = bench_imports(shapes, settings)
        print(
            "\n| UMKM × months | file | size | first import (s) | same file again (s) "
            "| dry run (s) |\n|---|---|---|---|---|---|"
        )
        for row in rows:
            print("| " + " | ".join(row) + " |")
        line = bench_compliance(app, not args.skip_export)
        print(
            f"\ncompliance: {line[0]} non-filers; count + page 2 + obliged: {line[1]} s"
            + (f"; XLSX export: {line[2]} s" if len(line) > 2 else "")
        )
        clear_omzet()


if __name__ == "__main__":
    main()
