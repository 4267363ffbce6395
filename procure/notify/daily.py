"""The daily reminders (``procure notify daily``, by cron): each is queued once, however often
the command runs.

- An order's response deadline is tomorrow: to the UMKM (key ``order.deadline:<order>``).
- Last month's omzet not filed yet, from the 1st of the month: to the UMKM, once per month
  (key ``omzet.due:<period>:<umkm>``), with the same text as the admin's WhatsApp reminder.
- An order handed over and not paid: to its OPD's officers and Bendahara before, on and
  every few days after its payment due date (``procure.notify.payment_reminders``; key
  ``payment.due:<order>:<day>:<recipient>``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, selectinload

from procure.auth.models import User
from procure.formatting import rupiah, tanggal
from procure.notify.models import Channel, OutboxMessage
from procure.notify.order_events import link, signature, to_umkm, with_link
from procure.notify.outbox import QUEUED, enqueue
from procure.notify.payment_reminders import payment_due
from procure.notify.senders import whatsapp_enabled
from procure.omzet.compliance import ComplianceFilter, non_filer_ids
from procure.omzet.compliance_rules import Reminder, ReminderContext, reporting_month
from procure.procurement.models import PurchaseOrder, PurchaseRequest
from procure.umkm.models import Umkm

CHUNK = 1000


@dataclass(frozen=True)
class DailyReport:
    deadlines: int
    omzet: int
    payments: int

    def __str__(self) -> str:
        return (
            f"pengingat batas jawab: {self.deadlines}, pengingat omzet: {self.omzet}, "
            f"pengingat bayar: {self.payments}"
        )


def _count(session: Session, prefix: str) -> int:
    return len(
        session.scalars(
            select(OutboxMessage.id).where(OutboxMessage.dedupe_key.startswith(prefix))
        ).all()
    )


def deadline_tomorrow(session: Session, today: dt.date, config: Mapping[str, Any]) -> int:
    """Queue a reminder for each order still unanswered whose deadline is tomorrow."""
    tomorrow = today + dt.timedelta(days=1)
    orders = session.scalars(
        select(PurchaseOrder)
        .where(PurchaseOrder.status == "issued", PurchaseOrder.response_deadline == tomorrow)
        .options(
            selectinload(PurchaseOrder.umkm).selectinload(Umkm.owner),
            selectinload(PurchaseOrder.product),
            selectinload(PurchaseOrder.request).selectinload(PurchaseRequest.opd),
        )
        .order_by(PurchaseOrder.id)
    ).all()
    queued = 0
    for order in orders:
        umkm = order.umkm
        subject = f"Besok batas jawab pesanan SP #{order.id}"
        body = (
            f"Yth. {umkm.owner_name} ({umkm.business_name}),\n\n"
            f"Pesanan SP #{order.id} dari {order.request.opd.name} "
            f"({order.quantity} {order.product.unit} {order.product.name}, "
            f"{rupiah(order.value)}) belum dijawab. Batasnya besok, "
            f"{tanggal(order.response_deadline)}; setelah itu pesanan dialihkan ke UMKM lain."
        )
        body = with_link(body, config, f"/pengadaan/pesanan/{order.id}", "Jawab di sini")
        body += f"\n\n{signature(config)}"
        before = _count(session, f"order.deadline:{order.id}:")
        to_umkm(
            session, order, "order.deadline", f"order.deadline:{order.id}", subject, body, config
        )
        queued += _count(session, f"order.deadline:{order.id}:") - before
    return queued


def omzet_due(session: Session, today: dt.date, config: Mapping[str, Any]) -> int:
    """Queue last month's omzet reminder to each verified UMKM that has not filed it."""
    period = reporting_month(today)
    ctx = ReminderContext(
        city=str(config.get("PEMDA_CITY") or ""),
        filing_url=link(config, "/omzet/") or "menu Omzet di Procure",
        deadline_day=int(config.get("OMZET_DEADLINE_DAY") or 10),
        today=today,
    )
    reminder = Reminder(period, ctx)
    prefix = f"omzet.due:{period}:"
    done = set(
        session.scalars(
            select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.startswith(prefix))
        )
    )
    rows = session.execute(
        select(Umkm.id, Umkm.owner_name, Umkm.business_name, Umkm.phone, User.id, User.email)
        .join(User, User.umkm_id == Umkm.id, isouter=True)
        .where(Umkm.id.in_(non_filer_ids(period, ComplianceFilter()).order_by(None)))
        .order_by(Umkm.id)
    ).all()
    whatsapp = whatsapp_enabled(config)
    subject = f"Omzet bulan {period.label} belum dilaporkan"
    messages: list[dict[str, Any]] = []
    for umkm_id, owner_name, business, phone, user_id, email in rows:
        body = reminder.message(owner_name, business)
        if email:
            messages.append(
                dict(
                    channel=Channel.EMAIL.value,
                    recipient=email,
                    user_id=user_id,
                    dedupe_key=f"{prefix}{umkm_id}:email",
                    body=body,
                )
            )
        if whatsapp and phone:
            messages.append(
                dict(
                    channel=Channel.WHATSAPP.value,
                    recipient=phone,
                    user_id=user_id,
                    dedupe_key=f"{prefix}{umkm_id}:whatsapp",
                    body=body,
                )
            )
    fresh = [m for m in messages if m["dedupe_key"] not in done]
    for start in range(0, len(fresh), CHUNK):
        chunk = fresh[start : start + CHUNK]
        try:
            with session.begin_nested():
                session.add_all(
                    OutboxMessage(topic="omzet.due", subject=subject, **m) for m in chunk
                )
        except IntegrityError:  # another run queued some meanwhile: one at a time, once each
            for m in chunk:
                enqueue(session, topic="omzet.due", subject=subject, **m)
    if fresh:
        session.info[QUEUED] = True
    session.flush()
    return len(fresh)


def run_daily(session: Session, today: dt.date, config: Mapping[str, Any]) -> DailyReport:
    """Every daily reminder (the caller commits)."""
    return DailyReport(
        deadline_tomorrow(session, today, config),
        omzet_due(session, today, config),
        payment_due(session, today, config),
    )
