"""The payment's three amounts (Nilai bruto, Pajak dipotong, Dibayar neto) are the Kuitansi's,
and what reads a payment as spending reads the gross (both DBs)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask, current_app

from procure.clock import JAKARTA, today_in_jakarta
from procure.documents import jobs
from procure.documents.issuing import current_document
from procure.documents.numbering import DocumentKind
from procure.documents.stored import content_from_dict
from procure.extensions import db
from procure.inspection.red_flags import late_without_penalty, slow_payments
from procure.orders.services import (
    accept_order,
    mark_delivered,
    payment_amounts,
    record_handover,
    record_inspection,
    record_payment,
)
from procure.procurement.models import PurchaseOrder
from procure.umkm.rules import RuleError
from tests import factories


def _handed_over(received: int = 50, *, days_late: int = 0, handover_days_ago: int = 0):  # type: ignore[no-untyped-def]
    """An order of 50 × Rp 200.000 delivered (late by ``days_late``), inspected, handed over."""
    request, _, (order,) = factories.issued_orders(50, (100,), unit_price=200_000)
    owner = factories.user("umkm", umkm_id=order.umkm_id)
    officer = request.created_by
    today = today_in_jakarta()
    order.due_date = today - dt.timedelta(days=days_late + handover_days_ago)
    accept_order(db.session, order, actor_id=owner.id)
    mark_delivered(db.session, order, actor_id=owner.id, note="SJ-1")
    if days_late or handover_days_ago:
        delivered_on = order.due_date + dt.timedelta(days=days_late)
        order.delivered_at = dt.datetime.combine(delivered_on, dt.time(9), JAKARTA)
    record_inspection(
        db.session,
        order,
        received_quantity=received,
        condition="baik",
        notes="",
        actor_id=officer.id,
        config=current_app.config,
        team=[("Rina Wulandari", "198503122010012001")],
    )
    record_handover(
        db.session,
        order,
        actor_id=officer.id,
        config=current_app.config,
        handover_date=today - dt.timedelta(days=handover_days_ago),
    )
    return order, officer


def _pay(order: PurchaseOrder, officer, amount: int | None = None) -> int:  # type: ignore[no-untyped-def]
    return record_payment(
        db.session,
        order,
        paid_on=today_in_jakarta(),
        reference="SP2D-9/2026",
        amount=amount,
        actor_id=officer.id,
        config=current_app.config,
    )


def _kuitansi(order: PurchaseOrder):  # type: ignore[no-untyped-def]
    db.session.commit()
    jobs.dispatch()
    kwt = current_document(db.session, order.id, DocumentKind.KUITANSI)
    assert kwt is not None
    return content_from_dict(kwt.content)


@pytest.mark.parametrize(("received", "days_late"), [(50, 0), (50, 4), (30, 2)])
def test_the_recorded_amounts_are_the_kuitansis(app: Flask, received: int, days_late: int) -> None:
    order, officer = _handed_over(received, days_late=days_late)
    expected = payment_amounts(order, current_app.config, today_in_jakarta())
    value = received * 200_000
    penalty = (10_000_000 * days_late) // 1000  # 1/1000 of the order value a day
    assert (expected.value, expected.penalty) == (value, penalty)
    assert expected.withheld == round(value * 0.015)  # PPh 22 on goods, 1,5 %
    assert expected.net == value - penalty - expected.withheld
    assert _pay(order, officer) == 0
    content = _kuitansi(order)
    assert order.payment_amount == expected.net == content.net_paid
    assert order.payment_gross == expected.gross
    assert order.payment_withheld == expected.withheld
    pph = sum(t.amount for t in content.tax_lines if t.is_withheld and "PPh" in t.label)
    assert pph == order.payment_withheld


def test_a_wrong_net_is_refused_naming_the_expected_net(app: Flask) -> None:
    order, officer = _handed_over()
    with pytest.raises(RuleError, match="Dibayar neto seharusnya Rp 9.850.000"):
        _pay(order, officer, 10_000_000)  # the gross typed as the net
    with pytest.raises(RuleError, match="melebihi nilai pesanan"):
        _pay(order, officer, 100_000_000)
    assert order.status == "received" and order.payment_amount is None


def test_a_penalty_not_withheld_is_kept_and_flagged_against_the_gross(app: Flask) -> None:
    order, officer = _handed_over(days_late=5)
    # Net without withholding the Rp 50.000 penalty: Rp 10.000.000 - PPh Rp 150.000.
    assert _pay(order, officer, 9_850_000) == 50_000
    assert (order.payment_gross, order.payment_amount) == (10_000_000, 9_850_000)
    charged, officer2 = _handed_over(days_late=5)
    assert _pay(charged, officer2) == 0  # the penalty withheld: gross Rp 9.950.000
    db.session.commit()
    flagged = [flag.evidence for flag in late_without_penalty(db.session, None)]
    assert len(flagged) == 1
    (evidence,) = flagged
    assert "dibayar Rp 10.000.000, seharusnya paling banyak Rp 9.950.000" in evidence


def test_slow_payment_counts_from_the_chosen_handover_date(app: Flask) -> None:
    order, officer = _handed_over(handover_days_ago=40)
    db.session.commit()
    limit = 30
    flags = slow_payments(db.session, None, today_in_jakarta(), limit)
    assert len(flags) == 1 and "Belum dibayar 40 hari" in flags[0].evidence
