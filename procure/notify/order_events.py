"""The messages an order's steps cause, queued in the outbox with the step's own transaction.

``procure.orders.events.log_event`` (every status change) and the first issue of an order call
``on_order_event``. Every message has a stable ``dedupe_key`` (the order, the step, the
channel), so a step repeated or replayed queues nothing more. To the UMKM: a new order (with
its response deadline) and a payment (the net amount transferred), by e-mail to the owner's
account and by WhatsApp to the business's phone when WhatsApp is configured. To the officer
who issued the order (e-mail, and WhatsApp to the officer's phone when configured): an order
declined or expired (passed on), a delivery to inspect.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy.orm import Session

from procure.auth.models import User
from procure.db import utcnow
from procure.formatting import rupiah, tanggal
from procure.links import public_link
from procure.notify.models import Channel
from procure.notify.outbox import enqueue
from procure.notify.senders import whatsapp_enabled
from procure.procurement.models import PurchaseOrder

PAST = dt.timedelta(hours=12)


def app_config() -> Mapping[str, Any]:
    """The running app's settings (a request, a CLI command, a job), or none."""
    from flask import current_app, has_app_context

    return current_app.config if has_app_context() else {}


def link(config: Mapping[str, Any], path: str) -> str | None:
    """An absolute link for a message (``PUBLIC_BASE_URL``), or None outside an app."""
    return public_link(config, path) if config.get("PUBLIC_BASE_URL") else None


def signature(config: Mapping[str, Any]) -> str:
    return f"Procure {config.get('PEMDA_CITY') or ''}".strip()


def with_link(text: str, config: Mapping[str, Any], path: str, label: str) -> str:
    url = link(config, path)
    return f"{text}\n{label}: {url}" if url else text


def letter(greeting: str, order: PurchaseOrder, text: str, config: Mapping[str, Any]) -> str:
    """A message about ``order``: "Yth. ``greeting``", ``text``, the order's link and the
    signature."""
    body = with_link(
        f"Yth. {greeting},\n\n{text}", config, f"/pengadaan/pesanan/{order.id}", "Buka pesanan"
    )
    return f"{body}\n\n{signature(config)}"


def letter_to_umkm(order: PurchaseOrder, text: str, config: Mapping[str, Any]) -> str:
    """A message to ``order``'s UMKM, greeting its owner (``letter``)."""
    umkm = order.umkm
    return letter(f"{umkm.owner_name} ({umkm.business_name})", order, text, config)


def to_person(
    session: Session,
    user: User | None,
    phone: str | None,
    message: tuple[str, str, str, str],
    config: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> None:
    """``message`` (topic, key, subject, body) by e-mail to ``user``'s account and by WhatsApp
    to ``phone`` when the channel is on."""
    topic, key, subject, body = message
    if user is not None:
        enqueue(
            session,
            channel=Channel.EMAIL,
            recipient=user.email,
            topic=topic,
            subject=subject,
            body=body,
            dedupe_key=f"{key}:email",
            user_id=user.id,
            now=now,
        )
    if phone and whatsapp_enabled(config):
        enqueue(
            session,
            channel=Channel.WHATSAPP,
            recipient=phone,
            topic=topic,
            subject=subject,
            body=body,
            dedupe_key=f"{key}:whatsapp",
            user_id=user.id if user else None,
            now=now,
        )


def to_umkm(
    session: Session,
    order: PurchaseOrder,
    topic: str,
    key: str,
    subject: str,
    body: str,
    config: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> None:
    """E-mail to the UMKM's account, WhatsApp to the business's phone when the channel is on."""
    umkm = order.umkm
    to_person(session, umkm.owner, umkm.phone, (topic, key, subject, body), config, now)


def to_officer(
    session: Session,
    order: PurchaseOrder,
    message: tuple[str, str, str, str],
    config: Mapping[str, Any],
    now: dt.datetime | None = None,
) -> None:
    """E-mail to the officer who issued ``order``, WhatsApp to the officer's phone when the
    channel is on."""
    officer = session.get(User, order.issued_by_id)
    if officer is not None:
        to_person(session, officer, officer.phone, message, config, now)


def _what(order: PurchaseOrder) -> str:
    product = order.product
    return f"{order.quantity} {product.unit} {product.name}"


def new_order(
    session: Session, order: PurchaseOrder, config: Mapping[str, Any], now: dt.datetime | None
) -> None:
    opd = order.request.opd
    subject = f"Pesanan baru SP #{order.id}: jawab paling lambat {tanggal(order.response_deadline)}"
    body = letter_to_umkm(
        order,
        f"Ada pesanan baru dari {opd.name}: {_what(order)}, nilai {rupiah(order.value)}.\n"
        f"Mohon jawab (terima atau tolak) paling lambat {tanggal(order.response_deadline)}. "
        "Bila tidak dijawab, pesanan dialihkan ke UMKM berikutnya.",
        config,
    )
    to_umkm(session, order, "order.new", f"order.new:{order.id}", subject, body, config, now)


def paid(
    session: Session, order: PurchaseOrder, config: Mapping[str, Any], now: dt.datetime | None
) -> None:
    net = order.payment_amount
    gross = order.payment_gross or order.value
    withheld = order.payment_withheld
    lines = [f"Nilai bruto: {rupiah(gross)}"]
    if withheld:
        lines.append(f"Pajak dipotong: {rupiah(withheld)}")
    lines.append(f"Dibayar neto: {rupiah(net)}")
    subject = f"Pembayaran SP #{order.id}: {rupiah(net)} ditransfer"
    text = (
        f"Pesanan SP #{order.id} ({_what(order)}) sudah dibayar"
        + (f" pada {tanggal(order.paid_on)}" if order.paid_on else "")
        + (f", referensi {order.payment_reference}" if order.payment_reference else "")
        + ".\n"
        + "\n".join(lines)
        + "\nKuitansi dan dokumen lain ada di halaman pesanan."
    )
    body = letter_to_umkm(order, text, config)
    to_umkm(session, order, "order.paid", f"order.paid:{order.id}", subject, body, config, now)


def passed_on(
    session: Session,
    order: PurchaseOrder,
    to_status: str,
    config: Mapping[str, Any],
    now: dt.datetime | None,
) -> None:
    umkm = order.umkm
    if to_status == "declined":
        why = f"ditolak oleh {umkm.business_name}"
        if order.decline_reason:
            why += f" (alasan: {order.decline_reason})"
    else:
        why = (
            f"kedaluwarsa: {umkm.business_name} tidak menjawab sampai "
            f"{tanggal(order.response_deadline)}"
        )
    subject = f"SP #{order.id} {'ditolak' if to_status == 'declined' else 'kedaluwarsa'}"
    body = (
        f"Pesanan SP #{order.id} ({_what(order)}, {rupiah(order.value)}) {why}.\n"
        "Bagiannya dialihkan otomatis ke UMKM berikutnya di peringkat; bila tidak ada lagi, "
        "permintaan perlu ditindaklanjuti."
    )
    body = with_link(body, config, f"/pengadaan/pesanan/{order.id}", "Buka pesanan")
    body += f"\n\n{signature(config)}"
    topic = f"order.{to_status}"
    to_officer(session, order, (topic, f"{topic}:{order.id}", subject, body), config, now)


def delivered(
    session: Session, order: PurchaseOrder, config: Mapping[str, Any], now: dt.datetime | None
) -> None:
    umkm = order.umkm
    subject = f"SP #{order.id} sudah dikirim: mohon diperiksa"
    body = (
        f"{umkm.business_name} menyatakan barang pesanan SP #{order.id} ({_what(order)}) "
        "sudah dikirim.\nMohon periksa barangnya, lalu catat hasil pemeriksaan dan serah terima."
    )
    if order.delivery_note:
        body += f"\nSurat jalan: {order.delivery_note}"
    body = with_link(body, config, f"/pengadaan/pesanan/{order.id}", "Buka pesanan")
    body += f"\n\n{signature(config)}"
    key = f"order.delivered:{order.id}"
    to_officer(session, order, ("order.delivered", key, subject, body), config, now)


def on_order_event(
    session: Session,
    order: PurchaseOrder,
    to_status: str,
    *,
    now: dt.datetime | None = None,
    config: Mapping[str, Any] | None = None,
) -> None:
    """Queue the messages ``order`` reaching ``to_status`` causes (none for most steps).

    A step dated well in the past (the demo's year of history, a data load) is not news:
    it queues nothing."""
    if now is not None and now < utcnow() - PAST:
        return
    config = app_config() if config is None else config
    if to_status == "issued":
        new_order(session, order, config, now)
    elif to_status == "paid":
        paid(session, order, config, now)
    elif to_status in ("declined", "expired"):
        passed_on(session, order, to_status, config, now)
    elif to_status == "delivered":
        delivered(session, order, config, now)
