"""Replay simulation: pemerataan-v2 and v1 against the policies buyers fall back to.

One year of purchase requests is replayed over a synthetic supplier population, once per
policy, each replay with its own capacity bookings and award history; then the four figures of
ALLOCATION.md ("How its effect is judged") are computed per policy. Pure and deterministic for a
seed: ``random.Random`` only, no clock, no I/O, no framework.

The population and the requests are made in ``procure.allocation.population``, shaped like
``procure seed``.
"""

from __future__ import annotations

import bisect
import datetime as dt
import random
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from fractions import Fraction

from procure.allocation import fast_replay
from procure.allocation.fairness import (
    gini,
    price_premium,
    share_with_orders,
    smaller_half_share,
    top_share,
)
from procure.allocation.policy import (
    DEFAULT_POLICY,
    POLICY_V1,
    POLICY_V2,
    eligibility,
    evaluate,
    representatives,
    tie_for,
    window_for,
)
from procure.allocation.population import (
    KINDS,
    Population,
    Product,
    Supplier,
    build_population,
    make_requests,
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
from procure.clock import jakarta_date
from procure.omzet.rules import Period

V2_CAPACITY = "pemerataan-v2 capacity"
V2_LEVEL = "pemerataan-v2 level"
PEMERATAAN_CAPACITY = "pemerataan-v1 capacity"
PEMERATAAN_LEVEL = "pemerataan-v1 level"
CHEAPEST = "always-cheapest"
HABIT = "buyer-habit"
RANDOM = "random"
POLICIES = (V2_CAPACITY, V2_LEVEL, PEMERATAAN_CAPACITY, PEMERATAAN_LEVEL, CHEAPEST, HABIT, RANDOM)
# The pemerataan replays: the policy evaluated and its split mode.
PEMERATAAN: dict[str, tuple[str, SplitMode]] = {
    V2_CAPACITY: (POLICY_V2, "capacity"),
    V2_LEVEL: (POLICY_V2, "level"),
    PEMERATAAN_CAPACITY: (POLICY_V1, "capacity"),
    PEMERATAAN_LEVEL: (POLICY_V1, "level"),
}
FAVOURITES = 3  # suppliers a buyer-habit OPD keeps per category
PROGRESS_EVERY = 100  # requests between two progress reports of a replay


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


@dataclass(frozen=True)
class History:
    """What happened before a replay starts (a world loaded from the database): live orders
    that are not replayed, as awards by UMKM, units booked by (product, due month) and value by
    (UMKM, issue month). The synthetic world starts with none."""

    awards: Mapping[int, tuple[Award, ...]] = field(default_factory=dict)
    booked: Mapping[tuple[int, Period], int] = field(default_factory=dict)
    awarded: Mapping[tuple[int, Period], int] = field(default_factory=dict)


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
    if supplier.revisions:  # a loaded world: the latest revision filed by then, its base
        omzet = {
            period: base + state.awarded[(supplier.umkm_id, period)]
            for period in window
            if (base := _filed(supplier.revisions.get(period, ()), day)) is not None
        }
    else:
        omzet = {
            period: amount + state.awarded[(supplier.umkm_id, period)]
            for period in window
            if (amount := supplier.omzet.get(period)) is not None
            and supplier.filed_on[period] <= day
        }
    facts = SupplierFacts(supplier.umkm_id, supplier.verified_at, omzet, tuple(awards))
    state.facts[supplier.umkm_id] = (stamp, facts)
    return facts


def _filed(revisions: Sequence[tuple[dt.date, int]], day: dt.date) -> int | None:
    """The base of the latest revision filed on or before ``day``; None when none was."""
    found = None
    for filed_on, base in revisions:
        if filed_on > day:
            break
        found = base
    return found


def _status(supplier: Supplier, moment: dt.datetime) -> str:
    if supplier.suspended_at is not None and supplier.suspended_at <= moment:
        return "suspended"
    verified = supplier.verified_at is not None and supplier.verified_at <= moment
    return "verified" if verified else "pending"


def _offer(product: Product, supplier: Supplier, request: Request, booked: int) -> Offer:
    return Offer(
        product_id=product.product_id,
        umkm_id=product.umkm_id,
        umkm_name=f"UMKM {product.umkm_id}",
        product_name=product.name or KINDS[product.category_id - 1].name,
        category_id=product.category_id,
        is_product_active=product.is_active,
        umkm_status=_status(supplier, request.created_at),
        unit_price=product.unit_price,
        lead_time_days=product.lead_time_days,
        monthly_capacity=product.monthly_capacity,
        booked_in_due_month=booked,
        min_order=product.min_order,
        # The synthetic population's "category" is the product kind.
        kind_id=product.category_id if product.kind_id is None else product.kind_id,
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
    if policy in PEMERATAAN:
        umkm_ids = sorted({o.umkm_id for o in eligible})
        facts_in = [facts[u] for u in umkm_ids]
        name = PEMERATAAN[policy][0]
        # keep=0: only the candidates the split looked at are explained (same allocation).
        return evaluate(request, eligible, facts_in, settings, policy=name, keep=0).allocation
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


def _reference_parts(
    population: Population,
    request: Request,
    policy: str,
    rules: str,
    state: _State,
    settings: Settings,
) -> Sequence[Part]:
    """The parts of one request by the full path: an ``Offer`` per product, ``SupplierFacts``
    per UMKM, ``eligibility`` and ``evaluate`` (or the baseline's walk)."""
    day = jakarta_date(request.created_at)
    window = window_for(day)
    due = Period.of(request.needed_by)
    # Products that fail a rule of their own (inactive, above the HPS, too slow, a minimum
    # order above the quantity) are never eligible: they are left out before an offer is
    # built, which changes no allocation (eligibility checks them again).
    days_left = (request.needed_by - day).days
    products = [
        p
        for p in population.products_for(request, rules)
        if p.is_active
        and p.unit_price <= request.hps_unit_price
        and p.lead_time_days <= days_left
        and p.min_order <= request.quantity
    ]
    offers = [
        _offer(p, population.supplier(p.umkm_id), request, state.booked[(p.product_id, due)])
        for p in products
    ]
    facts = {
        u: _facts(population.supplier(u), state, day, window) for u in {o.umkm_id for o in offers}
    }
    eligible = [
        o for o in offers if not eligibility(o, request, facts[o.umkm_id], settings, policy=rules)
    ]
    return _choose(policy, request, eligible, facts, state, settings)


def replay(
    population: Population,
    requests: Sequence[Request],
    policy: str,
    seed: int,
    settings: Settings | None = None,
    *,
    history: History | None = None,
    progress: Callable[[int], None] | None = None,
    fast: bool = True,
) -> Replay:
    """Run ``policy`` over the stream; every award books capacity and feeds the facts.

    ``settings`` (default: the policies' defaults) apply to every policy: K, the annual cap and
    the eligibility they share; the split mode is the policy's own. ``history``: the orders
    before the stream (none in the synthetic world). ``progress`` is told the requests done
    every ``PROGRESS_EVERY`` requests and at the end. ``fast`` (the default): the parts come
    from ``procure.allocation.fast_replay``; False runs the full ``evaluate`` for each request
    (the reference the tests compare the fast path with: the same orders).
    """
    rules, split_mode = PEMERATAAN.get(policy, (DEFAULT_POLICY, "capacity"))
    settings = replace(settings or Settings(), split_mode=split_mode)
    state = _State(random.Random(f"{seed}:{policy}"))
    if history is not None:
        state.booked.update(history.booked)
        state.awarded.update(history.awarded)
        for umkm_id, awards in history.awards.items():
            state.awards[umkm_id].extend(awards)
    orders: list[Order] = []
    allocator = (
        fast_replay.FastAllocator(population, settings, state.booked, state.awards, state.awarded)
        if fast
        else None
    )
    for done, request in enumerate(requests, 1):
        if progress is not None and done % PROGRESS_EVERY == 0:
            progress(done)
        day = jakarta_date(request.created_at)
        window = window_for(day)
        due = Period.of(request.needed_by)
        if allocator is not None:
            products = population.products_for(request, rules)
            if policy in PEMERATAAN:
                keyed: list[int] = []
                reps = allocator.eligible(request, products, rules, day, window, due, keyed)
                chosen = allocator.pemerataan(request, reps, keyed, rules)
            else:
                chosen = fast_replay.baseline(
                    policy,
                    request,
                    allocator.by_price(request, products, rules, day, window, due),
                    settings,
                    state.rng,
                    state.favourites,
                    keep=FAVOURITES,
                    names=(CHEAPEST, RANDOM, HABIT),
                )
        else:
            chosen = [
                (p.umkm_id, p.product_id, p.quantity, p.unit_price)
                for p in _reference_parts(population, request, policy, rules, state, settings)
            ]
        for part in chosen:
            umkm_id, product_id, quantity, unit_price = part
            value = quantity * unit_price
            state.booked[(product_id, due)] += quantity
            state.awards[umkm_id].append(Award(day, value))
            state.awarded[(umkm_id, Period.of(day))] += value
            orders.append(Order(request.id, umkm_id, product_id, quantity, unit_price, due))
            if allocator is not None:
                allocator.book(part, due, day)
    if progress is not None:
        progress(len(requests))
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
    sizes = [s.size for s in population.suppliers]
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
                bottom_half_share=smaller_half_share(values, sizes),
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
