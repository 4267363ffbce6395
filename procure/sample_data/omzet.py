"""Monthly omzet of the fictional Sukamaju UMKM: amounts, gaps, and when each was filed.

Pure, and driven by the caller's ``random.Random`` like the rest of ``sample_data``. Amounts
are whole Rupiah, rounded to Rp 1.000 as people report them; the seasonal and noise factors
are floats only on the way to an int (synthetic data, not money arithmetic).
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Sequence
from dataclasses import dataclass

from procure.clock import midnight_utc
from procure.omzet.rules import Period, filing_deadline

# Bounds of a normal month (Rp): a mikro business sells at most Rp 2 M a year (PP 7/2021),
# so below ~Rp 167 juta a month; a kecil one starts above that.
MIKRO_MONTHLY = (3_000_000, 150_000_000)
KECIL_MONTHLY = (170_000_000, 1_000_000_000)

# A mikro business's usual month per category, drawn log-uniformly between the two:
# most caterers sell tens of millions, a stationery shop turns over more, crafts less.
TYPICAL_MIKRO: dict[str, tuple[int, int]] = {
    "konsumsi": (8_000_000, 90_000_000),
    "seragam": (10_000_000, 120_000_000),
    "batik": (6_000_000, 110_000_000),
    "sepatu": (6_000_000, 90_000_000),
    "atk": (15_000_000, 130_000_000),
    "percetakan": (10_000_000, 120_000_000),
    "kerajinan": (3_000_000, 50_000_000),
}
TYPICAL_KECIL: dict[str, tuple[int, int]] = {
    slug: (180_000_000, 450_000_000 if slug == "kerajinan" else 800_000_000)
    for slug in TYPICAL_MIKRO
}

# Busy months per category: the new school year (June-July) for uniforms, shoes and
# stationery; Hari Batik (2 October); 17 Agustus banners; the year-end budget rush.
SEASON: dict[str, dict[int, float]] = {
    "konsumsi": {1: 0.85, 11: 1.15, 12: 1.3},
    "seragam": {6: 1.3, 7: 1.5, 12: 1.1},
    "batik": {10: 1.2, 12: 1.2},
    "sepatu": {6: 1.3, 7: 1.4},
    "atk": {1: 1.2, 7: 1.4},
    "percetakan": {8: 1.25, 12: 1.3},
    "kerajinan": {12: 1.2},
}

SKIP_RATE = 0.07  # a month left unreported now and then
STOP_RATE = 0.04  # share of businesses that stopped reporting 1-3 months ago
DROP_RATE = 0.03  # share with one month far below the three before it (an inspector flag)
LATE_RATE = 0.05  # share of reported months filed after the deadline
OVERSTATED_RATE = 0.1  # share of declared "kecil" businesses whose sales are mikro-sized
LATE_DAYS = 25  # a late report comes within this many days after the deadline


@dataclass(frozen=True)
class FilingWindow:
    """When a month's report can have been filed, in UTC: on time, and late."""

    start: dt.datetime  # the 1st of the following month, 00:00 in Jakarta
    on_time_seconds: int  # up to the end of the deadline day, or up to now
    late_start: dt.datetime  # the day after the deadline, 00:00 in Jakarta
    late_seconds: int  # 0 while the deadline has not passed


def filing_windows(
    periods: Sequence[Period], now: dt.datetime, deadline_day: int
) -> dict[Period, FilingWindow]:
    """The window of each completed month; nothing ends after ``now``."""
    windows: dict[Period, FilingWindow] = {}
    for period in periods:
        opens = _jakarta_midnight(period.shift(1).first_day)
        late_start = _jakarta_midnight(filing_deadline(period, deadline_day)) + dt.timedelta(days=1)
        on_time_end = min(late_start - dt.timedelta(seconds=1), now)
        late_end = min(late_start + dt.timedelta(days=LATE_DAYS), now)
        windows[period] = FilingWindow(
            start=opens,
            on_time_seconds=max(0, int((on_time_end - opens).total_seconds())),
            late_start=late_start,
            late_seconds=max(0, int((late_end - late_start).total_seconds())),
        )
    return windows


def _jakarta_midnight(day: dt.date) -> dt.datetime:
    return midnight_utc(day)


def filing_moment(rng: random.Random, window: FilingWindow) -> tuple[dt.datetime, bool]:
    """When one month was filed (UTC, whole seconds) and whether that was late."""
    if window.late_seconds and rng.random() < LATE_RATE:
        late = dt.timedelta(seconds=int(rng.random() * window.late_seconds))
        return window.late_start + late, True
    return window.start + dt.timedelta(seconds=int(rng.random() * window.on_time_seconds)), False


def monthly_amounts(
    rng: random.Random, category: str, declared_scale: str, periods: Sequence[Period]
) -> list[int | None]:
    """One business's omzet for ``periods`` (consecutive, oldest first); None: not reported.

    A usual level per category and scale, a slow trend, the category's busy months and
    ±15 % noise; now and then a gap, a business that stopped reporting, or one sharp drop.
    """
    if declared_scale == "kecil" and rng.random() >= OVERSTATED_RATE:
        (low, high), (floor, ceiling) = TYPICAL_KECIL[category], KECIL_MONTHLY
    else:
        (low, high), (floor, ceiling) = TYPICAL_MIKRO[category], MIKRO_MONTHLY
    level = low * (high / low) ** rng.random()
    trend = 1 + (rng.random() * 0.035 - 0.015)  # -1.5 % to +2 % a month
    season = SEASON[category]
    amounts: list[int | None] = []
    for period in periods:
        value = level * season.get(period.month, 1.0) * (0.85 + 0.3 * rng.random())
        amounts.append(_thousands(min(max(value, floor), ceiling)))
        level *= trend
    count = len(amounts)
    if count >= 4 and rng.random() < DROP_RATE:
        # Below 25 % of a normal month: more than the 70 % drop ``omzet_flags`` looks for.
        month = rng.randrange(3, count)
        normal = amounts[month] or 0
        amounts[month] = 0 if rng.random() < 0.2 else _thousands(normal * rng.uniform(0.05, 0.2))
    stopped = rng.randint(1, 3) if rng.random() < STOP_RATE else 0
    for month in range(count):
        if month >= count - stopped or rng.random() < SKIP_RATE:
            amounts[month] = None
    return amounts


def _thousands(value: float) -> int:
    return int(round(value / 1000)) * 1000
