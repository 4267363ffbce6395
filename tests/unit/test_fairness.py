from fractions import Fraction
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from procure.allocation.fairness import (
    gini,
    price_premium,
    share_with_orders,
    smaller_half_share,
    top_share,
)

spend = st.lists(st.integers(0, 10**9), min_size=1, max_size=30)


def test_gini_known_values() -> None:
    assert gini([1, 2, 3, 4, 5]) == Fraction(4, 15)  # the textbook 0.2667
    assert gini([0, 0, 0, 1]) == Fraction(3, 4)
    assert gini([1, 3]) == Fraction(1, 4)
    assert gini([2, 2, 4, 8]) == Fraction(5, 16)


def test_gini_of_nothing_is_zero() -> None:
    assert gini([]) == 0
    assert gini([0, 0, 0]) == 0


@given(st.integers(1, 10**9), st.integers(1, 50))
def test_gini_all_equal_is_zero(amount: int, n: int) -> None:
    assert gini([amount] * n) == 0


@given(st.integers(1, 10**9), st.integers(1, 50))
def test_gini_one_takes_all_is_n_minus_1_over_n(amount: int, n: int) -> None:
    assert gini([0] * (n - 1) + [amount]) == Fraction(n - 1, n)


@settings(max_examples=200, deadline=None)
@given(spend)
def test_gini_is_the_mean_absolute_difference_over_twice_the_mean(values: list[int]) -> None:
    n, total = len(values), sum(values)
    pairs = sum(abs(a - b) for a, b in product(values, repeat=2))
    expected = Fraction(pairs, 2 * n * total) if total else Fraction(0)
    assert gini(values) == expected
    assert 0 <= gini(values) <= Fraction(n - 1, n)


@given(spend, st.integers(1, 1000))
def test_gini_ignores_scale_and_order(values: list[int], factor: int) -> None:
    assert gini([v * factor for v in reversed(values)]) == gini(values)


def test_share_with_orders() -> None:
    assert share_with_orders([0, 5, 0, 7]) == Fraction(1, 2)
    assert share_with_orders([]) == 0
    assert share_with_orders([0]) == 0


def test_top_share_takes_the_top_tenth_rounded_up() -> None:
    values = list(range(1, 21))  # 20 UMKM, total 210: the top two hold 20 + 19
    assert top_share(values, 0.10) == Fraction(39, 210)
    assert top_share(values) == Fraction(39, 210)
    assert top_share([5, 0, 0], 0.10) == 1  # ceil(0.3) = 1 UMKM
    assert top_share([1, 1, 1, 1], Fraction(1, 2)) == Fraction(1, 2)
    assert top_share([0, 0], 0.10) == 0
    with pytest.raises(ValueError):
        top_share([1], 0)


def test_price_premium() -> None:
    assert price_premium(105_000, 100_000) == Fraction(1, 20)
    assert price_premium(100_000, 100_000) == 0
    assert price_premium(0, 0) == 0
    with pytest.raises(ValueError):
        price_premium(5, 0)


def test_negative_spend_is_refused() -> None:
    with pytest.raises(ValueError):
        gini([1, -1])


def test_smaller_half_share_is_the_spend_of_the_half_with_the_lowest_usual_omzet() -> None:
    # Sizes 5, 1, 3, 2: the smaller half is UMKM 2 (1) and 4 (2), spending 30 + 10 of 100.
    assert smaller_half_share([40, 30, 20, 10], [5, 1, 3, 2]) == Fraction(40, 100)
    # An odd population: floor(5 / 2) = 2 smallest; equal sizes in the order given.
    assert smaller_half_share([1, 1, 1, 1, 6], [1, 1, 1, 9, 0]) == Fraction(7, 10)
    assert smaller_half_share([0, 0], [1, 2]) == 0
    assert smaller_half_share([], []) == 0
    with pytest.raises(ValueError):
        smaller_half_share([1, 2], [1])
    with pytest.raises(ValueError):
        smaller_half_share([-1, 2], [1, 2])
