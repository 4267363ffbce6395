"""Inputs for the pure allocation policy's tests, written once for pemerataan-v1 and -v2.

Two parts:

- hand-worked examples (test_allocation_policy.py, test_allocation_v2.py): request 7 on
  23 Nov 2026 (t), W = Aug-Oct 2026, kitchens ("Dapur A", "Dapur B", ...) selling boxes of
  rice at Rp 25.000 against an HPS of Rp 30.000; ``request``/``offer`` name no kind, v2's
  examples add ``kind_id=KIND``;
- generated scenarios (the two property test files): ``scenarios(V1)`` / ``scenarios(V2)``.
  Inputs are drawn small (few UMKM, small amounts) so that ties, full capacities, minimum
  orders above the remainder, other categories or kinds and the K limit all happen often;
- the request pages' runs (test_procurement_presenters.py, test_procurement_ranking_page.py):
  batik makers' shirts at Rp 175.000, 80 a month, for a request made at ``CREATED``.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any
from zoneinfo import ZoneInfo

from hypothesis import strategies as st

from procure.allocation.policy import (
    Award,
    Offer,
    Request,
    Result,
    Settings,
    SupplierFacts,
    window_for,
)
from procure.omzet.rules import Period

V1, V2 = "pemerataan-v1", "pemerataan-v2"
KIND = 5  # the product kind (of category 1) v2's requests ask for

# --- hand-worked examples ---------------------------------------------------------------------

JAKARTA = ZoneInfo("Asia/Jakarta")
T = dt.datetime(2026, 11, 23, 9, 0, tzinfo=JAKARTA)  # t = 23 Nov 2026, W = Aug-Oct 2026
DAY = T.date()
AUG, SEP, OCT, NOV = (Period(2026, m) for m in (8, 9, 10, 11))
W = (AUG, SEP, OCT)
LONG_AGO = dt.datetime(2025, 1, 2, 10, 0, tzinfo=JAKARTA)


def request(**changes: Any) -> Request:
    values: dict[str, Any] = {
        "id": 7,
        "opd_id": 1,
        "category_id": 1,
        "quantity": 100,
        "unit": "kotak",
        "hps_unit_price": 30_000,
        "needed_by": dt.date(2026, 12, 10),
        "created_at": T,
    }
    return Request(**(values | changes))


def offer(umkm_id: int, **changes: Any) -> Offer:
    values: dict[str, Any] = {
        "product_id": umkm_id * 10,
        "umkm_id": umkm_id,
        "umkm_name": f"Dapur {chr(64 + umkm_id)}",
        "product_name": "Nasi kotak",
        "category_id": 1,
        "is_product_active": True,
        "umkm_status": "verified",
        "unit_price": 25_000,
        "lead_time_days": 2,
        "monthly_capacity": 1_000,
        "booked_in_due_month": 0,
        "min_order": 1,
    }
    return Offer(**(values | changes))


def facts(
    umkm_id: int,
    omzet: Mapping[Period, int] | int | None = None,
    awards: tuple[Award, ...] = (),
    verified_at: dt.datetime | None = LONG_AGO,
) -> SupplierFacts:
    """``omzet`` as one amount reports it for each month of W."""
    months = dict.fromkeys(W, omzet) if isinstance(omzet, int) else dict(omzet or {})
    return SupplierFacts(umkm_id, verified_at, months, awards)


def parts(result: Result) -> list[tuple[int, int]]:
    return [(p.umkm_id, p.quantity) for p in result.allocation]


def ranking(result: Result) -> list[int]:
    return [c.umkm_id for c in result.candidates]


def given_quantities(result: Result) -> Counter[int]:
    """The quantity each UMKM was given, by UMKM id."""
    given_: Counter[int] = Counter()
    for part in result.allocation:
        given_[part.umkm_id] += part.quantity
    return given_


# --- generated scenarios ----------------------------------------------------------------------

WIB = dt.timezone(dt.timedelta(hours=7))  # Asia/Jakarta has had no DST since 1964
Scenario = tuple[Request, list[Offer], list[SupplierFacts], Settings]

# Strategies built once: drawing from fresh ones re-validates them and triples the run time.
DAYS = st.integers(0, 455)  # from 1 Jan 2026 to 31 Mar 2027
HOURS = st.integers(0, 23)
REQUEST = st.tuples(
    st.integers(1, 10**6),  # id
    st.integers(1, 60),  # quantity
    st.integers(80, 120),  # HPS
    st.integers(3, 20),  # days from t to D
)
STATUS = st.sampled_from(["verified"] * 8 + ["pending", "rejected", "suspended"])
AWARDS = st.lists(st.tuples(st.integers(-400, 10), st.integers(0, 5)), max_size=4)
VERIFIED_DAYS_AGO = st.integers(0, 200)
SETTINGS = st.builds(
    Settings,
    max_suppliers=st.integers(1, 4),
    annual_award_cap=st.one_of(st.none(), st.none(), st.integers(1, 8_000)),
    new_supplier_grace_days=st.sampled_from([0, 30, 60, 90]),
    split_mode=st.sampled_from(["capacity", "level"]),
    min_lot=st.integers(1, 20),
)


def _products(matched: st.SearchStrategy[int]) -> st.SearchStrategy[list[tuple[int, ...]]]:
    """A UMKM's one or two products; ``matched`` draws what the policy matches (v1 the
    category, v2 the kind)."""
    return st.lists(
        st.tuples(
            matched,
            st.sampled_from([True] * 9 + [False]),  # active
            st.integers(50, 110),  # unit price
            st.integers(0, 10),  # lead time
            st.integers(1, 40),  # monthly capacity
            st.sampled_from([0, 0, 0, 1, 2]),  # booked: none, half, all
            st.integers(1, 15),  # min order
        ),
        min_size=1,
        max_size=2,
    )


def _omzet(most: int) -> st.SearchStrategy[tuple[int, ...]]:
    """Thousands per month of W, negative for no report; a third of the UMKM report nothing."""
    return st.one_of(
        st.tuples(*[st.integers(-2, most)] * 3),
        st.tuples(*[st.integers(-2, most)] * 3),
        st.just((-1, -1, -1)),
    )


@dataclass(frozen=True)
class _Market:
    by_kind: bool  # v2: the products' first field is the kind (category 1), else the category
    umkm_ids: st.SearchStrategy[list[int]]
    products: st.SearchStrategy[list[tuple[int, ...]]]
    omzet: st.SearchStrategy[tuple[int, ...]]


_MARKETS = {
    V1: _Market(
        by_kind=False,
        umkm_ids=st.lists(st.integers(1, 99), min_size=1, max_size=5, unique=True),
        products=_products(st.sampled_from([1] * 9 + [2])),  # category
        omzet=_omzet(5),
    ),
    V2: _Market(
        by_kind=True,
        umkm_ids=st.lists(st.integers(1, 99), min_size=1, max_size=6, unique=True),
        products=_products(st.sampled_from([KIND] * 8 + [6, 7])),  # mostly the kind asked for
        omzet=_omzet(4),  # few values, so equal needs (and the lottery) are common
    ),
}


@st.composite
def _scenario(draw: st.DrawFn, market: _Market) -> Scenario:
    day = dt.date(2026, 1, 1) + dt.timedelta(days=draw(DAYS))
    created_at = dt.datetime.combine(day, dt.time(draw(HOURS)), WIB)
    request_id, quantity, hps, slack = draw(REQUEST)
    request = Request(
        request_id,
        1,
        1,
        quantity,
        "unit",
        hps,
        day + dt.timedelta(days=slack),
        created_at,
        kind_id=KIND if market.by_kind else None,
    )
    window = window_for(day)
    product_ids = iter(range(1, 200))
    offers: list[Offer] = []
    facts: list[SupplierFacts] = []
    for umkm_id in draw(market.umkm_ids):
        status = draw(STATUS)
        for matched, active, price, lead, capacity, booked, min_order in draw(market.products):
            offers.append(
                Offer(
                    product_id=next(product_ids),
                    umkm_id=umkm_id,
                    umkm_name=f"UMKM {umkm_id}",
                    product_name="Produk",
                    category_id=1 if market.by_kind else matched,
                    is_product_active=active,
                    umkm_status=status,
                    unit_price=price,
                    lead_time_days=lead,
                    monthly_capacity=capacity,
                    booked_in_due_month=capacity * booked // 2,
                    min_order=min_order,
                    kind_id=matched if market.by_kind else None,
                )
            )
        omzet = {p: n * 1_000 for p, n in zip(window, draw(market.omzet), strict=True) if n >= 0}
        awards = tuple(Award(day + dt.timedelta(days=d), n * 500) for d, n in draw(AWARDS))
        verified_at = created_at - dt.timedelta(days=draw(VERIFIED_DAYS_AGO))
        facts.append(SupplierFacts(umkm_id, verified_at, omzet, awards))
    return request, offers, facts, draw(SETTINGS)


def scenarios(policy_name: str) -> st.SearchStrategy[Scenario]:
    """A request, the offers of a few UMKM, their facts and settings, drawn for the policy."""
    return _scenario(_MARKETS[policy_name])


def shuffled_facts(rnd: random.Random, facts: list[SupplierFacts]) -> list[SupplierFacts]:
    """The same facts in another order, each with its months and awards in another order."""
    return [
        replace(
            f,
            omzet_by_month=dict(reversed(list(f.omzet_by_month.items()))),
            awards=tuple(rnd.sample(f.awards, len(f.awards))),
        )
        for f in rnd.sample(facts, len(facts))
    ]


def lower_one_omzet(
    data: st.DataObject, facts: list[SupplierFacts]
) -> tuple[SupplierFacts, list[SupplierFacts]] | None:
    """One reporting UMKM's facts with one month's omzet drawn lower (or equal), and the facts
    with it in their place; None when no UMKM reported."""
    reporting = [i for i, f in enumerate(facts) if f.omzet_by_month]
    if not reporting:
        return None
    index = data.draw(st.sampled_from(reporting))
    target = facts[index]
    period = data.draw(st.sampled_from(sorted(target.omzet_by_month)))
    lowered_amount = data.draw(st.integers(0, target.omzet_by_month[period]))
    lowered = replace(target, omzet_by_month={**target.omzet_by_month, period: lowered_amount})
    return target, [*facts[:index], lowered, *facts[index + 1 :]]


# --- the request pages' runs ------------------------------------------------------------------

CREATED = dt.datetime(2026, 11, 23, 9, 0, tzinfo=WIB)


def batik_request(quantity: int, **changes: Any) -> Request:
    """Request 1 of OPD 1 for ``quantity`` shirts (HPS Rp 200.000, needed on 23 Dec 2026)."""
    return Request(1, 1, 1, quantity, "potong", 200_000, dt.date(2026, 12, 23), CREATED, **changes)


def batik_offer(umkm_id: int, **changes: Any) -> Offer:
    """UMKM "Batik <id>"'s shirt: Rp 175.000, 80 a month free, ready in 7 days."""
    values: dict[str, Any] = {
        "umkm_name": f"Batik {umkm_id}",
        "product_name": f"Kemeja {umkm_id}",
        "unit_price": 175_000,
        "lead_time_days": 7,
        "monthly_capacity": 80,
    }
    return offer(umkm_id, **(values | changes))
