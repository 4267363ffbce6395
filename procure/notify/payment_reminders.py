"""Payment reminders of the daily job (docs/payment-clock.md): for each order handed over and
not yet paid, to the officers of its OPD (e-mail) and to the OPD's Bendahara (e-mail to
``opd.treasurer_email``; WhatsApp to ``opd.treasurer_phone`` when WhatsApp is configured),
``PAYMENT_REMINDER_DAYS_BEFORE`` days before the payment due date, on it, and every
``PAYMENT_REMINDER_EVERY_DAYS`` days after it (``procure.payments.calendar.reminder_kind``).

Keys: ``payment.due:<order>:<day>:<recipient>:<channel>`` with the recipient ``user<id>`` or
``bendahara``: one message per order, recipient and day, however often the job runs.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from procure.auth.models import Role, User
from procure.formatting import rupiah, tanggal
from procure.notify.models import Channel
from procure.notify.order_events import letter
from procure.notify.outbox import enqueue
from procure.notify.senders import whatsapp_enabled
from procure.orders.rules import handover_day
from procure.payments.calendar import days_overdue, reminder_kind
from procure.procurement.models import OrderStatus, PurchaseOrder, PurchaseRequest

TOPIC = "payment.due"


def _subject(order: PurchaseOrder, kind: str, due: dt.date, today: dt.date) -> str:
    if kind == "before":
        return (
            f"Pembayaran SP #{order.id} jatuh tempo {(due - today).days} hari lagi ({tanggal(due)})"
        )
    if kind == "due":
        return f"Pembayaran SP #{order.id} jatuh tempo hari ini ({tanggal(due)})"
    return f"Pembayaran SP #{order.id} terlambat {days_overdue(due, None, today)} hari"


def _body(
    greeting: str,
    order: PurchaseOrder,
    kind: str,
    due: dt.date,
    today: dt.date,
    config: Mapping[str, Any],
) -> str:
    bast = handover_day(order)
    text = (
        f"SP #{order.id} ({order.request.title}) kepada {order.umkm.business_name}: "
        f"serah terima (BAST) {tanggal(bast) if bast else '-'}, nilai pesanan "
        f"{rupiah(order.value)}. Jatuh tempo bayar: {tanggal(due)}."
    )
    if kind == "after":
        text += (
            f" Pembayaran sudah terlambat {days_overdue(due, None, today)} hari; UMKM "
            "menunggu. Mohon segera dibayar dan dicatat di Procure."
        )
    else:
        text += " Mohon dibayar paling lambat pada tanggal itu dan dicatat di Procure."
    return letter(greeting, order, text, config)


def payment_due(session: Session, today: dt.date, config: Mapping[str, Any]) -> int:
    """Queue today's payment reminders; returns how many messages were queued."""
    before = int(config.get("PAYMENT_REMINDER_DAYS_BEFORE") or 0)
    every = int(config.get("PAYMENT_REMINDER_EVERY_DAYS") or 0)
    orders = session.scalars(
        select(PurchaseOrder)
        .where(
            PurchaseOrder.status == OrderStatus.RECEIVED.value,
            PurchaseOrder.payment_due_date.is_not(None),
            PurchaseOrder.payment_due_date <= today + dt.timedelta(days=max(before, 0)),
        )
        .options(
            selectinload(PurchaseOrder.umkm),
            selectinload(PurchaseOrder.request).selectinload(PurchaseRequest.opd),
        )
        .order_by(PurchaseOrder.id)
    ).all()
    todo = [
        (order, kind)
        for order in orders
        if order.payment_due_date is not None
        and (kind := reminder_kind(order.payment_due_date, today, before, every)) is not None
    ]
    if not todo:
        return 0
    officers: dict[int, list[User]] = defaultdict(list)
    for officer in session.scalars(
        select(User)
        .where(
            User.role == Role.OPD.value,
            User.is_enabled.is_(True),
            User.opd_id.in_({order.request.opd_id for order, _ in todo}),
        )
        .order_by(User.id)
    ):
        officers[officer.opd_id or 0].append(officer)
    whatsapp = whatsapp_enabled(config)
    queued = 0
    for order, kind in todo:
        due = order.payment_due_date
        assert due is not None  # noqa: S101 - filtered above
        opd = order.request.opd
        key = f"{TOPIC}:{order.id}:{today.isoformat()}"
        subject = _subject(order, kind, due, today)
        messages: list[tuple[Channel, str, str, int | None, str]] = [
            (
                Channel.EMAIL,
                officer.email,
                f"{key}:user{officer.id}:email",
                officer.id,
                _body(officer.full_name, order, kind, due, today, config),
            )
            for officer in officers[opd.id]
        ]
        treasurer = f"Bendahara Pengeluaran {opd.name}"
        if opd.treasurer_name:
            treasurer = f"{opd.treasurer_name} ({treasurer})"
        body = _body(treasurer, order, kind, due, today, config)
        if opd.treasurer_email:
            messages.append(
                (Channel.EMAIL, opd.treasurer_email, f"{key}:bendahara:email", None, body)
            )
        if opd.treasurer_phone and whatsapp:
            messages.append(
                (Channel.WHATSAPP, opd.treasurer_phone, f"{key}:bendahara:whatsapp", None, body)
            )
        for channel, recipient, dedupe_key, user_id, body in messages:
            if enqueue(
                session,
                channel=channel,
                recipient=recipient,
                topic=TOPIC,
                subject=subject,
                body=body,
                dedupe_key=dedupe_key,
                user_id=user_id,
            ):
                queued += 1
    session.flush()
    return queued
