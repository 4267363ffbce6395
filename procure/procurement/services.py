"""Purchase-request use cases: create a request, run the allocation, decide and issue orders.

Services take the session and flush; the view or CLI commits once. Capacity is never
over-booked: ``decide`` locks the chosen products' rows, re-runs the policy on fresh facts
inside that lock, and only then writes the orders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from procure.allocation.policy import POLICY, VERSION, evaluate_override
from procure.allocation.records import OverrideCheck, Result
from procure.audit.services import record
from procure.clock import jakarta_date, midnight, today_in_jakarta
from procure.documents import hooks as document_hooks
from procure.formatting import rupiah
from procure.kinds.services import kind_by_rule
from procure.orders.rules import add_working_days
from procure.procurement.models import (
    AllocationRun,
    OrderEvent,
    OrderStatus,
    PurchaseOrder,
    PurchaseRequest,
    RequestStatus,
)
from procure.procurement.rules import (
    PriorRequest,
    check_portions,
    check_value_cap,
    split_suspects,
)
from procure.ranking import figures
from procure.ranking.evaluate import evaluate_request
from procure.ranking.facts import lock_products
from procure.ranking.stored_run import StoredRun, stored
from procure.umkm.rules import RuleError


@dataclass(frozen=True)
class RequestInput:
    title: str
    category_id: int
    specification: str
    quantity: int
    unit: str
    hps_unit_price: int
    needed_by: dt.date
    delivery_address: str
    budget_code: str
    fiscal_year: int
    notes: str = ""
    kind_id: int | None = None
    event_name: str = ""
    event_date: dt.date | None = None
    invitation_number: str = ""
    expected_attendees: int | None = None
    excess_reason: str = ""


def create_request(
    session: Session,
    data: RequestInput,
    *,
    opd_id: int,
    actor_id: int,
    config: Mapping[str, Any],
    today: dt.date | None = None,
) -> PurchaseRequest:
    """Check the request against the value cap, the portions rule and the dates; flag splits."""
    today = today or today_in_jakarta()
    if data.needed_by <= today:
        raise RuleError("Tanggal kebutuhan harus setelah hari ini.")
    check_value_cap(data.quantity, data.hps_unit_price, int(config["ECATALOG_VALUE_CAP"]))
    is_excess = check_portions(data.quantity, data.expected_attendees, data.excess_reason)
    value = data.quantity * data.hps_unit_price
    suspects = _split_suspects(session, data, value, opd_id=opd_id, today=today, config=config)
    request = PurchaseRequest(
        opd_id=opd_id,
        created_by_id=actor_id,
        title=data.title,
        category_id=data.category_id,
        kind_id=(
            data.kind_id
            if data.kind_id is not None
            else kind_by_rule(session, data.category_id, data.title, data.specification)
        ),
        specification=data.specification,
        quantity=data.quantity,
        unit=data.unit,
        hps_unit_price=data.hps_unit_price,
        needed_by=data.needed_by,
        delivery_address=data.delivery_address,
        budget_code=data.budget_code,
        fiscal_year=data.fiscal_year,
        notes=data.notes or None,
        event_name=data.event_name or None,
        event_date=data.event_date,
        invitation_number=data.invitation_number or None,
        expected_attendees=data.expected_attendees,
        excess_reason=data.excess_reason.strip() or None,
        is_excess_portions=is_excess,
        is_split_suspect=bool(suspects),
        split_note=(
            "Kemungkinan pemecahan paket: bersama permintaan "
            + ", ".join(f"#{p.id}" for p in suspects)
            + " dalam 14 hari nilainya melebihi batas katalog."
            if suspects
            else None
        ),
    )
    session.add(request)
    session.flush()
    record(
        session,
        actor_id,
        "request.create",
        request,
        f"Permintaan #{request.id} \u201c{request.title}\u201d {request.quantity} {request.unit} "
        f"(HPS {rupiah(request.hps_unit_price)})",
        {"value": value, "is_excess_portions": is_excess, "split_with": [p.id for p in suspects]},
    )
    return request


def _split_suspects(
    session: Session,
    data: RequestInput,
    value: int,
    *,
    opd_id: int,
    today: dt.date,
    config: Mapping[str, Any],
) -> list[PriorRequest]:
    """The OPD's recent requests in the same category that, with this one, pass the cap."""
    window = int(config["SPLIT_WINDOW_DAYS"])
    since = midnight(today - dt.timedelta(days=window))
    prior = [
        PriorRequest(r.id, r.quantity * r.hps_unit_price, jakarta_date(r.created_at))
        for r in session.scalars(
            select(PurchaseRequest).where(
                PurchaseRequest.opd_id == opd_id,
                PurchaseRequest.category_id == data.category_id,
                PurchaseRequest.status != RequestStatus.CANCELLED.value,
                PurchaseRequest.created_at >= since,
            )
        )
    ]
    return split_suspects(value, today, prior, int(config["ECATALOG_VALUE_CAP"]), window)


def run_allocation(
    session: Session, request: PurchaseRequest, *, actor_id: int, config: Mapping[str, Any]
) -> AllocationRun:
    """Run pemerataan-v1 and store the run exactly (inputs, ranking, exclusions, proposal)."""
    if request.status != RequestStatus.DRAFT.value:
        raise RuleError("Permintaan ini sudah diputuskan; alokasi tidak bisa dijalankan lagi.")
    result, rest = evaluate_request(session, request, config)
    # A large category: the top is stored in full, the rest summed up (``rest``).
    data = stored(result.to_dict(), rest)
    run = AllocationRun(
        request_id=request.id,
        policy=POLICY,
        policy_version=VERSION,
        settings=data["settings"],
        result=data,
        shortfall=result.shortfall,
        created_by_id=actor_id,
    )
    session.add(run)
    session.flush()
    record(
        session,
        actor_id,
        "allocation.run",
        run,
        f"Alokasi {POLICY} v{VERSION} untuk permintaan #{request.id}: "
        f"{len(result.allocation)} UMKM diusulkan, kekurangan {result.shortfall}",
        {"request_id": request.id, "proposal": [p.umkm_id for p in result.allocation]},
    )
    return run


def lock_request(session: Session, request_id: int) -> PurchaseRequest:
    """Take the request's row for this transaction and return it freshly read.

    PostgreSQL: ``FOR UPDATE`` on the row. SQLite: a no-op write takes the database write lock
    (reads before it ran outside any transaction, so nothing stale is held). Taken before the
    products' locks on every path that decides, so the lock order is always request, products.
    """
    if session.get_bind().dialect.name != "postgresql":
        session.execute(
            update(PurchaseRequest)
            .where(PurchaseRequest.id == request_id)
            .values(id=PurchaseRequest.id)
        )
    return session.scalars(
        select(PurchaseRequest)
        .where(PurchaseRequest.id == request_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()


def decide(
    session: Session,
    run: AllocationRun,
    chosen: Sequence[tuple[int, int]] | None,
    reason: str,
    *,
    actor_id: int,
    decision_key: str,
    config: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> list[PurchaseOrder]:
    """Accept the proposal (``chosen`` None) or the officer's choice, and issue the orders.

    Idempotent per ``decision_key``: the same key again returns the orders it created. Two
    submits at the same moment are serialised on the request's row, and every check below runs
    after that lock on fresh rows; the database refuses a second decided run regardless.
    """
    request = lock_request(session, run.request_id)
    session.refresh(run)
    earlier = _orders_of_decision(session, decision_key)
    if earlier is not None:
        return earlier
    _check_open(session, request, run)
    fresh, check = _checked_choice(session, request, run, chosen, reason, config)
    now = now or dt.datetime.now(dt.UTC)
    orders = _issue_orders(session, request, run, fresh, check, actor_id, now, config)
    _mark_decided(session, request, run, check, reason, actor_id, now, decision_key)
    _audit_decision(session, request, run, orders, check, actor_id)
    document_hooks.after_decision(session, run, orders, actor_id, config)
    return orders


def _orders_of_decision(session: Session, decision_key: str) -> list[PurchaseOrder] | None:
    """The orders an earlier submit with the same key created (None: no such decision)."""
    existing = session.scalar(
        select(AllocationRun).where(AllocationRun.decision_key == decision_key)
    )
    if existing is None:
        return None
    return list(session.scalars(select(PurchaseOrder).where(PurchaseOrder.run_id == existing.id)))


def _check_open(session: Session, request: PurchaseRequest, run: AllocationRun) -> None:
    """Refuse a request already decided, or a run that a newer one replaced."""
    if run.decided_at is not None or request.status != RequestStatus.DRAFT.value:
        raise RuleError("Permintaan ini sudah diputuskan.")
    latest = session.scalar(
        select(func.max(AllocationRun.id)).where(AllocationRun.request_id == request.id)
    )
    if latest != run.id:
        raise RuleError("Ada hasil alokasi yang lebih baru; putuskan berdasarkan yang terbaru.")


def _checked_choice(
    session: Session,
    request: PurchaseRequest,
    run: AllocationRun,
    chosen: Sequence[tuple[int, int]] | None,
    reason: str,
    config: Mapping[str, Any],
) -> tuple[Result, OverrideCheck]:
    """Lock the chosen products, re-run the policy on fresh facts and check the choice on them.

    Returns the fresh evaluation and the policy's check of the choice (its parts are the orders).
    """
    saved = StoredRun.from_dict(run.result)
    stored_offers = {c.umkm_id: c.offer.product_id for c in saved.candidates}
    wanted = [(p.umkm_id, p.quantity) for p in saved.allocation] if chosen is None else list(chosen)
    if saved.is_summarised:
        unknown = [u for u, _ in wanted if u not in stored_offers]
        if unknown:
            raise RuleError(
                "Pilih UMKM dari peringkat yang tersimpan di halaman ini "
                f"(UMKM #{', #'.join(map(str, unknown))} tidak ada di dalamnya)."
            )
    lock_products(session, [stored_offers[u] for u, _ in wanted if u in stored_offers])
    # Facts re-read inside the lock. An own choice may name any stored UMKM, so the ranking is
    # read down to them (in a large category, not further than evaluate.INCLUDE_DEPTH).
    include = [u for u, _ in wanted] if chosen is not None else []
    fresh, _ = evaluate_request(session, request, config, include=include)
    proposal = [(p.umkm_id, p.quantity) for p in fresh.allocation]
    if chosen is None and sorted(proposal) != sorted(wanted):
        raise RuleError(CHANGED)
    if saved.is_summarised and not {u for u, _ in wanted} <= _read(fresh):
        raise RuleError(CHANGED)  # a chosen UMKM fell far down the ranking meanwhile
    check = evaluate_override(fresh, wanted, reason)
    if not check.is_valid:
        raise RuleError(" ".join(check.errors))
    return fresh, check


def _issue_orders(
    session: Session,
    request: PurchaseRequest,
    run: AllocationRun,
    fresh: Result,
    check: OverrideCheck,
    actor_id: int,
    now: dt.datetime,
    config: Mapping[str, Any],
) -> list[PurchaseOrder]:
    """One issued order per part of the choice, its first event, and the UMKM's figures."""
    deadline = add_working_days(jakarta_date(now), int(config["RESPONSE_WORKING_DAYS"]))
    ranks = {c.umkm_id: c.rank for c in fresh.candidates}
    orders = [
        PurchaseOrder(
            request_id=request.id,
            run_id=run.id,
            umkm_id=part.umkm_id,
            product_id=part.product_id,
            quantity=part.quantity,
            unit_price=part.unit_price,
            value=part.value,
            due_date=request.needed_by,
            rank=ranks.get(part.umkm_id),
            status=OrderStatus.ISSUED.value,
            issued_by_id=actor_id,
            issued_at=now,
            response_deadline=deadline,
        )
        for part in check.parts
    ]
    session.add_all(orders)
    session.flush()
    for order in orders:
        session.add(
            OrderEvent(
                order_id=order.id, from_status=None, to_status="issued", actor_id=actor_id, at=now
            )
        )
    figures.refresh(session, {o.umkm_id for o in orders})
    return orders


def _mark_decided(
    session: Session,
    request: PurchaseRequest,
    run: AllocationRun,
    check: OverrideCheck,
    reason: str,
    actor_id: int,
    now: dt.datetime,
    decision_key: str,
) -> None:
    """Write the final choice on the run and close the request."""
    run.final_choice = [
        {"umkm_id": p.umkm_id, "product_id": p.product_id, "quantity": p.quantity, "value": p.value}
        for p in check.parts
    ]
    run.is_override = check.is_override
    run.override_reason = reason.strip() if check.is_override else None
    run.decided_by_id = actor_id
    run.decided_at = now
    run.decision_key = decision_key
    request.status = RequestStatus.ORDERED.value
    session.flush()


def _audit_decision(
    session: Session,
    request: PurchaseRequest,
    run: AllocationRun,
    orders: list[PurchaseOrder],
    check: OverrideCheck,
    actor_id: int,
) -> None:
    record(
        session,
        actor_id,
        "allocation.decide",
        run,
        f"Permintaan #{request.id}: {len(orders)} Surat Pesanan diterbitkan"
        + (" (menyimpang dari usulan)" if check.is_override else " sesuai usulan"),
        {
            "orders": [o.id for o in orders],
            "is_override": check.is_override,
            "reason": run.override_reason,
        },
    )


CHANGED = (
    "Ketersediaan berubah sejak alokasi dijalankan (pesanan lain masuk). "
    "Jalankan ulang alokasi lalu putuskan."
)


def _read(result: Result) -> set[int]:
    """UMKM a (top-of-the-ranking) evaluation saw: its candidates and exclusions."""
    return {c.umkm_id for c in result.candidates} | {e.umkm_id for e in result.exclusions}
