"""Plain data for the order pages, read from the ORM rows: templates get dicts, never ORM
objects. Not a pure presenter (it follows an order's relationships and sums payment days in
one query), hence not named one: the pure ``presenters`` modules import no framework."""

from __future__ import annotations

import datetime as dt
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

from babel.numbers import format_decimal
from sqlalchemy import Date, Integer, case, cast, func, literal, select
from sqlalchemy.orm import Session, object_session

from procure.auth.models import Role
from procure.catalog.rules import whatsapp_number
from procure.clock_sql import jakarta_day
from procure.formatting import LOCALE, tel_uri, telepon
from procure.opd.models import Opd
from procure.orders.rules import (
    STATUS_LABELS,
    PaymentAmounts,
    PaymentDays,
    handover_day,
    order_figures,
)
from procure.payments.calendar import clock_figures
from procure.procurement.models import OrderStatus, PurchaseOrder, PurchaseRequest

S = OrderStatus
STATUS_STYLES = {
    S.ISSUED.value: "warning",
    S.ACCEPTED.value: "info",
    S.DELIVERED.value: "primary",
    S.RECEIVED.value: "success",
    S.PAID.value: "success",
    S.DECLINED.value: "secondary",
    S.EXPIRED.value: "secondary",
    S.CANCELLED.value: "dark",
}


PARTLY_PAID = "Dibayar sebagian"


def order_row(order: PurchaseOrder, today: dt.date) -> dict[str, Any]:
    """One line of an order list."""
    request = order.request
    return {
        "id": order.id,
        "title": request.title,
        "opd": request.opd.name,
        "umkm": order.umkm.business_name,
        "product": order.product.name,
        "quantity": order.quantity,
        "unit": request.unit,
        "value": order.value,
        "due_date": order.due_date,
        "response_deadline": order.response_deadline,
        "issued_at": order.issued_at,
        "status": order.status,
        # Handed over and partly paid (procure/payments): still "received", said as it is.
        "status_label": PARTLY_PAID
        if order.status == S.RECEIVED.value and order.payment_gross
        else STATUS_LABELS[order.status],
        "status_style": STATUS_STYLES[order.status],
        "is_waiting": order.status == S.ISSUED.value,
        "is_overdue": order.status == S.ISSUED.value and today > order.response_deadline,
        **order_figures(order, today),
        **clock_figures(order.payment_due_date, order.paid_on, today),
    }


def _event(event: Any) -> dict[str, Any]:
    return {
        "at": event.at,
        "actor": event.actor.full_name if event.actor else "Sistem",
        "from_label": STATUS_LABELS.get(event.from_status or "", ""),
        "to_label": STATUS_LABELS[event.to_status],
        "is_change": event.from_status != event.to_status,
        # A step that keeps the status: an inspection, or a payment or its reversal.
        "step": "pembayaran" if "payment_id" in (event.data or {}) else "pemeriksaan",
        "note": event.note,
    }


def actions_for(order: PurchaseOrder, role: str, today: dt.date) -> list[str]:
    """The actions this role may take on the order now (shown as forms on its page)."""
    status = order.status
    if role == Role.UMKM:
        if status == S.ISSUED.value:
            return (["accept"] if today <= order.response_deadline else []) + ["decline"]
        if status == S.ACCEPTED.value:
            return ["deliver"]
        return []
    if role != Role.OPD:
        return []
    actions = []
    if status == S.DELIVERED.value:
        actions.append("inspect")
        if order.inspected_at is not None and order.received_quantity:
            actions.append("handover")
    if status == S.RECEIVED.value:
        actions.append("pay")
    if status in (S.ISSUED.value, S.ACCEPTED.value, S.DELIVERED.value):
        actions.append("cancel")
    return actions


def _phone(phone: str | None) -> dict[str, str | None]:
    return {
        "phone": telepon(phone) or None,
        "tel": tel_uri(phone),
        "whatsapp": whatsapp_number(phone),
    }


def contacts(order: PurchaseOrder, role: str) -> dict[str, Any]:
    """Who to call about this order, shown to the parties of the order only (the view has
    already refused anyone else): the officer sees the UMKM's owner, the UMKM the officer who
    signs the orders (as on the Surat Pesanan) and the OPD's address; admin and inspector
    see both."""
    shown: dict[str, Any] = {}
    if role != Role.UMKM:
        umkm = order.umkm
        shown["umkm"] = {
            "name": umkm.owner_name,
            "business": umkm.business_name,
            "email": umkm.owner.email if umkm.owner else None,
            **_phone(umkm.phone),
        }
    if role != Role.OPD:
        officer = order.run.decided_by or order.request.created_by
        opd = order.request.opd
        shown["officer"] = {
            "name": officer.full_name,
            "jabatan": officer.jabatan or "Pejabat Pembuat Komitmen",
            "email": officer.email,
            "opd": opd.name,
            "opd_address": opd.address,
            **_phone(officer.phone),
        }
    return shown


def amounts_shown(order: PurchaseOrder, expected: PaymentAmounts | None) -> dict[str, Any] | None:
    """Nilai bruto, Pajak dipotong, Dibayar neto: as recorded when paid, as expected when
    handed over and not yet paid; None for an order paid before they were recorded (its page
    keeps showing the one amount it had)."""
    if expected is None:
        return None
    if order.status == S.PAID.value:
        if order.payment_gross is None:
            return None
        return {
            "gross": order.payment_gross,
            "withheld": order.payment_withheld,
            "net": order.payment_amount,
            "tax_label": expected.tax_label,
            "is_recorded": True,
        }
    return {
        "value": expected.value,
        "penalty": expected.penalty,
        "gross": expected.gross,
        "withheld": expected.withheld,
        "net": expected.net,
        "tax_label": expected.tax_label,
        "is_recorded": False,
    }


def order_detail(
    order: PurchaseOrder,
    role: str,
    today: dt.date,
    *,
    expected: PaymentAmounts | None = None,
    photo_sha256: str | None = None,
) -> dict[str, Any]:
    """Everything the order page shows, with its history and the viewer's actions.

    ``expected`` is the payment's amounts (``services.payment_amounts``) once handed over;
    ``photo_sha256`` the delivery photo's hash when there is one."""
    request = order.request
    umkm = order.umkm
    return order_row(order, today) | {
        "request_id": request.id,
        "can_see_request": role != Role.UMKM,
        "specification": request.specification,
        "delivery_address": request.delivery_address,
        "budget_code": request.budget_code,
        "fiscal_year": request.fiscal_year,
        "umkm_address": umkm.address,
        "umkm_phone": umkm.phone,
        "unit_price": order.unit_price,
        "rank": order.rank,
        "passed_from_id": order.passed_from_id,
        "passed_to": [o.id for o in _passed_to(order)],
        "responded_at": order.responded_at,
        "decline_reason": order.decline_reason,
        "delivered_at": order.delivered_at,
        "inspected_at": order.inspected_at,
        "received_quantity": order.received_quantity,
        "condition": order.condition,
        "inspection_notes": order.inspection_notes,
        "handed_over_at": order.handed_over_at,
        "handed_over_on": handover_day(order),
        "paid_on": order.paid_on,
        "payment_reference": order.payment_reference,
        "payment_amount": order.payment_amount,
        "amounts": amounts_shown(order, expected),
        "delivery_note": order.delivery_note,
        "photo_version": photo_sha256[:16] if photo_sha256 else None,
        "inspection_team": list(order.inspection_team or []),
        "contacts": contacts(order, role),
        "cancelled_at": order.cancelled_at,
        "cancel_reason": order.cancel_reason,
        "events": [_event(e) for e in order.events],
        "actions": actions_for(order, role, today),
    }


def _passed_to(order: PurchaseOrder) -> list[PurchaseOrder]:
    session = object_session(order)
    if session is None or order.status not in (S.DECLINED.value, S.EXPIRED.value):
        return []
    return list(
        session.scalars(
            select(PurchaseOrder)
            .where(PurchaseOrder.passed_from_id == order.id)
            .order_by(PurchaseOrder.id)
        )
    )


def days_text(value: Fraction) -> str:
    """A day count with one decimal (half up), Indonesian style: ``4,5``."""
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return format_decimal(
        exact.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP), format="#,##0.0", locale=LOCALE
    )


def _days_between(later: Any, earlier: Any, session: Session) -> Any:
    """Whole days from the date ``earlier`` to the date ``later``, in SQL (both dialects)."""
    if session.get_bind().dialect.name == "postgresql":
        return cast(later, Date) - cast(earlier, Date)
    return cast(func.julianday(later) - func.julianday(earlier), Integer)


def payment_totals(session: Session, opd_id: int | None, today: dt.date) -> list[dict[str, Any]]:
    """Days from handover to payment, summed per OPD (one OPD, or every OPD when None).

    ``rules.payment_days`` computed by the database: a year of an OPD's orders is tens of
    thousands of rows, and only one line per OPD leaves it."""
    handed_over_on = func.coalesce(
        PurchaseOrder.handover_date, jakarta_day(PurchaseOrder.handed_over_at, session)
    )
    paid_days = _days_between(PurchaseOrder.paid_on, handed_over_on, session)
    waited = _days_between(literal(today, Date), handed_over_on, session)
    is_paid = PurchaseOrder.paid_on.is_not(None)
    query = (
        select(
            Opd.name,
            func.count(PurchaseOrder.paid_on),
            func.coalesce(func.sum(case((is_paid, paid_days))), 0),
            func.count(PurchaseOrder.id) - func.count(PurchaseOrder.paid_on),
            func.coalesce(func.max(case((~is_paid, waited))), 0),
        )
        .join(PurchaseRequest, PurchaseRequest.id == PurchaseOrder.request_id)
        .join(Opd, Opd.id == PurchaseRequest.opd_id)
        .where(PurchaseOrder.handed_over_at.is_not(None))
        .group_by(Opd.id, Opd.name)
        .order_by(Opd.name, Opd.id)
    )
    if opd_id is not None:
        query = query.where(PurchaseRequest.opd_id == opd_id)
    totals = []
    for name, paid, total, waiting, longest in session.execute(query):
        days = PaymentDays(int(paid), int(total), int(waiting), max(int(longest), 0))
        totals.append(
            {
                "opd": name,
                "paid_count": days.paid_count,
                "total_days": days.total_days,
                "average": days_text(days.average) if days.average is not None else "-",
                "waiting_count": days.waiting_count,
                "longest_wait": days.longest_wait,
            }
        )
    return totals
