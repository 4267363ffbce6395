"""Purchase-request use cases: create, edit or cancel a request, run the allocation, decide and
issue orders.

Services take the session and flush; the view or CLI commits once. Capacity is never
over-booked: ``decide`` locks the chosen products' rows, re-runs the policy on fresh facts
inside that lock, and only then writes the orders.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select, text, update
from sqlalchemy.orm import Session

from procure.allocation.policy import evaluate_override
from procure.allocation.records import OverrideCheck, Result
from procure.audit.services import changes, record
from procure.clock import jakarta_date, midnight, today_in_jakarta
from procure.documents import hooks as document_hooks
from procure.formatting import rupiah
from procure.kinds.services import offered_kind
from procure.notify.order_events import on_order_event
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
    check_cancel_reason,
    check_portions,
    check_value_cap,
    run_is_current,
    split_note,
    split_suspects,
)
from procure.ranking import figures
from procure.ranking.evaluate import evaluate_request
from procure.ranking.facts import lock_products
from procure.ranking.stored_run import StoredRun, stored
from procure.umkm.models import Product
from procure.umkm.rules import RuleError


@dataclass(frozen=True)
class RequestInput:
    """What the officer types; the category is the kind's."""

    title: str
    kind_id: int
    specification: str
    quantity: int
    unit: str
    hps_unit_price: int
    needed_by: dt.date
    delivery_address: str
    budget_code: str
    fiscal_year: int
    notes: str = ""
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
    """Check the request against the kind, the value cap, the portions rule and the dates;
    flag splits."""
    today = today or today_in_jakarta()
    kind = offered_kind(session, data.kind_id, catch_all=False)
    is_excess = _check_terms(data, today, config)
    value = data.quantity * data.hps_unit_price
    request = PurchaseRequest(
        opd_id=opd_id,
        created_by_id=actor_id,
        category_id=kind.category_id,
        is_excess_portions=is_excess,
        **_fields(data),
    )
    suspects = _split_suspects(session, request, value, today=today, config=config)
    request.is_split_suspect = bool(suspects)
    request.split_note = split_note([p.id for p in suspects])
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


def _check_terms(data: RequestInput, today: dt.date, config: Mapping[str, Any]) -> bool:
    """The date, the value cap and the portions rule; True: more portions than attendees."""
    if data.needed_by <= today:
        raise RuleError("Tanggal kebutuhan harus setelah hari ini.")
    check_value_cap(data.quantity, data.hps_unit_price, int(config["ECATALOG_VALUE_CAP"]))
    return check_portions(data.quantity, data.expected_attendees, data.excess_reason)


def _fields(data: RequestInput) -> dict[str, Any]:
    """The request's columns as the officer typed them (empty optional texts stored as NULL)."""
    return {
        "title": data.title,
        "kind_id": data.kind_id,
        "specification": data.specification,
        "quantity": data.quantity,
        "unit": data.unit,
        "hps_unit_price": data.hps_unit_price,
        "needed_by": data.needed_by,
        "delivery_address": data.delivery_address,
        "budget_code": data.budget_code,
        "fiscal_year": data.fiscal_year,
        "notes": data.notes or None,
        "event_name": data.event_name or None,
        "event_date": data.event_date,
        "invitation_number": data.invitation_number or None,
        "expected_attendees": data.expected_attendees,
        "excess_reason": data.excess_reason.strip() or None,
    }


def _split_suspects(
    session: Session,
    request: PurchaseRequest,
    value: int,
    *,
    today: dt.date,
    config: Mapping[str, Any],
) -> list[PriorRequest]:
    """The OPD's earlier requests in the same category, not cancelled, that with this one pass
    the cap within the window (a request being edited is not its own prior)."""
    window = int(config["SPLIT_WINDOW_DAYS"])
    since = midnight(today - dt.timedelta(days=window))
    query = select(PurchaseRequest).where(
        PurchaseRequest.opd_id == request.opd_id,
        PurchaseRequest.category_id == request.category_id,
        PurchaseRequest.status != RequestStatus.CANCELLED.value,
        PurchaseRequest.created_at >= since,
    )
    if request.id is not None:
        query = query.where(PurchaseRequest.id < request.id)
    prior = [
        PriorRequest(r.id, r.quantity * r.hps_unit_price, jakarta_date(r.created_at))
        for r in session.scalars(query)
    ]
    return split_suspects(value, today, prior, int(config["ECATALOG_VALUE_CAP"]), window)


def _refresh_split_flags(
    session: Session,
    *,
    opd_id: int,
    category_id: int,
    since: PurchaseRequest,
    config: Mapping[str, Any],
) -> list[int]:
    """Recompute the package-splitting flag of the OPD's requests of this category made from
    ``since`` on (itself included) for as long as it could count toward them; a cancelled
    request counts toward none and keeps no flag. Returns the ids whose flag changed."""
    window = dt.timedelta(days=int(config["SPLIT_WINDOW_DAYS"]))
    start = jakarta_date(since.created_at)
    later = session.scalars(
        select(PurchaseRequest)
        .where(
            PurchaseRequest.opd_id == opd_id,
            PurchaseRequest.category_id == category_id,
            PurchaseRequest.id >= since.id,
            PurchaseRequest.created_at < midnight(start + window + dt.timedelta(days=1)),
        )
        .order_by(PurchaseRequest.id)
    ).all()
    changed = []
    for other in later:
        if other.status == RequestStatus.CANCELLED.value:
            suspects: list[PriorRequest] = []
        else:
            suspects = _split_suspects(
                session, other, other.value, today=jakarta_date(other.created_at), config=config
            )
        flag, note = bool(suspects), split_note([p.id for p in suspects])
        if (other.is_split_suspect, other.split_note) != (flag, note):
            other.is_split_suspect, other.split_note = flag, note
            changed.append(other.id)
    session.flush()
    return changed


# The request's columns an edit may change, in the order the audit lists them.
EDITABLE = (
    "title", "kind_id", "category_id", "specification", "quantity", "unit", "hps_unit_price",
    "needed_by", "delivery_address", "budget_code", "fiscal_year", "notes", "event_name",
    "event_date", "invitation_number", "expected_attendees", "excess_reason",
)  # fmt: skip


@dataclass(frozen=True)
class Edited:
    """What an edit did: the changed columns (old, new), and what it set off."""

    request: PurchaseRequest
    changed: dict[str, Any]
    stale_runs: int  # undecided runs that no longer match the request: rerun the allocation
    flags_changed: tuple[int, ...]


def undecided_refusal(session: Session, request: PurchaseRequest, action: str) -> str | None:
    """Why this request can no longer be ``action`` ("diubah", "dibatalkan"); None: it can
    (a draft without a decided run)."""
    if request.status == RequestStatus.CANCELLED.value:
        return f"Permintaan ini sudah dibatalkan; tidak bisa {action}."
    decided = session.scalar(
        select(func.count())
        .select_from(AllocationRun)
        .where(AllocationRun.request_id == request.id, AllocationRun.decided_at.is_not(None))
    )
    if decided or request.status != RequestStatus.DRAFT.value:
        return (
            f"Permintaan ini sudah diputuskan dan Surat Pesanan sudah terbit, jadi tidak bisa "
            f"{action}. Untuk menghentikan pesanan, batalkan Surat Pesanannya dengan alasan."
        )
    return None


def _check_undecided(session: Session, request: PurchaseRequest, action: str) -> None:
    refusal = undecided_refusal(session, request, action)
    if refusal:
        raise RuleError(refusal)


def edit_request(
    session: Session,
    request_id: int,
    data: RequestInput,
    *,
    actor_id: int,
    config: Mapping[str, Any],
    today: dt.date | None = None,
) -> Edited:
    """Change an undecided request with the checks of a new one; audited with what changed.

    Runs made before the edit that no longer match the request (kind, quantity, HPS, date)
    are stale: the page says so and ``decide`` refuses them, so the officer reruns the ranking.
    """
    today = today or today_in_jakarta()
    request = lock_request(session, request_id)
    _check_undecided(session, request, "diubah")
    kind = offered_kind(session, data.kind_id, keep=request.kind_id, catch_all=False)
    is_excess = _check_terms(data, today, config)
    before = {name: getattr(request, name) for name in EDITABLE}
    old_category = request.category_id
    after = {**_fields(data), "category_id": kind.category_id}
    for name, value in after.items():
        setattr(request, name, value)
    request.is_excess_portions = is_excess
    session.flush()
    changed = changes(before, {name: after[name] for name in EDITABLE})
    flags: list[int] = []
    for category_id in dict.fromkeys((old_category, request.category_id)):
        flags += _refresh_split_flags(
            session, opd_id=request.opd_id, category_id=category_id, since=request, config=config
        )
    stale = [
        r.id
        for r in session.scalars(
            select(AllocationRun).where(
                AllocationRun.request_id == request.id, AllocationRun.decided_at.is_(None)
            )
        )
        if not run_is_current(StoredRun.from_dict(r.result).request, policy_fields(request))
    ]
    record(
        session,
        actor_id,
        "request.edit",
        request,
        f"Permintaan #{request.id} diubah: " + (", ".join(changed) or "tidak ada perubahan"),
        {
            "changes": {k: [_plain(v) for v in pair] for k, pair in changed.items()},
            "stale_runs": stale,
            "split_flags_changed": flags,
        },
    )
    return Edited(request, changed, len(stale), tuple(flags))


def cancel_request(
    session: Session,
    request_id: int,
    reason: str,
    *,
    actor_id: int,
    config: Mapping[str, Any],
) -> bool:
    """Cancel an undecided request with a reason (audited). False: it was already cancelled
    (a second submit of the same cancel changes nothing)."""
    request = lock_request(session, request_id)
    if request.status == RequestStatus.CANCELLED.value:
        return False
    _check_undecided(session, request, "dibatalkan")
    reason = check_cancel_reason(reason)
    request.status = RequestStatus.CANCELLED.value
    session.flush()
    flags = _refresh_split_flags(
        session,
        opd_id=request.opd_id,
        category_id=request.category_id,
        since=request,
        config=config,
    )
    record(
        session,
        actor_id,
        "request.cancel",
        request,
        f"Permintaan #{request.id} \u201c{request.title}\u201d dibatalkan: {reason}",
        {"reason": reason, "split_flags_changed": flags},
    )
    return True


def policy_fields(request: PurchaseRequest) -> dict[str, Any]:
    """The request's terms the policy reads, as a stored run keeps them (``run_is_current``)."""
    return {
        "category_id": request.category_id,
        "kind_id": request.kind_id,
        "quantity": request.quantity,
        "unit": request.unit,
        "hps_unit_price": request.hps_unit_price,
        "needed_by": request.needed_by.isoformat(),
    }


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, dt.date) else value


def earliest_lead_time(session: Session, kind_id: int) -> int | None:
    """The shortest lead time (days) among the listed products of this kind; None: none."""
    return session.scalar(
        select(func.min(Product.lead_time_days)).where(
            Product.kind_id == kind_id, Product.is_listed
        )
    )


# Per database: whether the PostgreSQL server can compress with lz4.
_LZ4: dict[str, bool] = {}


def _fast_compression(session: Session) -> None:
    """PostgreSQL: compress what this transaction stores out of line (the run's ~100 KB of
    JSON) with lz4 when the server has it: pglz took ~2 ms of the insert, lz4 ~0.2 ms. The
    stored value is the same; PostgreSQL reads either compression."""
    bind = session.get_bind()
    if bind.dialect.name != "postgresql":
        return
    key = str(bind.url)
    if key not in _LZ4:
        _LZ4[key] = bool(
            session.scalar(
                text(
                    "SELECT 'lz4' = ANY(enumvals) FROM pg_settings "
                    "WHERE name = 'default_toast_compression'"
                )
            )
        )
    if _LZ4[key]:
        session.execute(text("SET LOCAL default_toast_compression = 'lz4'"))


def run_allocation(
    session: Session, request: PurchaseRequest, *, actor_id: int, config: Mapping[str, Any]
) -> AllocationRun:
    """Run the Pemda's policy (``ALLOCATION_POLICY``) and store the run exactly (policy and
    version, inputs, ranking, exclusions, proposal)."""
    if request.status == RequestStatus.CANCELLED.value:
        raise RuleError("Permintaan ini sudah dibatalkan; alokasi tidak bisa dijalankan.")
    if request.status != RequestStatus.DRAFT.value:
        raise RuleError("Permintaan ini sudah diputuskan; alokasi tidak bisa dijalankan lagi.")
    result, rest = evaluate_request(session, request, config)
    # A large category: the top is stored in full, the rest summed up (``rest``).
    data = stored(result.to_dict(), rest)
    _fast_compression(session)
    run = AllocationRun(
        request_id=request.id,
        policy=result.policy,
        policy_version=result.version,
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
        f"Alokasi {result.policy} v{result.version} untuk permintaan #{request.id}: "
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
    if not run_is_current(StoredRun.from_dict(run.result).request, policy_fields(request)):
        raise RuleError(STALE)


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
        on_order_event(session, order, "issued", now=now, config=config)  # the UMKM's message
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


STALE = (
    "Permintaan sudah diubah setelah alokasi ini dijalankan. Jalankan ulang alokasi lalu putuskan."
)
CHANGED = (
    "Ketersediaan berubah sejak alokasi dijalankan (pesanan lain masuk). "
    "Jalankan ulang alokasi lalu putuskan."
)


def _read(result: Result) -> set[int]:
    """UMKM a (top-of-the-ranking) evaluation saw: its candidates and exclusions."""
    return {c.umkm_id for c in result.candidates} | {e.umkm_id for e in result.exclusions}
