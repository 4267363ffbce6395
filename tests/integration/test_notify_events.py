"""Each order step and each daily reminder queues the right messages, once (both databases)."""

from __future__ import annotations

import datetime as dt

from flask import Flask, current_app
from sqlalchemy import select

from procure.auth.models import User
from procure.clock import today_in_jakarta
from procure.db import utcnow
from procure.extensions import db
from procure.notify.daily import run_daily
from procure.notify.models import OutboxMessage
from procure.notify.order_events import on_order_event
from procure.omzet.compliance_rules import reporting_month
from procure.orders.services import (
    accept_order,
    decline_order,
    expire_overdue_orders,
    mark_delivered,
    record_handover,
    record_inspection,
    record_payment,
)
from procure.procurement.models import PurchaseOrder
from tests import factories


def _messages(topic: str | None = None) -> list[OutboxMessage]:
    stmt = select(OutboxMessage).order_by(OutboxMessage.id)
    if topic:
        stmt = stmt.where(OutboxMessage.topic == topic)
    return list(db.session.scalars(stmt))


def _owner(order: PurchaseOrder) -> User:
    return factories.user("umkm", umkm_id=order.umkm_id)


def _wa_on(app: Flask) -> None:
    app.config.update(WA_PROVIDER="http", WA_HTTP_URL="http://127.0.0.1:9/kirim")


def test_new_order_tells_the_umkm_by_email_and_whatsapp(app: Flask) -> None:
    _wa_on(app)
    app.config["PUBLIC_BASE_URL"] = "https://katalog.sukamaju.go.id"
    officer = factories.user("opd")
    owner_umkm = factories.umkm(phone="0812-3456-7890")
    owner = factories.user("umkm", umkm=owner_umkm)
    factories.product(owner_umkm, monthly_capacity=100, lead_time_days=7)
    request = factories.purchase_request(officer, 20)
    _, (order,) = factories.allocated(officer, request)
    db.session.commit()
    email, whatsapp = _messages("order.new")
    assert (email.channel, email.recipient, email.user_id) == ("email", owner.email, owner.id)
    assert (whatsapp.channel, whatsapp.recipient) == ("whatsapp", "0812-3456-7890")
    assert email.dedupe_key == f"order.new:{order.id}:email"
    assert email.status == "pending"
    assert f"SP #{order.id}" in (email.subject or "")
    assert request.opd.name in email.body
    assert f"https://katalog.sukamaju.go.id/pengadaan/pesanan/{order.id}" in email.body
    assert "paling lambat" in email.body
    # the same step again queues nothing more
    on_order_event(db.session, order, "issued")
    assert len(_messages("order.new")) == 2


def test_whatsapp_off_queues_email_only(app: Flask) -> None:
    app.config["WA_PROVIDER"] = ""
    _, _, orders = factories.issued_orders(50, (100,))
    for order in orders:
        _owner(order)
    db.session.commit()
    assert {m.channel for m in _messages()} <= {"email"}


def test_decline_tells_the_officer_and_the_next_umkm(app: Flask) -> None:
    request, _, (order,) = factories.issued_orders(50, (100, 100))
    officer = db.session.get(User, request.created_by_id)
    owner = _owner(order)
    before = {m.dedupe_key for m in _messages()}
    passed = decline_order(
        db.session,
        order,
        "Kapasitas produksi bulan ini sudah penuh",
        actor_id=owner.id,
        config=current_app.config,
    )
    db.session.commit()
    (declined,) = _messages("order.declined")
    assert declined.recipient == officer.email
    assert "Kapasitas produksi bulan ini sudah penuh" in declined.body
    assert "dialihkan" in declined.body
    new_keys = {m.dedupe_key for m in _messages("order.new")} - before
    assert {k.split(":")[1] for k in new_keys} <= {str(p.id) for p in passed}


def test_the_officer_hears_on_whatsapp_too_when_it_is_on(app: Flask) -> None:
    _wa_on(app)
    request, _, (order,) = factories.issued_orders(50, (100,))
    officer = db.session.get(User, request.created_by_id)
    assert officer is not None
    officer.phone = "0813-1111-2222"
    owner = _owner(order)
    accept_order(db.session, order, actor_id=owner.id)
    mark_delivered(db.session, order, actor_id=owner.id, note="SJ-0042")
    db.session.commit()
    email, whatsapp = _messages("order.delivered")
    assert (email.channel, email.recipient) == ("email", officer.email)
    assert (whatsapp.channel, whatsapp.recipient) == ("whatsapp", "0813-1111-2222")
    assert whatsapp.user_id == officer.id and whatsapp.body == email.body
    assert whatsapp.dedupe_key == f"order.delivered:{order.id}:whatsapp"
    # an officer without a phone is told by e-mail only
    officer.phone = None
    request2, _, (order2,) = factories.issued_orders(50, (100,))
    db.session.get(User, request2.created_by_id).phone = None  # type: ignore[union-attr]
    db.session.commit()
    expire_overdue_orders(db.session, order2.response_deadline + dt.timedelta(days=1), app.config)
    db.session.commit()
    assert [m.channel for m in _messages("order.expired")] == ["email"]


def test_expiry_tells_the_officer_once(app: Flask) -> None:
    request, _, (order,) = factories.issued_orders(50, (100, 100))
    db.session.commit()
    late = order.response_deadline + dt.timedelta(days=1)
    expire_overdue_orders(db.session, late, current_app.config)
    db.session.commit()
    expire_overdue_orders(db.session, late, current_app.config)
    db.session.commit()
    (expired,) = _messages("order.expired")
    assert expired.user_id == request.created_by_id
    assert "tidak menjawab" in expired.body


def test_delivery_and_payment(app: Flask) -> None:
    request, _, (order,) = factories.issued_orders(50, (100,), unit_price=200_000)
    owner = _owner(order)
    officer_id = request.created_by_id
    accept_order(db.session, order, actor_id=owner.id)
    mark_delivered(db.session, order, actor_id=owner.id)
    db.session.commit()
    (delivered,) = _messages("order.delivered")
    assert delivered.user_id == officer_id
    assert "diperiksa" in (delivered.subject or "")
    record_inspection(
        db.session,
        order,
        received_quantity=50,
        condition="baik",
        notes="",
        actor_id=officer_id,
        config=current_app.config,
    )
    record_handover(db.session, order, actor_id=officer_id, config=current_app.config)
    record_payment(
        db.session,
        order,
        paid_on=today_in_jakarta(),
        reference="SP2D 00123/2026",
        amount=9_850_000,
        actor_id=officer_id,
        config=current_app.config,
    )
    db.session.commit()
    (paid,) = _messages("order.paid")
    assert paid.recipient == owner.email
    assert "Dibayar neto: Rp" in paid.body and "9.850.000" in paid.body
    assert "Nilai bruto: Rp" in paid.body and "10.000.000" in paid.body
    assert "9.850.000" in (paid.subject or "")
    # nothing else was queued by the other steps (accepted, received); the account was made
    # after the order was issued, so "order.new" found no address then
    assert {m.topic for m in _messages()} == {"order.delivered", "order.paid"}


def test_daily_deadline_tomorrow_and_omzet_due_run_twice_queue_once(app: Flask) -> None:
    _, _, (order,) = factories.issued_orders(50, (100,))
    owner = _owner(order)
    filed = factories.umkm()
    factories.user("umkm", umkm=filed)
    today = order.response_deadline - dt.timedelta(days=1)
    period = reporting_month(today)
    factories.omzet_report(filed, str(period), 1_000_000)
    # registered before the month it owes
    for umkm in (order.umkm, filed):
        umkm.submitted_at = dt.datetime(period.year - 1, 1, 1, tzinfo=dt.UTC)
    db.session.commit()
    first = run_daily(db.session, today, current_app.config)
    db.session.commit()
    second = run_daily(db.session, today, current_app.config)
    db.session.commit()
    assert (first.deadlines, second.deadlines) == (1, 0)
    assert second.omzet == 0
    (deadline,) = _messages("order.deadline")
    assert deadline.recipient == owner.email
    assert "besok" in deadline.body
    omzet = _messages("omzet.due")
    assert [m.recipient for m in omzet] == [owner.email]  # the one that filed gets nothing
    assert omzet[0].dedupe_key == f"omzet.due:{period}:{order.umkm_id}:email"
    assert period.label in omzet[0].body
    assert first.omzet == 1
    # the day after, no deadline tomorrow any more; the month's reminder is not repeated
    later = run_daily(db.session, today + dt.timedelta(days=1), current_app.config)
    assert (later.deadlines, later.omzet) == (0, 0)


def test_notify_cli_daily_and_send(app: Flask) -> None:
    _, _, (order,) = factories.issued_orders(50, (100,))
    _owner(order)
    db.session.commit()
    app.config.update(ENV_NAME="development", SMTP_HOST="")
    runner = app.test_cli_runner()
    today = (order.response_deadline - dt.timedelta(days=1)).isoformat()
    result = runner.invoke(args=["notify", "daily", "--today", today, "--no-send"])
    assert result.exit_code == 0, result.output
    assert "pengingat batas jawab: 1" in result.output
    result = runner.invoke(args=["notify", "send"])
    assert result.exit_code == 0, result.output
    assert "terkirim 1" in result.output  # the deadline reminder (printed: no SMTP host)
    assert "Besok batas jawab" in result.output
    db.session.expire_all()
    assert {m.status for m in _messages()} == {"sent"}


def test_a_step_dated_in_the_past_tells_nobody(app: Flask) -> None:
    """The demo's year of history goes through the same services: no messages for it."""
    _, _, (order,) = factories.issued_orders(50, (100,))
    _owner(order)
    db.session.commit()
    before = len(_messages())
    on_order_event(db.session, order, "paid", now=utcnow() - dt.timedelta(days=40))
    assert len(_messages()) == before
    on_order_event(db.session, order, "paid", now=utcnow())
    assert len(_messages()) == before + 1
