"""The report as tables (the one flattening of every export) and the CSV/XLSX written from it."""

from __future__ import annotations

import io
from decimal import Decimal
from fractions import Fraction

import pandas as pd
import pytest
from openpyxl import load_workbook

from procure.spread import export, tables
from procure.spread.report import OpdRow, payment_rows
from procure.spread.tables import Table, index, percent, points
from tests.spread_sample import csv_blocks, sample_report

EVIL = '=HYPERLINK("http://x.test","klik")'


def about(**kwargs: object) -> export.About:
    values: dict[str, object] = {
        "title": "Laporan pemerataan belanja",
        "pemda": "Pemerintah Kota Contoh",
        "period_label": "Tahun 2026",
        "period": "2026",
        "data_time": "2026-12-03 13:30 WIB",
    } | kwargs
    return export.About(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("share", "shown"),
    [
        (Fraction(1, 8), Decimal("12.5")),
        (Fraction(1, 3), Decimal("33.3")),
        (Fraction(2, 3), Decimal("66.7")),
        (Fraction(1235, 10000), Decimal("12.4")),  # half up, exactly: no float on the way
        (Fraction(0), Decimal("0.0")),
        (Fraction(1), Decimal("100.0")),
        (None, None),
    ],
)
def test_percent_rounds_half_up_exactly(share: Fraction | None, shown: Decimal | None) -> None:
    assert percent(share) == shown
    if shown is not None:
        assert str(percent(share)) == str(shown)


def test_gini_and_hhi_are_rounded_for_showing() -> None:
    assert index(Fraction(1, 2)) == Decimal("0.50")
    assert index(Fraction(4165, 10000)) == Decimal("0.42")
    assert index(Fraction(4150, 10000)) == Decimal("0.42")  # 0.415: half up
    assert points(Fraction(37, 49)) == 7551
    assert points(Fraction(1)) == 10_000


def test_every_table_in_order_with_the_known_figures() -> None:
    every = tables.tables(sample_report())
    assert [t.name for t in every] == [
        "ringkasan",
        "kurva-lorenz",
        "belanja-per-opd",
        "belanja-per-kategori",
        "belanja-per-jenis",
        "belanja-per-kecamatan",
        "belanja-per-skala",
        "kinerja-opd",
        "target-40-persen",
        "ketepatan-bayar",
        "tren-bulanan",
    ]
    summary = {row[0]: row[1] for row in every[0].rows}
    assert every[0].headers == ("Ukuran", "Seluruh Pemda")
    assert summary["Belanja (Rp)"] == 1_000_000
    assert summary["Jumlah pesanan"] == 5
    assert summary["UMKM yang dihitung"] == 4
    assert summary["UMKM yang mendapat pesanan"] == 3
    assert summary["UMKM yang mendapat pesanan (%)"] == Decimal("75.0")
    assert summary["Indeks Gini (0 merata, 1 terpusat)"] == Decimal("0.50")
    assert summary["Porsi 10 % UMKM teratas (%)"] == Decimal("60.0")
    assert summary["Porsi separuh UMKM beromzet terkecil (%)"] == Decimal("10.0")
    assert summary[tables.NEVER_ORDERED_LABEL] == 1
    lorenz = every[1].rows
    assert lorenz[0] == (Decimal("0.0"), Decimal("0.0"))
    assert lorenz[-1] == (Decimal("100.0"), Decimal("100.0"))
    assert lorenz[2] == (Decimal("50.0"), Decimal("10.0"))  # the two smallest hold 10 %
    by_opd = every[2]
    assert by_opd.rows[0] == ("1", "Dinas Satu", 700_000, 3, 1, Decimal("70.0"))
    opd = every[7].rows[0]
    assert opd[0] == "Dinas Satu" and opd[4] == 7551 and opd[-1] == Decimal("3.5")
    target = every[8].rows
    # 400,000 of a 10,000,000 budget: 4 % of the budget, a tenth of the way to 40 %.
    assert target[0] == (
        "Dinas Satu", 2026, 10_000_000, 4_000_000, 400_000, Decimal("4.0"), Decimal("10.0"),
        1, 3_600_000,
    )  # fmt: skip
    assert target[1] == ("Dinas Dua", 2026, None, None, 0, None, None, 1, None)
    payments = every[9]
    assert payments.headers[-1] == "Tepat waktu (%)"
    # Two orders paid, 3.5 days on average; both had a due date, one was paid by it.
    assert payments.rows == (
        ("Dinas Satu", 2, Decimal("3.5"), 2, 1, Decimal("50.0")),
        ("Seluruh OPD", 2, Decimal("3.5"), 2, 1, Decimal("50.0")),
    )
    months = every[10]
    assert len(months.rows) == 12 and months.headers[-1] == "Berbeda dari usulan"
    assert months.rows[9][:3] == ("2026-10", "Oktober 2026", 1_000_000)


def test_payment_rows_total_every_opds_paid_orders() -> None:
    def opd(opd_id: int, paid: int, days: Fraction | None, due: int, on_time: int) -> OpdRow:
        return OpdRow(
            opd_id, f"Dinas {opd_id}", 0, 0, 0, Fraction(0), 0, 0, paid, days, due, on_time
        )

    rows = payment_rows(
        (
            opd(1, 2, Fraction(7, 2), 2, 1),  # 7 days over 2 orders
            opd(2, 3, Fraction(5), 2, 2),  # 15 days over 3 orders; one had no due date
            opd(3, 0, None, 0, 0),
        )
    )
    assert [r.label for r in rows] == ["Dinas 1", "Dinas 2", "Dinas 3", "Seluruh OPD"]
    total = rows[-1]
    # (7 + 15) / 5 days; 3 of the 4 with a due date paid by it.
    assert (total.paid_orders, total.days_to_payment) == (5, Fraction(22, 5))
    assert (total.paid_with_due, total.paid_on_time, total.on_time_share) == (4, 3, Fraction(3, 4))
    assert rows[2].on_time_share is None and rows[2].days_to_payment is None
    assert payment_rows(())[-1].days_to_payment is None


def test_an_officers_report_puts_the_opd_beside_the_pemda() -> None:
    summary = tables.tables(sample_report(opd_id=1))[0]
    assert summary.headers == ("Ukuran", "Dinas Satu", "Seluruh Pemda")
    rows = {row[0]: row[1:] for row in summary.rows}
    assert rows["Belanja (Rp)"] == (700_000, 1_000_000)
    assert rows[tables.NEVER_ORDERED_LABEL] == (None, 1)


def test_public_tables_are_the_pemdas_and_those_the_page_shows() -> None:
    public = tables.tables(sample_report(), public=True)
    assert [t.name for t in public] == list(tables.PUBLIC_NAMES)
    assert public[-1].headers[-1] == "Berbeda dari usulan"  # the page's trend table shows it
    assert all(t.name not in ("kinerja-opd", "belanja-per-opd") for t in public)
    with pytest.raises(ValueError, match="seluruh Pemda"):
        tables.tables(sample_report(opd_id=1), public=True)
    assert tables.table(sample_report(), "kinerja-opd", public=True) is None
    assert tables.table(sample_report(), "kinerja-opd") is not None


def test_a_table_refuses_rows_of_the_wrong_width_and_long_titles() -> None:
    with pytest.raises(ValueError, match="selebar"):
        Table("x", "X", ("a", "b"), ("text", "text"), (("1",),))
    with pytest.raises(ValueError, match="nama lembar"):
        Table("x", "X" * 32, ("a",), ("text",), ())


def test_data_time_is_written_in_jakarta_time() -> None:
    assert tables.data_time(sample_report().computed_at) == "2026-12-03 13:30 WIB"


def test_csv_has_a_section_per_table_with_semicolons_and_decimal_commas() -> None:
    every = tables.tables(sample_report())
    body = export.csv_bytes(every, about())
    assert b"\r\n" in body
    sections = csv_blocks(body)
    assert sections[0][0] == ["Laporan pemerataan belanja", "Pemerintah Kota Contoh"]
    assert sections[0][2] == ["Data per", "2026-12-03 13:30 WIB"]
    assert [s[0][0] for s in sections[1:]] == [t.title for t in every]
    summary = sections[1]
    assert summary[1] == ["Ukuran", "Seluruh Pemda"]
    assert ["Belanja (Rp)", "1000000"] in summary
    assert ["Indeks Gini (0 merata, 1 terpusat)", "0,50"] in summary
    assert ["UMKM yang mendapat pesanan (%)", "75,0"] in summary


def test_one_table_alone_is_a_plain_csv_that_pandas_reads() -> None:
    table = tables.table(sample_report(), "target-40-persen")
    assert table is not None
    body = export.csv_bytes([table], None)
    frame = pd.read_csv(io.BytesIO(body), sep=";", decimal=",", encoding="utf-8-sig")
    assert list(frame.columns) == list(table.headers)
    assert frame.loc[0, "Capaian dari target (%)"] == 10.0
    assert frame.loc[0, "Pagu barang/jasa (Rp)"] == 10_000_000


def test_public_csv_states_the_licence() -> None:
    body = export.csv_bytes(tables.tables(sample_report(), public=True), about(licence=True))
    text = body.decode("utf-8-sig")
    assert "CC BY 4.0" in text and "creativecommons.org/licenses/by/4.0" in text


def test_formulas_never_reach_a_spreadsheet_as_formulas() -> None:
    report = sample_report(label=EVIL)
    every = tables.tables(report)
    body = export.csv_bytes(every, about()).decode("utf-8-sig")
    assert f"'{EVIL}".replace('"', '""') in body
    book = load_workbook(io.BytesIO(export.xlsx_bytes(every, about())))
    sheet = book["Belanja per kategori"]
    assert sheet["B2"].value == "'" + EVIL
    assert sheet["B2"].data_type == "s"


def test_xlsx_has_a_sheet_per_table_with_numbers_as_numbers() -> None:
    every = tables.tables(sample_report())
    book = load_workbook(io.BytesIO(export.xlsx_bytes(every, about(licence=True))))
    assert book.sheetnames == [t.title for t in every] + ["Keterangan"]
    summary = book["Ringkasan"]
    values = {row[0]: row[1] for row in summary.iter_rows(min_row=2, values_only=True)}
    assert values["Belanja (Rp)"] == 1_000_000
    assert values["Indeks Gini (0 merata, 1 terpusat)"] == pytest.approx(0.5)
    assert summary.freeze_panes == "A2"
    targets = book["Target 40 % usaha mikro-kecil"]
    assert targets["C2"].value == 10_000_000 and targets["C2"].number_format == "#,##0"
    assert targets["B2"].number_format == "0"  # the year, without a grouping dot
    assert targets["G2"].value == pytest.approx(10.0) and targets["G2"].number_format == "0.0"
    assert targets["C3"].value is None
    notes = {r[0]: r[1] for r in book["Keterangan"].iter_rows(values_only=True)}
    assert notes["Periode"] == "Tahun 2026 (2026)"
    assert "CC BY 4.0" in notes["Lisensi"]
    frame = pd.read_excel(
        io.BytesIO(export.xlsx_bytes(every, about())), sheet_name=None, engine="openpyxl"
    )
    assert frame["Belanja per OPD"]["Belanja (Rp)"].tolist() == [700_000, 300_000]


@pytest.mark.parametrize(
    ("value", "kind", "text"),
    [
        (1_250_000, "rupiah", "1.250.000"),
        (2026, "text", "2026"),
        (Decimal("12.5"), "percent", "12,5"),
        (Decimal("1234.5"), "percent", "1.234,5"),
        (Decimal("0.50"), "index", "0,50"),
        (None, "rupiah", "-"),
        ("Dinas Satu", "text", "Dinas Satu"),
    ],
)
def test_shown_writes_cells_the_indonesian_way(value: object, kind: str, text: str) -> None:
    assert tables.shown(value, kind) == text  # type: ignore[arg-type]
