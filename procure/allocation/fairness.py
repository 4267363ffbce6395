"""How fair a stream of awards was: the figures ALLOCATION.md asks a replay to report.

Pure and exact: spend is whole Rupiah (or Fractions), results are Fractions, so two policies
compared on the same replay differ only where their awards differ. ``values`` is the spend per
UMKM over the whole population, zeros included (a UMKM that got nothing is the point).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from fractions import Fraction


def checked_spend(values: Iterable[int | Fraction]) -> list[Fraction]:
    """The values as Fractions; ValueError if one is negative (spend never is)."""
    spend = [Fraction(v) for v in values]
    if any(v < 0 for v in spend):
        raise ValueError("Belanja tidak boleh negatif.")
    return spend


def gini(values: Iterable[int | Fraction]) -> Fraction:
    """Population Gini of spend across UMKM: 0 when equal, (n-1)/n when one takes all."""
    spend = sorted(checked_spend(values))
    n, total = len(spend), sum(spend, Fraction(0))
    if n == 0 or total == 0:
        return Fraction(0)
    # Sorted form of mean |x_i - x_j| / (2 * mean): O(n log n) instead of O(n²).
    weighted = sum((i * x for i, x in enumerate(spend, start=1)), Fraction(0))
    return 2 * weighted / (n * total) - Fraction(n + 1, n)


def share_with_orders(values: Iterable[int | Fraction]) -> Fraction:
    """Share of UMKM with at least one order (spend above zero)."""
    spend = checked_spend(values)
    if not spend:
        return Fraction(0)
    return Fraction(sum(1 for v in spend if v > 0), len(spend))


def top_share(
    values: Iterable[int | Fraction], fraction: Fraction | float | str = Fraction(1, 10)
) -> Fraction:
    """Share of spend held by the top ``fraction`` of UMKM: ceil(n × fraction), at least one."""
    # Through str, so 0.10 is exactly 1/10 and not the nearest binary float.
    share = Fraction(str(fraction)) if isinstance(fraction, float) else Fraction(fraction)
    if not 0 < share <= 1:
        raise ValueError("Bagian teratas harus di antara 0 dan 1.")
    spend = sorted(checked_spend(values), reverse=True)
    total = sum(spend, Fraction(0))
    if total == 0:
        return Fraction(0)
    top = max(1, math.ceil(len(spend) * share))
    return sum(spend[:top], Fraction(0)) / total


def smaller_half_share(
    values: Sequence[int | Fraction], sizes: Sequence[float | int | Fraction]
) -> Fraction:
    """Share of spend that went to the smaller half of UMKM by usual omzet.

    ``values[i]`` is the spend of UMKM i and ``sizes[i]`` its usual monthly omzet (or any
    measure ordered like it); the smaller half is the floor(n / 2) UMKM with the lowest sizes,
    equal sizes taken in the order given. 0 when nothing was spent.
    """
    if len(values) != len(sizes):
        raise ValueError("Setiap UMKM harus punya belanja dan omzet biasa.")
    spend = checked_spend(values)
    total = sum(spend, Fraction(0))
    if total == 0:
        return Fraction(0)
    smaller = sorted(range(len(spend)), key=lambda i: (sizes[i], i))[: len(spend) // 2]
    return sum((spend[i] for i in smaller), Fraction(0)) / total


def price_premium(paid: int | Fraction, cheapest: int | Fraction) -> Fraction:
    """(paid - cheapest) / cheapest: what buying fairly cost over always-cheapest."""
    if cheapest < 0 or paid < 0:
        raise ValueError("Nilai belanja tidak boleh negatif.")
    if cheapest == 0:
        if paid == 0:
            return Fraction(0)
        raise ValueError("Belanja termurah Rp 0 tidak bisa menjadi pembanding.")
    return Fraction(paid - cheapest) / Fraction(cheapest)
