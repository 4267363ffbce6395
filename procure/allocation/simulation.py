"""Replay simulation: pemerataan-v1 against the policies buyers fall back to.

One year of purchase requests is replayed over a synthetic supplier population, once per
policy, each replay with its own capacity bookings and award history; then the four figures of
ALLOCATION.md ("How its effect is judged") are computed per policy. Pure and deterministic for a
seed: ``random.Random`` only, no clock, no I/O, no framework.

The population is shaped like ``procure seed``: the same product table, category weights, share
of "kecil" businesses and omzet generator (``procure.sample_data``). Unlike the seed, a
product's price and capacity follow the size of its business: larger businesses are cheaper and
can make more, which is why always-cheapest concentrates spend.
"""

from __future__ import annotations

import bisect
import datetime as dt
import math
import random
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from procure.allocation.fairness import gini, price_premium, share_with_orders, top_share
from procure.allocation.policy import (
    eligibility,
    evaluate,
    representatives,
    tie_for,
    window_for,
)
from procure.allocation.records import (
    Award,
    Offer,
    Part,
    Request,
    Settings,
    SplitMode,
    SupplierFacts,
)
from procure.clock import JAKARTA, jakarta_date
from procure.omzet.rules import Period
from procure.sample_data.omzet import monthly_amounts
from procure.sample_data.products import CATEGORY_WEIGHTS, TEMPLATES, ProductTemplate

PEMERATAAN_CAPACITY = "pemerataan-v1 capacity"
PEMERATAAN_LEVEL = "pemerataan-v1 level"
CHEAPEST = "always-cheapest"
HABIT = "buyer-habit"
RANDOM = "random"
POLICIES = (PEMERATAAN_CAPACITY, PEMERATAAN_LEVEL, CHEAPEST, HABIT, RANDOM)

YEAR = 2026
OPD_COUNT = 10
FAVOURITES = 3  # suppliers a buyer-habit OPD keeps per category
PRODUCTS_PER_UMKM = 2  # as ``procure seed``
KECIL_RATE = 0.15  # as ``procure.sample_data.make_business``
NEWCOMER_RATE = 0.08  # verified during the year, as the seed's newcomers
LATE_FILING_RATE = 0.05
# Requests per month: government buying is slow in the first quarter, rushes at the year end.
MONTH_WEIGHTS = (4, 6, 8, 8, 9, 9, 9, 9, 10, 10, 11, 12)
# Size 0 is a business of Rp 3 juta a month, 1 one of Rp 800 juta (the seed's bounds).
_SIZE_LOW, _SIZE_HIGH = 3_000_000, 800_000_000


@dataclass(frozen=True)
class Product:
    """One product of one UMKM; ``category_id`` is a product kind (index in ``KINDS`` + 1)."""

    product_id: int
    umkm_id: int
    category_id: int
    unit_price: int
    monthly_capacity: int
    lead_time_days: int
    min_order: int


@dataclass(frozen=True)
class Supplier:
    """One UMKM: its base omzet (without platform orders) and when each month was filed."""

    umkm_id: int
    is_kecil: bool
    size: float  # 0..1 on a log scale of its usual month; drives price and capacity
    verified_at: dt.datetime
    omzet: dict[Period, int]  # months it reports; a missing month was not reported
    filed_on: dict[Period, dt.date]
    products: tuple[Product, ...]
    filings: tuple[dt.date, ...]  # every filing date, in order: the days its facts change


@dataclass(frozen=True)
class Population:
    """The suppliers (ids 1..n) and their products by category."""

    suppliers: tuple[Supplier, ...]
    by_category: dict[int, tuple[Product, ...]]

    def supplier(self, umkm_id: int) -> Supplier:
        return self.suppliers[umkm_id - 1]


@dataclass(frozen=True)
class Order:
    """One part awarded in a replay."""

    request_id: int
    umkm_id: int
    product_id: int
    quantity: int
    unit_price: int
    due: Period  # the calendar month of the request's needed-by date

    @property
    def value(self) -> int:
        return self.quantity * self.unit_price


@dataclass(frozen=True)
class Replay:
    """Every order one policy gave over the stream."""

    policy: str
    orders: tuple[Order, ...]


@dataclass(frozen=True)
class PolicyMetrics:
    """The judged figures of one policy; fractions exact, rounded only for display."""

    policy: str
    gini: Fraction  # of spend across all UMKM, zeros included
    share_with_orders: Fraction
    umkm_with_orders: int
    top10_share: Fraction
    # Spend share of the half of UMKM with the lowest usual month: the promise itself.
    bottom_half_share: Fraction
    premium_per_unit: Fraction  # the headline premium: see ``measure``
    premium_total: Fraction  # total spend / always-cheapest's total spend - 1
    fulfilled_share: Fraction  # allocated units / requested units
    spend: int


# Each seed template is one product kind: a request for "Nasi Kotak" does not take snack boxes.
KINDS: tuple[ProductTemplate, ...] = TEMPLATES


def _clamp(value: float) -> float:
    return min(max(value, 0.0), 1.0)


def _price_step(high: int) -> int:
    return 500 if high <= 50_000 else 1_000 if high <= 200_000 else 5_000


def _product(
    rng: random.Random, ids: tuple[int, int, int], kind: ProductTemplate, size: float
) -> Product:
    product_id, umkm_id, category_id = ids
    low, high = kind.price
    step = _price_step(high)
    # Small businesses sit high in the market's price range, larger ones low.
    position = _clamp(0.8 - 0.6 * size + rng.gauss(0, 0.12))
    price = max(step, round((low + (high - low) * position) / step) * step)
    cap_low, cap_high = kind.capacity
    capacity = round(cap_low * (cap_high / cap_low) ** _clamp(size + rng.gauss(0, 0.1)))
    capacity = max(5, round(capacity / 5) * 5)
    return Product(
        product_id=product_id,
        umkm_id=umkm_id,
        category_id=category_id,
        unit_price=price,
        monthly_capacity=capacity,
        lead_time_days=rng.randint(*kind.lead_days),
        min_order=min(rng.choice(kind.min_orders), capacity),
    )


def _moment(day: dt.date, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, minute // 60, minute % 60, tzinfo=JAKARTA)


def build_population(seed: int, n_umkm: int) -> Population:
    """``n_umkm`` verified UMKM with two products each, omzet from Oct of the year before."""
    rng = random.Random(f"{seed}:population")
    periods = [Period(YEAR - 1, 10).shift(i) for i in range(14)]  # every month a window uses
    categories = list(CATEGORY_WEIGHTS)
    kinds_of = {c: [i for i, k in enumerate(KINDS) if k.category == c] for c in categories}
    suppliers: list[Supplier] = []
    products: dict[int, list[Product]] = defaultdict(list)
    for umkm_id in range(1, n_umkm + 1):
        category = rng.choices(categories, weights=[CATEGORY_WEIGHTS[c] for c in categories])[0]
        is_kecil = rng.random() < KECIL_RATE
        amounts = monthly_amounts(rng, category, "kecil" if is_kecil else "mikro", periods)
        reported = [a for a in amounts if a]
        level = sum(reported) / len(reported) if reported else _SIZE_LOW
        size = _clamp(math.log(level / _SIZE_LOW) / math.log(_SIZE_HIGH / _SIZE_LOW))
        if rng.random() < NEWCOMER_RATE:
            joined = dt.date(YEAR, 1, 15) + dt.timedelta(days=rng.randrange(320))
        else:
            joined = dt.date(YEAR - 2, 1, 1) + dt.timedelta(days=rng.randrange(600))
        omzet: dict[Period, int] = {}
        filed_on: dict[Period, dt.date] = {}
        for period, amount in zip(periods, amounts, strict=True):
            if amount is None or period < Period.of(joined):
                continue
            late = rng.random() < LATE_FILING_RATE
            omzet[period] = amount
            days = rng.randint(16, 40) if late else rng.randint(0, 14)
            filed_on[period] = period.shift(1).first_day + dt.timedelta(days=days)
        own: list[Product] = []
        for kind_index in rng.sample(kinds_of[category], PRODUCTS_PER_UMKM):
            ids = (len(suppliers) * PRODUCTS_PER_UMKM + len(own) + 1, umkm_id, kind_index + 1)
            own.append(_product(rng, ids, KINDS[kind_index], size))
        for product in own:
            products[product.category_id].append(product)
        suppliers.append(
            Supplier(
                umkm_id=umkm_id,
                is_kecil=is_kecil,
                size=size,
                verified_at=_moment(joined, 10 * 60),
                omzet=omzet,
                filed_on=filed_on,
                products=tuple(own),
                filings=tuple(sorted(filed_on.values())),
            )
        )
    return Population(tuple(suppliers), {c: tuple(p) for c, p in sorted(products.items())})


def _nice(value: float) -> int:
    step = 1 if value < 20 else 5 if value < 100 else 10 if value < 1000 else 50
    return max(1, round(value / step) * step)


def make_requests(seed: int, n_requests: int) -> tuple[Request, ...]:
    """A year of requests from ``OPD_COUNT`` OPDs, each with its own taste in categories."""
    rng = random.Random(f"{seed}:requests")
    per_category = Counter(k.category for k in KINDS)
    kind_weights = [CATEGORY_WEIGHTS[k.category] / per_category[k.category] for k in KINDS]
    opd_weights = [[w * rng.uniform(0.2, 2.0) for w in kind_weights] for _ in range(OPD_COUNT)]
    days = [
        day
        for day in (dt.date(YEAR, 1, 1) + dt.timedelta(days=i) for i in range(365))
        if day.weekday() < 5
    ]
    day_weights = [MONTH_WEIGHTS[day.month - 1] for day in days]
    drafts = []
    for _ in range(n_requests):
        created_at = _moment(rng.choices(days, weights=day_weights)[0], rng.randrange(480, 900))
        opd = rng.randrange(OPD_COUNT)
        kind_index = rng.choices(range(len(KINDS)), weights=opd_weights[opd])[0]
        kind = KINDS[kind_index]
        low = min(kind.min_orders)
        high = max(2 * low, round(kind.capacity[0] * 1.5))
        quantity = _nice(low * (high / low) ** rng.random())
        step = _price_step(kind.price[1])
        typical = (kind.price[0] + kind.price[1]) / 2
        hps = math.ceil(typical * rng.uniform(1.05, 1.25) / step) * step
        needed_by = created_at.date() + dt.timedelta(days=rng.randint(10, 30))
        drafts.append((created_at, opd + 1, kind_index + 1, quantity, kind.unit, hps, needed_by))
    drafts.sort(key=lambda d: d[0])  # ids in time order, as the platform numbers them
    return tuple(
        Request(i, opd, kind, quantity, unit, hps, needed_by, created_at)
        for i, (created_at, opd, kind, quantity, unit, hps, needed_by) in enumerate(drafts, 1)
    )


@dataclass
class _State:
    """What one replay has booked and awarded so far."""

    rng: random.Random
    booked: Counter[tuple[int, Period]] = field(default_factory=Counter)  # product, due month
    awards: defaultdict[int, list[Award]] = field(default_factory=lambda: defaultdict(list))
    awarded: Counter[tuple[int, Period]] = field(default_factory=Counter)  # umkm, issue month
    favourites: dict[tuple[int, int], tuple[int, ...]] = field(default_factory=dict)
    # umkm -> (stamp, facts): rebuilt only when the window, a filing or an award changes them.
    facts: dict[int, tuple[tuple[Period, int, int], SupplierFacts]] = field(default_factory=dict)


def _facts(
    supplier: Supplier, state: _State, day: dt.date, window: Sequence[Period]
) -> SupplierFacts:
    """What the platform knows of the UMKM on ``day``: reports filed by then, and its awards.

    Reports are truthful: a month's omzet is the base plus the platform orders issued in it.
    """
    awards = state.awards[supplier.umkm_id]
    stamp = (window[0], bisect.bisect_right(supplier.filings, day), len(awards))
    cached = state.facts.get(supplier.umkm_id)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    omzet = {
        period: amount + state.awarded[(supplier.umkm_id, period)]
        for period in window
        if (amount := supplier.omzet.get(period)) is not None and supplier.filed_on[period] <= day
    }
    facts = SupplierFacts(supplier.umkm_id, supplier.verified_at, omzet, tuple(awards))
    state.facts[supplier.umkm_id] = (stamp, facts)
    return facts


def _offer(product: Product, supplier: Supplier, request: Request, booked: int) -> Offer:
    verified = supplier.verified_at <= request.created_at
    return Offer(
        product_id=product.product_id,
        umkm_id=product.umkm_id,
        umkm_name=f"UMKM {product.umkm_id}",
        product_name=KINDS[product.category_id - 1].name,
        category_id=product.category_id,
        is_product_active=True,
        umkm_status="verified" if verified else "pending",
        unit_price=product.unit_price,
        lead_time_days=product.lead_time_days,
        monthly_capacity=product.monthly_capacity,
        booked_in_due_month=booked,
        min_order=product.min_order,
    )


def _walk(ordered: Sequence[Offer], quantity: int, max_suppliers: int) -> list[Part]:
    """The capacity split over a given order: min(remaining, f(p)) each, up to K UMKM."""
    remaining, parts = quantity, list[Part]()
    for offer in ordered:
        if remaining == 0 or len(parts) == max_suppliers:
            break
        part = min(remaining, offer.free_capacity)
        if part > 0 and part >= offer.min_order:  # too small a part is passed over, as in v1
            parts.append(Part.of(offer.umkm_id, offer.product_id, part, offer.unit_price))
            remaining -= part
    return parts


def _choose(
    policy: str,
    request: Request,
    eligible: list[Offer],
    facts: dict[int, SupplierFacts],
    state: _State,
    settings: Settings,
) -> Sequence[Part]:
    if policy in (PEMERATAAN_CAPACITY, PEMERATAAN_LEVEL):
        umkm_ids = sorted({o.umkm_id for o in eligible})
        return evaluate(request, eligible, [facts[u] for u in umkm_ids], settings).allocation
    # The baselines choose among the same UMKM: one offer each, its cheapest eligible product.
    offers = sorted(representatives(eligible).values(), key=lambda o: o.umkm_id)
    # Equal prices are broken by v1's lottery, so the baseline gains nothing from id order.
    cheapest = sorted(offers, key=lambda o: (o.unit_price, tie_for(request.id, o.umkm_id)))
    if policy == CHEAPEST:
        ordered = cheapest
    elif policy == RANDOM:
        ordered = offers
        state.rng.shuffle(ordered)
    elif policy == HABIT:
        key = (request.opd_id, request.category_id)
        if key not in state.favourites and offers:
            # Whoever the officer happened to know at the first purchase, then always them.
            chosen = state.rng.sample(offers, min(FAVOURITES, len(offers)))
            state.favourites[key] = tuple(o.umkm_id for o in chosen)
        favourites = state.favourites.get(key, ())
        by_id = {o.umkm_id: o for o in offers}
        ordered = [by_id[u] for u in favourites if u in by_id]
        ordered += [o for o in cheapest if o.umkm_id not in favourites]
    else:
        raise ValueError(f"Unknown policy: {policy}")
    return _walk(ordered, request.quantity, settings.max_suppliers)


def replay(
    population: Population,
    requests: Sequence[Request],
    policy: str,
    seed: int,
    settings: Settings | None = None,
) -> Replay:
    """Run ``policy`` over the stream; every award books capacity and feeds the facts.

    ``settings`` (default: v1's defaults) apply to every policy: K, the annual cap and the
    eligibility they share; the split mode is the policy's own.
    """
    split_mode: SplitMode = "level" if policy == PEMERATAAN_LEVEL else "capacity"
    settings = replace(settings or Settings(), split_mode=split_mode)
    state = _State(random.Random(f"{seed}:{policy}"))
    orders: list[Order] = []
    for request in requests:
        day = jakarta_date(request.created_at)
        window = window_for(day)
        due = Period.of(request.needed_by)
        products = population.by_category.get(request.category_id, ())
        offers = [
            _offer(p, population.supplier(p.umkm_id), request, state.booked[(p.product_id, due)])
            for p in products
        ]
        facts = {
            u: _facts(population.supplier(u), state, day, window)
            for u in {o.umkm_id for o in offers}
        }
        eligible = [o for o in offers if not eligibility(o, request, facts[o.umkm_id], settings)]
        for part in _choose(policy, request, eligible, facts, state, settings):
            state.booked[(part.product_id, due)] += part.quantity
            state.awards[part.umkm_id].append(Award(day, part.value))
            state.awarded[(part.umkm_id, Period.of(day))] += part.value
            orders.append(
                Order(
                    request.id, part.umkm_id, part.product_id, part.quantity, part.unit_price, due
                )
            )
    return Replay(policy, tuple(orders))


def _by_request(orders: Sequence[Order]) -> dict[int, tuple[int, int]]:
    """request id -> (spend, units)."""
    spend: Counter[int] = Counter()
    units: Counter[int] = Counter()
    for o in orders:
        spend[o.request_id] += o.value
        units[o.request_id] += o.quantity
    return {r: (spend[r], units[r]) for r in spend}


def measure(
    population: Population, requests: Sequence[Request], replays: Sequence[Replay]
) -> list[PolicyMetrics]:
    """The figures of each replay; the premiums need the always-cheapest replay among them.

    ``premium_per_unit`` (the one reported first): each request's units that both the policy and
    always-cheapest filled are priced at the average unit price always-cheapest paid on that
    request; premium = what the policy paid for them / that price - 1. It compares the same
    requests and the same quantities, so a policy that fills less does not look cheaper.
    ``premium_total`` is plain total spend / always-cheapest's total spend - 1.
    """
    base = next(r for r in replays if r.policy == CHEAPEST)
    base_by_request = _by_request(base.orders)
    base_total = sum(o.value for o in base.orders)
    requested = sum(r.quantity for r in requests)
    by_size = sorted(population.suppliers, key=lambda s: (s.size, s.umkm_id))
    bottom_half = {s.umkm_id for s in by_size[: len(by_size) // 2]}
    results = []
    for rp in replays:
        spend: Counter[int] = Counter()
        for o in rp.orders:
            spend[o.umkm_id] += o.value
        values = [spend[s.umkm_id] for s in population.suppliers]
        paid, reference = 0, Fraction(0)
        for request_id, (value, units) in _by_request(rp.orders).items():
            if request_id in base_by_request:
                base_value, base_units = base_by_request[request_id]
                paid += value
                reference += Fraction(units * base_value, base_units)
        total = sum(values)
        results.append(
            PolicyMetrics(
                policy=rp.policy,
                gini=gini(values),
                share_with_orders=share_with_orders(values),
                umkm_with_orders=sum(1 for v in values if v > 0),
                top10_share=top_share(values, Fraction(1, 10)),
                bottom_half_share=(
                    Fraction(sum(spend[u] for u in bottom_half), total) if total else Fraction(0)
                ),
                premium_per_unit=price_premium(paid, reference),
                premium_total=price_premium(total, base_total),
                fulfilled_share=Fraction(sum(o.quantity for o in rp.orders), requested),
                spend=total,
            )
        )
    return results


def run_simulation(
    seed: int, n_umkm: int, n_requests: int, settings: Settings | None = None
) -> list[PolicyMetrics]:
    """Build the population and the stream for ``seed``, replay every policy, measure."""
    population = build_population(seed, n_umkm)
    requests = make_requests(seed, n_requests)
    replays = [replay(population, requests, policy, seed, settings) for policy in POLICIES]
    return measure(population, requests, replays)


def _pct(value: Fraction, signed: bool = False) -> str:
    return f"{float(value) * 100:{'+' if signed else ''}.1f} %"


def format_table(metrics: Sequence[PolicyMetrics]) -> str:
    """The metrics as a Markdown table, one row per policy."""
    lines = [
        "| policy | Gini of spend | UMKM with ≥ 1 order | top-10 % share | price premium "
        "per unit | premium on total spend | fulfilled | spend (Rp juta) | to the smaller half |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in metrics:
        lines.append(
            f"| {m.policy} | {float(m.gini):.3f} | {_pct(m.share_with_orders)} "
            f"({m.umkm_with_orders:,}) | {_pct(m.top10_share)} | "
            f"{_pct(m.premium_per_unit, signed=True)} | {_pct(m.premium_total, signed=True)} | "
            f"{_pct(m.fulfilled_share)} | {m.spend / 1_000_000:,.0f} | "
            f"{_pct(m.bottom_half_share)} |"
        )
    return "\n".join(lines)
