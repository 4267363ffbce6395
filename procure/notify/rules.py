"""Pure rules of the notifications: when to try again, how a recipient is shown, phone numbers.

No Flask, no SQLAlchemy.
"""

from __future__ import annotations

import datetime as dt
import re

# Wait before the 2nd, 3rd... attempt after a transient failure; the last step repeats.
BACKOFF = (
    dt.timedelta(minutes=1),
    dt.timedelta(minutes=5),
    dt.timedelta(minutes=30),
    dt.timedelta(hours=2),
    dt.timedelta(hours=6),
)

STATUS_LABELS = {
    "pending": "Menunggu",
    "sending": "Sedang dikirim",
    "sent": "Terkirim",
    "failed": "Gagal",
    "skipped": "Dilewati",
}

CHANNEL_LABELS = {"email": "E-mail", "whatsapp": "WhatsApp"}

TOPIC_LABELS = {
    "order.new": "Pesanan baru",
    "order.deadline": "Batas jawab besok",
    "order.declined": "Pesanan ditolak",
    "order.expired": "Pesanan kedaluwarsa",
    "order.delivered": "Barang dikirim, perlu diperiksa",
    "order.paid": "Pembayaran",
    "omzet.due": "Omzet belum dilaporkan",
    "payment.due": "Pengingat jatuh tempo bayar",
    "password.reset": "Atur ulang kata sandi",
}


def retry_delay(attempts: int) -> dt.timedelta:
    """The wait after the ``attempts``-th failed attempt (1 = the first)."""
    return BACKOFF[min(max(attempts, 1), len(BACKOFF)) - 1]


def next_attempt(attempts: int, max_attempts: int, now: dt.datetime) -> dt.datetime | None:
    """When to try again after the ``attempts``-th transient failure; None: give up."""
    if attempts >= max_attempts:
        return None
    return now + retry_delay(attempts)


def mask_email(address: str) -> str:
    """``si***@contoh.id``: enough to recognise, not to harvest."""
    local, at, domain = address.partition("@")
    if not at:
        return mask_phone(address)
    return f"{local[:2]}***@{domain}"


def mask_phone(number: str) -> str:
    """``6281******890``: the operator prefix and the last three digits."""
    digits = re.sub(r"\D", "", number)
    if len(digits) <= 7:
        return "*" * len(digits)
    return digits[:4] + "*" * (len(digits) - 7) + digits[-3:]


def mask(channel: str, recipient: str) -> str:
    return mask_email(recipient) if channel == "email" else mask_phone(recipient)


def whatsapp_number(phone: str | None) -> str | None:
    """An Indonesian mobile number as the providers want it (``628…``), else None."""
    digits = re.sub(r"\D", "", phone or "")
    if digits.startswith("0"):
        digits = "62" + digits[1:]
    elif digits.startswith("8"):
        digits = "62" + digits
    return digits if re.fullmatch(r"628\d{7,12}", digits) else None


def one_line(text: str) -> str:
    """A WhatsApp template parameter holds no line breaks, tabs or 4+ spaces in a row."""
    return re.sub(r"\s*\n\s*", " · ", text.strip()).replace("\t", " ")
