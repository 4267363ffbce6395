"""What-if replays over a world in the database: v2 replays what the live allocation chose,
other settings and the baselines differ as they should, and a replay writes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask
from sqlalchemy import func, inspect, select, table, text

from procure.allocation.policy import Settings
from procure.clock import now, today_in_jakarta
from procure.extensions import db
from procure.omzet.rules import Period
from procure.procurement.models import PurchaseOrder
from procure.ranking.facts import policy_settings
from procure.spread import whatif
from procure.spread.periods import ReportPeriod
from procure.spread.whatif_rules import ACTUAL, Scenario
from tests import factories

THIS_MONTH = ReportPeriod.month(Period.of(today_in_jakarta()))
V2 = Scenario("v2", 3)


def _world(requests: int = 6) -> list[int]:
    """Eight batik UMKM with different omzet and capacities (the cheapest could take every
    request alone); ``requests`` requests of one OPD allocated and decided as proposed one after
    the other. Returns the request ids."""
    officer = factories.user("opd")
    verified = now() - dt.timedelta(days=400)
    last = Period.of(today_in_jakarta()).shift(-1)
    for n in range(8):
        owner = factories.umkm(verified_at=verified)
        factories.product(
            owner,
            unit_price=150_000 + 5_000 * n,
            monthly_capacity=1_000 if n == 0 else 40 + 10 * n,
            lead_time_days=5,
        )
        if n % 3:  # two of three report; the others are ranked after them (tier 1)
            factories.omzet_report(owner, str(last), 5_000_000 * (n + 1))
    ids = []
    for i in range(requests):
        request, _run, _orders = factories.decided_orders(officer, quantity=30 + 25 * i)
        ids.append(request.id)
    db.session.commit()
    return ids


def _parts(orders) -> dict[int, list[tuple[int, int, int]]]:  # type: ignore[no-untyped-def]
    found: dict[int, list[tuple[int, int, int]]] = {}
    for o in orders:
        found.setdefault(o.request_id, []).append((o.umkm_id, o.product_id, o.quantity))
    return {r: sorted(p) for r, p in found.items()}


def test_a_v2_replay_chooses_what_the_live_allocation_chose(app: Flask) -> None:
    ids = _world()
    with whatif.read_only(db.engine) as session:
        world = whatif.load_world(session, THIS_MONTH)
    assert [r.id for r in world.requests] == ids
    live = db.session.execute(
        select(PurchaseOrder.request_id, PurchaseOrder.umkm_id, PurchaseOrder.product_id,
               PurchaseOrder.quantity)
    ).all()  # fmt: skip
    assert _parts(world.actual.orders) == _parts(live)
    settings = policy_settings(app.config)
    from procure.allocation.simulation import replay

    replayed = replay(world.population, world.requests, V2.policy, 1, settings,
                      history=world.history)  # fmt: skip
    assert _parts(replayed.orders) == _parts(live)
    outcome = whatif.compute(world, [V2], settings, period=THIS_MONTH)
    actual, v2 = outcome.columns
    assert actual.label == ACTUAL
    assert actual.figures == type(actual.figures)(**{**vars(v2.figures), "label": ACTUAL})
    assert "jumlah UMKM yang mendapat pesanan sama" in v2.sentence


def test_other_settings_and_the_baselines_differ_as_expected(app: Flask) -> None:
    _world()
    base = policy_settings(app.config)
    scenarios = [
        Scenario("v2", 1),
        Scenario("v1", 3),
        Scenario("always-cheapest", 3),
        Scenario("random", 3),
    ]
    outcome = whatif.run_whatif(db.engine, THIS_MONTH, scenarios, base)
    actual, k1, v1, cheapest, random_ = (c.figures for c in outcome.columns)
    assert outcome.request_count == 6 and outcome.supplier_count == 8
    # v2 (what happened) spreads the six requests over the eight UMKM, dearer ones included.
    assert actual.umkm_with_orders >= 6 and actual.premium > 0
    # K = 1: one UMKM per request.
    assert k1.umkm_with_orders <= 6
    # Always-cheapest gives everything to the cheapest UMKM, which can take it all.
    assert (cheapest.umkm_with_orders, cheapest.premium, cheapest.fulfilled_share) == (1, 0, 1)
    assert cheapest.gini == pytest.approx(7 / 8) and cheapest.top10_share == 1
    assert actual.gini < cheapest.gini
    # v1 spreads too (by need); random spreads by chance, the same way every time.
    assert v1.umkm_with_orders > 1 and random_.umkm_with_orders > 1
    again = whatif.run_whatif(db.engine, THIS_MONTH, [Scenario("random", 3)], base)
    assert again.columns[1].figures == random_


def test_a_period_without_requests_has_nothing_to_replay(app: Flask) -> None:
    _world(requests=1)
    assert whatif.count_requests(db.session, ReportPeriod.parse("2026-01")) == 0
    assert whatif.count_requests(db.session, THIS_MONTH) == 1


def _counts() -> dict[str, int]:
    names = inspect(db.engine).get_table_names()
    return {
        name: db.session.execute(select(func.count()).select_from(table(name))).scalar_one()
        for name in names
    }


def test_a_replay_writes_nothing(app: Flask) -> None:
    _world()
    before = _counts()
    whatif.run_whatif(
        db.engine,
        THIS_MONTH,
        [V2, Scenario("v1", 2, "level", 1_000_000), Scenario("random", 2)],
        policy_settings(app.config),
    )
    db.session.rollback()
    assert _counts() == before


def test_the_replay_session_cannot_write(app: Flask) -> None:
    _world(requests=1)
    refused = pytest.raises(Exception, match="(?i)read-only|readonly|read only")
    with refused, whatif.read_only(db.engine) as session:
        session.execute(text("DELETE FROM purchase_order"))
    assert db.session.scalar(select(func.count()).select_from(PurchaseOrder)) > 0


def test_settings_reach_the_replay(app: Flask) -> None:
    _world()
    base = Settings()
    capped = whatif.run_whatif(db.engine, THIS_MONTH, [Scenario("v2", 3, annual_cap=1)], base)
    # A cap of Rp 1: a UMKM with any order this year is passed over from then on.
    figures = capped.columns[1].figures
    assert figures.umkm_with_orders == 8 or figures.fulfilled_share < 1
