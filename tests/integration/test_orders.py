"""The order lifecycle through the services and the ``expire-orders`` command (both databases)."""

from __future__ import annotations

import datetime as dt

import pytest
from flask import Flask, current_app
from sqlalchemy import func, select, update

from procure.audit.models import AuditLog
from procure.clock import JAKARTA, today_in_jakarta
from procure.extensions import db
from procure.orders.rules import add_working_days, order_figures
from procure.orders.services import (
    accept_order,
    cancel_order,
    decline_order,
    mark_delivered,
    record_handover,
    record_inspection,
    record_payment,
)
from procure.payments.models import Payment
from procure.procurement.models import OrderEvent, PurchaseOrder
from procure.procurement.services import run_allocation
from procure.umkm.models import Product
from procure.umkm.rules import RuleError
from tests import factories

REASON = "Kapasitas produksi bulan ini sudah penuh"


def _owner(order: PurchaseOrder):  # type: ignore[no-untyped-def]
    return factories.user("umkm", umkm_id=order.umkm_id)


def _ranking(run) -> list[int]:  # type: ignore[no-untyped-def]
    return [
        c["offer"]["umkm_id"] for c in sorted(run.result["candidates"], key=lambda c: c["rank"])
    ]


def _product_of(umkm_id: int) -> Product:
    return db.session.scalars(select(Product).where(Product.umkm_id == umkm_id)).one()


def _statuses(order: PurchaseOrder) -> list[tuple[str | None, str]]:
    return [(e.from_status, e.to_status) for e in order.events]


def _count(model: type) -> int:
    return int(db.session.scalar(select(func.count()).select_from(model)) or 0)


def _delivered(app: Flask, **kw: object):  # type: ignore[no-untyped-def]
    request, run, orders = factories.issued_orders(50, (100,), unit_price=200_000, **kw)
    order = orders[0]
    owner = _owner(order)
    accept_order(db.session, order, actor_id=owner.id)
    mark_delivered(db.session, order, actor_id=owner.id)
    return request, order, owner


def test_the_whole_path_is_recorded_with_who_and_when(app: Flask) -> None:
    request, order, owner = _delivered(app)
    officer_id = request.created_by_id
    factories.inspected_and_handed_over(order, request.created_by)
    difference = record_payment(
        db.session,
        order,
        paid_on=today_in_jakarta(),
        reference="SP2D 00123/2026",
        amount=9_850_000,  # net: Rp 10.000.000 less PPh 22 1,5 %
        actor_id=officer_id,
        config=current_app.config,
    )
    db.session.commit()
    assert difference == 0
    assert order.status == "paid"
    assert order.value == 10_000_000
    assert (order.payment_gross, order.payment_withheld, order.payment_amount) == (
        10_000_000,
        150_000,
        9_850_000,
    )
    assert None not in (order.responded_at, order.delivered_at, order.inspected_at)
    assert order.handed_over_at is not None and order.paid_on == today_in_jakarta()
    assert (order.received_quantity, order.condition) == (50, "baik")
    assert _statuses(order) == [
        (None, "issued"),
        ("issued", "accepted"),
        ("accepted", "delivered"),
        ("delivered", "delivered"),
        ("delivered", "received"),
        ("received", "paid"),
    ]
    actors = [e.actor_id for e in order.events[1:]]
    assert actors == [owner.id, owner.id, officer_id, officer_id, officer_id]
    actions = db.session.scalars(
        select(AuditLog.action)
        .where(AuditLog.entity_type == "purchase_order", AuditLog.entity_id == order.id)
        .order_by(AuditLog.id)
    ).all()
    assert actions == [
        "order.accepted",
        "order.delivered",
        "order.inspect",
        "order.received",
        "order.paid",
    ]
    assert order_figures(order, today_in_jakarta())["days_to_payment"] == 0


def test_accept_on_the_deadline_day_but_not_after(app: Flask) -> None:
    _, _, orders = factories.issued_orders(50, (100, 100))
    (late,) = orders
    owner = _owner(late)
    with pytest.raises(RuleError, match="Batas waktu menjawab"):
        accept_order(
            db.session, late, actor_id=owner.id, today=late.response_deadline + dt.timedelta(days=1)
        )
    assert late.status == "issued"
    accept_order(db.session, late, actor_id=owner.id, today=late.response_deadline)
    assert late.status == "accepted"


@pytest.mark.parametrize(
    ("steps", "action"),
    [
        ([], "deliver"),
        ([], "handover"),
        ([], "pay"),
        (["accept"], "accept"),
        (["accept"], "decline"),
        (["accept", "deliver", "inspect", "handover"], "cancel"),
        (["cancel"], "accept"),
    ],
)
def test_impossible_transitions_are_refused_and_change_nothing(
    app: Flask, steps: list[str], action: str
) -> None:
    request, run, (order,) = factories.issued_orders(50, (100, 100))
    owner = _owner(order)
    officer_id = request.created_by_id

    def do(name: str) -> None:
        if name == "accept":
            accept_order(db.session, order, actor_id=owner.id)
        elif name == "decline":
            decline_order(db.session, order, REASON, actor_id=owner.id, config=app.config)
        elif name == "deliver":
            mark_delivered(db.session, order, actor_id=owner.id)
        elif name == "inspect":
            record_inspection(
                db.session,
                order,
                received_quantity=50,
                condition="baik",
                notes="",
                actor_id=officer_id,
                config=current_app.config,
            )
        elif name == "handover":
            record_handover(db.session, order, actor_id=officer_id, config=current_app.config)
        elif name == "pay":
            record_payment(
                db.session,
                order,
                paid_on=today_in_jakarta(),
                reference="x",
                amount=1,
                actor_id=officer_id,
                config=current_app.config,
            )
        else:
            cancel_order(db.session, order, "Kegiatan dibatalkan pimpinan", actor_id=officer_id)

    for step in steps:
        do(step)
    db.session.commit()
    before = (order.status, len(order.events), _count(PurchaseOrder), _count(AuditLog))
    with pytest.raises(RuleError, match="tidak bisa"):
        do(action)
    db.session.rollback()
    assert (order.status, len(order.events), _count(PurchaseOrder), _count(AuditLog)) == before


def test_decline_passes_the_part_to_the_next_in_the_ranking(app: Flask) -> None:
    _, run, (first,) = factories.issued_orders(50, (100, 100, 100, 100))
    ranking = _ranking(run)
    assert first.umkm_id == ranking[0] and first.rank == 1
    owner = _owner(first)
    db.session.commit()
    passed = decline_order(db.session, first, f"  {REASON}  ", actor_id=owner.id, config=app.config)
    db.session.commit()
    assert first.status == "declined" and first.decline_reason == REASON
    (new,) = passed
    assert (new.umkm_id, new.rank, new.quantity, new.status) == (ranking[1], 2, 50, "issued")
    assert new.passed_from_id == first.id
    assert new.run_id == first.run_id and new.due_date == first.due_date
    assert new.value == 50 * new.unit_price
    assert new.response_deadline == add_working_days(today_in_jakarta(), 3)
    assert new.events[0].note == f"dialihkan dari SP #{first.id} (ditolak)"
    declined = first.events[-1]
    assert (declined.from_status, declined.to_status, declined.actor_id) == (
        "issued",
        "declined",
        owner.id,
    )
    assert declined.data["passed_to"] == [new.id]
    assert declined.data["shortfall"] == 0
    assert f"SP #{new.id}" in (declined.note or "")
    assert declined.note == f"Alasan: {REASON}. Dialihkan ke SP #{new.id} (50 {new.request.unit})."


def test_a_decline_reason_ending_a_sentence_takes_no_second_full_stop(app: Flask) -> None:
    _, _, (first,) = factories.issued_orders(50, (100, 100))
    db.session.commit()
    reason = f"{REASON.rstrip('.')}."
    (new,) = decline_order(db.session, first, reason, actor_id=_owner(first).id, config=app.config)
    db.session.commit()
    note = first.events[-1].note or ""
    assert note.startswith(f"Alasan: {reason} Dialihkan ke SP #{new.id}"), note
    assert ".." not in note


def test_pass_on_splits_over_the_ranking_and_respects_capacity_and_minimum(app: Flask) -> None:
    # Q=50 over capacity 30 each: rank 1 gets 30, rank 2 gets 20.
    _, run, orders = factories.issued_orders(50, (30, 30, 30, 30, 30))
    ranking = _ranking(run)
    first = next(o for o in orders if o.rank == 1)
    assert sorted(o.quantity for o in orders) == [20, 30]
    _product_of(ranking[2]).monthly_capacity = 10  # rank 3 can take only 10
    _product_of(ranking[3]).min_order = 25  # rank 4 would get 20 < its minimum
    db.session.commit()
    passed = decline_order(db.session, first, REASON, actor_id=_owner(first).id, config=app.config)
    db.session.commit()
    assert [(o.umkm_id, o.quantity, o.rank) for o in passed] == [
        (ranking[2], 10, 3),
        (ranking[4], 20, 5),
    ]
    event = first.events[-1]
    assert event.data["shortfall"] == 0
    assert [s["umkm_id"] for s in event.data["skipped"]] == [ranking[3]]
    assert "minimum" in event.data["skipped"][0]["reason"]


def test_what_nobody_can_take_is_recorded_as_shortfall(app: Flask) -> None:
    _, run, (first,) = factories.issued_orders(50, (100, 100, 100))
    ranking = _ranking(run)
    _product_of(ranking[1]).is_active = False
    _product_of(ranking[2]).monthly_capacity = 20
    db.session.commit()
    passed = decline_order(db.session, first, REASON, actor_id=_owner(first).id, config=app.config)
    db.session.commit()
    assert [(o.umkm_id, o.quantity) for o in passed] == [(ranking[2], 20)]
    event = first.events[-1]
    assert event.data["shortfall"] == 30
    assert "kekurangan 30 potong" in (event.note or "")
    assert event.data["skipped"][0]["reason"] == "produk nonaktif"


def test_pass_on_skips_umkm_that_held_an_order_for_the_request(app: Flask) -> None:
    _, run, (first,) = factories.issued_orders(50, (100, 100))
    ranking = _ranking(run)
    (second,) = decline_order(
        db.session, first, REASON, actor_id=_owner(first).id, config=app.config
    )
    assert second.umkm_id == ranking[1]
    # The second declines too: the first (who declined) is not asked again; nobody is left.
    passed = decline_order(
        db.session, second, REASON, actor_id=_owner(second).id, config=app.config
    )
    db.session.commit()
    assert passed == []
    assert second.events[-1].data["shortfall"] == 50


def test_short_decline_reason_is_refused(app: Flask) -> None:
    _, _, (order,) = factories.issued_orders(50, (100, 100))
    with pytest.raises(RuleError, match="minimal 10 karakter"):
        decline_order(db.session, order, " tidak   ", actor_id=_owner(order).id, config=app.config)
    assert order.status == "issued"
    assert _count(PurchaseOrder) == 1


def test_expire_orders_command_expires_and_passes_on_once(app: Flask) -> None:
    _, run, (order,) = factories.issued_orders(50, (100, 100))
    db.session.commit()
    runner = app.test_cli_runner()
    deadline = order.response_deadline
    on_deadline = runner.invoke(args=["expire-orders", "--today", deadline.isoformat()])
    assert on_deadline.exit_code == 0, on_deadline.output
    assert "tidak ada pesanan" in on_deadline.output
    assert db.session.get(PurchaseOrder, order.id).status == "issued"  # type: ignore[union-attr]

    day_after = (deadline + dt.timedelta(days=1)).isoformat()
    result = runner.invoke(args=["expire-orders", "--today", day_after])
    assert result.exit_code == 0, result.output
    assert f"SP #{order.id} kedaluwarsa" in result.output
    db.session.expire_all()
    assert db.session.get(PurchaseOrder, order.id).status == "expired"  # type: ignore[union-attr]
    new = db.session.scalars(
        select(PurchaseOrder).where(PurchaseOrder.passed_from_id == order.id)
    ).one()
    assert new.umkm_id == _ranking(run)[1] and new.quantity == 50
    assert new.events[0].note == f"dialihkan dari SP #{order.id} (kedaluwarsa)"
    expired_event = db.session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == order.id, OrderEvent.to_status == "expired")
    ).one()
    assert expired_event.actor_id is None

    again = runner.invoke(args=["expire-orders", "--today", day_after])
    assert again.exit_code == 0 and "tidak ada pesanan" in again.output
    assert _count(PurchaseOrder) == 2
    assert _count(OrderEvent) == 3  # issued, expired, issued (passed on)


def test_an_answer_given_meanwhile_wins(app: Flask) -> None:
    _, _, (order,) = factories.issued_orders(50, (100,))
    owner = _owner(order)
    db.session.commit()
    assert order.status == "issued"  # what this page showed
    with db.engine.begin() as other:  # the deadline job expires it in the meantime
        other.execute(
            update(PurchaseOrder).where(PurchaseOrder.id == order.id).values(status="expired")
        )
    with pytest.raises(RuleError, match="baru saja diubah"):
        accept_order(db.session, order, actor_id=owner.id)
    db.session.rollback()
    assert db.session.get(PurchaseOrder, order.id).status == "expired"  # type: ignore[union-attr]
    assert _count(OrderEvent) == 1


def test_inspection_checks_quantity_condition_and_status(app: Flask) -> None:
    request, _, (order,) = factories.issued_orders(50, (100,))
    officer_id = request.created_by_id
    with pytest.raises(RuleError, match="setelah UMKM menandai"):
        record_inspection(
            db.session,
            order,
            received_quantity=50,
            condition="baik",
            notes="",
            actor_id=officer_id,
            config=current_app.config,
        )
    owner = _owner(order)
    accept_order(db.session, order, actor_id=owner.id)
    mark_delivered(db.session, order, actor_id=owner.id)
    with pytest.raises(RuleError, match="antara 0 dan 50"):
        record_inspection(
            db.session,
            order,
            received_quantity=51,
            condition="baik",
            notes="",
            actor_id=officer_id,
            config=current_app.config,
        )
    with pytest.raises(RuleError, match="kurang baik"):
        record_inspection(
            db.session,
            order,
            received_quantity=50,
            condition="rusak",
            notes="",
            actor_id=officer_id,
            config=current_app.config,
        )
    with pytest.raises(RuleError, match="pemeriksaan barang dulu"):
        record_handover(db.session, order, actor_id=officer_id, config=current_app.config)
    record_inspection(
        db.session,
        order,
        received_quantity=0,
        condition="kurang baik",
        notes="Belum datang",
        actor_id=officer_id,
        config=current_app.config,
    )
    with pytest.raises(RuleError, match="tidak ada barang"):
        record_handover(db.session, order, actor_id=officer_id, config=current_app.config)
    record_inspection(
        db.session,
        order,
        received_quantity=48,
        condition="kurang baik",
        notes="2 robek",
        actor_id=officer_id,
        config=current_app.config,
    )
    record_handover(db.session, order, actor_id=officer_id, config=current_app.config)
    assert order.status == "received"
    assert (order.received_quantity, order.condition, order.inspection_notes) == (
        48,
        "kurang baik",
        "2 robek",
    )


def test_late_delivery_penalty_and_payment_difference(app: Flask) -> None:
    request, order, owner = _delivered(app)
    today = today_in_jakarta()
    # Due ten days ago, delivered three days after the due date: 1/1000 × Rp 10 jt × 3.
    order.due_date = today - dt.timedelta(days=10)
    order.delivered_at = dt.datetime.combine(
        today - dt.timedelta(days=7), dt.time(10), JAKARTA
    ).astimezone(dt.UTC)
    assert order.value == 10_000_000
    shown = order_figures(order, today)
    assert (shown["days_late"], shown["penalty"], shown["amount_due"]) == (3, 30_000, 9_970_000)
    officer_id = request.created_by_id
    record_inspection(
        db.session,
        order,
        received_quantity=50,
        condition="baik",
        notes="",
        actor_id=officer_id,
        config=current_app.config,
    )
    record_handover(
        db.session,
        order,
        actor_id=officer_id,
        config=current_app.config,
        handover_date=today - dt.timedelta(days=5),
    )
    with pytest.raises(RuleError, match="sebelum serah terima"):
        record_payment(
            db.session,
            order,
            paid_on=today - dt.timedelta(days=6),
            reference="SP2D 1",
            amount=9_970_000,
            actor_id=officer_id,
            config=current_app.config,
        )
    with pytest.raises(RuleError, match="setelah hari ini"):
        record_payment(
            db.session,
            order,
            paid_on=today + dt.timedelta(days=1),
            reference="SP2D 1",
            amount=9_970_000,
            actor_id=officer_id,
            config=current_app.config,
        )
    with pytest.raises(RuleError, match="lebih dari Rp 0"):
        record_payment(
            db.session,
            order,
            paid_on=today,
            reference="SP2D 1",
            amount=0,
            actor_id=officer_id,
            config=current_app.config,
        )
    # Gross Rp 9.970.000 (value less penalty), PPh 22 Rp 150.000: net Rp 9.820.000. Paid
    # without withholding the penalty: Rp 30.000 more, accepted with the difference recorded.
    difference = record_payment(
        db.session,
        order,
        paid_on=today,
        reference="SP2D 1",
        amount=9_850_000,
        actor_id=officer_id,
        config=current_app.config,
    )
    db.session.commit()
    assert difference == 30_000
    assert order.status == "paid" and order.payment_amount == 9_850_000
    assert (order.payment_gross, order.payment_withheld) == (10_000_000, 150_000)
    paid = order.events[-1]
    (payment,) = db.session.scalars(select(Payment).where(Payment.order_id == order.id))
    assert paid.data["payment_id"] == payment.id and (payment.gross, payment.net) == (
        10_000_000,
        9_850_000,
    )
    assert {k: v for k, v in paid.data.items() if k not in ("payment_id", "kuitansi_id")} == {
        "method": None,
        "outstanding": 0,
        "gross": 10_000_000,
        "withheld": 150_000,
        "net": 9_850_000,
        "expected_net": 9_820_000,
        "difference": 30_000,
    }
    assert "lebih Rp 30.000 dari nilai pesanan dikurangi denda" in (paid.note or "")
    assert order_figures(order, today + dt.timedelta(days=30))["days_to_payment"] == 5


def test_cancel_needs_a_reason_and_frees_the_capacity(app: Flask) -> None:
    request, _, (order,) = factories.issued_orders(50, (50,))
    officer = request.created_by
    with pytest.raises(RuleError, match="minimal 10 karakter"):
        cancel_order(db.session, order, "batal", actor_id=officer.id)
    cancel_order(db.session, order, "Kegiatan ditunda tahun depan", actor_id=officer.id)
    assert order.status == "cancelled" and order.cancel_reason == "Kegiatan ditunda tahun depan"
    assert order.cancelled_at is not None
    again = factories.purchase_request(officer, 50)
    run = run_allocation(db.session, again, actor_id=officer.id, config=app.config)
    assert run.shortfall == 0
