"""The period a report covers: a month, a quarter, a year or custom dates. Pure.

Written the same way in URLs, the CLI and exports: ``2026-10`` (a month), ``2026-T3`` (third
quarter; ``2026-Q3`` is read too), ``2026`` (a year), ``2026-01-05..2026-02-10`` (custom, both
days inclusive). Days are Jakarta calendar days; orders count in the period their SP was issued.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from enum import StrEnum

from procure.omzet.rules import MONTHS_ID, Period
from procure.umkm.rules import RuleError

MONTH, QUARTER, YEAR, CUSTOM = "month", "quarter", "year", "custom"
ROMAN = ("I", "II", "III", "IV")
LONGEST_CUSTOM_DAYS = 3 * 366  # a custom range longer than three years is a typing mistake

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-[TtQq]([1-4])$")
_CUSTOM = re.compile(r"^(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})$")


class PeriodKind(StrEnum):
    MONTH = MONTH
    QUARTER = QUARTER
    YEAR = YEAR
    CUSTOM = CUSTOM

    @property
    def label(self) -> str:
        return {MONTH: "Bulan", QUARTER: "Triwulan", YEAR: "Tahun", CUSTOM: "Rentang tanggal"}[
            self.value
        ]


def _day(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise RuleError(f"Tanggal {text} tidak ada di kalender.") from None


def _month_end(year: int, month: int) -> dt.date:
    first_next = dt.date(year + month // 12, month % 12 + 1, 1)
    return first_next - dt.timedelta(days=1)


@dataclass(frozen=True)
class ReportPeriod:
    """Days ``start`` .. ``end`` (both inclusive) of one kind of period."""

    kind: PeriodKind
    start: dt.date
    end: dt.date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise RuleError("Tanggal akhir periode tidak boleh sebelum tanggal awalnya.")
        if (self.end - self.start).days >= LONGEST_CUSTOM_DAYS:
            raise RuleError("Periode paling panjang tiga tahun.")

    @classmethod
    def month(cls, period: Period) -> ReportPeriod:
        return cls(PeriodKind.MONTH, period.first_day, _month_end(period.year, period.month))

    @classmethod
    def quarter(cls, year: int, quarter: int) -> ReportPeriod:
        if not 1 <= quarter <= 4:
            raise RuleError("Triwulan hanya 1 sampai 4.")
        first = 3 * (quarter - 1) + 1
        Period(year, first)  # the year's bounds are checked once, by Period
        return cls(PeriodKind.QUARTER, dt.date(year, first, 1), _month_end(year, first + 2))

    @classmethod
    def year(cls, year: int) -> ReportPeriod:
        Period(year, 1)
        return cls(PeriodKind.YEAR, dt.date(year, 1, 1), dt.date(year, 12, 31))

    @classmethod
    def parse(cls, text: str) -> ReportPeriod:
        """One of the written forms above; an Indonesian message otherwise."""
        value = (text or "").strip()
        if match := _YEAR.match(value):
            return cls.year(int(match.group(1)))
        if match := _QUARTER.match(value):
            return cls.quarter(int(match.group(1)), int(match.group(2)))
        if _MONTH.match(value):
            return cls.month(Period.parse(value))
        if match := _CUSTOM.match(value):
            start, end = _day(match.group(1)), _day(match.group(2))
            Period.of(start), Period.of(end)
            return cls(PeriodKind.CUSTOM, start, end)
        raise RuleError(
            "Periode ditulis 2026-10 (bulan), 2026-T3 (triwulan), 2026 (tahun) atau "
            f"2026-01-05..2026-02-10 (rentang tanggal), bukan {value!r}."
        )

    def __str__(self) -> str:
        if self.kind is PeriodKind.MONTH:
            return str(Period.of(self.start))
        if self.kind is PeriodKind.QUARTER:
            return f"{self.start.year}-T{(self.start.month - 1) // 3 + 1}"
        if self.kind is PeriodKind.YEAR:
            return str(self.start.year)
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def label(self) -> str:
        """``Oktober 2026``, ``Triwulan III 2026``, ``Tahun 2026``, ``5 Januari – 10 Februari
        2026`` (``20 Desember 2026 – 5 Januari 2027`` across years, ``5 Januari 2026`` for one
        day)."""
        if self.kind is PeriodKind.MONTH:
            return Period.of(self.start).label
        if self.kind is PeriodKind.QUARTER:
            return f"Triwulan {ROMAN[(self.start.month - 1) // 3]} {self.start.year}"
        if self.kind is PeriodKind.YEAR:
            return f"Tahun {self.start.year}"
        if self.start == self.end:
            return _written(self.start)
        if self.start.year == self.end.year:  # the year once, as the docstring shows
            return f"{self.start.day} {MONTHS_ID[self.start.month - 1]} – {_written(self.end)}"
        return f"{_written(self.start)} – {_written(self.end)}"

    @property
    def months(self) -> list[Period]:
        """Every calendar month the period touches, oldest first (the trend's rows)."""
        first, last = Period.of(self.start), Period.of(self.end)
        return [first.shift(i) for i in range(last - first + 1)]

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    def check_started(self, today: dt.date) -> None:
        """A period that has not begun has no figures: say so instead of showing zeros."""
        if self.start > today:
            raise RuleError(f"Periode {self.label} belum dimulai.")

    def clipped(self, today: dt.date) -> ReportPeriod:
        """The part up to ``today``: the current month is reported as far as it has gone. A
        period that has not begun is returned whole (there is no part of it to cut)."""
        if self.start > today:
            return self
        return ReportPeriod(self.kind, self.start, min(self.end, today))


def _written(day: dt.date) -> str:
    return f"{day.day} {MONTHS_ID[day.month - 1]} {day.year}"
