"""The import service on files that once killed or stalled a worker (issue 10, finding 2):
refused or reported row by row, nothing written, on SQLite and PostgreSQL."""

from __future__ import annotations

import dataclasses
import datetime as dt

from sqlalchemy import func, select

from procure.extensions import db
from procure.omzet.imports.importer import ImportResult, ImportSettings, import_omzet
from procure.omzet.models import OmzetReport
from procure.umkm.models import Umkm
from tests import factories
from tests.omzet_files import far_cell_xlsx, header_row, sheet, text_cell, xlsx

TODAY = dt.date(2026, 11, 15)
REGISTERED = dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC)
SETTINGS = ImportSettings(deadline_day=10, max_monthly=50_000_000_000, max_bytes=10 * 1024 * 1024)


def run(data: bytes, name: str = "omzet.csv", **changes: int) -> ImportResult:
    settings = dataclasses.replace(SETTINGS, **changes)
    result = import_omzet(
        db.session, data, name, actor_id=None, settings=settings, dry_run=False, today=TODAY
    )
    db.session.commit()
    return result


def business() -> Umkm:
    umkm = factories.umkm(submitted_at=REGISTERED)
    db.session.commit()
    return umkm


def report_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OmzetReport)) or 0


def test_the_far_cell_file_is_refused_and_nothing_is_written(app) -> None:  # type: ignore[no-untyped-def]
    result = run(far_cell_xlsx(), "jauh.xlsx")
    assert [e.row for e in result.errors] == [0]
    assert "sampai sel XFD1048576" in result.errors[0].message
    assert result.import_id is None and report_count() == 0


def test_20000_repeated_rows_are_each_reported_once_with_a_short_message(app) -> None:  # type: ignore[no-untyped-def]
    """600 KB of one repeated row: every message once listed all 20,000 row numbers, so the
    check grew with the square of the rows (10,000 rows: 9.9 s)."""
    umkm = business()
    data = ("NIB;periode;omzet\n" + f"{umkm.nib};2026-10;12.500.000\n" * 20_000).encode()
    assert len(data) > 500_000
    result = run(data)
    assert result.row_count == 20_000
    assert sorted(e.row for e in result.errors) == list(range(2, 20_002))  # once per row
    messages = {e.message for e in result.errors}
    assert len(messages) == 1  # one message for the group, built once
    (message,) = messages
    assert "(baris 2, 3, 4, 5, 6 dan 19.995 baris lain; 20.000 kali)" in message
    assert len(message) < 200
    assert result.import_id is None and report_count() == 0


def test_many_repeated_pairs_are_reported_per_pair(app) -> None:  # type: ignore[no-untyped-def]
    a, b = business(), business()
    lines = [f"{nib};2026-{m:02d};1000" for nib in (a.nib, b.nib) for m in (8, 9, 10)] * 2
    result = run(("NIB;periode;omzet\n" + "\n".join(lines) + "\n").encode())
    assert len(result.errors) == 12
    first = next(e for e in result.errors if e.row == 2)
    assert f"NIB {a.nib} periode 2026-08 muncul lebih dari sekali (baris 2, 8)" in first.message


def test_an_omzet_of_4301_digits_is_a_row_error_not_a_crash(app) -> None:  # type: ignore[no-untyped-def]
    umkm = business()
    data = f"NIB;periode;omzet\n{umkm.nib};2026-10;{'1' * 4301}\n".encode()
    result = run(data)
    assert [(e.row, e.column) for e in result.errors] == [(2, "omzet")]
    assert "Omzet terlalu panjang" in result.errors[0].message
    raised = run(data, max_cell_chars=10_000)  # the cell limit raised: the digit guard holds
    assert "Omzet terlalu panjang (4.301 digit)" in raised.errors[0].message
    assert report_count() == 0


def test_rows_just_under_and_over_the_limit(app) -> None:  # type: ignore[no-untyped-def]
    umkm = business()
    lines = "".join(f"{umkm.nib};2026-{m:02d};1000\n" for m in range(1, 11))  # 10 data rows
    data = ("NIB;periode;omzet\n" + lines).encode()
    assert "lebih dari 10 baris" in run(data, max_rows=10).errors[0].message
    assert report_count() == 0
    fits = run(data, max_rows=11)
    assert fits.ok, fits.errors[:3]
    assert fits.created == 10 and report_count() == 10


def test_too_many_columns_in_an_xlsx(app) -> None:  # type: ignore[no-untyped-def]
    umkm = business()
    row = (
        '<row r="2">'
        + text_cell("A2", umkm.nib)
        + text_cell("B2", "2026-10")
        + text_cell("C2", "1000")
        + text_cell("AA2", "catatan")
        + "</row>"
    )
    refused = run(xlsx(sheet(header_row() + row)), "lebar.xlsx")
    assert "sampai sel AA2" in refused.errors[0].message
    fits = run(xlsx(sheet(header_row() + row.replace("AA2", "Z2"))), "pas.xlsx")
    assert fits.ok and fits.created == 1
