"""Rupiah and numbers without Babel give exactly Babel's text (hypothesis)."""

from __future__ import annotations

from decimal import Decimal

from babel.numbers import format_decimal
from hypothesis import given
from hypothesis import strategies as st

from procure.formatting import LOCALE, number, rupiah


def babel_rupiah(amount: int) -> str:
    """What ``rupiah`` returned when every amount went through Babel."""
    sign = "-" if amount < 0 else ""
    return f"{sign}Rp {format_decimal(abs(amount), format='#,##0', locale=LOCALE)}"


WHOLE = st.one_of(
    st.integers(min_value=-(10**6), max_value=10**6),
    st.integers(min_value=-(10**15), max_value=10**15),  # up to Rp 1.000 triliun
    st.integers(min_value=-(10**27), max_value=10**27),  # Babel itself stops at 10**28
)


@given(WHOLE)
def test_rupiah_is_babels_text(amount: int) -> None:
    assert rupiah(amount) == babel_rupiah(amount)


@given(WHOLE)
def test_number_is_babels_text(value: int) -> None:
    assert number(value) == format_decimal(value, format="#,##0", locale=LOCALE)


@given(st.decimals(min_value=-(10**12), max_value=10**12, allow_nan=False, places=3))
def test_other_numbers_still_go_through_babel(value: Decimal) -> None:
    assert number(value) == format_decimal(value, format="#,##0", locale=LOCALE)  # type: ignore[arg-type]


def test_edges() -> None:
    assert [rupiah(a) for a in (0, 999, 1000, -1000, 1_250_000)] == [
        "Rp 0",
        "Rp 999",
        "Rp 1.000",
        "-Rp 1.000",
        "Rp 1.250.000",
    ]
    assert (rupiah(None), number(None)) == ("-", "-")
