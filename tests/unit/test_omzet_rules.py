import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.omzet.rules import (
    FilingWindow,
    Period,
    check_amount,
    check_filing_period,
    derived_scale,
    filing_deadline,
    is_late,
    last_months,
    missing_periods,
    omzet_flags,
    scale_from_annual,
)
from procure.umkm.rules import RuleError

periods = st.builds(Period, st.integers(2000, 2998), st.integers(1, 12))


@pytest.mark.parametrize(
    "text", ["2026-13", "2026-00", "26-10", "2026/10", "Oktober", "", "2026-1"]
)
def test_bad_periods_are_refused(text: str) -> None:
    with pytest.raises(RuleError):
        Period.parse(text)


@given(periods)
def test_period_text_round_trips(period: Period) -> None:
    assert Period.parse(str(period)) == period


@given(periods, st.integers(-300, 300))
def test_shift_and_difference_agree(period: Period, months: int) -> None:
    try:
        shifted = period.shift(months)
    except RuleError:
        return  # outside 2000-2999
    assert shifted - period == months
    assert shifted.shift(-months) == period


def test_last_months_is_the_window_before() -> None:
    assert [str(p) for p in last_months(Period(2026, 2), 3)] == ["2025-11", "2025-12", "2026-01"]


def test_completed_months_from_twelve_before_registration_can_be_filed() -> None:
    today = dt.date(2026, 11, 23)
    registered = dt.date(2026, 3, 15)
    check_filing_period(Period(2026, 10), today, registered)
    check_filing_period(Period(2026, 3), today, registered)  # the month of registration counts
    check_filing_period(
        Period(2026, 2), today, registered
    )  # before registration: the old rule refused
    check_filing_period(Period(2025, 3), today, registered)  # twelve months before
    with pytest.raises(RuleError, match="belum bisa dilaporkan") as current:
        check_filing_period(Period(2026, 11), today, registered)
    assert str(current.value) == (
        "Omzet November 2026 belum bisa dilaporkan: hanya bulan yang sudah selesai. "
        "Omzet dapat dilaporkan mulai Maret 2025 sampai Oktober 2026."
    )
    with pytest.raises(RuleError, match="belum bisa dilaporkan"):
        check_filing_period(Period(2027, 1), today, registered)
    with pytest.raises(RuleError) as too_old:
        check_filing_period(Period(2025, 2), today, registered)  # thirteen months before
    assert str(too_old.value) == (
        "Omzet Februari 2025 tidak bisa dilaporkan: usaha terdaftar Maret 2026, dan omzet paling "
        "jauh 12 bulan sebelum bulan pendaftaran. "
        "Omzet dapat dilaporkan mulai Maret 2025 sampai Oktober 2026."
    )


def test_the_filing_window_of_a_business_registered_this_month() -> None:
    window = FilingWindow.of(dt.date(2026, 11, 2), dt.date(2026, 11, 1))
    assert (window.first, window.last, window.registered) == (
        Period(2025, 11), Period(2026, 10), Period(2026, 11),
    )  # fmt: skip
    assert window.is_open
    assert len(window.months()) == 12
    assert window.months()[0] == Period(2026, 10)
    assert window.invited == [Period(2026, 8), Period(2026, 9), Period(2026, 10)]
    assert Period(2025, 10) not in window and Period(2026, 11) not in window
    assert window.sentence == "Omzet dapat dilaporkan mulai November 2025 sampai Oktober 2026."


def test_a_window_with_no_month_yet_says_so_and_not_that_all_are_filed() -> None:
    # Registration dated after today (a clock set wrong): nothing is open yet.
    window = FilingWindow.of(dt.date(2026, 11, 2), dt.date(2028, 1, 10))
    assert not window.is_open
    assert window.months() == []
    assert window.sentence == (
        "Belum ada bulan yang dapat dilaporkan: bulan pertama yang dapat dilaporkan adalah "
        "Januari 2027, mulai 1 Februari 2027."
    )


@given(periods, periods, st.integers(1, 28))
def test_the_window_is_the_filing_rule(registered: Period, period: Period, day: int) -> None:
    """Every month the window lists is accepted by the rule and every other one refused."""
    today = dt.date(2026, 11, day)
    registered_on = dt.date(registered.year, registered.month, min(day, 28))
    if registered_on > today or registered.year < 2001:
        return
    window = FilingWindow.of(today, registered_on)
    assert window.is_open and len(window.months()) >= 12
    try:
        check_filing_period(period, today, registered_on)
        accepted = True
    except RuleError:
        accepted = False
    assert accepted == (period in window) == (period in set(window.months()))


def test_amount_rules() -> None:
    check_amount(0, 50_000_000_000)
    check_amount(50_000_000_000, 50_000_000_000)
    with pytest.raises(RuleError, match="negatif"):
        check_amount(-1, 50_000_000_000)
    with pytest.raises(RuleError, match="batas kewajaran"):
        check_amount(50_000_000_001, 50_000_000_000)


def test_deadline_is_the_tenth_of_the_next_month_inclusive() -> None:
    assert filing_deadline(Period(2026, 12), 10) == dt.date(2027, 1, 10)
    assert not is_late(Period(2026, 10), dt.date(2026, 11, 10), 10)
    assert is_late(Period(2026, 10), dt.date(2026, 11, 11), 10)
    assert not is_late(Period(2026, 10), dt.date(2026, 10, 31), 10)


def test_scale_thresholds_pp_7_2021() -> None:
    assert scale_from_annual(2_000_000_000) == "mikro"
    assert scale_from_annual(2_000_000_001) == "kecil"
    assert scale_from_annual(15_000_000_000) == "kecil"
    assert scale_from_annual(15_000_000_001) == "menengah"
    assert scale_from_annual(50_000_000_001) == "besar"


def test_scale_annualises_the_reported_months_of_the_last_twelve() -> None:
    as_of = Period(2026, 11)
    # Six months of Rp 200 juta: Rp 2,4 miliar a year, so kecil, not mikro.
    monthly = {Period(2026, m): 200_000_000 for m in range(5, 11)}
    assert derived_scale(monthly, as_of) == "kecil"
    # A month outside the window does not count.
    assert derived_scale({Period(2025, 10): 10**10}, as_of) is None
    assert derived_scale({}, as_of) is None


@given(st.integers(0, 10**10), st.integers(0, 10**10))
def test_scale_is_monotonic(a: int, b: int) -> None:
    order = ["mikro", "kecil", "menengah", "besar"]
    low, high = sorted((a, b))
    assert order.index(scale_from_annual(low)) <= order.index(scale_from_annual(high))


def test_flag_below_platform_sales() -> None:
    flags = omzet_flags({Period(2026, 10): 1_000_000}, {Period(2026, 10): 1_500_000})
    assert [f.kind for f in flags] == ["below_platform_sales"]
    assert "Rp 1.000.000" in flags[0].message and "Rp 1.500.000" in flags[0].message
    assert omzet_flags({Period(2026, 10): 1_500_000}, {Period(2026, 10): 1_500_000}) == []


def test_flag_sharp_drop_needs_three_previous_months() -> None:
    base = {Period(2026, 7): 10_000_000, Period(2026, 8): 10_000_000, Period(2026, 9): 10_000_000}
    assert [f.kind for f in omzet_flags({**base, Period(2026, 10): 2_900_000}, {})] == [
        "sharp_drop"
    ]
    assert omzet_flags({**base, Period(2026, 10): 3_000_000}, {}) == []  # exactly 70%: not more
    # Two previous months only: no flag yet.
    short = {Period(2026, 8): 10_000_000, Period(2026, 9): 10_000_000, Period(2026, 10): 0}
    assert omzet_flags(short, {}) == []


def test_missing_periods() -> None:
    reported = {Period(2026, 8), Period(2026, 10)}
    assert missing_periods(reported, Period(2026, 7), Period(2026, 10)) == [
        Period(2026, 7),
        Period(2026, 9),
    ]
    assert missing_periods(reported, Period(2026, 11), Period(2026, 10)) == []
