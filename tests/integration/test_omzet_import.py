"""The omzet bulk import service: all or nothing, idempotent, CSV and XLSX alike."""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
import pytest
from sqlalchemy import func, select

from procure.audit.models import AuditLog
from procure.extensions import db
from procure.omzet.imports.importer import ImportResult, ImportSettings, import_omzet
from procure.omzet.models import OmzetImport, OmzetReport
from procure.umkm.models import Umkm, UmkmStatus
from tests import factories

TODAY = dt.date(2026, 11, 15)
REGISTERED = dt.datetime(2026, 1, 5, 3, 0, tzinfo=dt.UTC)
SETTINGS = ImportSettings(deadline_day=10, max_monthly=50_000_000_000, max_bytes=10 * 1024 * 1024)


def run(data: bytes | str, name: str = "omzet.csv", dry_run: bool = False) -> ImportResult:
    raw = data.encode() if isinstance(data, str) else data
    result = import_omzet(
        db.session, raw, name, actor_id=None, settings=SETTINGS, dry_run=dry_run, today=TODAY
    )
    db.session.commit()
    return result


def business(**kwargs: object) -> Umkm:
    kwargs.setdefault("submitted_at", REGISTERED)
    return factories.umkm(**kwargs)


def report_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OmzetReport)) or 0


def current(umkm: Umkm, period: str) -> OmzetReport:
    return db.session.scalars(
        select(OmzetReport)
        .where(OmzetReport.umkm_id == umkm.id, OmzetReport.period == period)
        .order_by(OmzetReport.revision.desc())
    ).first()


def messages(result: ImportResult) -> list[str]:
    return [str(e) for e in result.errors]


def assert_nothing_written(result: ImportResult) -> None:
    assert not result.ok
    assert result.import_id is None
    assert report_count() == 0
    assert db.session.scalar(select(func.count()).select_from(OmzetImport)) == 0


def test_valid_csv_creates_first_revisions_one_import_and_one_audit_entry(app) -> None:  # type: ignore[no-untyped-def]
    a, b = business(), business()
    db.session.commit()
    result = run(
        f'NIB,periode,omzet\n{a.nib},2026-09,12500000\n{a.nib},2026-10,"Rp 13.000.000"\n'
        f"{b.nib},2026-10,0\n"
    )
    assert result.ok, messages(result)
    assert (result.row_count, result.created, result.revised, result.unchanged) == (3, 3, 0, 0)
    rows = db.session.scalars(select(OmzetReport).order_by(OmzetReport.id)).all()
    assert [(r.umkm_id, r.period, r.revision, r.amount) for r in rows] == [
        (a.id, "2026-09", 1, 12_500_000),
        (a.id, "2026-10", 1, 13_000_000),
        (b.id, "2026-10", 1, 0),
    ]
    assert {(r.source, r.source_file, r.reason) for r in rows} == {("import", "omzet.csv", None)}
    # Imported on 15 November: September's deadline (10 October) has passed, October's has too.
    assert [r.is_late for r in rows] == [True, True, True]
    log = db.session.scalars(select(OmzetImport)).one()
    assert (log.row_count, log.created_count, log.revised_count, log.unchanged_count) == (
        3,
        3,
        0,
        0,
    )
    assert result.import_id == log.id
    entries = db.session.scalars(select(AuditLog).where(AuditLog.action == "omzet.import")).all()
    assert len(entries) == 1
    assert entries[0].entity_id == log.id and entries[0].data["created"] == 3


def test_filing_before_the_deadline_is_not_late(app) -> None:  # type: ignore[no-untyped-def]
    a = business()
    db.session.commit()
    result = import_omzet(
        db.session,
        f"NIB;periode;omzet\n{a.nib};2026-10;5000\n".encode(),
        "x.csv",
        actor_id=None,
        settings=SETTINGS,
        dry_run=False,
        today=dt.date(2026, 11, 10),
    )
    assert result.ok
    assert current(a, "2026-10").is_late is False


def test_reimporting_the_same_file_changes_nothing(app) -> None:  # type: ignore[no-untyped-def]
    a, b = business(), business()
    db.session.commit()
    text = f"NIB;periode;omzet\n{a.nib};2026-09;12.500.000\n{b.nib};2026-09;7.000.000\n"
    assert run(text).created == 2
    before = report_count()
    again = run(text)
    assert again.ok
    assert (again.created, again.revised, again.unchanged) == (0, 0, 2)
    assert report_count() == before == 2


def test_a_changed_value_becomes_the_next_revision_with_the_file_as_reason(app) -> None:  # type: ignore[no-untyped-def]
    a = business()
    factories.omzet_report(a, "2026-09", 10_000_000, is_late=False)
    db.session.commit()
    result = run(f"NIB;periode;omzet\n{a.nib};2026-09;11.000.000\n", name="koreksi-sept.csv")
    assert (result.created, result.revised, result.unchanged) == (0, 1, 0)
    latest = current(a, "2026-09")
    assert (latest.revision, latest.amount) == (2, 11_000_000)
    assert latest.reason == "impor koreksi-sept.csv"
    assert latest.is_late is False  # a revision keeps the lateness of the first filing


def test_xlsx_imports_the_same_as_csv(app) -> None:  # type: ignore[no-untyped-def]
    a, b = business(), business()
    db.session.commit()
    frame = pd.DataFrame(
        {
            "NIB": [a.nib, b.nib],
            "Bulan": [dt.datetime(2026, 9, 1), "10/2026"],
            "Jumlah": [12_500_000, "Rp 3.250.000"],
        }
    )
    buffer = io.BytesIO()
    frame.to_excel(buffer, index=False, engine="openpyxl")
    result = run(buffer.getvalue(), name="omzet.xlsx")
    assert result.ok, messages(result)
    assert result.created == 2
    assert (current(a, "2026-09").amount, current(b, "2026-10").amount) == (12_500_000, 3_250_000)


def test_nib_with_leading_zeros_stays_text(app) -> None:  # type: ignore[no-untyped-def]
    a = business(nib="0012345678901")
    db.session.commit()
    result = run(f"nib;periode;omzet\n{a.nib};2026-10;1000\n")
    assert result.ok, messages(result)
    assert current(a, "2026-10").amount == 1000
    buffer = io.BytesIO()
    pd.DataFrame({"NIB": [a.nib], "periode": ["2026-09"], "omzet": [2000]}).to_excel(
        buffer, index=False
    )
    assert run(buffer.getvalue(), name="x.xlsx").created == 1


def test_bom_and_semicolons_from_indonesian_excel(app) -> None:  # type: ignore[no-untyped-def]
    a, b = business(), business()
    db.session.commit()
    text = f"NIB;Periode;Omzet\r\n{a.nib};2026-10;12.500.000\r\n{b.nib};2026/10;Rp 1.000,00\r\n"
    ok = run(("\ufeff" + text).encode("utf-8"))
    assert ok.ok, messages(ok)
    assert (current(a, "2026-10").amount, current(b, "2026-10").amount) == (12_500_000, 1000)


def test_bom_file_errors_name_the_spreadsheet_rows(app) -> None:  # type: ignore[no-untyped-def]
    a = business()
    db.session.commit()
    text = (
        f"\ufeffNIB;Periode;Omzet\r\n{a.nib};2026-08;1.000\r\n\r\n"
        f"{a.nib};2026-09;dua juta\r\n;;\r\n{a.nib};2026-13;5\r\n"
    )
    result = run(text.encode("utf-8"))
    assert_nothing_written(result)
    assert [(e.row, e.column) for e in result.errors] == [(4, "omzet"), (6, "periode")]
    assert messages(result)[0].startswith('baris 4, kolom omzet: "dua juta" bukan angka rupiah')


def test_cp1252_csv_is_read(app) -> None:  # type: ignore[no-untyped-def]
    a = business()
    db.session.commit()
    data = f"NIB;periode;omzet;catatan\n{a.nib};2026-10;1.000;café\n".encode("cp1252")
    assert run(data).created == 1


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("kode;bulan;jumlah\n1;2026-10;5\n", "Kolom wajib tidak ada: NIB. Kolom yang ada: kode"),
        ("NIB;omzet\n1;5\n", "Kolom wajib tidak ada: periode. Kolom yang ada: NIB, omzet"),
        ("", "Berkas kosong"),
        ("NIB;periode;omzet\n;;\n", "Berkas kosong: tidak ada baris data"),
    ],
)
def test_files_without_the_columns_or_rows_import_nothing(app, text: str, expected: str) -> None:  # type: ignore[no-untyped-def]
    result = run(text)
    assert_nothing_written(result)
    assert expected in messages(result)[0]


def test_every_row_error_is_listed_and_nothing_is_written(app) -> None:  # type: ignore[no-untyped-def]
    good = business()
    pending = business(status=UmkmStatus.PENDING.value)
    late_comer = business(submitted_at=dt.datetime(2026, 10, 2, tzinfo=dt.UTC))
    db.session.commit()
    text = "\n".join(
        [
            "NIB;periode;omzet",
            f"{good.nib};2026-09;1.000.000",  # 2: fine on its own
            f"{good.nib};2026-10;dua juta",  # 3
            "1234567890123;2026-10;5",  # 4: unknown NIB
            f"{pending.nib};2026-10;5",  # 5: not verified
            f"{good.nib};2026-11;5",  # 6: the current month
            f"{good.nib};2027-01;5",  # 7: the future
            f"{late_comer.nib};2025-09;5",  # 8: 13 months before it registered
            f"{good.nib};2026-08;-5",  # 9: negative
            f"{good.nib};2026-07;60.000.000.000",  # 10: above the ceiling
            f"{good.nib};2026-09;2.000.000",  # 11: duplicate of row 2
            "12345;2026-10;5",  # 12: malformed NIB
            f"{good.nib};;5",  # 13: no period
            f"{good.nib};2026-06;1.500,50",  # 14: cents
        ]
    )
    result = run(text)
    assert_nothing_written(result)
    by_row = {e.row: str(e) for e in result.errors}
    assert sorted(by_row) == [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14]
    assert "NIB 1234567890123 tidak terdaftar" in by_row[4]
    assert "belum terverifikasi" in by_row[5]
    assert "belum bisa dilaporkan" in by_row[6] and "belum bisa dilaporkan" in by_row[7]
    assert "usaha terdaftar Oktober 2026" in by_row[8]
    assert "mulai Oktober 2025 sampai Oktober 2026" in by_row[8]
    assert "tidak boleh negatif" in by_row[9]
    assert "melebihi batas kewajaran" in by_row[10]
    assert (
        "muncul lebih dari sekali (baris 2, 11)"
        in by_row[2]
        == by_row[11].replace("baris 11", "baris 2", 1)
    )
    assert "NIB 12345 hanya 5 digit" in by_row[12]
    assert by_row[13].startswith("baris 13, kolom periode: Periode wajib diisi")
    assert "tanpa sen" in by_row[14]


def test_months_before_registration_are_accepted_back_to_twelve(app) -> None:  # type: ignore[no-untyped-def]
    """The import takes the months the form takes: twelve before the registration month
    (January 2026 here, so from January 2025) up to the last completed month."""
    umkm = business()
    db.session.commit()
    refused = run(
        "NIB;periode;omzet\n"
        f"{umkm.nib};2024-12;1.000.000\n"  # 2: thirteen months before: refused
        f"{umkm.nib};2026-11;1.000.000\n"  # 3: the current month: refused
        f"{umkm.nib};2025-01;1.000.000\n"  # 4: twelve months before: fine
    )
    assert_nothing_written(refused)
    by_row = {e.row: str(e) for e in refused.errors}
    assert sorted(by_row) == [2, 3]
    assert by_row[2] == (
        "baris 2, kolom periode: Omzet Desember 2024 tidak bisa dilaporkan: usaha terdaftar "
        "Januari 2026, dan omzet paling jauh 12 bulan sebelum bulan pendaftaran. "
        "Omzet dapat dilaporkan mulai Januari 2025 sampai Oktober 2026."
    )
    assert "Omzet November 2026 belum bisa dilaporkan" in by_row[3]
    result = run(
        "NIB;periode;omzet\n"
        f"{umkm.nib};2025-01;1.000.000\n"
        f"{umkm.nib};Desember 2025;2.000.000\n"
        f"{umkm.nib};2026-10;3.000.000\n"
    )
    assert result.ok, messages(result)
    assert [current(umkm, p).amount for p in ("2025-01", "2025-12", "2026-10")] == [
        1_000_000, 2_000_000, 3_000_000,
    ]  # fmt: skip


def test_unknown_nib_message_has_the_row_as_seen_in_the_spreadsheet(app) -> None:  # type: ignore[no-untyped-def]
    a = business()
    db.session.commit()
    lines = ["NIB,periode,omzet"] + [f"{a.nib},2026-{m:02d},1000" for m in range(1, 11)]
    lines += ["0000000012345,2026-10,5"]
    assert messages(run("\n".join(lines))) == [
        "baris 12, kolom NIB: NIB 0000000012345 tidak terdaftar. Periksa NIB atau daftarkan "
        "usahanya dulu."
    ]
    assert report_count() == 0


def test_a_file_above_the_size_limit_is_refused(app) -> None:  # type: ignore[no-untyped-def]
    a = business()
    db.session.commit()
    line = f"{a.nib};2026-10;1000\n"
    data = ("NIB;periode;omzet\n" + line * (SETTINGS.max_bytes // len(line) + 1)).encode()
    result = run(data)
    assert_nothing_written(result)
    assert messages(result)[0].startswith("Berkas melebihi 10 MB")


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "Excel 97-2003"),
        (b"PK\x03\x04 bukan zip yang benar", "Berkas XLSX tidak bisa dibaca"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00", "bukan CSV atau XLSX"),
        (b"NIB;periode;omzet\n1;2;3\n4;5;6;7\n", "baris 3: baris ini berisi 4 kolom"),
    ],
)
def test_unreadable_files_get_a_clear_message(app, data: bytes, expected: str) -> None:  # type: ignore[no-untyped-def]
    result = run(data)
    assert_nothing_written(result)
    assert expected in messages(result)[0]


def test_a_title_row_above_the_header_is_skipped(app) -> None:  # type: ignore[no-untyped-def]
    a = business()
    db.session.commit()
    result = run(f"Laporan omzet Oktober;;\nNIB;periode;omzet\n{a.nib};Oktober 2026;x\n")
    assert [(e.row, e.column) for e in result.errors] == [(3, "omzet")]


def test_dry_run_counts_but_writes_nothing(app) -> None:  # type: ignore[no-untyped-def]
    a, b = business(), business()
    factories.omzet_report(a, "2026-09", 1000)
    factories.omzet_report(b, "2026-09", 1000)
    db.session.commit()
    text = f"NIB;periode;omzet\n{a.nib};2026-09;1000\n{b.nib};2026-09;2000\n{b.nib};2026-10;5\n"
    result = run(text, dry_run=True)
    assert result.ok and result.dry_run and result.import_id is None
    assert (result.created, result.revised, result.unchanged) == (1, 1, 1)
    assert report_count() == 2
    assert db.session.scalar(select(func.count()).select_from(OmzetImport)) == 0
    assert db.session.scalar(select(func.count()).select_from(AuditLog)) == 0


def test_a_month_filed_meanwhile_aborts_the_whole_import(app, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from procure.omzet.imports import importer

    a, b = business(), business()
    db.session.commit()
    original = importer.insert_reports

    def filed_meanwhile(session, records):  # type: ignore[no-untyped-def]
        # Another request files B's October between the check and the write.
        factories.omzet_report(b, "2026-10", 1)
        original(session, records)

    monkeypatch.setattr(importer, "insert_reports", filed_meanwhile)
    text = f"NIB;periode;omzet\n{a.nib};2026-10;1000\n{b.nib};2026-10;2000\n"
    with pytest.raises(importer.ImportConflict, match="Tidak ada yang disimpan"):
        import_omzet(
            db.session,
            text.encode(),
            "x.csv",
            actor_id=None,
            settings=SETTINGS,
            dry_run=False,
            today=TODAY,
        )
    db.session.rollback()
    assert report_count() == 0
