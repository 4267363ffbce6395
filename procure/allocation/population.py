"""The replay simulation's world: a synthetic supplier population and a year of requests.

Shaped like ``procure seed``: the same product table, category weights, share of "kecil"
businesses and omzet generator (``procure.sample_data``). Unlike the seed, a product's price and
capacity follow the size of its business: larger businesses are cheaper and can make more, which
is why always-cheapest concentrates spend. Pure and deterministic for a seed.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from procure.allocation.records import POLICY_V2, Request
from procure.clock import JAKARTA
from procure.omzet.rules import Period
from procure.sample_data.omzet import monthly_amounts
from procure.sample_data.products import CATEGORY_WEIGHTS, TEMPLATES, ProductTemplate

YEAR = 2026
OPD_COUNT = 10
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
    """One product of one UMKM; ``category_id`` is a product kind (index in ``KINDS`` + 1): v1
    matches it as the category, v2 as the kind (the offer's and the request's ``kind_id``)."""

    product_id: int
    umkm_id: int
    category_id: int
    unit_price: int
    monthly_capacity: int
    lead_time_days: int
    min_order: int
    # A world loaded from the database (``procure.spread.whatif``) has real kinds, names and
    # inactive products; the synthetic one leaves these at their defaults.
    kind_id: int | None = None  # None: ``category_id`` is the kind
    name: str = ""
    is_active: bool = True


@dataclass(frozen=True)
class Supplier:
    """One UMKM: its base omzet (without platform orders) and when each month was filed."""

    umkm_id: int
    is_kecil: bool
    size: float  # 0..1 on a log scale of its usual month; drives price and capacity
    verified_at: dt.datetime | None  # None: never verified (a loaded world only)
    omzet: dict[Period, int]  # months it reports; a missing month was not reported
    filed_on: dict[Period, dt.date]
    products: tuple[Product, ...]
    filings: tuple[dt.date, ...]  # every filing date, in order: the days its facts change
    # A loaded world: every revision of a month as (filed on, base amount), oldest first; the
    # base is the amount filed less the platform orders of that month that really happened, so
    # a replay adds its own (see ``simulation._facts``). Empty: ``omzet``/``filed_on`` hold.
    revisions: Mapping[Period, tuple[tuple[dt.date, int], ...]] = field(default_factory=dict)
    suspended_at: dt.datetime | None = None  # from then on its offers are not eligible


@dataclass(frozen=True)
class Population:
    """The suppliers (ids 1..n) and their products by category."""

    suppliers: tuple[Supplier, ...]
    by_category: dict[int, tuple[Product, ...]]
    # A loaded world: products by their real kind, and suppliers by id (ids are not 1..n).
    by_kind: Mapping[int, tuple[Product, ...]] = field(default_factory=dict)
    index: Mapping[int, Supplier] = field(default_factory=dict)

    def supplier(self, umkm_id: int) -> Supplier:
        if self.index:
            return self.index[umkm_id]
        return self.suppliers[umkm_id - 1]

    def products_for(self, request: Request, rules: str) -> Sequence[Product]:
        """The products a request is matched against: of its kind (pemerataan-v2 and the
        baselines) or of its category (v1). The synthetic world's "category" is the kind."""
        if not self.by_kind:
            return self.by_category.get(request.category_id, ())
        if rules == POLICY_V2 and request.kind_id is not None:
            return self.by_kind.get(request.kind_id, ())
        return self.by_category.get(request.category_id, ())


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


def request_terms(rng: random.Random, kind: ProductTemplate) -> tuple[int, int]:
    """(quantity, HPS per unit) of a request for ``kind``: a quantity log-uniform from the
    smallest minimum order to 1.5 times the lowest monthly capacity (rounded), an HPS 5-25 %
    above the middle of the price range (rounded up to the price step). The seed's orders
    draw theirs with it too (``procure.sample_data.seed_orders.request_terms``)."""
    low = min(kind.min_orders)
    high = max(2 * low, round(kind.capacity[0] * 1.5))
    quantity = _nice(low * (high / low) ** rng.random())
    step = _price_step(kind.price[1])
    typical = (kind.price[0] + kind.price[1]) / 2
    hps = math.ceil(typical * rng.uniform(1.05, 1.25) / step) * step
    return quantity, hps


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
        quantity, hps = request_terms(rng, kind)
        needed_by = created_at.date() + dt.timedelta(days=rng.randint(10, 30))
        drafts.append((created_at, opd + 1, kind_index + 1, quantity, kind.unit, hps, needed_by))
    drafts.sort(key=lambda d: d[0])  # ids in time order, as the platform numbers them
    return tuple(
        Request(i, opd, kind, quantity, unit, hps, needed_by, created_at, kind_id=kind)
        for i, (created_at, opd, kind, quantity, unit, hps, needed_by) in enumerate(drafts, 1)
    )
