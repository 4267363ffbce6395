"""The ranking by figures (``evaluate.evaluate_top``) against the whole evaluation (both DBs).

On random markets (tests/allocation_market.py), for requests of every kind, the fast path must
give exactly the first rows of the full ranking (ranks, needs, explanations), the same proposal,
steps and shortfall, and the exclusions of every UMKM it read. Small chunks, pages and reserves
make it cut the ranking inside tie groups, across pages and between the two sources.
"""

from __future__ import annotations

import datetime as dt
import random
import threading
from dataclasses import replace
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, insert, select
from sqlalchemy.orm import sessionmaker

from procure.admin.rules import MANUAL_CHECKS, Action
from procure.admin.services_umkm import review_umkm
from procure.allocation.policy import Request, Result, Settings, window_for
from procure.clock import JAKARTA
from procure.db import utcnow
from procure.extensions import db
from procure.procurement.models import (
    LIVE_ORDER_STATUSES,
    AllocationFigureState,
    PurchaseOrder,
    PurchaseRequest,
)
from procure.procurement.services import decide, run_allocation
from procure.ranking import evaluate, facts, figures, walk
from procure.ranking.stored_run import REST_OF_RANKING
from procure.umkm.models import Product
from procure.umkm.rules import RuleError
from tests import allocation_market, factories

V1, V2 = "pemerataan-v1", "pemerataan-v2"
POLICIES = (V2, V1)


def _requests(rng: random.Random, market: allocation_market.Market, count: int) -> list[Any]:
    today = dt.datetime.now(JAKARTA).date()
    kinds = [market.kinds[slug] for slug in ("kemeja-lengan-panjang", "kemeja-lengan-panjang")]
    kinds.append(market.kinds["blus"])
    return [
        allocation_market.request(
            market.officer_id,
            rng.choice(kinds),
            rng.choice([1, 5, 30, 60, 150]),
            hps_unit_price=rng.choice([120_000, 160_000, 210_000, 250_000]),
            needed_by=today + dt.timedelta(days=rng.choice([5, 10, 25, 40])),
        )
        for _ in range(count)
    ]


def _settings(rng: random.Random, split_mode: str | None = None) -> Settings:
    return Settings(
        max_suppliers=rng.choice([1, 2, 3, 5]),
        annual_award_cap=rng.choice([None, None, 1_000_000]),
        new_supplier_grace_days=rng.choice([0, 60, 60, 400]),
        split_mode=split_mode or rng.choice(["capacity", "level"]),  # type: ignore[arg-type]
        min_lot=rng.choice([1, 1, 10]),
    )


def _assert_prefix(top: evaluate.Top, full: Result) -> None:
    fast = top.result
    stored = len(fast.candidates)
    assert (fast.policy, fast.version) == (full.policy, full.version)
    assert fast.candidates == full.candidates[:stored]
    assert stored == min(len(full.candidates), stored)
    assert (fast.allocation, fast.steps, fast.shortfall, fast.chunk, fast.summary) == (
        full.allocation,
        full.steps,
        full.shortfall,
        full.chunk,
        full.summary,
    )
    assert fast.exclusions == tuple(e for e in full.exclusions if e.umkm_id in top.walked)
    assert top.more == (len(full.candidates) > stored)
    if top.more:
        after = full.candidates[stored]
        assert top.next_key == (after.tier, str(after.need))
    # Everything the split looked at is stored, and the reserve after it.
    touched = {s.umkm_id for s in full.steps}
    assert touched <= {c.umkm_id for c in fast.candidates}


def _compare(
    request: Request, settings: Settings, policy: str, monkeypatch: pytest.MonkeyPatch
) -> int:
    """The fast path against the whole evaluation for three cuts; candidates compared."""
    checked = 0
    for stored, reserve in ((1, 0), (4, 2), (12, 5)):
        monkeypatch.setattr(evaluate, "RESERVE", reserve)
        full = evaluate.evaluate_whole(db.session, request, settings, policy)
        top = evaluate.evaluate_top(db.session, request, settings, stored=stored, policy=policy)
        assert top is not None
        _assert_prefix(top, full)
        checked += len(top.result.candidates)
    return checked


@pytest.mark.parametrize("policy", POLICIES)
@pytest.mark.parametrize("seed", [1, 2, 3])
def test_fast_path_is_the_top_of_the_full_evaluation(
    app: Flask, seed: int, policy: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    rng = random.Random(seed)
    market = allocation_market.build(rng, 70)
    requests = _requests(rng, market, 4)
    figures.rebuild(db.session)
    monkeypatch.setattr(evaluate, "CHUNK", 3)
    monkeypatch.setattr(walk, "FIRST_PAGE", 2)
    monkeypatch.setattr(walk, "FIRST_GRACE_PAGE", 2)
    checked = 0
    for request in requests:
        for mode in ("capacity", "level"):
            settings = _settings(rng, mode)
            checked += _compare(facts.policy_request(request), settings, policy, monkeypatch)
    assert checked > 30  # the markets are not empty


@pytest.mark.parametrize("seed", [4, 5])
def test_v2_fast_path_stays_exact_as_orders_age_out(
    app: Flask, seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Requests of later days: the figures move to each day (rounds of UMKM whose orders passed
    365 days fall, grace periods end) and the fast path still is the top of the full ranking;
    the rows moved equal the rows rebuilt for that day; an earlier day is evaluated whole."""
    rng = random.Random(seed)
    market = allocation_market.build(rng, 60)
    requests = [facts.policy_request(r) for r in _requests(rng, market, 3)]
    today = dt.datetime.now(JAKARTA).date()
    figures.rebuild(db.session, today)
    monkeypatch.setattr(evaluate, "CHUNK", 3)
    monkeypatch.setattr(walk, "FIRST_PAGE", 2)
    for shift in (0, 1, 3, 6):
        later = [replace(r, created_at=r.created_at + dt.timedelta(days=shift)) for r in requests]
        for request in later:
            for mode in ("capacity", "level"):
                settings = replace(_settings(rng, mode), new_supplier_grace_days=60)
                _compare(request, settings, V2, monkeypatch)
        day = today + dt.timedelta(days=shift)
        if window_for(day) == window_for(today):
            assert figures.stored_day(db.session) == day
            moved = figures.figure_rows(db.session)
            figures.rebuild(db.session, day)
            assert figures.figure_rows(db.session) == moved
    earlier = replace(requests[0], created_at=requests[0].created_at - dt.timedelta(days=1))
    assert evaluate.evaluate_top(db.session, earlier, Settings(), policy=V2) is None
    # pemerataan-v1 needs only the same W.
    if window_for(today - dt.timedelta(days=1)) == window_for(today):
        assert evaluate.evaluate_top(db.session, earlier, Settings(), policy=V1) is not None


def test_v2_walks_only_the_kind_asked_for(app: Flask) -> None:
    """Blouses of the same category are not read for a request of shirts: not in the prefix,
    not exclusions; v1 still ranks the whole category."""
    officer = factories.user("opd")
    batik = factories.category("batik").id
    kinds = allocation_market.kinds_of(batik)
    shirts, blouses = [], []
    for n in range(6):
        maker = factories.umkm(business_name=f"Batik {n}")
        kind = kinds["kemeja-lengan-panjang"] if n % 2 else kinds["blus"]
        factories.product(maker, kind_id=kind, unit_price=150_000)
        (shirts if n % 2 else blouses).append(maker.id)
    request = allocation_market.request(officer.id, kinds["kemeja-lengan-panjang"], 10)
    figures.rebuild(db.session)
    policy_request = facts.policy_request(request)
    top = evaluate.evaluate_top(db.session, policy_request, Settings(), policy=V2)
    assert top is not None
    assert top.walked == frozenset(shirts)
    assert sorted(c.umkm_id for c in top.result.candidates) == sorted(shirts)
    v1 = evaluate.evaluate_top(db.session, policy_request, Settings(), policy=V1)
    assert v1 is not None
    assert sorted(c.umkm_id for c in v1.result.candidates) == sorted(shirts + blouses)


def test_fast_path_reads_the_umkm_asked_for(app: Flask, monkeypatch: pytest.MonkeyPatch) -> None:
    rng = random.Random(7)
    market = allocation_market.build(rng, 40)
    today = dt.datetime.now(JAKARTA).date()
    request = allocation_market.request(
        market.officer_id,
        market.kinds["kemeja-lengan-panjang"],
        50,
        hps_unit_price=250_000,
        needed_by=today + dt.timedelta(days=45),
    )
    figures.rebuild(db.session)
    monkeypatch.setattr(evaluate, "CHUNK", 2)
    settings = Settings()
    policy_request = facts.policy_request(request)
    full = evaluate.evaluate_whole(db.session, policy_request, settings)
    assert len(full.candidates) > 8
    deep = full.candidates[-1]
    top = evaluate.evaluate_top(
        db.session, policy_request, settings, include=[deep.umkm_id], stored=2
    )
    assert top is not None
    assert deep in top.result.candidates
    assert top.result.candidates == full.candidates[: len(top.result.candidates)]


@pytest.mark.parametrize("policy", POLICIES)
def test_a_request_of_an_earlier_month_is_evaluated_whole(app: Flask, policy: str) -> None:
    officer = factories.user("opd")
    for _ in range(3):
        factories.product(factories.umkm())
    request = _shirts(officer.id, 10)
    figures.rebuild(db.session)
    policy_request = facts.policy_request(request)
    assert evaluate.evaluate_top(db.session, policy_request, Settings(), policy=policy) is not None
    old = replace(policy_request, created_at=policy_request.created_at - dt.timedelta(days=40))
    assert evaluate.evaluate_top(db.session, old, Settings(), policy=policy) is None


def _shirts(officer_id: int, quantity: int, **terms: object) -> Any:
    kinds = allocation_market.kinds_of(factories.category("batik").id)
    return allocation_market.request(officer_id, kinds["kemeja-lengan-panjang"], quantity, **terms)


def test_a_new_month_rebuilds_the_figures_once(app: Flask) -> None:
    maker = factories.umkm()
    factories.product(maker)
    today = dt.datetime.now(JAKARTA).date()
    last_year = today - dt.timedelta(days=400)
    figures.rebuild(db.session, last_year)
    assert figures.stored_window(db.session) == str(window_for(last_year)[0])
    assert figures.ensure_current(db.session, today)
    state = db.session.scalars(select(AllocationFigureState)).one()
    assert state.window_start == str(window_for(today)[0])
    assert state.rounds_day == today
    assert list(figures.figure_rows(db.session)) == [(maker.id, maker.products[0].kind_id)]


def test_a_large_category_stores_the_top_and_decides_on_it(app: Flask) -> None:
    """Through the services: the run stores the top and the rest's summary; accepting it issues
    the orders and raises the winners' figures."""
    app.config["ALLOCATION_FAST_PATH_MIN_OFFERS"] = 5
    officer = factories.user("opd")
    makers = [factories.umkm(business_name=f"Batik {n:02d}") for n in range(12)]
    today = dt.datetime.now(JAKARTA).date()
    last = str(window_for(today)[-1])
    for n, maker in enumerate(makers):
        factories.product(maker, unit_price=175_000, monthly_capacity=40)
        factories.omzet_report(maker, last, 1_000_000 * (n + 1))
    request = _shirts(officer.id, 100)
    run = run_allocation(db.session, request, actor_id=officer.id, config=app.config)
    assert (run.policy, run.policy_version) == ("pemerataan-v2", 2)
    assert run.result["policy"] == "pemerataan-v2"
    rest = run.result[REST_OF_RANKING]
    assert rest["more"] is False and rest["stored"] == 12  # fewer than 50: all stored
    assert [p["umkm_id"] for p in run.result["allocation"]] == [m.id for m in makers[:3]]
    orders = decide(
        db.session, run, None, "", actor_id=officer.id, decision_key="k", config=app.config
    )
    assert sorted(o.quantity for o in orders) == [20, 40, 40]
    kind = request.kind_id
    rows = figures.figure_rows(db.session, [m.id for m in makers[:3]])
    # awards of unreported months (today's month) and the round, as of today
    assert [rows[(m.id, kind)][14] for m in makers[:3]] == [40 * 175_000] * 2 + [20 * 175_000]
    assert [rows[(m.id, kind)][13] for m in makers[:3]] == [1, 1, 1]


def test_a_umkm_verified_or_a_product_added_after_the_build_is_ranked(app: Flask) -> None:
    """The admin's verification (a conditional UPDATE) and a bulk-inserted product bypass the
    ORM; the ranking catches up before it reads."""
    rng = random.Random(3)
    market = allocation_market.build(rng, 20)
    (request,) = _requests(rng, market, 1)
    request.kind_id = market.kinds["kemeja-lengan-panjang"]
    request.hps_unit_price, request.needed_by = 250_000, request.needed_by + dt.timedelta(days=30)
    newcomer = factories.umkm(status="pending", submitted_at=utcnow() - dt.timedelta(days=5))
    factories.product(newcomer, unit_price=100_000, lead_time_days=0, monthly_capacity=100)
    figures.rebuild(db.session)
    review_umkm(
        db.session,
        newcomer,
        Action.VERIFY,
        market.officer_id,
        ticked=dict.fromkeys(MANUAL_CHECKS, True),
    )
    late = market.umkm[0]
    db.session.execute(
        insert(Product).values(
            umkm_id=late.id,
            category_id=factories.category("batik").id,
            kind_id=request.kind_id,
            name="Kain Baru",
            unit="potong",
            unit_price=100_000,
            monthly_capacity=50,
            lead_time_days=0,
            min_order=1,
            is_active=True,
            search_text="kain baru",
        )
    )
    settings = Settings(new_supplier_grace_days=60)
    policy_request = facts.policy_request(request)
    full = evaluate.evaluate_whole(db.session, policy_request, settings)
    (fresh,) = [c for c in full.candidates if c.umkm_id == newcomer.id]
    assert fresh.in_grace and fresh.need == 0
    top = evaluate.evaluate_top(db.session, policy_request, settings, stored=fresh.rank)
    assert top is not None
    _assert_prefix(top, full)
    assert fresh in top.result.candidates
    assert late.id in {o.umkm_id for o in top.result.offers if o.product_name == "Kain Baru"} | {
        late.id
    } and any(o.product_name == "Kain Baru" for o in full.offers)


def test_concurrent_allocators_on_the_fast_path_never_over_book(app: Flask, backend: str) -> None:
    """test_concurrent_allocation.py's race, with every request ranked by the figures: eight
    officers at once on one scarce product; a loser re-runs (the figures have moved)."""
    if backend != "postgresql":
        pytest.skip("truly concurrent writers need PostgreSQL")
    app.config["ALLOCATION_FAST_PATH_MIN_OFFERS"] = 1
    product = factories.product(monthly_capacity=100, unit_price=175_000, lead_time_days=7)
    pairs = []
    for _ in range(8):
        officer = factories.user("opd")
        pairs.append((_shirts(officer.id, 30).id, officer.id))
    db.session.commit()
    make_session = sessionmaker(bind=db.engine, expire_on_commit=False)
    barrier = threading.Barrier(len(pairs), timeout=30)
    booked: dict[int, int] = {}
    errors: list[BaseException] = []

    def worker(request_id: int, officer_id: int) -> None:
        with app.app_context(), make_session() as session:
            try:
                barrier.wait()
                for attempt in range(1, 6):
                    request = session.get(PurchaseRequest, request_id)
                    run = run_allocation(session, request, actor_id=officer_id, config=app.config)
                    session.commit()
                    assert REST_OF_RANKING in run.result  # the fast path, not the whole one
                    if not run.result["allocation"]:
                        booked[request_id] = 0
                        return
                    try:
                        orders = decide(
                            session, run, None, "", actor_id=officer_id,
                            decision_key=f"fast-{request_id}-{attempt}", config=app.config,
                        )  # fmt: skip
                        session.commit()
                    except RuleError:
                        session.rollback()
                        continue
                    booked[request_id] = sum(o.quantity for o in orders)
                    return
            except BaseException as exc:  # noqa: BLE001 - the test fails on it below
                errors.append(exc)

    threads = [threading.Thread(target=worker, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    live = db.session.scalar(
        select(func.coalesce(func.sum(PurchaseOrder.quantity), 0)).where(
            PurchaseOrder.product_id == product.id,
            PurchaseOrder.status.in_(LIVE_ORDER_STATUSES),
        )
    )
    assert live == sum(booked.values()) == 100  # all of it, and not a unit more
    assert sorted(booked.values()).count(0) == 4  # 30 + 30 + 30 + 10, then nothing left
    rows = figures.figure_rows(db.session, [product.umkm_id])
    # awards of unreported months (today's) and the round: four orders today
    assert rows[(product.umkm_id, product.kind_id)][13:15] == (4, 100 * 175_000)


def test_the_policy_setting_is_checked_at_start_up(
    tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    from procure import config

    assert load_config_policy(tmp_path) == V2  # the default
    assert config.check_allocation_policy(V1) == V1
    monkeypatch.setattr(config.Config, "ALLOCATION_POLICY", "pemerataan-v3")
    with pytest.raises(config.ConfigError, match="PROCURE_ALLOCATION_POLICY tidak dikenal"):
        config.load_config(str(tmp_path), "testing")


def load_config_policy(folder: Any) -> object:
    from procure.config import load_config

    return load_config(str(folder), "testing")["ALLOCATION_POLICY"]


def test_the_run_says_which_policy_decided_it(app: Flask) -> None:
    """The Pemda's setting picks the policy; the stored result names it."""
    officer = factories.user("opd")
    for n in range(4):
        factories.product(factories.umkm(business_name=f"Batik {n}"))
    for policy, version in ((V1, 1), (V2, 2)):
        app.config["ALLOCATION_POLICY"] = policy
        run = run_allocation(
            db.session, _shirts(officer.id, 5), actor_id=officer.id, config=app.config
        )
        assert (run.result["policy"], run.result["version"]) == (policy, version)
