"""The dashboard's pure metrics: hand-computed examples and properties.

The sorted-positives forms (``*_of_sorted``, what ``build_report`` uses with the zeros given as
a count) are proved equal to the reference functions on random populations.
"""

from __future__ import annotations

import math
from fractions import Fraction as F

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procure.spread import metrics

spend = st.lists(st.integers(min_value=0, max_value=10**9), max_size=60)
positive_spend = st.lists(st.integers(min_value=1, max_value=10**9), min_size=1, max_size=60)


# --- hand-computed ---------------------------------------------------------------------------


def test_gini_by_hand() -> None:
    # 0, 0, 10, 15, 16, 20: weighted 3·10 + 4·15 + 5·16 + 6·20 = 290, total 61, n 6:
    # (2·290 − 7·61) / (6·61) = 153/366.
    assert metrics.gini([16, 0, 20, 10, 15, 0]) == F(153, 366)
    assert metrics.gini([1, 3]) == F(1, 4)  # mean |x−y| over pairs 2·2/4 = 1, / (2 · mean 2)
    assert metrics.gini([]) == 0 and metrics.gini([0, 0]) == 0


def test_lorenz_by_hand() -> None:
    assert metrics.lorenz([3, 0, 1]) == [
        (F(0), F(0)),
        (F(1, 3), F(0)),
        (F(2, 3), F(1, 4)),
        (F(1), F(1)),
    ]
    # Read at 2 points of 4 UMKM: population 0, 2, 4.
    assert metrics.lorenz([1, 1, 2, 4], points=2) == [
        (F(0), F(0)),
        (F(1, 2), F(1, 4)),
        (F(1), F(1)),
    ]
    assert metrics.lorenz([0, 0]) == [(F(0), F(0)), (F(1, 2), F(1, 2)), (F(1), F(1))]  # diagonal
    assert metrics.lorenz([]) == [(F(0), F(0)), (F(1), F(1))]
    with pytest.raises(ValueError):
        metrics.lorenz([1, 2], points=0)


def test_top_share_and_share_with_orders_by_hand() -> None:
    values = [0, 0, 0, 0, 10, 15, 16, 20, 0, 0, 0, 39]  # 12 UMKM: top ceil(1.2) = 2
    assert metrics.top_share(values) == F(59, 100)
    assert metrics.share_with_orders(values) == F(5, 12)


def test_shares_and_hhi_by_hand() -> None:
    assert metrics.shares([1, 3]) == [F(1, 4), F(3, 4)]
    assert metrics.shares([0, 0]) == [0, 0]
    assert metrics.hhi([16, 15]) == F(481, 961)
    assert metrics.hhi([1, 1, 2]) == F(1, 16) + F(1, 16) + F(1, 4)
    assert metrics.hhi([]) == 0 and metrics.hhi([0]) == 0


def test_smaller_half_by_hand() -> None:
    # Sizes 1, 8, 20, 50: the smaller half are the first two, with 0 and 15 of 51.
    assert metrics.smaller_half_share([16, 0, 20, 15], [20, 1, 50, 8]) == F(15, 51)


def test_progress_by_hand() -> None:
    p = metrics.progress(20_000_000, 3_100_000, 1)
    assert (p.target, p.ratio, p.needed_per_month, p.reached) == (
        8_000_000,
        F(31, 200),
        4_900_000,
        False,
    )
    p = metrics.progress(1_000_001, 0, 3)  # target rounded up: 400.000,4 -> 400.001
    assert (p.target, p.needed_per_month) == (400_001, 133_334)
    p = metrics.progress(10, 5, 0)  # the year is over: all that is missing, nothing to spread
    assert (p.target, p.needed_per_month, p.reached) == (4, 0, True)
    assert metrics.progress(10, 1, 0).needed_per_month == 3
    for wrong in ((0, 1, 1), (10, -1, 1), (10, 1, -1)):
        with pytest.raises(ValueError):
            metrics.progress(*wrong)


def test_months_left() -> None:
    assert metrics.months_left(2026, 2026, 12) == 1
    assert metrics.months_left(2026, 2026, 1) == 12
    assert metrics.months_left(2027, 2026, 12) == 12
    assert metrics.months_left(2025, 2026, 1) == 0


def test_negative_spend_is_refused() -> None:
    for function in (metrics.gini, metrics.lorenz, metrics.hhi, metrics.top_share):
        with pytest.raises(ValueError):
            function([1, -1])
    with pytest.raises(ValueError):
        metrics.gini_of_sorted([1, 2], -1)
    with pytest.raises(ValueError):
        metrics.gini_of_sorted([2, 1], 0)  # not sorted


# --- properties ------------------------------------------------------------------------------


@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=1, max_value=200))
def test_gini_is_zero_when_everyone_gets_the_same(value: int, n: int) -> None:
    assert metrics.gini([value] * n) == 0
    assert metrics.hhi([value] * n) == F(1, n)


@given(st.integers(min_value=1, max_value=10**9), st.integers(min_value=1, max_value=200))
def test_one_winner(value: int, n: int) -> None:
    values = [0] * (n - 1) + [value]
    assert metrics.gini(values) == F(n - 1, n)
    assert metrics.hhi(values) == 1
    assert metrics.top_share(values) == 1


@given(spend, st.integers(min_value=1, max_value=1000))
def test_gini_and_shares_ignore_the_unit(values: list[int], factor: int) -> None:
    scaled = [v * factor for v in values]
    assert metrics.gini(scaled) == metrics.gini(values)
    assert metrics.top_share(scaled) == metrics.top_share(values)
    assert metrics.hhi(scaled) == metrics.hhi(values)
    assert metrics.lorenz(scaled) == metrics.lorenz(values)


@given(spend)
def test_gini_between_zero_and_one(values: list[int]) -> None:
    g = metrics.gini(values)
    assert 0 <= g < 1
    if values:
        assert g <= F(len(values) - 1, len(values))


@given(spend, st.one_of(st.none(), st.integers(min_value=1, max_value=120)))
def test_lorenz_shape(values: list[int], points: int | None) -> None:
    curve = metrics.lorenz(values, points)
    assert curve[0] == (0, 0) and curve[-1] == (1, 1)
    xs = [x for x, _ in curve]
    assert xs == sorted(set(xs))  # strictly increasing population shares
    assert all(a[1] <= b[1] for a, b in zip(curve, curve[1:], strict=False))
    assert all(y <= x for x, y in curve)  # never above the diagonal
    # Convex: slopes never fall.
    slopes = [(b[1] - a[1]) / (b[0] - a[0]) for a, b in zip(curve, curve[1:], strict=False)]
    assert all(s <= t for s, t in zip(slopes, slopes[1:], strict=False))
    if points is not None:
        assert len(curve) <= points + 1


@given(positive_spend)
def test_shares_sum_to_one(values: list[int]) -> None:
    assert sum(metrics.shares(values)) == 1
    assert 0 < metrics.hhi(values) <= 1


@given(
    st.integers(min_value=1, max_value=10**12),
    st.integers(min_value=0, max_value=10**12),
    st.integers(min_value=0, max_value=12),
)
def test_progress_arithmetic(budget: int, spent: int, left: int) -> None:
    p = metrics.progress(budget, spent, left)
    assert p.target == math.ceil(F(budget * 40, 100))
    assert p.ratio == F(spent, budget)
    missing = max(p.target - spent, 0)
    assert p.reached == (missing == 0)
    if missing == 0:
        assert p.needed_per_month == 0
    elif left:
        # Enough per month to reach the target, and not a Rupiah more than that needs.
        assert p.needed_per_month * left >= missing > (p.needed_per_month - 1) * left
    else:
        assert p.needed_per_month == missing


# --- the sorted-positives forms equal the reference ------------------------------------------


@settings(max_examples=300)
@given(
    st.lists(st.integers(min_value=1, max_value=10**9), max_size=80),
    st.integers(min_value=0, max_value=300),
    st.one_of(st.none(), st.integers(min_value=1, max_value=150)),
)
def test_fast_forms_equal_the_reference(
    positives: list[int], zeros: int, points: int | None
) -> None:
    positives.sort()
    everyone = [0] * zeros + positives
    assert metrics.gini_of_sorted(positives, zeros) == metrics.gini(everyone)
    assert metrics.top_share_of_sorted(positives, zeros) == metrics.top_share(everyone)
    assert metrics.lorenz_of_sorted(positives, zeros, points) == metrics.lorenz(everyone, points)
    weighted = sum(i * v for i, v in enumerate(sorted(everyone), start=1))
    assert metrics.gini_from_sums(len(everyone), sum(everyone), weighted) == metrics.gini(everyone)


def test_fast_forms_on_a_large_population() -> None:
    positives = sorted((i * 7919) % 100_003 + 1 for i in range(5_000))
    everyone = [0] * 95_000 + positives
    assert metrics.gini_of_sorted(positives, 95_000) == metrics.gini(everyone)
    assert metrics.lorenz_of_sorted(positives, 95_000, 100) == metrics.lorenz(everyone, 100)
    assert metrics.top_share_of_sorted(positives, 95_000) == metrics.top_share(everyone)
