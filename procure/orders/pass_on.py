"""Passing a declined or expired order's part on, down the stored ranking of its run.

The ranking is the one the officer saw and decided on (the stored run's candidates,
in rank order), so a pass-on needs no new decision. Free capacity, though, is re-read under the
products' lock, exactly as ``services.decide`` does: a pass-on never over-books.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procure.allocation.policy import Offer
from procure.audit.services import record
from procure.clock import midnight, today_in_jakarta, year_start
from procure.db import utcnow
from procure.formatting import akhiri_kalimat
from procure.orders.events import log_event
from procure.orders.rules import add_working_days, pass_on_quantity, pass_on_refusal
from procure.procurement.models import (
    LIVE_ORDER_STATUSES,
    OrderEvent,
    OrderStatus,
    PurchaseOrder,
)
from procure.ranking import facts
from procure.ranking.facts import lock_products
from procure.ranking.stored_run import StoredCandidate, StoredRun


def _awarded_this_year(session: Session, umkm_id: int, today: dt.date) -> int:
    since = midnight(year_start(today))
    total = session.scalar(
        select(func.coalesce(func.sum(PurchaseOrder.value), 0)).where(
            PurchaseOrder.umkm_id == umkm_id,
            PurchaseOrder.status.in_(LIVE_ORDER_STATUSES),
            PurchaseOrder.issued_at >= since,
        )
    )
    return int(total or 0)


def _next_in_ranking(session: Session, order: PurchaseOrder) -> list[StoredCandidate]:
    """The run's candidates in rank order, without the UMKM that hold or held an order for
    this request (the one that just declined among them)."""
    held = set(
        session.scalars(
            select(PurchaseOrder.umkm_id).where(PurchaseOrder.request_id == order.request_id)
        )
    )
    ranking = StoredRun.from_dict(order.run.result).ranked()
    return [c for c in ranking if c.umkm_id not in held]


def _refusal(
    session: Session,
    offer: Offer | None,
    request: Any,
    remaining: int,
    today: dt.date,
    annual_cap: int,
) -> str | None:
    """Why this ranked offer cannot take the part today (None: it can)."""
    if offer is None:
        return "produk sudah dihapus"
    refusal = pass_on_refusal(
        is_product_active=offer.is_product_active,
        umkm_status=offer.umkm_status,
        unit_price=offer.unit_price,
        hps_unit_price=request.hps_unit_price,
        lead_time_days=offer.lead_time_days,
        today=today,
        needed_by=request.needed_by,
    )
    if refusal is not None:
        return refusal
    if annual_cap and _awarded_this_year(session, offer.umkm_id, today) >= annual_cap:
        return "batas tahunan tercapai"
    if not pass_on_quantity(remaining, offer.free_capacity, offer.min_order):
        return "kapasitas bebas tidak cukup untuk pesanan minimum"
    return None


def _issue(
    session: Session,
    order: PurchaseOrder,
    offer: Offer,
    candidate: StoredCandidate,
    quantity: int,
    why: str,
    deadline: dt.date,
    now: dt.datetime,
) -> PurchaseOrder:
    """A new order for ``quantity`` of the part, logged as passed on from ``order``."""
    new = PurchaseOrder(
        request_id=order.request_id,
        run_id=order.run_id,
        umkm_id=offer.umkm_id,
        product_id=offer.product_id,
        quantity=quantity,
        unit_price=offer.unit_price,
        value=quantity * offer.unit_price,
        due_date=order.due_date,
        rank=candidate.rank,
        passed_from_id=order.id,
        status=OrderStatus.ISSUED.value,
        issued_by_id=order.issued_by_id,
        issued_at=now,
        response_deadline=deadline,
    )
    session.add(new)
    session.flush()
    log_event(
        session,
        new,
        None,
        OrderStatus.ISSUED.value,
        None,
        f"dialihkan dari SP #{order.id} ({why})",
        {"passed_from": order.id, "rank": candidate.rank},
        now=now,
        action="order.pass_on",
    )
    return new


def pass_on(
    session: Session,
    order: PurchaseOrder,
    event: OrderEvent,
    why: str,
    *,
    config: Mapping[str, Any],
    today: dt.date | None = None,
) -> list[PurchaseOrder]:
    """Offer ``order``'s quantity to the next offers of the ranking; returns the new orders.

    Each next offer takes what it can (all of the rest, or its free capacity if that is at least
    its minimum order); the rest goes further down. What nobody can take is the shortfall,
    written on ``event`` (the decline or expiry) together with the new orders and the skips.
    """
    today = today or today_in_jakarta()
    request = order.request
    ranking = _next_in_ranking(session, order)
    product_ids = [c.offer.product_id for c in ranking if c.offer.product_id is not None]
    lock_products(session, product_ids)
    fresh = {
        o.product_id: o
        for o in facts.load_offers(
            session, request.category_id, request.needed_by, product_ids=product_ids
        )
    }
    annual_cap = int(config["ANNUAL_AWARD_CAP"])
    deadline = add_working_days(today, int(config["RESPONSE_WORKING_DAYS"]))
    now = utcnow()
    remaining = order.quantity
    created: list[PurchaseOrder] = []
    skipped: list[dict[str, Any]] = []
    for candidate in ranking:
        if remaining == 0:
            break
        offer = fresh.get(candidate.offer.product_id) if candidate.offer.product_id else None
        refusal = _refusal(session, offer, request, remaining, today, annual_cap)
        if refusal is not None or offer is None:
            skipped.append(
                {
                    "umkm_id": candidate.umkm_id,
                    "umkm_name": candidate.offer.umkm_name,
                    "rank": candidate.rank,
                    "reason": refusal,
                }
            )
            continue
        quantity = pass_on_quantity(remaining, offer.free_capacity, offer.min_order)
        created.append(_issue(session, order, offer, candidate, quantity, why, deadline, now))
        remaining -= quantity
    _note_outcome(session, order, event, created, remaining, skipped)
    return created


def _note_outcome(
    session: Session,
    order: PurchaseOrder,
    event: OrderEvent,
    created: list[PurchaseOrder],
    shortfall: int,
    skipped: list[dict[str, Any]],
) -> None:
    unit = order.request.unit
    outcome = (
        "Dialihkan ke " + ", ".join(f"SP #{o.id} ({o.quantity} {unit})" for o in created)
        if created
        else "Tidak ada UMKM berikutnya dalam peringkat yang bisa menerima"
    )
    if shortfall:
        outcome += f"; kekurangan {shortfall} {unit}"
    event.note = f"{akhiri_kalimat(event.note)} {outcome}." if event.note else f"{outcome}."
    event.data = {
        **(event.data or {}),
        "passed_to": [o.id for o in created],
        "shortfall": shortfall,
        "skipped": skipped,
    }
    record(
        session,
        event.actor_id,
        "order.pass_on_result",
        order,
        f"SP #{order.id}: {outcome}",
        {"passed_to": [o.id for o in created], "shortfall": shortfall},
    )
    session.flush()
