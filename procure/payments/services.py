"""Record a payment as it happened, and correct a mistaken one by a reversal (services: take the
session and the settings, flush; the caller commits).

Each payment is a ``Payment`` row; the order keeps its totals in its own columns (what red
flags, the OCDS export and the lists read): ``payment_gross``, ``payment_withheld`` and
``payment_amount`` (net) are the sums of the payments minus the reversals, ``paid_on`` is the
day of the payment that completed the order (empty while partly paid) and
``payment_reference`` the latest payment's reference. The order moves ``received -> paid``
only when paid in full, and back to ``received`` when a reversal leaves it short. Each payment
gets its own Kuitansi for its own amounts; a reversal cancels that Kuitansi.

Two officers recording at once: the order row is locked first (``SELECT ... FOR UPDATE`` on
PostgreSQL; on SQLite a write to the row takes the database's single write lock) and what was
paid is read again after the lock, so the second sees the first's payment.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from procure.audit.services import record
from procure.clock import today_in_jakarta
from procure.db import utcnow
from procure.documents import hooks as document_hooks
from procure.documents.builders import received_value, taxes
from procure.documents.models import Document, DocumentStatus
from procure.formatting import akhiri_kalimat, rupiah, tanggal
from procure.notify import order_events as notices
from procure.notify.order_events import letter_to_umkm, to_umkm
from procure.orders.events import claim_status, log_event
from procure.orders.rules import TRANSITION_LABELS, PaymentAmounts, handover_day, order_figures
from procure.payments import rules
from procure.payments.models import Payment, PaymentKind
from procure.procurement.models import OrderEvent, OrderStatus, PurchaseOrder
from procure.umkm.rules import RuleError

NOT_RECEIVED = "Pembayaran hanya bisa dicatat untuk pesanan yang sudah diserahterimakan (BAST)."


@dataclass(frozen=True)
class Recorded:
    """What ``record_payment`` did: the row, how much the gross went past what was owed (a
    late penalty not withheld; 0 normally) and whether the order is now paid in full."""

    payment: Payment
    difference: int
    completed: bool
    outstanding: int
    is_repeat: bool = False  # the same form posted again (a double click): nothing recorded


def payment_amounts(
    order: PurchaseOrder, config: Mapping[str, Any], day: dt.date
) -> PaymentAmounts:
    """What the whole order's payment is: the value handed over minus the late penalty (Nilai
    bruto), the PPh withheld on it (Pajak dipotong) and the rest (Dibayar neto), computed as
    the Kuitansi computes them (``documents.builders.taxes``)."""
    value = received_value(order)
    summary = taxes(order, config, value)
    withheld = [line for line in summary.lines if line.is_withheld]
    return PaymentAmounts(
        value=value,
        penalty=int(order_figures(order, day)["penalty"] or 0),
        withheld=summary.withheld,
        tax_label=", ".join(line.label for line in withheld) or "-",
    )


def order_taxes(order: PurchaseOrder, config: Mapping[str, Any]) -> tuple[rules.TaxWithheld, ...]:
    """The taxes withheld from the whole order, line by line, as on its Kuitansi."""
    summary = taxes(order, config, received_value(order))
    return tuple(
        rules.TaxWithheld(line.label, line.amount) for line in summary.lines if line.is_withheld
    )


def payments_of(session: Session, order_id: int) -> list[Payment]:
    return list(
        session.scalars(select(Payment).where(Payment.order_id == order_id).order_by(Payment.id))
    )


def entry(payment: Payment) -> rules.Entry:
    return rules.Entry(
        id=payment.id,
        is_reversal=payment.is_reversal,
        gross=int(payment.gross),
        withheld=int(payment.withheld),
        net=int(payment.net),
        taxes=rules.taxes_from(payment.taxes or []),
        reverses_id=payment.reverses_id,
    )


def ledger_of(payments: Sequence[Payment]) -> rules.Ledger:
    return rules.Ledger(tuple(entry(p) for p in payments))


def lock_order(session: Session, order: PurchaseOrder) -> None:
    """Hold the order row until the commit, then read it again (status, totals)."""
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            select(PurchaseOrder.id).where(PurchaseOrder.id == order.id).with_for_update()
        )
    else:  # SQLite: one writer; writing the row first takes the lock before anything is read
        session.execute(
            update(PurchaseOrder)
            .where(PurchaseOrder.id == order.id)
            .values(status=PurchaseOrder.status)
            .execution_options(synchronize_session=False)
        )
    session.refresh(order)


def suggested(
    session: Session, order: PurchaseOrder, config: Mapping[str, Any], day: dt.date
) -> dict[str, Any]:
    """What the payment form starts with: the gross still owed and its taxes."""
    amounts = payment_amounts(order, config, day)
    ledger = ledger_of(payments_of(session, order.id))
    left = rules.outstanding(amounts.gross, ledger)
    lines = rules.default_taxes(order_taxes(order, config), amounts.gross, left, ledger)
    withheld = sum(t.amount for t in lines)
    return {"gross": left, "taxes": lines, "net": left - withheld, "amounts": amounts}


def _apply_totals(order: PurchaseOrder, payments: Sequence[Payment], completed_on: Any) -> None:
    ledger = ledger_of(payments)
    reversed_ids = ledger.reversed_ids
    standing = [p for p in payments if not p.is_reversal and p.id not in reversed_ids]
    order.payment_gross = ledger.gross or None
    order.payment_withheld = ledger.withheld if ledger.gross else None
    order.payment_amount = ledger.net or None
    order.payment_reference = standing[-1].reference if standing else None
    order.paid_on = completed_on


def _taxes_text(lines: Sequence[rules.TaxWithheld]) -> str:
    shown = [f"{t.label} {rupiah(t.amount)}" for t in lines if t.amount]
    return f" ({', '.join(shown)})" if shown else ""


def record_payment(
    session: Session,
    order: PurchaseOrder,
    *,
    method: str | None,
    reference: str,
    paid_on: dt.date,
    gross: int,
    taxes: Sequence[rules.TaxWithheld],
    net: int,
    actor_id: int,
    config: Mapping[str, Any],
    reference_date: dt.date | None = None,
    today: dt.date | None = None,
    key: str | None = None,
) -> Recorded:
    """Record one payment of a handed-over order (see the module's docstring).

    ``key`` is the payment form's own random key: the same form posted twice (a double click)
    records once; the second post, which waited for the first's lock, gets its payment back
    with ``is_repeat``."""
    today = today or today_in_jakarta()
    now = utcnow()
    lock_order(session, order)
    if key:
        earlier = _payment_of_key(session, order, key)
        if earlier is not None:
            amounts = payment_amounts(order, config, earlier.paid_on)
            left = rules.outstanding(amounts.gross, ledger_of(payments_of(session, order.id)))
            completed = order.status == OrderStatus.PAID.value
            return Recorded(earlier, 0, completed, left, is_repeat=True)
    if order.status == OrderStatus.PAID.value:
        raise RuleError(f"SP #{order.id} sudah dibayar lunas; pembayaran belum dicatat.")
    if order.status != OrderStatus.RECEIVED.value:
        raise RuleError(NOT_RECEIVED)
    rules.check_paid_on(paid_on, handover_day(order), today)
    ref = rules.check_reference(method, reference, reference_date, paid_on)
    lines = rules.check_taxes((t.label, t.amount) for t in taxes)
    withheld = rules.check_amounts(gross, lines, net)
    rules.check_cash_limit(method, gross, int(config["PAYMENT_CASH_LIMIT"]))
    amounts = payment_amounts(order, config, paid_on)
    before = payments_of(session, order.id)
    ledger = ledger_of(before)
    difference = rules.check_gross(gross, amounts.gross, ledger, amounts.penalty)
    left_before = rules.outstanding(amounts.gross, ledger)

    payment = Payment(
        order_id=order.id,
        kind=PaymentKind.PAYMENT.value,
        method=method,
        reference=ref.reference,
        reference_date=ref.reference_date,
        paid_on=paid_on,
        gross=gross,
        withheld=withheld,
        net=net,
        taxes=[t.as_dict() for t in lines],
        recorded_by_id=actor_id,
        recorded_at=now,
    )
    session.add(payment)
    session.flush()
    after = [*before, payment]
    new_ledger = ledger_of(after)
    completed = rules.is_paid_in_full(amounts.gross, new_ledger.gross)
    _apply_totals(order, after, paid_on if completed else None)
    left = rules.outstanding(amounts.gross, new_ledger)
    number = sum(1 for p in after if not p.is_reversal)

    kuitansi = document_hooks.after_payment(
        session,
        order,
        {
            "number": number,
            "gross": gross,
            "net": net,
            "taxes": [t.as_dict() for t in lines],
            # The late penalty is withheld with the payment that settles the order, unless the
            # Bendahara paid it out (the difference).
            "penalty": max(0, amounts.penalty - difference) if gross >= left_before else 0,
            "paid_on": paid_on.isoformat(),
            "settles": completed,
            "method": rules.method_label(method),
            "reference": ref.reference,
            "reference_date": ref.reference_date.isoformat() if ref.reference_date else None,
        },
        actor_id,
        config,
    )
    what = "Dibayar lunas" if completed else f"Pembayaran sebagian ke-{number}"
    note = (
        f"{what} pada {tanggal(paid_on)} ({rules.method_label(method)}), referensi "
        f"{ref.reference}"
        + (f" tanggal {tanggal(ref.reference_date)}" if ref.reference_date else "")
        + f": Nilai bruto {rupiah(gross)}, Pajak dipotong {rupiah(withheld)}"
        + _taxes_text(lines)
        + f", Dibayar neto {rupiah(net)}"
    )
    if difference:
        note += (
            f"; lebih {rupiah(difference)} dari nilai pesanan dikurangi denda "
            f"({rupiah(amounts.gross)})"
        )
    if not completed:
        note += f". Sisa yang belum dibayar {rupiah(left)}"
    data = {
        "payment_id": payment.id,
        "kuitansi_id": kuitansi.id,
        "method": method,
        "gross": gross,
        "withheld": withheld,
        "net": net,
        "expected_net": net - difference,
        **({"payment_key": key} if key else {}),
        "outstanding": left,
        "difference": difference,
    }
    if completed:
        was_paid_before = session.scalar(
            select(OrderEvent.id)
            .where(OrderEvent.order_id == order.id, OrderEvent.to_status == OrderStatus.PAID.value)
            .limit(1)
        )
        claim_status(session, order, OrderStatus.PAID.value)
        log_event(
            session,
            order,
            OrderStatus.RECEIVED.value,
            OrderStatus.PAID.value,
            actor_id,
            note,
            data,
            now=now,
        )
        if was_paid_before is not None:
            # Paid once, then reversed: the order's one "paid" message went out the first time.
            _notify_payment(session, order, payment, left, config, now)
    else:
        log_event(
            session,
            order,
            OrderStatus.RECEIVED.value,
            OrderStatus.RECEIVED.value,
            actor_id,
            note,
            data,
            now=now,
            action="order.payment",
        )
        _notify_payment(session, order, payment, left, config, now)
    record(
        session,
        actor_id,
        "payment.record",
        payment,
        f"SP #{order.id}: {note}",
        {**data, "reference": ref.reference, "taxes": [t.as_dict() for t in lines]},
    )
    session.flush()
    return Recorded(payment, difference, completed, left)


def _payment_of_key(session: Session, order: PurchaseOrder, key: str) -> Payment | None:
    """The payment recorded from the form with ``key`` (named in its order event), if any."""
    events = session.scalars(
        select(OrderEvent).where(OrderEvent.order_id == order.id).order_by(OrderEvent.id.desc())
    )
    for event in events:
        data = event.data or {}
        if data.get("payment_key") == key and data.get("payment_id"):
            return session.get(Payment, data["payment_id"])
    return None


def reversal_of(session: Session, payment: Payment) -> Payment | None:
    """The reversal that cancelled ``payment``, if any."""
    return session.scalar(select(Payment).where(Payment.reverses_id == payment.id))


def _kuitansi_of(session: Session, order: PurchaseOrder, payment: Payment) -> Document | None:
    """The Kuitansi issued for ``payment`` (named in its order event); for a payment recorded
    before payments had rows (one per order), the order's valid Kuitansi."""
    events = session.scalars(select(OrderEvent).where(OrderEvent.order_id == order.id))
    for event in events:
        data = event.data or {}
        if data.get("payment_id") == payment.id and data.get("kuitansi_id"):
            return session.get(Document, data["kuitansi_id"])
    if payment.method is None:
        return session.scalar(
            select(Document)
            .where(
                Document.order_id == order.id,
                Document.kind == "KWT",
                Document.status == DocumentStatus.ISSUED.value,
            )
            .order_by(Document.id.desc())
            .limit(1)
        )
    return None


def reverse_payment(
    session: Session,
    order: PurchaseOrder,
    payment_id: int,
    reason: str,
    *,
    actor_id: int,
    config: Mapping[str, Any],
    today: dt.date | None = None,
) -> Payment:
    """Correct a mistaken payment: a reversal row that names it (same amounts), its Kuitansi
    cancelled, the order's totals recomputed and a paid order back to ``received``."""
    today = today or today_in_jakarta()
    now = utcnow()
    lock_order(session, order)
    before = payments_of(session, order.id)
    target = next((p for p in before if p.id == payment_id), None)
    if target is None:
        raise RuleError("Pembayaran itu tidak ada pada pesanan ini.")
    ledger = ledger_of(before)
    cleaned = rules.check_reversal(entry(target), ledger, reason)
    reversal = Payment(
        order_id=order.id,
        kind=PaymentKind.REVERSAL.value,
        method=target.method,
        reference=target.reference,
        reference_date=target.reference_date,
        paid_on=today,
        gross=target.gross,
        withheld=target.withheld,
        net=target.net,
        taxes=list(target.taxes or []),
        reverses_id=target.id,
        reason=cleaned,
        recorded_by_id=actor_id,
        recorded_at=now,
    )
    session.add(reversal)
    session.flush()
    after = [*before, reversal]
    amounts = payment_amounts(order, config, order.paid_on or today)
    new_ledger = ledger_of(after)
    was_paid = order.status == OrderStatus.PAID.value
    still_paid = rules.is_paid_in_full(amounts.gross, new_ledger.gross)
    _apply_totals(order, after, order.paid_on if still_paid else None)
    left = rules.outstanding(amounts.gross, new_ledger)
    note = (
        f"Koreksi: pembayaran {tanggal(target.paid_on)} referensi {target.reference} "
        f"(Nilai bruto {rupiah(int(target.gross))}, Dibayar neto {rupiah(int(target.net))}) "
        f"dibatalkan. {akhiri_kalimat(f'Alasan: {cleaned}')} Sisa yang belum dibayar {rupiah(left)}"
    )
    doc = _kuitansi_of(session, order, target)
    actor = document_hooks.actor_of(session, actor_id)
    if doc is not None and doc.status == DocumentStatus.ISSUED.value:
        from procure.documents.issuing import cancel_document

        cancel_document(
            session,
            doc,
            f"Pembayaran dikoreksi (koreksi #{reversal.id} atas pembayaran #{target.id}): "
            f"{cleaned}",
            actor=actor,
        )
    data = {
        "payment_id": target.id,
        "reversal_id": reversal.id,
        "kuitansi_id": doc.id if doc is not None else None,
        "gross": int(target.gross),
        "net": int(target.net),
        "outstanding": left,
        "reason": cleaned,
    }
    from_status = order.status
    if was_paid and not still_paid:
        label = TRANSITION_LABELS[(OrderStatus.PAID.value, OrderStatus.RECEIVED.value)]
        note = f"{label}. {note}"
        claim_status(session, order, OrderStatus.RECEIVED.value)
    log_event(
        session,
        order,
        from_status,
        order.status,
        actor_id,
        note,
        data,
        now=now,
        action="order.payment_reversal",
    )
    record(session, actor_id, "payment.reverse", reversal, f"SP #{order.id}: {note}", data)
    _notify_reversal(session, order, target, reversal, left, config, now)
    session.flush()
    return reversal


# == Messages to the UMKM (the full payment's message is procure.notify.order_events.paid) ======


def _is_past(now: dt.datetime) -> bool:
    """A payment dated well in the past (the demo's year of history) is not news, as for
    every order step (``procure.notify.order_events.on_order_event``)."""
    return now < notices.utcnow() - notices.PAST


def _tell_umkm(
    session: Session,
    order: PurchaseOrder,
    topic: str,
    key: str,
    subject: str,
    text: str,
    config: Mapping[str, Any],
    now: dt.datetime,
) -> None:
    if _is_past(now):
        return
    body = letter_to_umkm(order, text, config)
    to_umkm(session, order, topic, key, subject, body, config, now)


def _notify_payment(
    session: Session,
    order: PurchaseOrder,
    payment: Payment,
    left: int,
    config: Mapping[str, Any],
    now: dt.datetime,
) -> None:
    subject = f"Pembayaran SP #{order.id}: {rupiah(int(payment.net))} ditransfer"
    text = (
        f"Pesanan SP #{order.id} dibayar pada {tanggal(payment.paid_on)}, referensi "
        f"{payment.reference}.\n"
        f"Nilai bruto: {rupiah(int(payment.gross))}\n"
        f"Pajak dipotong: {rupiah(int(payment.withheld))}\n"
        f"Dibayar neto: {rupiah(int(payment.net))}\n"
        + (
            f"Sisa yang belum dibayar: {rupiah(left)}.\n"
            if left
            else "Pesanan ini sekarang lunas.\n"
        )
        + "Kuitansi pembayaran ini ada di halaman pesanan."
    )
    key = f"order.payment:{payment.id}"
    _tell_umkm(session, order, "order.payment", key, subject, text, config, now)


def _notify_reversal(
    session: Session,
    order: PurchaseOrder,
    payment: Payment,
    reversal: Payment,
    left: int,
    config: Mapping[str, Any],
    now: dt.datetime,
) -> None:
    subject = f"Koreksi pembayaran SP #{order.id}"
    text = (
        f"Pembayaran SP #{order.id} tanggal {tanggal(payment.paid_on)} referensi "
        f"{payment.reference} (Dibayar neto {rupiah(int(payment.net))}) dibatalkan oleh "
        f"Bendahara/OPD.\nAlasan: {reversal.reason}\n"
        f"Sisa yang belum dibayar: {rupiah(left)}.\n"
        "Kuitansinya dibatalkan; pembayaran yang benar akan dicatat dengan kuitansi baru."
    )
    key = f"order.payment_reversal:{reversal.id}"
    _tell_umkm(session, order, "order.payment_reversal", key, subject, text, config, now)
