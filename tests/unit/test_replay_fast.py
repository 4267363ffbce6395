"""The replay's fast path (procure.allocation.fast_replay) gives exactly the orders of the full
path (``replay(..., fast=False)``: an Offer per product, SupplierFacts, ``policy.evaluate``) for
every policy and split, on synthetic worlds and on worlds shaped like a loaded database (omzet
revisions, suspensions, inactive products, real kinds, a history of orders before and during
the stream)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import random

import pytest

from procure.allocation import fast_replay, simulation
from procure.allocation.population import Population, Product, Supplier
from procure.allocation.records import Award, Request, Settings
from procure.allocation.simulation import POLICIES, History
from procure.clock import JAKARTA
from procure.omzet.rules import Period

SETTINGS = (
    Settings(),
    Settings(max_suppliers=2, annual_award_cap=25_000_000),
    Settings(max_suppliers=5, new_supplier_grace_days=0, min_lot=10),
    Settings(max_suppliers=1, new_supplier_grace_days=200, min_lot=3),
)


def _same(
    population: Population,
    requests: tuple[Request, ...],
    seed: int,
    settings: Settings,
    history: History | None = None,
) -> None:
    for policy in POLICIES:
        fast = simulation.replay(population, requests, policy, seed, settings, history=history)
        full = simulation.replay(
            population, requests, policy, seed, settings, history=history, fast=False
        )
        assert fast == full, policy
        assert fast.orders, policy  # the comparison is not between two empty replays


@pytest.mark.parametrize("index", range(len(SETTINGS)))
def test_synthetic_world_same_orders(index: int) -> None:
    seed = 11 + index
    population = simulation.build_population(seed, 90)
    requests = simulation.make_requests(seed, 160)
    _same(population, requests, seed, SETTINGS[index])


def _loaded(seed: int, population: Population) -> tuple[Population, History]:
    """The synthetic world rewritten as ``procure.spread.whatif.load_world`` gives one: omzet
    as revisions with filing days, some UMKM suspended or never verified, some products
    inactive or of another kind, and orders before and during the stream."""
    rng = random.Random(seed)
    suppliers: list[Supplier] = []
    awards: dict[int, tuple[Award, ...]] = {}
    booked: dict[tuple[int, Period], int] = {}
    awarded: dict[tuple[int, Period], int] = {}
    for s in population.suppliers:
        revisions = {}
        for period, amount in s.omzet.items():
            first = s.filed_on[period]
            found = [(first, amount)]
            if rng.random() < 0.3:  # a later revision, sometimes on the same day
                later = first + dt.timedelta(days=rng.choice((0, 3, 20)))
                found.append((later, max(0, amount + rng.randint(-5, 5) * 1_000_000)))
            revisions[period] = tuple(found)
        products = tuple(
            dataclasses.replace(
                p,
                kind_id=p.category_id if rng.random() < 0.9 else p.category_id % 5 + 1,
                is_active=rng.random() < 0.93,
                name=f"Produk {p.product_id}",
            )
            for p in s.products
        )
        chance = rng.random()
        verified_at = None if chance < 0.03 else s.verified_at
        suspended_at = (
            dt.datetime(2026, rng.randint(1, 12), 10, 9, tzinfo=JAKARTA) if chance > 0.96 else None
        )
        history = []
        for _ in range(rng.choice((0, 0, 1, 3))):
            day = dt.date(2025, 9, 1) + dt.timedelta(days=rng.randrange(480))  # past and future
            value = rng.randint(1, 40) * 250_000
            history.append(Award(day, value))
            key = (s.umkm_id, Period.of(day))
            awarded[key] = awarded.get(key, 0) + value
            product = rng.choice(products)
            due = (product.product_id, Period.of(day + dt.timedelta(days=20)))
            booked[due] = booked.get(due, 0) + rng.randint(1, 30)
        if history:
            awards[s.umkm_id] = tuple(history)
        suppliers.append(
            dataclasses.replace(
                s,
                umkm_id=s.umkm_id + 1000,  # ids are not 1..n in a loaded world
                verified_at=verified_at,
                omzet={},
                filed_on={},
                revisions=revisions,
                filings=tuple(sorted(day for found in revisions.values() for day, _ in found)),
                products=tuple(dataclasses.replace(p, umkm_id=s.umkm_id + 1000) for p in products),
                suspended_at=suspended_at,
            )
        )
    by_category: dict[int, list[Product]] = {}
    by_kind: dict[int, list[Product]] = {}
    for s in suppliers:
        for p in s.products:
            by_category.setdefault(p.category_id, []).append(p)
            by_kind.setdefault(p.kind_id or p.category_id, []).append(p)
    loaded = Population(
        tuple(suppliers),
        {c: tuple(p) for c, p in sorted(by_category.items())},
        by_kind={k: tuple(p) for k, p in sorted(by_kind.items())},
        index={s.umkm_id: s for s in suppliers},
    )
    history = History(
        awards={u + 1000: a for u, a in awards.items()},
        booked=booked,
        awarded={(u + 1000, p): v for (u, p), v in awarded.items()},
    )
    return loaded, history


@pytest.mark.parametrize("index", range(len(SETTINGS)))
def test_loaded_world_same_orders(index: int) -> None:
    seed = 31 + index
    population, history = _loaded(seed, simulation.build_population(seed, 90))
    requests = simulation.make_requests(seed, 160)
    # Some requests name no kind: v2 then matches the category, as the live allocation does.
    requests = tuple(
        dataclasses.replace(r, kind_id=None) if r.id % 13 == 0 else r for r in requests
    )
    _same(population, requests, seed, SETTINGS[index], history)


@pytest.mark.parametrize("cut", [1, 2, fast_replay.CUT])
def test_a_wide_tie_is_ordered_by_the_lottery_beyond_the_first_cut(
    cut: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Many UMKM with the same key (no reports, no awards, out of grace) and requests larger
    than a small first cut can fill: the fast path widens its cut and still matches."""
    monkeypatch.setattr(fast_replay, "CUT", cut)
    seed = 5
    population = simulation.build_population(seed, 150)
    bare = tuple(
        dataclasses.replace(s, omzet={}, filed_on={}, filings=()) for s in population.suppliers
    )
    population = dataclasses.replace(population, suppliers=bare)
    requests = tuple(
        dataclasses.replace(r, quantity=r.quantity * 40) for r in simulation.make_requests(seed, 60)
    )
    for split_settings in (Settings(max_suppliers=60), Settings(max_suppliers=60, min_lot=50)):
        _same(population, requests, seed, split_settings)
