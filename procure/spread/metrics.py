"""The dashboard's figures as pure functions of plain numbers. No Flask, no SQLAlchemy.

Spend is whole Rupiah; results are exact ``Fraction``s, rounded only where they are shown.
``values`` is spend per UMKM over a whole population, zeros included: a UMKM that sold nothing
is the point of the dashboard. Gini, the top-10 % share, the share with orders and the smaller
half's share are the replay's own (``procure.allocation.fairness``), so the dashboard and the
what-if replay measure alike.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from fractions import Fraction

from procure.allocation.fairness import (
    checked_spend,
    gini,
    share_with_orders,
    smaller_half_share,
    top_share,
)

__all__ = [
    "TARGET_SHARE",
    "Progress",
    "gini",
    "gini_from_sums",
    "gini_of_sorted",
    "hhi",
    "lorenz",
    "lorenz_of_sorted",
    "months_left",
    "progress",
    "shares",
    "share_with_orders",
    "smaller_half_share",
    "top_share",
    "top_share_of_sorted",
]

# Perpres 12/2021 art. 65: at least 40 % of an agency's goods/services budget for micro and
# small businesses and cooperatives.
TARGET_SHARE = Fraction(40, 100)


def lorenz(
    values: Iterable[int | Fraction], points: int | None = None
) -> list[tuple[Fraction, Fraction]]:
    """The Lorenz curve: (share of UMKM, share of spend they hold), poorest first.

    Starts at (0, 0) and ends at (1, 1). With ``points`` the curve is read at that many evenly
    spaced population shares (exact at each; a chart of 100,000 UMKM needs no 100,000 points).
    With no spend at all the curve is the diagonal: nobody holds more than anybody.
    """
    spend = sorted(checked_spend(values))
    n, total = len(spend), sum(spend, Fraction(0))
    if n == 0:
        return [(Fraction(0), Fraction(0)), (Fraction(1), Fraction(1))]
    cumulative = [Fraction(0)]
    for v in spend:
        cumulative.append(cumulative[-1] + v)
    return [
        (Fraction(i, n), cumulative[i] / total if total else Fraction(i, n))
        for i in _lorenz_steps(n, points)
    ]


def _lorenz_steps(n: int, points: int | None) -> list[int]:
    """The population counts 0..n the curve is read at: all, or ``points`` evenly spaced."""
    if points is not None and points < 1:
        raise ValueError("Kurva Lorenz butuh paling sedikit satu titik.")
    if points is None or points >= n:
        return list(range(n + 1))
    return sorted({round(Fraction(i * n, points)) for i in range(points + 1)})


# The same figures from a population's spend given as its positive values sorted ascending plus
# a count of zeros: a year at 100,000 UMKM has most of them at zero, and the database sends only
# the others. ``gini``, ``top_share`` and ``lorenz`` above stay the reference; the tests prove
# these equal to them.


def _sorted_positive(positives: Sequence[int], zeros: int) -> None:
    if zeros < 0:
        raise ValueError("Jumlah UMKM tanpa belanja tidak boleh negatif.")
    if positives and positives[0] < 0:
        raise ValueError("Belanja tidak boleh negatif.")
    if any(a > b for a, b in zip(positives, positives[1:], strict=False)):
        raise ValueError("Belanja harus urut dari yang terkecil.")


def gini_from_sums(n: int, total: int, weighted: int) -> Fraction:
    """Gini of ``n`` values summing to ``total`` whose ascending rank-weighted sum (the i-th
    smallest times i, from 1) is ``weighted``: the sorted form of ``gini``."""
    if n == 0 or total == 0:
        return Fraction(0)
    return Fraction(2 * weighted - (n + 1) * total, n * total)


def gini_of_sorted(positives: Sequence[int], zeros: int) -> Fraction:
    """``gini`` of ``zeros`` zeros and ``positives`` (sorted ascending)."""
    _sorted_positive(positives, zeros)
    weighted = sum(i * v for i, v in enumerate(positives, start=zeros + 1))
    return gini_from_sums(len(positives) + zeros, sum(positives), weighted)


def top_share_of_sorted(
    positives: Sequence[int], zeros: int, fraction: Fraction = Fraction(1, 10)
) -> Fraction:
    """``top_share`` of ``zeros`` zeros and ``positives`` (sorted ascending)."""
    _sorted_positive(positives, zeros)
    if not 0 < fraction <= 1:
        raise ValueError("Bagian teratas harus di antara 0 dan 1.")
    total = sum(positives)
    if total == 0:
        return Fraction(0)
    top = max(1, math.ceil((len(positives) + zeros) * fraction))
    return Fraction(sum(positives[-top:]), total)


def lorenz_of_sorted(
    positives: Sequence[int], zeros: int, points: int | None = None
) -> list[tuple[Fraction, Fraction]]:
    """``lorenz`` of ``zeros`` zeros and ``positives`` (sorted ascending)."""
    _sorted_positive(positives, zeros)
    n = len(positives) + zeros
    if n == 0:
        return [(Fraction(0), Fraction(0)), (Fraction(1), Fraction(1))]
    steps = _lorenz_steps(n, points)
    prefix = [0]
    for v in positives:
        prefix.append(prefix[-1] + v)
    total = prefix[-1]
    return [
        (Fraction(i, n), Fraction(prefix[max(i - zeros, 0)], total) if total else Fraction(i, n))
        for i in steps
    ]


def shares(values: Sequence[int | Fraction]) -> list[Fraction]:
    """Each value's share of their sum (all zero when the sum is zero)."""
    spend = checked_spend(values)
    total = sum(spend, Fraction(0))
    return [v / total if total else Fraction(0) for v in spend]


def hhi(values: Iterable[int | Fraction]) -> Fraction:
    """Herfindahl-Hirschman index of spend across suppliers: the sum of squared shares.

    1 when one UMKM took everything, 1/n when n UMKM took equal parts, 0 when nothing was
    spent. Shown as points out of 10,000 (the competition authorities' scale).
    """
    return sum((s * s for s in shares(list(values))), Fraction(0))


@dataclass(frozen=True)
class Progress:
    """An OPD's way to the 40 % target in one budget year."""

    budget: int
    spent: int  # on micro and small businesses through the catalog, this year so far
    target: int  # 40 % of the budget, rounded up to the Rupiah
    ratio: Fraction  # spent / budget
    months_left: int  # months of the year not yet begun or under way
    needed_per_month: int  # to reach the target by December, spread over the months left

    @property
    def reached(self) -> bool:
        return self.spent >= self.target


def months_left(year: int, today_year: int, today_month: int) -> int:
    """Months of ``year`` still open on a day of month ``today_month`` of ``today_year``: the
    current month counts (it can still be spent in). 12 for a future year, 0 for a past one."""
    if year > today_year:
        return 12
    if year < today_year:
        return 0
    return 12 - today_month + 1


def progress(budget: int, spent: int, left: int, share: Fraction = TARGET_SHARE) -> Progress:
    """``spent`` against ``share`` of ``budget``; what is still needed, per month left."""
    if budget <= 0:
        raise ValueError("Pagu belanja barang/jasa harus lebih dari Rp 0.")
    if spent < 0 or left < 0:
        raise ValueError("Belanja dan sisa bulan tidak boleh negatif.")
    target = -(-budget * share.numerator // share.denominator)  # ceiling, exact
    missing = max(target - spent, 0)
    needed = -(-missing // left) if left else missing
    return Progress(budget, spent, target, Fraction(spent, budget), left, needed)
