"""A random market for the allocation-at-scale tests: UMKM, products, omzet and orders.

Drawn small and coarse on purpose, so the cases the ranking by figures must get exactly right
happen often: needs that tie (few distinct amounts), grace periods on both sides of the
cut-off (with and without reports), floors above a report, awards before, in and after W,
orders at the edges of the 365 days and a few days inside them (they age out when the tests
move the request's day on), corrected months, full capacities, unverified and suspended UMKM,
inactive products, and products of several kinds of one category (pemerataan-v2 ranks a kind,
v1 the category).
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from sqlalchemy import select

from procure.allocation.policy import window_for
from procure.catalog.models import ProductKind
from procure.clock import JAKARTA
from procure.db import utcnow
from procure.extensions import db
from procure.procurement.models import AllocationRun, PurchaseRequest
from procure.umkm.models import Product, Umkm
from tests import factories

AMOUNTS = (0, 1_000_000, 2_000_000, 3_000_000, 6_000_000)
# The kinds of batik the products are spread over (most of them the first, as requests ask).
KINDS = ("kemeja-lengan-panjang", "kemeja-lengan-panjang", "blus", "kain-2m")


@dataclass
class Market:
    officer_id: int
    umkm: list[Umkm]
    products: list[Product]
    holder: PurchaseRequest  # the request the generated orders hang on
    run: AllocationRun
    kinds: dict[str, int]  # slug -> id of the kinds the products are of


def kinds_of(category_id: int) -> dict[str, int]:
    """The kinds of a category by slug."""
    rows = db.session.execute(
        select(ProductKind.slug, ProductKind.id).where(ProductKind.category_id == category_id)
    )
    return {slug: kind_id for slug, kind_id in rows}


def _moment(day: dt.date, rng: random.Random) -> dt.datetime:
    """A moment of ``day`` in Jakarta, often right at its first or last minute."""
    minute = rng.choice([0, 1, 12 * 60, 24 * 60 - 1])
    return (dt.datetime.combine(day, dt.time(), JAKARTA) + dt.timedelta(minutes=minute)).astimezone(
        dt.UTC
    )


def award_days(t: dt.date, rng: random.Random) -> dt.date:
    """An issue date that matters to one rule or another: W, the month of t, the 365 days."""
    window = window_for(t)
    choices = [
        window[0].first_day,
        window[1].first_day + dt.timedelta(days=rng.randint(0, 27)),
        window[2].shift(1).first_day - dt.timedelta(days=1),
        t.replace(day=1),
        t,
        t - dt.timedelta(days=364),
        t - dt.timedelta(days=365),
        t - dt.timedelta(days=364 - rng.randint(1, 6)),  # ages out a few days later
        window[0].first_day - dt.timedelta(days=rng.randint(1, 200)),
    ]
    return min(rng.choice(choices), t)


def build(rng: random.Random, size: int, category: str = "batik") -> Market:
    """``size`` UMKM with 1-3 products of ``category`` each, their omzet of W and orders."""
    now = utcnow()
    t = now.astimezone(JAKARTA).date()
    window = window_for(t)
    officer = factories.user("opd")
    category_id = factories.category(category).id
    kinds = kinds_of(category_id)
    holder = request(officer.id, kinds[KINDS[0]], 1, title="Pesanan lama")
    run = AllocationRun(
        request_id=holder.id,
        policy="test",
        policy_version=1,
        settings={},
        result={},
        shortfall=0,
        created_by_id=officer.id,
    )
    db.session.add(run)
    db.session.flush()
    makers: list[Umkm] = []
    products: list[Product] = []
    for _ in range(size):
        status = rng.choice(["verified"] * 12 + ["pending", "suspended"])
        days = rng.choice([0, 1, 30, 58, 59, 60, 61, 100, 400, 700])
        moment = min(_moment(t - dt.timedelta(days=days), rng), now)  # never in the future
        verified_at = None if status == "pending" else moment
        maker = factories.umkm(
            status=status,
            categories=[category],
            verified_at=verified_at,
            submitted_at=now - dt.timedelta(days=800),  # may file every month of W
        )
        makers.append(maker)
        own = [
            factories.product(
                maker,
                category,
                kind_id=kinds[rng.choice(KINDS)],
                unit_price=rng.choice([100_000, 150_000, 150_000, 200_000, 240_000]),
                lead_time_days=rng.choice([0, 3, 7, 7, 14, 30]),
                min_order=rng.choice([1, 1, 1, 5, 40]),
                monthly_capacity=rng.choice([5, 20, 100, 100]),
                is_active=rng.random() < 0.9,
            )
            for _ in range(rng.choice([1, 1, 2, 3]))
        ]
        products.extend(own)
        reporting = rng.choice([0.0, 0.55, 0.8])  # some never report (tier 1, or grace)
        if status != "pending":
            for period in window:
                if rng.random() < reporting:
                    factories.omzet_report(maker, str(period), rng.choice(AMOUNTS))
                    if rng.random() < 0.2:
                        factories.omzet_report(maker, str(period), rng.choice(AMOUNTS), revision=2)
        for _ in range(rng.choice([0, 0, 0, 1, 2, 3])):
            day = award_days(t, rng)
            factories.live_order(
                rng.choice(own),
                request=holder,
                run=run,
                issued_at=_moment(day, rng),
                quantity=rng.choice([1, 5, 10]),
                status=rng.choice(["issued", "accepted", "paid", "declined", "cancelled"]),
                due_date=rng.choice([holder.needed_by, t + dt.timedelta(days=90)]),
            )
    db.session.flush()
    return Market(officer.id, makers, products, holder, run, kinds)


def request(officer_id: int, kind_id: int, quantity: int, **terms: object) -> PurchaseRequest:
    """A purchase request of the kind through the service (its category is the kind's)."""
    from procure.auth.models import User

    officer = db.session.get(User, officer_id)
    assert officer is not None
    values: dict[str, object] = dict(title="Kemeja batik lengan panjang", kind_id=kind_id)
    return factories.purchase_request(officer, quantity, **(values | terms))  # type: ignore[no-any-return]
