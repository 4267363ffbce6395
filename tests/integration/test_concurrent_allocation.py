"""Scarce capacity, many allocators at once: live capacity is never over-booked.

Eight officers' requests of 30 units each compete for one product of monthly capacity 100.
On PostgreSQL they run truly at once (one thread and one session each, released together by a
barrier); on SQLite, whose single writer makes that a queue, two sessions interleave by hand.
Either way an allocator that lost the race gets a ``RuleError``, re-runs once, and is then
served with what is left or told its shortfall; nothing else may go wrong.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from procure.extensions import db
from procure.procurement.models import (
    LIVE_ORDER_STATUSES,
    AllocationRun,
    PurchaseOrder,
    PurchaseRequest,
)
from procure.procurement.services import decide, run_allocation
from procure.umkm.rules import RuleError
from tests import factories

CAPACITY = 100
REQUESTS = 8
QUANTITY = 30


def _scarce_market(app: Flask) -> tuple[int, list[tuple[int, int]]]:
    """One product of capacity 100; eight requests of 30 by eight officers. Committed."""
    product = factories.product(monthly_capacity=CAPACITY, unit_price=175_000, lead_time_days=7)
    pairs = []
    for _ in range(REQUESTS):
        officer = factories.user("opd")
        request = factories.purchase_request(officer, QUANTITY)
        pairs.append((request.id, officer.id))
    db.session.commit()
    return product.id, pairs


def _allocate(
    session: Session, request_id: int, officer_id: int, config: Any, key: str
) -> tuple[str, int]:
    """Run and decide as proposed; a lost race re-runs once. Returns (outcome, booked)."""
    for attempt in (1, 2):
        request = session.get(PurchaseRequest, request_id)
        assert request is not None
        run = run_allocation(session, request, actor_id=officer_id, config=config)
        if not run.result["allocation"]:  # nothing left: the stored run tells the shortfall
            session.commit()
            return "shortfall", 0
        try:
            orders = decide(
                session,
                run,
                None,
                "",
                actor_id=officer_id,
                decision_key=f"{key}-{attempt}",
                config=config,
            )
            session.commit()
        except RuleError:
            session.rollback()
            continue
        return "ordered", sum(o.quantity for o in orders)
    # Lost twice: record what a fresh run shows, so the officer is told the shortfall.
    request = session.get(PurchaseRequest, request_id)
    assert request is not None
    run_allocation(session, request, actor_id=officer_id, config=config)
    session.commit()
    return "refused", 0


def _booked(product_id: int) -> int:
    return int(
        db.session.scalar(
            select(func.coalesce(func.sum(PurchaseOrder.quantity), 0)).where(
                PurchaseOrder.product_id == product_id,
                PurchaseOrder.status.in_(LIVE_ORDER_STATUSES),
            )
        )
        or 0
    )


def _assert_every_request_is_answered(pairs: list[tuple[int, int]]) -> None:
    """Each request has orders, or a stored run whose shortfall says what is missing."""
    db.session.expire_all()
    for request_id, _ in pairs:
        ordered = db.session.scalar(
            select(func.coalesce(func.sum(PurchaseOrder.quantity), 0)).where(
                PurchaseOrder.request_id == request_id
            )
        )
        last_run = db.session.scalars(
            select(AllocationRun)
            .where(AllocationRun.request_id == request_id)
            .order_by(AllocationRun.id.desc())
        ).first()
        assert last_run is not None, f"request {request_id} has no stored run"
        if ordered:
            assert ordered + last_run.shortfall == QUANTITY
        else:
            assert last_run.shortfall == QUANTITY


def test_concurrent_allocators_never_over_book(app: Flask, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("truly concurrent writers need PostgreSQL; SQLite is covered below")
    product_id, pairs = _scarce_market(app)
    make_session: Callable[[], Session] = sessionmaker(bind=db.engine, expire_on_commit=False)
    barrier = threading.Barrier(REQUESTS, timeout=30)
    outcomes: dict[int, tuple[str, int]] = {}
    errors: list[BaseException] = []

    def worker(request_id: int, officer_id: int) -> None:
        session = make_session()
        try:
            barrier.wait()
            outcomes[request_id] = _allocate(
                session, request_id, officer_id, app.config, f"race-{request_id}"
            )
        except BaseException as exc:  # noqa: BLE001 - reported below, the test fails on it
            session.rollback()
            errors.append(exc)
        finally:
            session.close()

    threads = [threading.Thread(target=worker, args=pair) for pair in pairs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(t.is_alive() for t in threads), "an allocator hung"
    assert errors == [], f"unexpected errors: {errors!r}"
    assert len(outcomes) == REQUESTS
    booked = _booked(product_id)
    assert booked <= CAPACITY  # the guarantee: zero over-booking
    assert booked == sum(quantity for _, quantity in outcomes.values())
    assert booked == CAPACITY  # and the scarce capacity is not left unused
    assert sum(1 for outcome, _ in outcomes.values() if outcome != "ordered") >= 4
    _assert_every_request_is_answered(pairs)


def test_two_interleaved_sessions_cannot_over_book(app: Flask) -> None:
    """Both officers see 100 free; the first decides 60, the second's 60 is refused and its
    re-run gets the 40 that are left (runs on both databases)."""
    product = factories.product(monthly_capacity=CAPACITY, unit_price=175_000, lead_time_days=7)
    first_officer, second_officer = factories.user("opd"), factories.user("opd")
    first_id = factories.purchase_request(first_officer, 60).id
    second_id = factories.purchase_request(second_officer, 60).id
    db.session.commit()
    make_session = sessionmaker(bind=db.engine, expire_on_commit=False)
    with make_session() as one, make_session() as two:
        run_one = run_allocation(
            one, one.get(PurchaseRequest, first_id), actor_id=first_officer.id, config=app.config
        )
        one.commit()  # SQLite has one writer: each session commits before the other writes
        run_two = run_allocation(
            two, two.get(PurchaseRequest, second_id), actor_id=second_officer.id, config=app.config
        )
        two.commit()
        assert run_one.result["allocation"][0]["quantity"] == 60
        assert run_two.result["allocation"][0]["quantity"] == 60  # stale by the time it decides
        decide(
            one, run_one, None, "", actor_id=first_officer.id, decision_key="a", config=app.config
        )
        one.commit()
        with pytest.raises(RuleError):
            decide(
                two,
                run_two,
                None,
                "",
                actor_id=second_officer.id,
                decision_key="b",
                config=app.config,
            )
        two.rollback()
        outcome = _allocate(two, second_id, second_officer.id, app.config, "b-retry")
    assert outcome == ("ordered", 40)
    assert _booked(product.id) == CAPACITY
    last = db.session.scalars(
        select(AllocationRun)
        .where(AllocationRun.request_id == second_id)
        .order_by(AllocationRun.id.desc())
    ).first()
    assert last is not None and last.shortfall == 20
