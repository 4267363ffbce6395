"""Order lifecycle: the UMKM answers and delivers; the officer inspects, hands over, pays, cancels.

Every status change goes through ``_transition``: the rule check, a compare-and-set update of
the status (of two people acting on one order at once, one wins and the other is told), the
timestamps, an ``OrderEvent`` and an audit entry. A declined or expired order is passed on down
the stored ranking of its run (``pass_on``). Services flush; the caller commits.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from procure.clock import jakarta_date_or_none, today_in_jakarta
from procure.db import utcnow
from procure.documents import hooks as document_hooks
from procure.formatting import akhiri_kalimat, nip, rupiah, tanggal
from procure.orders.events import claim_status, log_event
from procure.orders.pass_on import pass_on
from procure.orders.rules import (
    CONDITIONS,
    STATUS_LABELS,
    PaymentAmounts,
    check_delivery_note,
    check_handover_date,
    check_inspection_team,
    check_net_payment,
    check_order_reason,
    check_transition,
    handover_day,
)
from procure.payments import rules as payment_rules
from procure.payments import services as payments
from procure.payments.calendar import payment_term
from procure.payments.services import payment_amounts as payment_amounts  # its callers' name
from procure.procurement.models import DeliveryPhoto, OrderEvent, OrderStatus, PurchaseOrder
from procure.ranking.figures import refresh as refresh_figures
from procure.umkm.photos import PreparedPhoto
from procure.umkm.rules import RuleError

# The moment each status is reached is kept on the order itself, too.
STAMPS = {
    OrderStatus.ACCEPTED.value: "responded_at",
    OrderStatus.DECLINED.value: "responded_at",
    OrderStatus.DELIVERED.value: "delivered_at",
    OrderStatus.RECEIVED.value: "handed_over_at",
    OrderStatus.CANCELLED.value: "cancelled_at",
}


def difference_text(difference: int) -> str:
    """How a payment differs from the value minus penalty, in words."""
    word = "lebih" if difference > 0 else "kurang"
    return f"{word} {rupiah(abs(difference))} dari nilai pesanan dikurangi denda"


def delivery_photo_of(session: Session, order_id: int) -> DeliveryPhoto | None:
    return session.scalar(select(DeliveryPhoto).where(DeliveryPhoto.order_id == order_id))


def waiting_count(session: Session, umkm_id: int) -> int:
    """How many of the UMKM's orders wait for its answer (for its home page)."""
    return int(
        session.scalar(
            select(func.count())
            .select_from(PurchaseOrder)
            .where(
                PurchaseOrder.umkm_id == umkm_id,
                PurchaseOrder.status == OrderStatus.ISSUED.value,
            )
        )
        or 0
    )


def _transition(
    session: Session,
    order: PurchaseOrder,
    to_status: str,
    actor_id: int | None,
    note: str | None,
    data: Mapping[str, Any] | None = None,
    *,
    fields: Mapping[str, Any] | None = None,
) -> OrderEvent:
    """Check, move, stamp and record one status change."""
    from_status = order.status
    check_transition(from_status, to_status)
    claim_status(session, order, to_status)
    now = utcnow()
    if to_status in STAMPS:
        setattr(order, STAMPS[to_status], now)
    for name, value in (fields or {}).items():
        setattr(order, name, value)
    event = log_event(session, order, from_status, to_status, actor_id, note, data, now=now)
    session.flush()
    return event


def accept_order(
    session: Session, order: PurchaseOrder, *, actor_id: int, today: dt.date | None = None
) -> None:
    """The UMKM accepts, up to and including its response deadline."""
    today = today or today_in_jakarta()
    if order.status == OrderStatus.ISSUED.value and today > order.response_deadline:
        raise RuleError(
            f"Batas waktu menjawab ({tanggal(order.response_deadline)}) sudah lewat, jadi "
            "pesanan ini tidak bisa diterima lagi; pesanan akan dialihkan ke UMKM berikutnya."
        )
    _transition(session, order, OrderStatus.ACCEPTED.value, actor_id, None)


def decline_order(
    session: Session,
    order: PurchaseOrder,
    reason: str,
    *,
    actor_id: int,
    config: Mapping[str, Any],
    today: dt.date | None = None,
) -> list[PurchaseOrder]:
    """The UMKM declines with a reason; the part goes to the next offer in the ranking."""
    reason = check_order_reason(reason, "penolakan")
    event = _transition(
        session,
        order,
        OrderStatus.DECLINED.value,
        actor_id,
        f"Alasan: {reason}",
        {"reason": reason},
        fields={"decline_reason": reason},
    )
    passed = pass_on(session, order, event, "ditolak", config=config, today=today)
    # After the pass-on's product locks: figures are always locked last (figures.py). Document
    # numbers after that, as in ``decide``, so the two paths take their locks in one order.
    refresh_figures(session, {order.umkm_id, *(o.umkm_id for o in passed)})
    document_hooks.after_pass_on(session, order, passed, None, config)  # issued by the system
    return passed


def expire_overdue_orders(
    session: Session, today: dt.date, config: Mapping[str, Any]
) -> list[tuple[PurchaseOrder, list[PurchaseOrder]]]:
    """Issued orders unanswered past their deadline expire and are passed on (idempotent)."""
    overdue = session.scalars(
        select(PurchaseOrder)
        .where(
            PurchaseOrder.status == OrderStatus.ISSUED.value,
            PurchaseOrder.response_deadline < today,
        )
        .order_by(PurchaseOrder.id)
    ).all()
    done = []
    for order in overdue:
        try:
            event = _transition(
                session,
                order,
                OrderStatus.EXPIRED.value,
                None,
                f"Tidak dijawab sampai batas {tanggal(order.response_deadline)}",
                {"response_deadline": order.response_deadline.isoformat()},
            )
        except RuleError:
            continue  # answered meanwhile: the UMKM's answer stands
        done.append(
            (order, pass_on(session, order, event, "kedaluwarsa", config=config, today=today))
        )
    refresh_figures(session, {o.umkm_id for expired, passed in done for o in (expired, *passed)})
    for expired, passed in done:  # document numbers last, as in ``decide``
        document_hooks.after_pass_on(session, expired, passed, None, config)
    return done


def mark_delivered(
    session: Session,
    order: PurchaseOrder,
    *,
    actor_id: int,
    note: str | None = None,
    photo: PreparedPhoto | None = None,
) -> None:
    """The UMKM has sent the goods: with its delivery note (surat jalan) and, optionally, a
    photo already checked and re-encoded (``umkm.photos.prepare_photo``)."""
    fields = {}
    if note is not None:
        fields["delivery_note"] = check_delivery_note(note)
    _transition(
        session,
        order,
        OrderStatus.DELIVERED.value,
        actor_id,
        f"Surat jalan: {fields['delivery_note']}" if fields else None,
        {"photo": photo is not None} if fields else None,
        fields=fields,
    )
    if photo is not None:
        session.add(
            DeliveryPhoto(
                order_id=order.id,
                content_type=photo.content_type,
                data=photo.data,
                sha256=photo.sha256,
                width=photo.width,
                height=photo.height,
            )
        )
        session.flush()


def record_inspection(
    session: Session,
    order: PurchaseOrder,
    *,
    received_quantity: int,
    condition: str,
    notes: str,
    actor_id: int,
    config: Mapping[str, Any],
    team: list[tuple[str, str]] | None = None,
) -> bool:
    """The officer's inspection of a delivered order (may be corrected until the handover),
    with its Tim Pemeriksa (name and NIP of 1 to 5 members; None keeps the recorded team).

    Returns False when exactly this result is already recorded (a repeated submit)."""
    if order.status != OrderStatus.DELIVERED.value:
        raise RuleError(
            "Pemeriksaan hanya bisa dicatat setelah UMKM menandai pesanan sudah dikirim "
            f"(status sekarang: {STATUS_LABELS[order.status]})."
        )
    if not 0 <= received_quantity <= order.quantity:
        raise RuleError(
            f"Jumlah diterima harus antara 0 dan {order.quantity} {order.request.unit} "
            "(jumlah yang dipesan)."
        )
    if condition not in CONDITIONS:
        raise RuleError("Pilih kondisi barang: baik atau kurang baik.")
    members = check_inspection_team(team) if team is not None else order.inspection_team
    if order.inspected_at is not None and (
        order.received_quantity,
        order.condition,
        order.inspection_notes,
        order.inspection_team,
    ) == (received_quantity, condition, notes.strip() or None, members):
        return False
    claim_status(session, order, order.status)  # still delivered, and held until commit
    order.inspection_team = members
    order.received_quantity = received_quantity
    order.condition = condition
    order.inspection_notes = notes.strip() or None
    order.inspected_at = utcnow()
    log_event(
        session,
        order,
        order.status,
        order.status,
        actor_id,
        inspection_note(order),
        {"received_quantity": received_quantity, "condition": condition},
        now=order.inspected_at,
        action="order.inspect",
    )
    session.flush()
    document_hooks.after_order_step(session, order, "inspect", actor_id, config)
    return True


def inspection_note(order: PurchaseOrder) -> str:
    """The history's line for a recorded inspection: what arrived, the officer's note, the
    team with each NIP grouped, as sentences that end with exactly one full stop (a note or a
    name ending in a title's full stop, "A.Md.", takes no second one)."""
    sentences = [
        f"Pemeriksaan: {order.received_quantity} dari {order.quantity} {order.request.unit} "
        f"diterima, kondisi {order.condition}"
    ]
    if order.inspection_notes:
        sentences.append(f"Catatan: {order.inspection_notes}")
    members = [
        str(m.get("name") or "").strip()
        + (f" (NIP {nip(str(m['nip']))})" if str(m.get("nip") or "").strip() else "")
        for m in order.inspection_team or ()
        if str(m.get("name") or "").strip()
    ]
    if members:
        sentences.append("Tim pemeriksa: " + ", ".join(members))
    return " ".join(akhiri_kalimat(s) for s in sentences)


def record_handover(
    session: Session,
    order: PurchaseOrder,
    *,
    actor_id: int,
    config: Mapping[str, Any],
    handover_date: dt.date | None = None,
    today: dt.date | None = None,
) -> None:
    """Serah terima (BAST) on the date chosen (default today; not in the future, not before
    the delivery): needs the inspection recorded first."""
    today = today or today_in_jakarta()
    chosen = handover_date or today
    if order.status == OrderStatus.DELIVERED.value:
        check_handover_date(chosen, jakarta_date_or_none(order.delivered_at), today)
        if order.inspected_at is None:
            raise RuleError("Catat hasil pemeriksaan barang dulu, baru serah terima.")
        if not order.received_quantity:
            raise RuleError(
                "Pemeriksaan mencatat tidak ada barang yang diterima. Perbaiki hasil "
                "pemeriksaan setelah barang datang, atau batalkan pesanan."
            )
    due = payment_term(config).due_date(chosen)  # the payment clock starts at the BAST
    _transition(
        session,
        order,
        OrderStatus.RECEIVED.value,
        actor_id,
        f"Serah terima {order.received_quantity} {order.request.unit} pada {tanggal(chosen)}",
        {"handover_date": chosen.isoformat(), "payment_due_date": due.isoformat()},
        fields={"handover_date": chosen, "payment_due_date": due},
    )
    document_hooks.after_order_step(session, order, "handover", actor_id, config)


def record_payment(
    session: Session,
    order: PurchaseOrder,
    *,
    paid_on: dt.date,
    reference: str,
    actor_id: int,
    config: Mapping[str, Any],
    amount: int | None = None,
    today: dt.date | None = None,
    method: str | None = None,
    reference_date: dt.date | None = None,
) -> int:
    """Record the payment that settles the rest of the order in one go (the demo, the seed
    and older callers; the order page records any payment through
    ``procure.payments.services.record_payment``). ``amount`` is the net actually transferred
    (None: exactly the expected net): what is still owed (value handed over minus the late
    penalty, minus what was paid) less the rest of the PPh, or up to the penalty more when
    the penalty was not withheld (kept, with a warning and the inspectors' "late, paid
    without penalty" flag). Returns how much the net exceeds the expected net (0: equal)."""
    today = today or today_in_jakarta()
    check_transition(order.status, OrderStatus.PAID.value)
    payment_rules.check_paid_on(paid_on, handover_day(order), today)
    start = payments.suggested(session, order, config, paid_on)
    full: PaymentAmounts = start["amounts"]
    withheld = int(start["gross"]) - int(start["net"])
    net = int(start["net"]) if amount is None else amount
    if net > order.value:
        # More than the order is worth is never payable (a typo of extra zeros).
        raise RuleError(
            f"Jumlah dibayar {rupiah(net)} melebihi nilai pesanan {rupiah(order.value)}. "
            "Periksa jumlah nol; pembayaran belum dicatat."
        )
    rest = PaymentAmounts(
        value=int(start["gross"]) + full.penalty,
        penalty=full.penalty,
        withheld=withheld,
        tax_label=full.tax_label,
    )
    check_net_payment(rest, net)
    recorded = payments.record_payment(
        session,
        order,
        method=method,
        reference=reference,
        reference_date=reference_date,
        paid_on=paid_on,
        gross=net + withheld,
        taxes=start["taxes"],
        net=net,
        actor_id=actor_id,
        config=config,
        today=today,
    )
    return recorded.difference


def cancel_order(session: Session, order: PurchaseOrder, reason: str, *, actor_id: int) -> None:
    """The officer cancels an order that is not yet handed over."""
    reason = check_order_reason(reason, "pembatalan")
    _transition(
        session,
        order,
        OrderStatus.CANCELLED.value,
        actor_id,
        f"Alasan: {reason}",
        {"reason": reason},
        fields={"cancel_reason": reason},
    )
    refresh_figures(session, [order.umkm_id])  # no longer live: not an award any more
    document_hooks.after_cancel(session, order, reason, actor_id)
