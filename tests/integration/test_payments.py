"""Payments as they happened through the services (both databases): partial payments and
their Kuitansi, the order's totals, a reversal and a new payment, the messages to the UMKM, the
audit trail, two officers paying at once (PostgreSQL), and migration 0019's backfill."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from flask import Flask, current_app
from flask_migrate import downgrade, upgrade
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from procure.audit.models import AuditLog
from procure.clock import today_in_jakarta
from procure.documents.models import Document
from procure.documents.stored import content_from_dict
from procure.extensions import db
from procure.notify.models import OutboxMessage
from procure.payments.models import Payment
from procure.payments.rules import TaxWithheld
from procure.payments.services import record_payment, reverse_payment, suggested
from procure.procurement.models import PurchaseOrder
from procure.umkm.rules import RuleError
from tests import factories
from tests.concurrency import at_once

PPH = "PPh Pasal 22 (1,5%)"
BEFORE_PAYMENTS = "0018_catalog_version"


def _handed_over():  # type: ignore[no-untyped-def]
    """Rp 15.000.000 handed over today (50 x Rp 300.000; PPh 22 1,5 % = Rp 225.000)."""
    order, owner, officer = factories.handed_over_order(
        50, unit_price=300_000, hps_unit_price=300_000
    )
    return order, owner, officer


def _pay(order, officer, gross: int, tax: int, **kw):  # type: ignore[no-untyped-def]
    values = {
        "method": "sp2d_ls",
        "reference": f"0{gross}/SP2D-LS/2026",
        "reference_date": today_in_jakarta(),
        **kw,
    }
    return record_payment(
        db.session,
        order,
        paid_on=today_in_jakarta(),
        gross=gross,
        taxes=[TaxWithheld(PPH, tax)],
        net=gross - tax,
        actor_id=officer.id,
        config=current_app.config,
        **values,
    )


def _kuitansi(order_id: int) -> list[Document]:
    return list(
        db.session.scalars(
            select(Document)
            .where(Document.order_id == order_id, Document.kind == "KWT")
            .order_by(Document.id)
        )
    )


def _topics() -> list[str]:
    return list(db.session.scalars(select(OutboxMessage.topic).order_by(OutboxMessage.id)))


def test_two_partial_payments_each_with_its_kuitansi(app: Flask) -> None:
    order, owner, officer = _handed_over()
    start = suggested(db.session, order, current_app.config, today_in_jakarta())
    assert (start["gross"], start["net"]) == (15_000_000, 14_775_000)
    assert start["taxes"] == (TaxWithheld(PPH, 225_000),)
    first = _pay(order, officer, 6_000_000, 90_000)
    db.session.commit()
    assert not first.completed and first.outstanding == 9_000_000
    assert order.status == "received" and order.paid_on is None
    assert (order.payment_gross, order.payment_withheld, order.payment_amount) == (
        6_000_000,
        90_000,
        5_910_000,
    )
    assert _topics()[-1] == "order.payment"  # the UMKM hears of the partial payment
    # The rest is prefilled: Rp 9.000.000 and the rest of the PPh, Rp 135.000.
    rest = suggested(db.session, order, current_app.config, today_in_jakarta())
    assert (rest["gross"], rest["taxes"]) == (9_000_000, (TaxWithheld(PPH, 135_000),))
    second = _pay(order, officer, 9_000_000, 135_000, method="qris", reference="412345678901")
    db.session.commit()
    assert second.completed and second.outstanding == 0
    assert order.status == "paid" and order.paid_on == today_in_jakarta()
    assert (order.payment_gross, order.payment_withheld, order.payment_amount) == (
        15_000_000,
        225_000,
        14_775_000,
    )
    assert order.payment_reference == "412345678901"
    assert _topics()[-1] == "order.paid"  # the existing "paid" message, once
    first_kwt, second_kwt = (content_from_dict(d.content) for d in _kuitansi(order.id))
    assert (first_kwt.total, first_kwt.net_paid) == (6_000_000, 5_910_000)
    assert [(t.label, t.amount) for t in first_kwt.tax_lines if t.is_withheld] == [(PPH, 90_000)]
    assert "pembayaran ke-1" in (first_kwt.purpose or "")
    assert (second_kwt.total, second_kwt.net_paid) == (9_000_000, 8_865_000)
    assert "QRIS" in (second_kwt.purpose or "") and "412345678901" in (second_kwt.purpose or "")
    assert all(d.status == "issued" for d in _kuitansi(order.id))
    audits = db.session.scalars(select(AuditLog.action).where(AuditLog.entity_type == "payment"))
    assert sorted(audits) == ["payment.record", "payment.record"]


def test_a_reversal_cancels_its_kuitansi_and_a_new_payment_pays_again(app: Flask) -> None:
    order, owner, officer = _handed_over()
    wrong = _pay(order, officer, 15_000_000, 225_000).payment
    db.session.commit()
    assert order.status == "paid"
    with pytest.raises(RuleError, match="minimal 10 karakter"):
        reverse_payment(
            db.session, order, wrong.id, "salah", actor_id=officer.id, config=current_app.config
        )
    reversal = reverse_payment(
        db.session,
        order,
        wrong.id,
        "SP2D milik pesanan lain",
        actor_id=officer.id,
        config=current_app.config,
    )
    db.session.commit()
    assert reversal.reverses_id == wrong.id and reversal.kind == "reversal"
    assert (reversal.gross, reversal.net) == (wrong.gross, wrong.net)
    assert order.status == "received" and order.paid_on is None
    assert order.payment_gross is None and order.payment_reference is None
    (kwt,) = _kuitansi(order.id)
    assert kwt.status == "cancelled"
    assert f"koreksi #{reversal.id}" in (kwt.cancel_reason or "")
    assert "SP2D milik pesanan lain" in (kwt.cancel_reason or "")
    assert _topics()[-1] == "order.payment_reversal"
    assert order.events[-1].from_status == "paid" and order.events[-1].to_status == "received"
    with pytest.raises(RuleError, match="sudah dibatalkan"):
        reverse_payment(
            db.session,
            order,
            wrong.id,
            "Sekali lagi dibatalkan",
            actor_id=officer.id,
            config=current_app.config,
        )
    with pytest.raises(RuleError, match="tidak bisa dikoreksi lagi"):
        reverse_payment(
            db.session,
            order,
            reversal.id,
            "Koreksi atas koreksi",
            actor_id=officer.id,
            config=current_app.config,
        )
    again = _pay(order, officer, 15_000_000, 225_000, reference="0999/SP2D-LS/2026")
    db.session.commit()
    assert again.completed and order.status == "paid"
    assert order.payment_amount == 14_775_000 and order.payment_reference == "0999/SP2D-LS/2026"
    # Paid once already: the "paid" message went out then, so this payment has its own.
    assert _topics()[-1] == "order.payment"
    assert [d.status for d in _kuitansi(order.id)] == ["cancelled", "issued"]


def test_a_reason_ending_a_sentence_takes_no_second_full_stop(app: Flask) -> None:
    order, _, officer = _handed_over()
    wrong = _pay(order, officer, 15_000_000, 225_000).payment
    db.session.commit()
    reverse_payment(
        db.session,
        order,
        wrong.id,
        "Nomor SP2D salah ketik, dibayar ulang lewat transfer.",
        actor_id=officer.id,
        config=current_app.config,
    )
    db.session.commit()
    note = order.events[-1].note or ""
    assert "lewat transfer. Sisa yang belum dibayar Rp 15.000.000" in note, note
    assert ".." not in note


def test_overpayment_and_a_paid_order_are_refused(app: Flask) -> None:
    order, _, officer = _handed_over()
    _pay(order, officer, 10_000_000, 150_000)
    with pytest.raises(RuleError, match="melebihi sisa yang belum dibayar Rp 5.000.000"):
        _pay(order, officer, 5_000_001, 75_000)
    _pay(order, officer, 5_000_000, 75_000)
    with pytest.raises(RuleError, match="sudah dibayar lunas"):
        _pay(order, officer, 1_000, 0)
    assert db.session.scalar(select(func.count()).select_from(Payment)) == 2


def _race(
    app: Flask, order_id: int, officer_id: int, trial: int, key: str | None = None
) -> list[str]:
    """Two officers, each in a thread with its own session, pay Rp 10.000.000 of the same
    Rp 15.000.000 order at the same moment (``key``: the same form posted twice, a double
    click); what each was told."""
    outcomes: list[str] = []

    def worker(session: Session, n: int, ready: Callable[[], object]) -> None:
        with app.app_context():
            found = session.get(PurchaseOrder, order_id)
            assert found is not None
            ready()
            try:
                done = record_payment(
                    session,
                    found,
                    method="transfer",
                    reference=f"TRF-{trial}-{n}",
                    paid_on=today_in_jakarta(),
                    gross=10_000_000,
                    taxes=[TaxWithheld(PPH, 150_000)],
                    net=9_850_000,
                    actor_id=officer_id,
                    config=app.config,
                    key=key,
                )
                session.commit()
                outcomes.append("repeat" if done.is_repeat else "paid")
            except RuleError as exc:
                session.rollback()
                outcomes.append(str(exc))

    at_once(worker, range(2), timeout=60)
    return outcomes


def test_two_officers_paying_at_once_never_overpay(app: Flask, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("truly concurrent writers need PostgreSQL; SQLite has one writer")
    for trial in range(5):
        order, _, officer = _handed_over()
        db.session.commit()
        outcomes = _race(app, order.id, officer.id, trial)
        assert outcomes.count("paid") == 1 and len(outcomes) == 2, outcomes
        refused = next(o for o in outcomes if o != "paid")
        assert "melebihi sisa yang belum dibayar Rp 5.000.000" in refused
        db.session.expire_all()
        paid = db.session.get(PurchaseOrder, order.id)
        assert paid is not None and paid.payment_gross == 10_000_000
        count = select(func.count()).select_from(Payment).where(Payment.order_id == order.id)
        assert db.session.scalar(count) == 1


def test_a_double_click_on_postgresql_records_one_payment(app: Flask, backend: str) -> None:
    if backend != "postgresql":
        pytest.skip("truly concurrent writers need PostgreSQL; SQLite has one writer")
    for trial in range(5):
        order, _, officer = _handed_over()
        db.session.commit()
        outcomes = _race(app, order.id, officer.id, trial, key=f"dobel-{trial}")
        assert sorted(outcomes) == ["paid", "repeat"], outcomes
        count = select(func.count()).select_from(Payment).where(Payment.order_id == order.id)
        assert db.session.scalar(count) == 1


def test_migration_0019_gives_a_paid_order_its_payment_row(fresh_app: Flask) -> None:
    order, _, officer = factories.paid_order(50, unit_price=200_000)  # Rp 10.000.000
    db.session.commit()
    order_id, paid_on, officer_id = order.id, order.paid_on, officer.id
    handed = order.handover_date
    assert (order.payment_gross, order.payment_withheld, order.payment_amount) == (
        10_000_000,
        150_000,
        9_850_000,
    )
    db.session.remove()

    downgrade(revision=BEFORE_PAYMENTS)  # what a Pemda running the previous release has
    with db.engine.connect() as conn:
        columns = conn.execute(text("SELECT * FROM purchase_order LIMIT 0")).keys()
        assert "payment_due_date" not in columns
    upgrade()
    db.session.remove()

    (payment,) = db.session.scalars(select(Payment).where(Payment.order_id == order_id))
    assert (payment.kind, payment.method, payment.reference) == ("payment", None, "SP2D-0042/2026")
    assert payment.paid_on == paid_on
    assert (payment.gross, payment.withheld, payment.net) == (10_000_000, 150_000, 9_850_000)
    assert payment.taxes == [{"label": "PPh", "amount": 150_000}]
    migrated = db.session.get(PurchaseOrder, order_id)
    assert migrated is not None and handed is not None
    due = handed + dt.timedelta(days=14)
    while due.weekday() >= 5:
        due += dt.timedelta(days=1)
    assert migrated.payment_due_date == due
    # The backfilled payment is reversed like any other; its Kuitansi (the order's one) goes.
    reverse_payment(
        db.session,
        migrated,
        payment.id,
        "Dicatat sebelum metode diminta, salah pesanan",
        actor_id=officer_id,
        config=current_app.config,
    )
    db.session.commit()
    assert migrated.status == "received" and migrated.payment_gross is None
    assert [d.status for d in _kuitansi(order_id)] == ["cancelled"]
