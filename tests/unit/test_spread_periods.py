"""The report period: every written form, its label, its months and the refusals."""

from __future__ import annotations

import datetime as dt

import pytest

from procure.input_rules import RuleError
from procure.omzet.rules import Period
from procure.spread.periods import PeriodKind, ReportPeriod

D = dt.date


@pytest.mark.parametrize(
    ("text", "kind", "start", "end", "written", "label"),
    [
        ("2026-10", PeriodKind.MONTH, D(2026, 10, 1), D(2026, 10, 31), "2026-10", "Oktober 2026"),
        ("2024-02", PeriodKind.MONTH, D(2024, 2, 1), D(2024, 2, 29), "2024-02", "Februari 2024"),
        ("2026-12", PeriodKind.MONTH, D(2026, 12, 1), D(2026, 12, 31), "2026-12", "Desember 2026"),
        (
            "2026-T3",
            PeriodKind.QUARTER,
            D(2026, 7, 1),
            D(2026, 9, 30),
            "2026-T3",
            "Triwulan III 2026",
        ),
        (
            "2026-t1",
            PeriodKind.QUARTER,
            D(2026, 1, 1),
            D(2026, 3, 31),
            "2026-T1",
            "Triwulan I 2026",
        ),
        (
            "2026-Q4",
            PeriodKind.QUARTER,
            D(2026, 10, 1),
            D(2026, 12, 31),
            "2026-T4",
            "Triwulan IV 2026",
        ),
        (" 2026 ", PeriodKind.YEAR, D(2026, 1, 1), D(2026, 12, 31), "2026", "Tahun 2026"),
        (
            "2026-01-05..2026-02-10",
            PeriodKind.CUSTOM,
            D(2026, 1, 5),
            D(2026, 2, 10),
            "2026-01-05..2026-02-10",
            "5 Januari – 10 Februari 2026",
        ),
        (
            "2026-12-20 .. 2027-01-05",
            PeriodKind.CUSTOM,
            D(2026, 12, 20),
            D(2027, 1, 5),
            "2026-12-20..2027-01-05",
            "20 Desember 2026 – 5 Januari 2027",
        ),
        (
            "2026-03-07..2026-03-07",
            PeriodKind.CUSTOM,
            D(2026, 3, 7),
            D(2026, 3, 7),
            "2026-03-07..2026-03-07",
            "7 Maret 2026",
        ),
    ],
)
def test_every_form(
    text: str, kind: PeriodKind, start: dt.date, end: dt.date, written: str, label: str
) -> None:
    period = ReportPeriod.parse(text)
    assert (period.kind, period.start, period.end) == (kind, start, end)
    assert str(period) == written and period.label == label
    assert ReportPeriod.parse(str(period)) == period  # the written form reads back


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "Periode ditulis 2026-10"),
        ("Oktober 2026", "Periode ditulis 2026-10"),
        ("2026-10-01", "Periode ditulis 2026-10"),
        ("2026-T5", "Periode ditulis 2026-10"),
        ("2026-13", "Bulan 13 tidak ada"),
        ("1999", "Periode tidak valid"),
        ("1999-T2", "Periode tidak valid"),
        ("2026-02-30..2026-03-01", "Tanggal 2026-02-30 tidak ada di kalender"),
        ("2026-03-01..2026-02-01", "tidak boleh sebelum"),
        ("2020-01-01..2026-01-01", "paling panjang tiga tahun"),
        ("1999-12-30..2000-01-02", "Periode tidak valid"),
    ],
)
def test_refusals_say_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        ReportPeriod.parse(text)


def test_three_years_are_allowed() -> None:
    period = ReportPeriod.parse("2024-01-01..2026-12-31")
    assert len(period.months) == 36 and period.years == [2024, 2025, 2026]


def test_months() -> None:
    assert ReportPeriod.parse("2026-T4").months == [Period(2026, m) for m in (10, 11, 12)]
    assert ReportPeriod.parse("2026-10").months == [Period(2026, 10)]
    assert ReportPeriod.parse("2026").months == [Period(2026, m) for m in range(1, 13)]
    custom = ReportPeriod.parse("2026-12-20..2027-01-05")
    assert custom.months == [Period(2026, 12), Period(2027, 1)]
    assert custom.years == [2026, 2027]


def test_constructors_check_their_bounds() -> None:
    assert ReportPeriod.quarter(2026, 2).end == D(2026, 6, 30)
    with pytest.raises(RuleError, match="Triwulan hanya 1 sampai 4"):
        ReportPeriod.quarter(2026, 0)
    assert ReportPeriod.month(Period(2026, 2)).end == D(2026, 2, 28)


def test_started_and_clipped() -> None:
    year = ReportPeriod.parse("2026")
    year.check_started(D(2026, 1, 1))
    with pytest.raises(RuleError, match="Periode Tahun 2027 belum dimulai"):
        ReportPeriod.parse("2027").check_started(D(2026, 12, 31))
    clipped = year.clipped(D(2026, 12, 3))
    assert (clipped.kind, clipped.start, clipped.end) == (
        PeriodKind.YEAR,
        D(2026, 1, 1),
        D(2026, 12, 3),
    )
    assert ReportPeriod.parse("2026-10").clipped(D(2026, 12, 3)) == ReportPeriod.parse("2026-10")
    # A period that has not begun has no part to cut: it comes back whole.
    assert ReportPeriod.parse("2027").clipped(D(2026, 12, 3)) == ReportPeriod.parse("2027")
