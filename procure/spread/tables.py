"""A SpreadReport as named tables of plain values: the one flattening every export reads. Pure.

The CSV and XLSX exports, the PDF report's tables and the public CSV of ``/transparansi`` all
take their rows from ``tables(report)``, so a figure cannot be rounded one way in a file and
another way on paper. A cell is text, a whole number (Rupiah, a count), a ``Decimal`` already
rounded for showing (a percentage, the Gini index) or ``None`` (no figure: shown empty).

``public=True`` gives only what the public page shows: the Pemda's figures, spend by
kecamatan, category and scale, the 40 % measure per OPD and the monthly trend. No table names a
UMKM; none holds an officer's name, NIP or e-mail, a NIK, bank account, phone or reported omzet.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from math import floor

from procure.clock import to_jakarta
from procure.spread.metrics import TARGET_SHARE
from procure.spread.report import (
    MonthRow,
    OpdRow,
    PaymentRow,
    SpendRow,
    Spread,
    SpreadReport,
    TargetRow,
)

Cell = str | int | Decimal | None

# How a column is shown: ``text``; ``count`` (a whole number); ``rupiah`` (whole Rupiah);
# ``percent`` (a Decimal of PERCENT_PLACES places, 12.5 meaning 12.5 %); ``index`` (a Decimal
# of INDEX_PLACES places: the Gini index, 0..1); ``points`` (HHI × 10,000, a whole number);
# ``days`` (a Decimal of one place).
# ``mixed``: a column whose rows differ (the summary's values; each row's label says).
TEXT, COUNT, RUPIAH, PERCENT, INDEX, POINTS, DAYS, MIXED = (
    "text",
    "count",
    "rupiah",
    "percent",
    "index",
    "points",
    "days",
    "mixed",
)
PERCENT_PLACES = 1
INDEX_PLACES = 2
DAYS_PLACES = 1

# Names (file names, sheet names, ``?tabel=``) in the order the tables are written.
SUMMARY = "ringkasan"
LORENZ = "kurva-lorenz"
BY_OPD = "belanja-per-opd"
BY_CATEGORY = "belanja-per-kategori"
BY_KIND = "belanja-per-jenis"
BY_KECAMATAN = "belanja-per-kecamatan"
BY_SCALE = "belanja-per-skala"
OPDS = "kinerja-opd"
PAYMENTS = "ketepatan-bayar"
TARGETS = "target-40-persen"
MONTHS = "tren-bulanan"
PUBLIC_NAMES = (
    SUMMARY,
    LORENZ,
    BY_KECAMATAN,
    BY_CATEGORY,
    BY_SCALE,
    TARGETS,
    PAYMENTS,
    MONTHS,
)


@dataclass(frozen=True)
class Table:
    name: str  # a slug: ``belanja-per-opd``
    title: str  # Indonesian, at most 31 characters (an XLSX sheet's name)
    headers: tuple[str, ...]
    kinds: tuple[str, ...]  # one per column, see above
    rows: tuple[tuple[Cell, ...], ...]

    def __post_init__(self) -> None:
        if len(self.title) > 31:
            raise ValueError(f"Judul tabel terlalu panjang untuk nama lembar: {self.title!r}")
        if len(self.kinds) != len(self.headers):
            raise ValueError(f"Tabel {self.name}: jenis kolom tidak sama banyak dengan judulnya.")
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError(f"Tabel {self.name}: baris {row!r} tidak selebar judulnya.")


def _rounded(value: Fraction, places: int) -> Decimal:
    """Half up, exact: a Fraction never passes through a float."""
    scaled = floor(value * 10**places + Fraction(1, 2))
    return Decimal(scaled).scaleb(-places)


def percent(share: Fraction | None) -> Decimal | None:
    """``Fraction(1, 8)`` -> ``Decimal('12.5')`` (per cent, PERCENT_PLACES places)."""
    return None if share is None else _rounded(share * 100, PERCENT_PLACES)


def index(value: Fraction) -> Decimal:
    """The Gini index for showing: ``Decimal('0.42')``."""
    return _rounded(value, INDEX_PLACES)


def points(value: Fraction) -> int:
    """HHI on the 0..10,000 scale, rounded half up."""
    return floor(value * 10_000 + Fraction(1, 2))


def days(value: Fraction | None) -> Decimal | None:
    return None if value is None else _rounded(value, DAYS_PLACES)


def target_progress(row: TargetRow) -> Decimal | None:
    """How far the OPD is towards its 40 %, in per cent of the target (100 = reached)."""
    return None if row.ratio is None else percent(row.ratio / TARGET_SHARE)


def summary_rows(spread: Spread) -> list[tuple[str, str, Cell]]:
    """The headline figures of one scope: (label, kind, value)."""
    return [
        ("Belanja (Rp)", RUPIAH, spread.spend),
        ("Jumlah pesanan", COUNT, spread.order_count),
        ("UMKM yang dihitung", COUNT, spread.umkm_count),
        ("UMKM yang mendapat pesanan", COUNT, spread.umkm_with_orders),
        ("UMKM yang mendapat pesanan (%)", PERCENT, percent(spread.share_with_orders)),
        ("Indeks Gini (0 merata, 1 terpusat)", INDEX, index(spread.gini)),
        ("Porsi 10 % UMKM teratas (%)", PERCENT, percent(spread.top10_share)),
        ("Porsi separuh UMKM beromzet terkecil (%)", PERCENT, percent(spread.smaller_half_share)),
        ("UMKM yang melapor omzet", COUNT, spread.sized_count),
    ]


NEVER_ORDERED_LABEL = "UMKM terverifikasi > 90 hari tanpa pesanan"


def _summary(report: SpreadReport) -> Table:
    pemda = summary_rows(report.pemda)
    if report.opd_id is None:
        rows: list[tuple[Cell, ...]] = [(label, value) for label, _, value in pemda]
        rows.append((NEVER_ORDERED_LABEL, report.never_ordered))
        headers: tuple[str, ...] = ("Ukuran", "Seluruh Pemda")
    else:
        scope = summary_rows(report.scope)
        rows = [(a[0], a[2], b[2]) for a, b in zip(scope, pemda, strict=True)]
        rows.append((NEVER_ORDERED_LABEL, None, report.never_ordered))
        headers = ("Ukuran", report.opd_name or "OPD", "Seluruh Pemda")
    # The value columns mix kinds; each row's label says what it is.
    kinds = (TEXT,) + (MIXED,) * (len(headers) - 1)
    return Table(SUMMARY, "Ringkasan", headers, kinds, tuple(rows))


def _lorenz(report: SpreadReport) -> Table:
    rows = tuple((percent(x), percent(y)) for x, y in report.scope.lorenz)
    return Table(
        LORENZ,
        "Kurva Lorenz",
        ("Porsi UMKM, dari yang terkecil (%)", "Porsi belanja yang diterima (%)"),
        (PERCENT, PERCENT),
        rows,
    )


SPEND_HEADERS = ("Belanja (Rp)", "Pesanan", "UMKM penerima", "Porsi belanja (%)")
SPEND_KINDS = (RUPIAH, COUNT, COUNT, PERCENT)


def _spend(name: str, title: str, heading: str, rows: tuple[SpendRow, ...]) -> Table:
    return Table(
        name,
        title,
        ("Kode", heading, *SPEND_HEADERS),
        (TEXT, TEXT, *SPEND_KINDS),
        tuple((r.key, r.label, r.spend, r.orders, r.umkm, percent(r.share)) for r in rows),
    )


def _opd_row(r: OpdRow) -> tuple[Cell, ...]:
    return (
        r.name,
        r.spend,
        r.orders,
        r.umkm,
        points(r.hhi),
        r.runs_decided,
        r.overrides,
        r.paid_orders,
        days(r.days_to_payment),
    )


def _opds(report: SpreadReport) -> Table:
    return Table(
        OPDS,
        "Kinerja OPD",
        (
            "OPD",
            "Belanja (Rp)",
            "Pesanan",
            "UMKM penerima",
            "HHI (0-10.000)",
            "Keputusan alokasi",
            "Berbeda dari usulan",
            "Pesanan dibayar",
            "Rata-rata hari BAST ke bayar",
        ),
        (TEXT, RUPIAH, COUNT, COUNT, POINTS, COUNT, COUNT, COUNT, DAYS),
        tuple(_opd_row(r) for r in report.opds),
    )


PAYMENT_HEADERS = (
    "OPD",
    "Pesanan lunas",
    "Rata-rata hari BAST ke bayar",
    "Lunas dengan jatuh tempo",
    "Lunas tepat waktu",
    "Tepat waktu (%)",
)


def _payment_row(r: PaymentRow) -> tuple[Cell, ...]:
    return (
        r.label,
        r.paid_orders,
        days(r.days_to_payment),
        r.paid_with_due,
        r.paid_on_time,
        percent(r.on_time_share),
    )


def _payments(report: SpreadReport) -> Table:
    """Per OPD and in total (last row): orders paid in the period, their mean days from BAST
    to payment, and the share paid by the payment due date (docs/payment-clock.md)."""
    return Table(
        PAYMENTS,
        "Ketepatan bayar per OPD",
        PAYMENT_HEADERS,
        (TEXT, COUNT, DAYS, COUNT, COUNT, PERCENT),
        tuple(_payment_row(r) for r in report.payments()),
    )


def _target_row(r: TargetRow) -> tuple[Cell, ...]:
    return (
        r.name,
        r.year,
        r.budget,
        r.target,
        r.small_spend,
        percent(r.ratio),
        target_progress(r),
        r.months_left,
        r.needed_per_month,
    )


def _targets(report: SpreadReport) -> Table:
    return Table(
        TARGETS,
        "Target 40 % usaha mikro-kecil",
        (
            "OPD",
            "Tahun anggaran",
            "Pagu barang/jasa (Rp)",
            "Target 40 % (Rp)",
            "Belanja ke usaha mikro dan kecil (Rp)",
            "Capaian dari pagu (%)",
            "Capaian dari target (%)",
            "Sisa bulan",
            "Perlu per bulan (Rp)",
        ),
        (TEXT, TEXT, RUPIAH, RUPIAH, RUPIAH, PERCENT, PERCENT, COUNT, RUPIAH),
        tuple(_target_row(r) for r in report.targets),
    )


def _month_row(r: MonthRow) -> tuple[Cell, ...]:
    return (
        str(r.period),
        r.period.label,
        r.spend,
        r.small_spend,
        r.orders,
        r.umkm_with_orders,
        index(r.gini),
        r.overrides,
    )


def _months(report: SpreadReport) -> Table:
    return Table(
        MONTHS,
        "Tren bulanan",
        (
            "Kode bulan",
            "Bulan",
            "Belanja (Rp)",
            "Belanja ke usaha mikro dan kecil (Rp)",
            "Pesanan",
            "UMKM yang mendapat pesanan",
            "Indeks Gini",
            "Berbeda dari usulan",
        ),
        (TEXT, TEXT, RUPIAH, RUPIAH, COUNT, COUNT, INDEX, COUNT),
        tuple(_month_row(r) for r in report.months),
    )


def tables(report: SpreadReport, *, public: bool = False) -> tuple[Table, ...]:
    """Every table of the report, in the order the dashboard shows them.

    The public tables are those of the whole Pemda: ``public`` with a report limited to one
    OPD is a mistake in the caller (its breakdowns would be that OPD's), so it raises.
    """
    if public and report.opd_id is not None:
        raise ValueError("Tabel publik dibuat dari laporan seluruh Pemda, bukan satu OPD.")
    every = (
        _summary(report),
        _lorenz(report),
        _spend(BY_OPD, "Belanja per OPD", "OPD", report.by_opd),
        _spend(BY_CATEGORY, "Belanja per kategori", "Kategori", report.by_category),
        _spend(BY_KIND, "Belanja per jenis barang", "Jenis barang", report.by_kind),
        _spend(BY_KECAMATAN, "Belanja per kecamatan", "Kecamatan", report.by_kecamatan),
        _spend(BY_SCALE, "Belanja per skala usaha", "Skala usaha", report.by_scale),
        _opds(report),
        _targets(report),
        _payments(report),
        _months(report),
    )
    if public:
        by_name = {t.name: t for t in every}
        return tuple(by_name[name] for name in PUBLIC_NAMES)
    return every


def table(report: SpreadReport, name: str, *, public: bool = False) -> Table | None:
    """One table by its name, or None when there is no such table (for this audience)."""
    return next((t for t in tables(report, public=public) if t.name == name), None)


def data_time(computed_at: dt.datetime) -> str:
    """``2026-12-03 13:30 WIB``: when the figures were computed (files and the PDF)."""
    aware = computed_at if computed_at.tzinfo else computed_at.replace(tzinfo=dt.UTC)
    return f"{to_jakarta(aware):%Y-%m-%d %H:%M} WIB"


def shown(value: Cell, kind: str = MIXED) -> str:
    """A cell as a page or the PDF prints it, the Indonesian way: ``1.250.000``, ``12,5``,
    ``0,50``; ``-`` for no figure. A year (an int in a text column) keeps no grouping dot."""
    if value is None:
        return "-"
    if isinstance(value, Decimal):
        whole, _, decimals = format(value, "f").partition(".")
        grouped = f"{int(whole):,}".replace(",", ".")
        return f"{grouped},{decimals}" if decimals else grouped
    if isinstance(value, int):
        return str(value) if kind == TEXT else f"{value:,}".replace(",", ".")
    return value
