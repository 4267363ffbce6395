"""What the fast path reads per request (procure/ranking/evaluate.py, facts.py), on both DBs.

The prefix's offers and facts come in one statement per chunk (each product with its UMKM's
figure row; live orders only for UMKM with a latest award), and they must be exactly what the
whole evaluation loads from the raw rows. Under pemerataan-v2 a chunk that ends inside the tie
group holding the cut reads on to the group's end in the same round trip, and not past it.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import text

from procure.allocation.policy import Settings, window_for
from procure.clock import JAKARTA
from procure.db import utcnow
from procure.extensions import db
from procure.procurement.services import run_allocation
from procure.ranking import evaluate, facts, figures, walk
from tests import allocation_market, factories

V1, V2 = "pemerataan-v1", "pemerataan-v2"


@pytest.mark.parametrize("seed", [11, 12])
@pytest.mark.parametrize("policy", [V2, V1])
def test_a_chunk_is_what_the_whole_evaluation_loads(app: Flask, seed: int, policy: str) -> None:
    rng = random.Random(seed)
    market = allocation_market.build(rng, 40)
    kind = market.kinds["kemeja-lengan-panjang"]
    today = dt.datetime.now(JAKARTA).date()
    request = facts.policy_request(
        allocation_market.request(
            market.officer_id, kind, 5, needed_by=market.holder.needed_by, hps_unit_price=250_000
        )
    )
    assert figures.ensure_current(db.session, today, policy)
    by_kind = facts.by_kind(policy)
    whole_offers = facts.load_offers(
        db.session, request.category_id, request.needed_by, kind_id=kind if by_kind else None
    )
    whole_facts = {
        f.umkm_id: f
        for f in facts.load_facts(
            db.session, request.category_id, today, kind_id=kind if by_kind else None
        )
    }
    assert any(o.booked_in_due_month for o in whole_offers)  # the market books capacity
    assert any(f.awards for f in whole_facts.values())
    ids = sorted({o.umkm_id for o in whole_offers})
    offers, supplier = [], []
    for start in range(0, len(ids), 7):
        chunk_offers, chunk_facts = facts.load_chunk(
            db.session, request, window_for(today), ids[start : start + 7], kind=by_kind
        )
        offers += chunk_offers
        supplier += chunk_facts
    assert sorted(offers, key=lambda o: o.product_id) == sorted(
        whole_offers, key=lambda o: o.product_id
    )
    assert sorted(supplier, key=lambda f: f.umkm_id) == [whole_facts[u] for u in ids]


def _newcomers(officer_id: int, count: int) -> Any:
    """``count`` UMKM verified a week ago that reported nothing (v2: tier 0 in grace, round 0,
    need 0: one tie group at the top), behind them UMKM that reported (need > 0)."""
    week_ago = utcnow() - dt.timedelta(days=7)
    last = str(window_for(dt.datetime.now(JAKARTA).date())[-1])
    for n in range(count):
        maker = factories.umkm(business_name=f"Batik Baru {n}", verified_at=week_ago)
        factories.product(maker, unit_price=150_000, lead_time_days=0, monthly_capacity=100)
    for n in range(6):
        maker = factories.umkm(business_name=f"Batik Lama {n}")
        factories.product(maker, unit_price=150_000, lead_time_days=0, monthly_capacity=100)
        factories.omzet_report(maker, last, 1_000_000 * (n + 1))
    kinds = allocation_market.kinds_of(factories.category("batik").id)
    return allocation_market.request(officer_id, kinds["kemeja-lengan-panjang"], 10)


def _counted_loads(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    loads: list[int] = []
    load_chunk = facts.load_chunk

    def counted(*args: Any, **kwargs: Any) -> Any:
        loads.append(len(args[3]))
        return load_chunk(*args, **kwargs)

    monkeypatch.setattr(facts, "load_chunk", counted)
    return loads


def test_v2_reads_the_tie_group_at_the_cut_in_one_round_trip(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Ten newcomers tie at the top and the cut (the 4th) is among them: the first chunk of 3
    reads on to the group's end at once, and the UMKM after the group is not read (the walk
    already tells that its key differs)."""
    request = facts.policy_request(_newcomers(factories.user("opd").id, 10))
    figures.rebuild(db.session)
    monkeypatch.setattr(evaluate, "CHUNK", 3)
    monkeypatch.setattr(evaluate, "RESERVE", 0)
    monkeypatch.setattr(walk, "FIRST_GRACE_PAGE", 4)
    loads = _counted_loads(monkeypatch)
    settings = Settings(new_supplier_grace_days=60)
    top = evaluate.evaluate_top(db.session, request, settings, stored=4, policy=V2)
    assert top is not None
    assert loads == [10]
    assert top.summary()["read_umkm"] == 10
    full = evaluate.evaluate_whole(db.session, request, settings, V2)
    assert top.result.candidates == full.candidates[:4]
    assert "sama dengan 9 UMKM lain (peringkat 1–10)" in top.result.candidates[0].explanation
    assert top.more and top.next_key == (0, "0")


def test_v2_does_not_read_a_group_beyond_the_cut(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A chunk that ends in a group only after the stored top is full reads no further."""
    request = facts.policy_request(_newcomers(factories.user("opd").id, 10))
    figures.rebuild(db.session)
    monkeypatch.setattr(evaluate, "CHUNK", 3)
    monkeypatch.setattr(evaluate, "RESERVE", 0)
    loads = _counted_loads(monkeypatch)
    settings = Settings(new_supplier_grace_days=0)  # no grace: the ten are tier 1, last
    top = evaluate.evaluate_top(db.session, request, settings, stored=2, policy=V2)
    assert top is not None
    assert loads == [3]  # six that reported come first; 2 stored + the next, all distinct
    full = evaluate.evaluate_whole(db.session, request, settings, V2)
    assert top.result.candidates == full.candidates[:2]


def test_a_split_that_looks_further_reads_only_what_it_misses(
    app: Flask, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The first UMKM takes 45 of 46, the second is passed over (its part of 1 is below its
    minimum order), the third takes the last one: the stored top grows to the split's reach
    plus the reserve, and the prefix reads the few UMKM that are missing, not a whole chunk."""
    officer = factories.user("opd")
    last = str(window_for(dt.datetime.now(JAKARTA).date())[-1])
    for n in range(20):
        maker = factories.umkm(business_name=f"Batik {n:02d}")
        factories.product(
            maker,
            unit_price=150_000,
            lead_time_days=0,
            monthly_capacity=45 if n == 0 else 100,
            min_order=5 if n == 1 else 1,
        )
        factories.omzet_report(maker, last, 1_000_000 * (n + 1))
    kinds = allocation_market.kinds_of(factories.category("batik").id)
    request = facts.policy_request(
        allocation_market.request(officer.id, kinds["kemeja-lengan-panjang"], 46)
    )
    figures.rebuild(db.session)
    monkeypatch.setattr(evaluate, "CHUNK", 8)
    monkeypatch.setattr(evaluate, "RESERVE", 6)
    loads = _counted_loads(monkeypatch)
    settings = Settings(new_supplier_grace_days=60)
    top = evaluate.evaluate_top(db.session, request, settings, stored=2, policy=V2)
    assert top is not None
    assert [s.kind for s in top.result.steps] == ["part", "skip", "part"]
    assert loads == [8, 3]  # 9 stored + the next: 2 missing, and 1 more
    full = evaluate.evaluate_whole(db.session, request, settings, V2)
    assert top.result.candidates == full.candidates[:9]
    assert top.result.allocation == full.allocation


def test_a_run_is_stored_with_lz4_on_postgresql(app: Flask, backend: str) -> None:
    """The run's JSON is compressed with lz4 (pglz took ~2 ms of the insert); it reads back
    the same."""
    if backend != "postgresql":
        pytest.skip("TOAST compression is PostgreSQL's")
    able = db.session.scalar(
        text(
            "SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'"
        )
    )
    if not able:
        pytest.skip("this PostgreSQL has no lz4")
    officer = factories.user("opd")
    for n in range(12):
        factories.product(factories.umkm(business_name=f"Batik {n:02d}"))
    kinds = allocation_market.kinds_of(factories.category("batik").id)
    request = allocation_market.request(officer.id, kinds["kemeja-lengan-panjang"], 10)
    run = run_allocation(db.session, request, actor_id=officer.id, config=app.config)
    db.session.commit()
    stored = dict(run.result)
    compression = db.session.scalar(
        text("SELECT pg_column_compression(result) FROM allocation_run WHERE id = :id"),
        {"id": run.id},
    )
    assert compression == "lz4"
    db.session.expire(run)
    assert run.result == stored
