"""A UMKM with one order in each state a statement shows (for the statement tests).

Five orders of Rp 100.000 a unit, their SPs issued today through the services:
- ``paid``: 10 units handed over and paid in full (Rp 1.000.000);
- ``unpaid``: 5 units handed over, nothing paid (Rp 500.000 owed);
- ``cancelled``: 3 units, cancelled by the officer (listed, in no total);
- ``partial``: 20 ordered, 12 received (Rp 1.200.000), Rp 500.000 paid, and a mistaken
  Rp 100.000 payment reversed (Rp 700.000 owed);
- ``accepted``: 4 units accepted, not yet delivered (Rp 400.000 in progress).
Totals: 4 orders counted, 1 ended, value Rp 3.100.000, paid Rp 1.500.000, receivables
Rp 1.200.000, in progress Rp 400.000.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from procure.clock import today_in_jakarta
from procure.db import utcnow
from procure.extensions import db
from procure.orders.services import cancel_order
from procure.payments.models import Payment
from procure.procurement.models import PurchaseOrder
from procure.umkm.models import Umkm
from tests import factories

EXPECTED_TOTALS = {
    "orders": 4,
    "ended": 1,
    "value": 3_100_000,
    "paid": 1_500_000,
    "receivables": 1_200_000,
    "in_progress": 400_000,
}


@dataclass
class StatementWorld:
    umkm: Umkm
    owner: Any
    officer: Any
    orders: dict[str, PurchaseOrder]


def payment(order: PurchaseOrder, gross: int, reference: str, **values: Any) -> Payment:
    withheld = gross * 15 // 1000
    row = Payment(
        order_id=order.id,
        method="sp2d",
        reference=reference,
        paid_on=today_in_jakarta(),
        gross=gross,
        withheld=withheld,
        net=gross - withheld,
        taxes=[{"label": "PPh Pasal 22 (1,5%)", "amount": withheld}],
        **values,
    )
    db.session.add(row)
    db.session.flush()
    return row


def _handed_over(order: PurchaseOrder, received: int) -> None:
    order.status = "received"
    order.received_quantity = received
    order.condition = "baik"
    order.delivered_at = utcnow()
    order.inspected_at = utcnow()
    order.handed_over_at = utcnow()
    order.handover_date = today_in_jakarta()


def statement_world(email: str | None = None) -> StatementWorld:
    officer = factories.user("opd")
    umkm = factories.umkm(business_name="Batik Kredit Lancar")
    factories.product(umkm, unit_price=100_000, monthly_capacity=10_000, lead_time_days=7)
    owner = factories.user("umkm", email=email, umkm=umkm)

    def order(quantity: int) -> PurchaseOrder:
        _, _, (made,) = factories.decided_orders(
            officer, [(umkm.id, quantity)], quantity, reason="Dipilih untuk uji surat keterangan"
        )
        return made  # type: ignore[no-any-return]

    orders = {name: order(q) for name, q in [("paid", 10), ("unpaid", 5), ("cancelled", 3)]}
    orders["partial"] = order(20)
    orders["accepted"] = order(4)
    _handed_over(orders["paid"], 10)
    orders["paid"].status = "paid"
    payment(orders["paid"], 1_000_000, "SP2D-0001/2026")
    _handed_over(orders["unpaid"], 5)
    cancel_order(
        db.session, orders["cancelled"], "Kegiatan dibatalkan kepala dinas", actor_id=officer.id
    )
    _handed_over(orders["partial"], 12)
    payment(orders["partial"], 500_000, "SP2D-0002/2026")
    wrong = payment(orders["partial"], 100_000, "SP2D-0003/2026")
    payment(
        orders["partial"],
        100_000,
        "SP2D-0003/2026",
        kind="reversal",
        reverses_id=wrong.id,
        reason="Salah pesanan",
    )
    orders["accepted"].status = "accepted"
    orders["accepted"].responded_at = utcnow()
    db.session.flush()
    return StatementWorld(umkm, owner, officer, orders)


def a_month() -> tuple[dt.date, dt.date]:
    today = today_in_jakarta()
    return today - dt.timedelta(days=30), today
