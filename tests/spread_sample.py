"""A hand-built SpreadReport with known figures, for the tables, exports and PDF without a
database. Four UMKM in the Pemda: spend 600,000, 300,000, 100,000 and 0."""

from __future__ import annotations

import csv
import datetime as dt
import io
from fractions import Fraction

from procure.omzet.rules import Period
from procure.spread.metrics import gini, lorenz, top_share
from procure.spread.periods import ReportPeriod
from procure.spread.report import MonthRow, OpdRow, SpendRow, Spread, SpreadReport, TargetRow

PEMDA_SPEND = (600_000, 300_000, 100_000, 0)
COMPUTED_AT = dt.datetime(2026, 12, 3, 6, 30, tzinfo=dt.UTC)  # 13:30 WIB


def spread(values: tuple[int, ...] = PEMDA_SPEND, orders: int = 5) -> Spread:
    with_orders = sum(1 for v in values if v)
    return Spread(
        umkm_count=len(values),
        umkm_with_orders=with_orders,
        share_with_orders=Fraction(with_orders, len(values)),
        spend=sum(values),
        order_count=orders,
        gini=gini(list(values)),
        top10_share=top_share(list(values), Fraction(1, 10)),
        smaller_half_share=Fraction(1, 10),
        sized_count=len(values),
        lorenz=tuple(lorenz(values)),
    )


def spend_row(key: str, label: str, amount: int, total: int, orders: int = 1) -> SpendRow:
    return SpendRow(key, label, amount, orders, 1, Fraction(amount, total))


def sample_report(
    *, opd_id: int | None = None, label: str = "Kategori Batik", period: str = "2026"
) -> SpreadReport:
    """The year 2026; with ``opd_id`` the scope is Dinas Satu's 700,000 over two UMKM."""
    pemda = spread()
    scope = spread((600_000, 100_000, 0, 0), orders=3) if opd_id is not None else pemda
    total = scope.spend
    months = tuple(
        MonthRow(Period(2026, m), total if m == 10 else 0, 400_000 if m == 10 else 0,
                 scope.order_count if m == 10 else 0, scope.umkm_with_orders if m == 10 else 0,
                 scope.gini if m == 10 else Fraction(0), 1 if m == 10 else 0)
        for m in range(1, 13)
    )  # fmt: skip
    return SpreadReport(
        period=ReportPeriod.parse(period),
        computed_at=COMPUTED_AT,
        pemda=pemda,
        opd_id=opd_id,
        opd_name="Dinas Satu" if opd_id is not None else None,
        scope=scope,
        by_opd=(spend_row("1", "Dinas Satu", 700_000, 1_000_000, 3),
                spend_row("2", "Dinas Dua", 300_000, 1_000_000, 2))[: 1 if opd_id else 2],
        by_category=(spend_row("5", label, total, total, scope.order_count),),
        by_kind=(spend_row("9", "Kemeja Batik Lengan Panjang", total, total),),
        by_kecamatan=(spend_row("3", "Sukamaju Utara", total, total),),
        by_scale=(spend_row("mikro", "Usaha Mikro", 400_000 if opd_id else 400_000, total),
                  spend_row("menengah", "Usaha Menengah", total - 400_000, total)),
        opds=(OpdRow(1, "Dinas Satu", 700_000, 3, 2, Fraction(37, 49), 3, 1, 2, Fraction(7, 2),
                     2, 1),),
        targets=(
            TargetRow(1, "Dinas Satu", 2026, 10_000_000, 400_000, 4_000_000,
                      Fraction(4, 100), 1, 3_600_000),
            TargetRow(2, "Dinas Dua", 2026, None, 0, None, None, 1, None),
        ),
        months=months,
        never_ordered=1,
    )  # fmt: skip


def csv_blocks(body: bytes) -> list[list[list[str]]]:
    """A sectioned CSV's rows in blocks between empty lines (the first block is the file's own
    lines, each next one a table with its title first); it starts with a UTF-8 BOM."""
    assert body.startswith(b"\xef\xbb\xbf")
    blocks: list[list[list[str]]] = [[]]
    for row in csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"):
        if row:
            blocks[-1].append(row)
        else:
            blocks.append([])
    return blocks
