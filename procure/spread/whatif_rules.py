"""What-if replays: the settings an admin may choose, their checks, and what is compared. Pure.

A scenario is pemerataan-v2 or v1 with K (1-10), a split mode and an annual cap (or none), or
one of the baselines the policy is judged against: always-cheapest and random. Each is replayed
over the requests of a past period (``procure.spread.whatif``); its figures stand beside those
of the orders that really were issued for the same requests ("Yang terjadi").
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from procure.allocation.simulation import (
    CHEAPEST,
    PEMERATAAN_CAPACITY,
    PEMERATAAN_LEVEL,
    RANDOM,
    V2_CAPACITY,
    V2_LEVEL,
    PolicyMetrics,
)
from procure.input_rules import FieldErrors
from procure.omzet.rules import Period
from procure.spread.periods import ReportPeriod

V2, V1 = "v2", "v1"
KINDS: dict[str, str] = {
    V2: "Pemerataan v2",
    V1: "Pemerataan v1",
    CHEAPEST: "Selalu termurah (pembanding)",
    RANDOM: "Acak (pembanding)",
}
SPLIT_LABELS = {"capacity": "menurut kapasitas", "level": "merata (level)"}
MAX_K = 10
MAX_SCENARIOS = 3
MAX_CAP = 10**15  # Rp; anything above is a typing mistake (and overflows nothing)
ACTUAL = "Yang terjadi"
# Request × replays answered in the request itself: with the replay's fast path
# pemerataan-v2 takes about 0.6 ms a request and loading the period about 0.5 ms more
# (docs/benchmarks.md, "What-if replay": 6,000 requests loaded in 3.0 s, replayed in 5.1 s),
# so this many stay around 2 s; more run as a background job with progress.
IN_REQUEST_REQUESTS = 1_500
RANDOM_SEED = 2026  # the random baseline's lottery: the same inputs give the same replay


class ScenarioError(FieldErrors):
    """Choices that cannot be replayed; ``errors`` maps a form field to its message."""


@dataclass(frozen=True)
class Scenario:
    """One set of settings to replay. Baselines keep K and the annual cap (they share the
    eligibility rules) and have no split mode of their own."""

    kind: str  # V2, V1, CHEAPEST or RANDOM
    max_suppliers: int
    split_mode: str = "capacity"
    annual_cap: int | None = None

    @property
    def policy(self) -> str:
        """The replay's name in ``procure.allocation.simulation``."""
        if self.kind == V2:
            return V2_LEVEL if self.split_mode == "level" else V2_CAPACITY
        if self.kind == V1:
            return PEMERATAAN_LEVEL if self.split_mode == "level" else PEMERATAAN_CAPACITY
        return self.kind

    @property
    def is_baseline(self) -> bool:
        return self.kind in (CHEAPEST, RANDOM)

    @property
    def label(self) -> str:
        cap = (
            "tanpa batas tahunan"
            if self.annual_cap is None
            else f"batas tahunan {_rp(self.annual_cap)}"
        )
        if self.is_baseline:
            return f"{KINDS[self.kind]}, K = {self.max_suppliers}, {cap}"
        split = SPLIT_LABELS[self.split_mode]
        return f"{KINDS[self.kind]}, K = {self.max_suppliers}, dibagi {split}, {cap}"

    @property
    def key(self) -> str:
        return f"{self.kind}:{self.max_suppliers}:{self.split_mode}:{self.annual_cap or 0}"


def _rp(amount: int) -> str:
    return "Rp " + f"{amount:,}".replace(",", ".")


def _whole(text: str, lowest: int, highest: int, name: str) -> int:
    value = (text or "").strip().replace(".", "").replace(" ", "")
    if not value.isdigit() or len(value) > 16:
        raise ValueError(f"{name} harus bilangan bulat.")
    number = int(value)
    if not lowest <= number <= highest:
        raise ValueError(f"{name} harus di antara {lowest:,} dan {highest:,}.".replace(",", "."))
    return number


def parse_scenarios(rows: Sequence[Mapping[str, str]]) -> tuple[Scenario, ...]:
    """The scenarios of the form's rows (``kind``, ``k``, ``split``, ``cap``; a row whose kind
    is empty is skipped). Raises ScenarioError with a message per field ``<name>_<row>``."""
    errors: dict[str, str] = {}
    chosen: list[Scenario] = []
    for number, row in enumerate(rows, 1):
        kind = (row.get("kind") or "").strip()
        if not kind:
            continue
        if kind not in KINDS:
            errors[f"skenario_{number}"] = "Pilih skenario dari daftar."
            continue
        try:
            k = _whole(row.get("k", ""), 1, MAX_K, "K (jumlah UMKM per permintaan)")
        except ValueError as exc:
            errors[f"k_{number}"] = str(exc)
            continue
        split = (row.get("split") or "capacity").strip()
        if split not in SPLIT_LABELS:
            errors[f"bagi_{number}"] = "Cara pembagian harus menurut kapasitas atau merata."
            continue
        cap_text = (row.get("cap") or "").strip()
        cap = None
        if cap_text:
            try:
                cap = _whole(cap_text, 1, MAX_CAP, "Batas tahunan")
            except ValueError as exc:
                errors[f"batas_{number}"] = str(exc)
                continue
        scenario = Scenario(kind, k, "capacity" if kind in (CHEAPEST, RANDOM) else split, cap)
        if any(s.key == scenario.key for s in chosen):
            errors[f"skenario_{number}"] = "Skenario ini sama dengan skenario sebelumnya."
            continue
        chosen.append(scenario)
    if not errors and not chosen:
        errors["skenario_1"] = "Pilih paling sedikit satu skenario."
    if errors:
        raise ScenarioError(errors)
    return tuple(chosen)


def inputs_key(period: str, scenarios: Sequence[Scenario]) -> str:
    """The same period and scenarios give the same key: a second click finds the first job."""
    text = "|".join([period, *(s.key for s in scenarios)])
    return hashlib.sha256(text.encode()).hexdigest()[:24]


def runs_in_request(request_count: int, scenarios: int) -> bool:
    """A short replay is answered at once; a long one runs as a background job."""
    return request_count * (scenarios + 1) <= IN_REQUEST_REQUESTS


@dataclass(frozen=True)
class Figures:
    """The compared figures of one column, as plain numbers (shares 0..1)."""

    label: str
    gini: float
    share_with_orders: float
    umkm_with_orders: int
    population: int
    top10_share: float
    smaller_half_share: float
    spend: int
    fulfilled_share: float
    premium: float  # per unit against always-cheapest, see ``simulation.measure``

    @classmethod
    def of(cls, label: str, metrics: PolicyMetrics, population: int) -> Figures:
        return cls(
            label=label,
            gini=float(metrics.gini),
            share_with_orders=float(metrics.share_with_orders),
            umkm_with_orders=metrics.umkm_with_orders,
            population=population,
            top10_share=float(metrics.top10_share),
            smaller_half_share=float(metrics.bottom_half_share),
            spend=metrics.spend,
            fulfilled_share=float(metrics.fulfilled_share),
            premium=float(metrics.premium_per_unit),
        )


# The rows of the comparison: (attribute, label, how it is shown, better when higher?).
ROWS: tuple[tuple[str, str, str, bool | None], ...] = (
    ("gini", "Gini belanja (0 = merata, 1 = satu UMKM mendapat semua)", "ratio", False),
    ("share_with_orders", "UMKM dengan paling sedikit 1 pesanan", "share", True),
    ("top10_share", "Bagian belanja 10 % UMKM teratas", "share", False),
    ("smaller_half_share", "Bagian belanja ke separuh UMKM beromzet terkecil", "share", True),
    ("spend", "Belanja", "money", None),
    ("fulfilled_share", "Kebutuhan yang terpenuhi (unit)", "share", True),
    ("premium", "Selisih harga per unit dibanding selalu termurah", "signed", None),
)


def _pct(value: float, signed: bool = False) -> str:
    text = f"{value * 100:+.1f}" if signed else f"{value * 100:.1f}"
    return text.replace(".", ",") + " %"


def shown(figures: Figures, attribute: str, how: str) -> str:
    """One figure as the page writes it."""
    value = getattr(figures, attribute)
    if how == "ratio":
        return f"{value:.3f}".replace(".", ",")
    if how == "money":
        return _rp(int(value))
    if how == "signed":
        return _pct(value, signed=True)
    if attribute == "share_with_orders":
        return _with_count(figures, value)
    return _pct(value)


def _with_count(figures: Figures, value: float) -> str:
    count = f"{figures.umkm_with_orders:,}".replace(",", ".")
    total = f"{figures.population:,}".replace(",", ".")
    return f"{_pct(value)} ({count} dari {total})"


def table(columns: Sequence[Figures]) -> list[tuple[str, list[str]]]:
    """Rows of (label, one text per column), in ``ROWS`` order."""
    return [(label, [shown(c, attr, how) for c in columns]) for attr, label, how, _ in ROWS]


def sentence(actual: Figures, scenario: Figures) -> str:
    """What would have changed, in one plain sentence."""
    parts: list[str] = []
    gained = scenario.umkm_with_orders - actual.umkm_with_orders
    if gained > 0:
        parts.append(f"{gained:,} UMKM lebih banyak mendapat pesanan".replace(",", "."))
    elif gained < 0:
        parts.append(f"{-gained:,} UMKM lebih sedikit mendapat pesanan".replace(",", "."))
    else:
        parts.append("jumlah UMKM yang mendapat pesanan sama")
    delta = scenario.gini - actual.gini
    if abs(delta) < 0.005:
        parts.append("kemerataan belanja hampir sama")
    elif delta < 0:
        parts.append(f"belanja lebih merata (Gini turun {abs(delta):.2f})".replace(".", ","))
    else:
        parts.append(f"belanja lebih terpusat (Gini naik {delta:.2f})".replace(".", ","))
    # Both premiums are over the same reference (always-cheapest's price per request), so the
    # scenario's price per unit against what happened is their ratio, not their difference.
    cost = (1 + scenario.premium) / (1 + actual.premium) - 1
    if abs(cost) < 0.0005:
        parts.append("harga per unit hampir sama")
    elif cost > 0:
        parts.append(f"harga per unit {_pct(cost)} lebih mahal")
    else:
        parts.append(f"harga per unit {_pct(-cost)} lebih murah")
    filled = scenario.fulfilled_share - actual.fulfilled_share
    if abs(filled) >= 0.0005:
        more = "lebih banyak" if filled > 0 else "lebih sedikit"
        points = _pct(abs(filled)).replace(" %", " poin persen")
        parts.append(f"kebutuhan yang terpenuhi {points} {more}")
    return f"Dibanding yang terjadi: {', '.join(parts)}."


def period_choices(today: dt.date) -> list[tuple[str, str]]:
    """The periods offered: months, quarters and years of this year and the last, newest
    first, none that has not begun (the current one is replayed as far as it has gone)."""
    found: list[tuple[str, str]] = []
    for year in (today.year, today.year - 1):
        months = [ReportPeriod.month(Period(year, m)) for m in range(12, 0, -1)]
        quarters = [ReportPeriod.quarter(year, q) for q in range(4, 0, -1)]
        for period in [*months, *quarters, ReportPeriod.year(year)]:
            if period.start <= today:
                found.append((str(period), period.label))
    return found


def default_period(today: dt.date) -> str:
    """Last month: the most recent period that is over."""
    return str(Period.of(today).shift(-1))
