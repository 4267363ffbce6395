"""The seed's synthetic omzet: plausible amounts, gaps, and filing times the rules accept."""

from __future__ import annotations

import datetime as dt
import random

from procure.clock import JAKARTA
from procure.omzet.rules import Period, is_late, last_months
from procure.sample_data import CATEGORY_WEIGHTS
from procure.sample_data.omzet import (
    KECIL_MONTHLY,
    MIKRO_MONTHLY,
    filing_moment,
    filing_windows,
    monthly_amounts,
)

PERIODS = last_months(Period(2026, 12), 12)  # December 2025 to November 2026


def test_amounts_are_whole_thousands_inside_the_scale() -> None:
    rng = random.Random(1)
    reported = missing = 0
    for _ in range(2000):
        category = rng.choice(list(CATEGORY_WEIGHTS))
        amounts = monthly_amounts(rng, category, "mikro", PERIODS)
        assert len(amounts) == 12
        for amount in amounts:
            if amount is None:
                missing += 1
                continue
            reported += 1
            assert isinstance(amount, int) and amount % 1000 == 0
            assert 0 <= amount <= MIKRO_MONTHLY[1]
    assert 0.05 < missing / (reported + missing) < 0.12


def test_most_kecil_businesses_sell_like_kecil() -> None:
    rng = random.Random(2)
    tops = [
        max(a for a in monthly_amounts(rng, "konsumsi", "kecil", PERIODS) if a is not None)
        for _ in range(500)
    ]
    assert all(top <= KECIL_MONTHLY[1] for top in tops)
    assert 0.8 < sum(top >= KECIL_MONTHLY[0] for top in tops) / len(tops) < 0.97


def test_same_seed_same_amounts_and_short_histories() -> None:
    first = monthly_amounts(random.Random(7), "batik", "mikro", PERIODS)
    assert first == monthly_amounts(random.Random(7), "batik", "mikro", PERIODS)
    assert monthly_amounts(random.Random(7), "batik", "mikro", []) == []


def test_filing_times_stay_in_their_window_and_before_now() -> None:
    # The 5th of December in Jakarta: November's deadline (the 10th) has not passed yet.
    now = dt.datetime(2026, 12, 5, 9, 30, tzinfo=JAKARTA).astimezone(dt.UTC)
    windows = filing_windows(PERIODS, now, 10)
    assert windows[Period(2026, 11)].late_seconds == 0
    assert windows[Period(2026, 10)].late_seconds > 0
    rng = random.Random(3)
    late = 0
    for period in PERIODS:
        for _ in range(300):
            filed_at, was_late = filing_moment(rng, windows[period])
            assert filed_at.tzinfo is not None and filed_at <= now
            filed_on = filed_at.astimezone(JAKARTA).date()
            assert filed_on >= period.shift(1).first_day
            assert was_late == is_late(period, filed_on, 10)
            late += was_late
    assert 0 < late < 0.1 * 12 * 300
