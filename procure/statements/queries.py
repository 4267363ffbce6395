"""The statement's figures for (UMKM, period): one query for the orders, one for their payments.

Issuance stores what ``statement_figures`` returns; the verification page calls it again and
compares. Every order whose Surat Pesanan was issued in the period is listed (the order's
``issued_at`` is the SP's moment), with the SP's number and date from the document table (the
valid SP, else the latest one: a cancelled order's SP is cancelled with it), the OPD, the
item, quantities, value, delivery and BAST dates, and its payments and reversals.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from typing import Any

from sqlalchemy import case, select
from sqlalchemy.orm import Session

from procure.clock import day_bounds, jakarta_date, jakarta_date_or_none
from procure.documents.models import Document, DocumentStatus
from procure.documents.numbering import DocumentKind
from procure.opd.models import Opd
from procure.orders.rules import late_penalty
from procure.payments.models import Payment, PaymentKind
from procure.procurement.models import PurchaseOrder, PurchaseRequest
from procure.statements.rules import OrderRow, PaymentRow, statement_figures
from procure.umkm.models import Product


def _sp_column(column: Any) -> Any:
    """The order's Surat Pesanan's ``column``: the valid one first, else the latest."""
    return (
        select(column)
        .where(Document.order_id == PurchaseOrder.id, Document.kind == DocumentKind.SURAT_PESANAN)
        .order_by(
            case((Document.status == DocumentStatus.ISSUED.value, 0), else_=1), Document.id.desc()
        )
        .limit(1)
        .correlate(PurchaseOrder)
        .scalar_subquery()
    )


def order_rows(
    session: Session, umkm_id: int, period_start: dt.date, period_end: dt.date
) -> list[OrderRow]:
    in_period = _in_period(umkm_id, period_start, period_end)
    rows = session.execute(
        select(
            PurchaseOrder.id,
            _sp_column(Document.number).label("sp_number"),
            _sp_column(Document.issued_at).label("sp_issued_at"),
            PurchaseOrder.issued_at,
            Opd.name.label("opd"),
            Product.name.label("item"),
            Product.unit,
            PurchaseOrder.quantity,
            PurchaseOrder.unit_price,
            PurchaseOrder.value,
            PurchaseOrder.status,
            PurchaseOrder.received_quantity,
            PurchaseOrder.due_date,
            PurchaseOrder.delivered_at,
            PurchaseOrder.handover_date,
            PurchaseOrder.handed_over_at,
        )
        .join(PurchaseRequest, PurchaseRequest.id == PurchaseOrder.request_id)
        .join(Opd, Opd.id == PurchaseRequest.opd_id)
        .join(Product, Product.id == PurchaseOrder.product_id)
        .where(*in_period)
        .order_by(PurchaseOrder.issued_at, PurchaseOrder.id)
    ).all()
    payments = _payments(session, in_period) if rows else {}
    result = []
    for r in rows:
        delivered_on = jakarta_date_or_none(r.delivered_at)
        penalty = (
            late_penalty(r.value, r.due_date, delivered_on, delivered_on) if delivered_on else 0
        )
        result.append(
            OrderRow(
                order_id=r.id,
                sp_number=r.sp_number,
                sp_date=jakarta_date(r.sp_issued_at or r.issued_at),
                opd=r.opd,
                item=r.item,
                quantity=r.quantity,
                unit=r.unit,
                unit_price=r.unit_price,
                sp_value=r.value,
                status=r.status,
                received_quantity=r.received_quantity,
                delivered_on=delivered_on,
                bast_on=r.handover_date or jakarta_date_or_none(r.handed_over_at),
                penalty=penalty,
                payments=tuple(payments.get(r.id, ())),
            )
        )
    return result


def _in_period(umkm_id: int, period_start: dt.date, period_end: dt.date) -> tuple[Any, ...]:
    """The UMKM's orders whose SP was issued on a Jakarta day of the period."""
    start, end = day_bounds(period_start, period_end)
    return (
        PurchaseOrder.umkm_id == umkm_id,
        PurchaseOrder.issued_at >= start,
        PurchaseOrder.issued_at < end,
    )


def _payments(session: Session, in_period: tuple[Any, ...]) -> dict[int, list[PaymentRow]]:
    """The payments and reversals of the same orders (one query, the orders as a subquery)."""
    found: dict[int, list[PaymentRow]] = defaultdict(list)
    orders = select(PurchaseOrder.id).where(*in_period)
    for p in session.execute(
        select(Payment.order_id, Payment.kind, Payment.paid_on, Payment.gross, Payment.reference)
        .where(Payment.order_id.in_(orders))
        .order_by(Payment.order_id, Payment.paid_on, Payment.id)
    ):
        reversal = p.kind == PaymentKind.REVERSAL.value
        found[p.order_id].append(
            PaymentRow(
                paid_on=p.paid_on,
                amount=-p.gross if reversal else p.gross,
                reference=p.reference,
                is_reversal=reversal,
            )
        )
    return found


def figures(
    session: Session, umkm_id: int, period_start: dt.date, period_end: dt.date
) -> dict[str, Any]:
    """The statement's figures now (JSON-ready): what issuance stores and verification re-runs."""
    rows = order_rows(session, umkm_id, period_start, period_end)
    return statement_figures(rows, period_start, period_end)
