"""The history of an order: a guarded status change and one event (plus audit entry) per step.

Shared by the lifecycle services (``services``) and the pass-on (``pass_on``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session
from sqlalchemy.orm.attributes import set_committed_value

from procure.audit.services import record
from procure.db import utcnow
from procure.notify.order_events import on_order_event
from procure.orders.rules import STATUS_LABELS
from procure.procurement.models import OrderEvent, PurchaseOrder
from procure.umkm.rules import RuleError

STALE = "Pesanan ini baru saja diubah orang lain. Muat ulang halaman lalu periksa statusnya."


def claim_status(session: Session, order: PurchaseOrder, to_status: str) -> None:
    """Move the status only if it is still what this session read (locks the row meanwhile)."""
    session.flush()
    done = session.execute(
        update(PurchaseOrder)
        .where(PurchaseOrder.id == order.id, PurchaseOrder.status == order.status)
        .values(status=to_status)
        .execution_options(synchronize_session=False)
    )
    if done.rowcount != 1:  # type: ignore[attr-defined]
        raise RuleError(STALE)
    set_committed_value(order, "status", to_status)


def log_event(
    session: Session,
    order: PurchaseOrder,
    from_status: str | None,
    to_status: str,
    actor_id: int | None,
    note: str | None,
    data: Mapping[str, Any] | None = None,
    *,
    now: dt.datetime | None = None,
    action: str | None = None,
) -> OrderEvent:
    """One line of the order's history and its audit entry."""
    event = OrderEvent(
        order_id=order.id,
        from_status=from_status,
        to_status=to_status,
        actor_id=actor_id,
        at=now or utcnow(),
        note=note,
        data=dict(data or {}),
    )
    session.add(event)
    change = (
        f"{STATUS_LABELS.get(from_status, from_status)} \u2192 {STATUS_LABELS[to_status]}"
        if from_status and from_status != to_status
        else STATUS_LABELS[to_status]
    )
    record(
        session,
        actor_id,
        action or f"order.{to_status}",
        order,
        f"SP #{order.id}: {change}" + (f" \u2014 {note}" if note else ""),
        {"from": from_status, "to": to_status, **(data or {})},
    )
    on_order_event(session, order, to_status, now=now)  # messages, sent after the commit
    return event
