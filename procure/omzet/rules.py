"""Pure omzet rules: periods, the filing deadline, business scale and inspector flags.

No Flask, no SQLAlchemy, no pandas. Money is whole Rupiah (int); averages are Fractions so a
comparison is exact. Periods are calendar months in Asia/Jakarta, written ``YYYY-MM``.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from fractions import Fraction

from procure.umkm.rules import RuleError

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")

MONTHS_ID = (
    "Januari", "Februari", "Maret", "April", "Mei", "Juni",
    "Juli", "Agustus", "September", "Oktober", "November", "Desember",
)  # fmt: skip
MONTHS_ID_SHORT = (
    "Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des",
)  # fmt: skip


@dataclass(frozen=True, order=True)
class Period:
    """A calendar month."""

    year: int
    month: int

    def __post_init__(self) -> None:
        if not 1 <= self.month <= 12 or not 2000 <= self.year <= 2999:
            raise RuleError(f"Periode tidak valid: {self.year}-{self.month:02d}.")

    @classmethod
    def parse(cls, text: str) -> Period:
        """``"2026-10"`` -> Period(2026, 10); an Indonesian message otherwise."""
        match = _PERIOD.match((text or "").strip())
        if not match:
            raise RuleError(f"Periode harus berformat TTTT-BB, misalnya 2026-10 (bukan {text!r}).")
        year, month = int(match.group(1)), int(match.group(2))
        if not 1 <= month <= 12:
            raise RuleError(f"Bulan {month:02d} tidak ada: periode harus TTTT-BB dengan BB 01-12.")
        return cls(year, month)

    @classmethod
    def of(cls, day: dt.date) -> Period:
        return cls(day.year, day.month)

    def __str__(self) -> str:
        return f"{self.year:04d}-{self.month:02d}"

    @property
    def label(self) -> str:
        """``Oktober 2026``."""
        return f"{MONTHS_ID[self.month - 1]} {self.year}"

    @property
    def short_label(self) -> str:
        """``Okt 26``."""
        return f"{MONTHS_ID_SHORT[self.month - 1]} {self.year % 100:02d}"

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month, 1)

    def shift(self, months: int) -> Period:
        index = self.year * 12 + (self.month - 1) + months
        return Period(index // 12, index % 12 + 1)

    def __sub__(self, other: Period) -> int:
        """Months from ``other`` to ``self``."""
        return (self.year - other.year) * 12 + (self.month - other.month)


def last_months(before: Period, count: int) -> list[Period]:
    """The ``count`` months before ``before``, oldest first."""
    return [before.shift(-i) for i in range(count, 0, -1)]


MONTHS_BEFORE_REGISTRATION = 12  # a business existed before it joined the platform
INVITED_MONTHS = 3  # the months the first-login prompt asks for, just before registration


@dataclass(frozen=True)
class FilingWindow:
    """The months a UMKM may file: the twelve completed months before the month it registered,
    and every completed month since. Never the current month or a future one."""

    registered: Period  # the month of registration (Asia/Jakarta)
    first: Period  # twelve months before it
    last: Period  # the last completed month; before ``first`` when no month is open yet

    @classmethod
    def of(cls, today: dt.date, registered_on: dt.date) -> FilingWindow:
        registered = Period.of(registered_on)
        return cls(
            registered,
            registered.shift(-MONTHS_BEFORE_REGISTRATION),
            Period.of(today).shift(-1),
        )

    @property
    def is_open(self) -> bool:
        return self.last >= self.first

    def __contains__(self, period: object) -> bool:
        return isinstance(period, Period) and self.first <= period <= self.last

    def months(self) -> list[Period]:
        """Every month of the window, newest first."""
        if not self.is_open:
            return []
        return [self.last.shift(-i) for i in range(self.last - self.first + 1)]

    @property
    def invited(self) -> list[Period]:
        """The last three months before the registration month, oldest first."""
        return last_months(self.registered, INVITED_MONTHS)

    @property
    def sentence(self) -> str:
        """Which months may be filed, in one sentence for the page and every refusal."""
        if self.is_open:
            return f"Omzet dapat dilaporkan mulai {self.first.label} sampai {self.last.label}."
        return (
            "Belum ada bulan yang dapat dilaporkan: bulan pertama yang dapat dilaporkan adalah "
            f"{self.first.label}, mulai 1 {self.first.shift(1).label}."
        )


def check_filing_period(period: Period, today: dt.date, registered_on: dt.date) -> None:
    """The one rule for every way a month is filed (form, first-login prompt, correction,
    import): ``period`` must lie in the UMKM's ``FilingWindow``."""
    window = FilingWindow.of(today, registered_on)
    if period > window.last:
        raise RuleError(
            f"Omzet {period.label} belum bisa dilaporkan: hanya bulan yang sudah selesai. "
            f"{window.sentence}"
        )
    if period < window.first:
        raise RuleError(
            f"Omzet {period.label} tidak bisa dilaporkan: usaha terdaftar "
            f"{window.registered.label}, dan omzet paling jauh "
            f"{MONTHS_BEFORE_REGISTRATION} bulan sebelum bulan pendaftaran. "
            f"{window.sentence}"
        )


def check_amount(amount: int, ceiling: int) -> None:
    """Zero is real (a month without sales); negative and absurd amounts are typos."""
    if amount < 0:
        raise RuleError("Omzet tidak boleh negatif. Isi 0 bila bulan itu tidak ada penjualan.")
    if amount > ceiling:
        raise RuleError(
            f"Omzet Rp {amount:,} per bulan melebihi batas kewajaran Rp {ceiling:,}; "
            "periksa jumlah nol.".replace(",", ".")
        )


def filing_deadline(period: Period, deadline_day: int) -> dt.date:
    """Filing for month M is on time until ``deadline_day`` of M+1 (inclusive)."""
    following = period.shift(1)
    return dt.date(following.year, following.month, deadline_day)


def is_late(period: Period, filed_on: dt.date, deadline_day: int) -> bool:
    return filed_on > filing_deadline(period, deadline_day)


# PP 7/2021: annual sales (hasil penjualan tahunan) thresholds.
MIKRO_MAX = 2_000_000_000
KECIL_MAX = 15_000_000_000
MENENGAH_MAX = 50_000_000_000


def scale_from_annual(annual: int | Fraction) -> str:
    """``mikro`` ≤ Rp2 M, ``kecil`` ≤ Rp15 M, ``menengah`` ≤ Rp50 M, else ``besar``."""
    if annual <= MIKRO_MAX:
        return "mikro"
    if annual <= KECIL_MAX:
        return "kecil"
    if annual <= MENENGAH_MAX:
        return "menengah"
    return "besar"


def derived_scale(monthly: dict[Period, int], as_of: Period) -> str | None:
    """Scale from the 12 months before ``as_of``.

    Months not reported are left out and the rest annualised (mean × 12), so a business that
    reported six months is not taken for half its size. None when no month was reported.
    """
    window = set(last_months(as_of, 12))
    values = [amount for period, amount in monthly.items() if period in window]
    if not values:
        return None
    return scale_from_annual(Fraction(sum(values), len(values)) * 12)


@dataclass(frozen=True)
class Flag:
    period: Period
    kind: str  # "below_platform_sales" or "sharp_drop"
    message: str


DROP_THRESHOLD = Fraction(70, 100)


def omzet_flags(monthly: dict[Period, int], platform_sales: dict[Period, int]) -> list[Flag]:
    """Flags an inspector should look at, oldest first.

    - a month reported below what the platform saw the UMKM sell to the government that month;
    - a drop of more than 70% against the mean of the previous three reported months (all
      three must exist, so a new business is not flagged for its first months).
    """
    flags: list[Flag] = []
    for period in sorted(monthly):
        amount = monthly[period]
        sold = platform_sales.get(period, 0)
        if amount < sold:
            flags.append(
                Flag(
                    period,
                    "below_platform_sales",
                    f"Omzet {period.label} Rp {amount:,} lebih kecil dari pesanan pemerintah "
                    f"lewat platform Rp {sold:,}.".replace(",", "."),
                )
            )
        previous = [monthly.get(period.shift(-i)) for i in (1, 2, 3)]
        if all(p is not None for p in previous):
            mean = Fraction(sum(p for p in previous if p is not None), 3)
            if mean > 0 and amount < mean * (1 - DROP_THRESHOLD):
                drop = round((1 - Fraction(amount) / mean) * 100)
                flags.append(
                    Flag(
                        period,
                        "sharp_drop",
                        f"Omzet {period.label} turun {drop}% dari rata-rata tiga bulan sebelumnya.",
                    )
                )
    return flags


def missing_periods(reported: set[Period], first: Period, last: Period) -> list[Period]:
    """Months from ``first`` to ``last`` (inclusive) with no report, oldest first."""
    if last < first:
        return []
    return [first.shift(i) for i in range(last - first + 1) if first.shift(i) not in reported]
