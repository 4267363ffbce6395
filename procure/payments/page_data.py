"""Plain data for the payment section of the order page: every payment and reversal with its
method, reference, dates and amounts, and what is still owed. Templates get dicts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from procure.payments import rules
from procure.payments.services import ledger_of, payment_amounts, payments_of
from procure.procurement.models import OrderStatus, PurchaseOrder

# Orders whose payment section is shown: handed over (to pay) or with payment rows. An order
# marked paid with no row (data loaded from before payments had rows) keeps the one amount the
# order page already shows.
SHOWN = (OrderStatus.RECEIVED.value,)


def payment_section(
    session: Session,
    order: PurchaseOrder,
    config: Mapping[str, Any],
    today: dt.date,
    *,
    can_reverse: bool,
) -> dict[str, Any] | None:
    """The payments of ``order`` (None when it has none and is not handed over)."""
    payments = payments_of(session, order.id)
    if not payments and order.status not in SHOWN:
        return None
    ledger = ledger_of(payments)
    reversal_of = {p.reverses_id: p for p in payments if p.reverses_id is not None}
    amounts = payment_amounts(order, config, order.paid_on or today)
    rows = []
    for payment in payments:
        taxes = rules.taxes_from(payment.taxes or [])
        reversal = reversal_of.get(payment.id)
        rows.append(
            {
                "id": payment.id,
                "is_reversal": payment.is_reversal,
                "kind_label": "Koreksi (pembatalan)" if payment.is_reversal else "Pembayaran",
                "method_label": rules.method_label(payment.method),
                "reference": payment.reference,
                "reference_date": payment.reference_date,
                "paid_on": payment.paid_on,
                "gross": int(payment.gross),
                "withheld": int(payment.withheld),
                "taxes": [{"label": t.label, "amount": t.amount} for t in taxes if t.amount],
                "net": int(payment.net),
                "reverses_id": payment.reverses_id,
                "reason": payment.reason,
                "reversed_by": reversal.id if reversal is not None else None,
                "recorded_by": payment.recorded_by.full_name if payment.recorded_by else "Sistem",
                "recorded_at": payment.recorded_at,
                "can_reverse": can_reverse and not payment.is_reversal and reversal is None,
            }
        )
    paid = ledger.gross
    return {
        "rows": rows,
        "amount_due": amounts.gross,
        "paid_gross": paid,
        "paid_withheld": ledger.withheld,
        "paid_net": ledger.net,
        "outstanding": rules.outstanding(amounts.gross, ledger),
        "is_partial": order.status == OrderStatus.RECEIVED.value and paid > 0,
    }
