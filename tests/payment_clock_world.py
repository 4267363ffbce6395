"""Orders handed over on a chosen BAST day, for the payment clock's tests (pages, reminders,
dashboard, red flags). Not committed: the caller commits."""

from __future__ import annotations

import datetime as dt

from sqlalchemy import select

from procure.auth.models import User
from procure.clock import JAKARTA
from procure.extensions import db
from procure.orders.services import (
    accept_order,
    mark_delivered,
)
from procure.procurement.models import PurchaseOrder
from tests import factories


def owner_of(order: PurchaseOrder) -> User:
    """The UMKM's account (one per UMKM), made the first time it is asked for."""
    found = db.session.scalar(select(User).where(User.umkm_id == order.umkm_id))
    return found or factories.user("umkm", umkm_id=order.umkm_id)


def handed_over(officer: User | None = None, *, bast: dt.date, quantity: int = 10) -> PurchaseOrder:
    """An order accepted, delivered the day before ``bast``, inspected in full and handed over
    on ``bast`` through the services (so its payment due date comes from the app's term)."""
    _, _, (order,) = factories.issued_orders(quantity, (100,), officer=officer)
    officer = order.request.created_by
    owner = owner_of(order)
    accept_order(db.session, order, actor_id=owner.id)
    mark_delivered(db.session, order, actor_id=owner.id)
    order.delivered_at = dt.datetime.combine(
        bast - dt.timedelta(days=1), dt.time(10), tzinfo=JAKARTA
    )
    factories.inspected_and_handed_over(order, officer, handover_date=bast, today=bast)
    return order
