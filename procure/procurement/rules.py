"""Pure procurement rules: value cap, portions, package splitting, deadlines, penalties.

No Flask, no SQLAlchemy. Money is whole Rupiah; dates are Asia/Jakarta calendar dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from fractions import Fraction

from procure.umkm.rules import RuleError

# Which order transitions are possible: from -> {to}. Anything else is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    "issued": frozenset({"accepted", "declined", "expired", "cancelled"}),
    "accepted": frozenset({"delivered", "cancelled"}),
    "delivered": frozenset({"received", "cancelled"}),
    "received": frozenset({"paid"}),
    "declined": frozenset(),
    "expired": frozenset(),
    "paid": frozenset(),
    "cancelled": frozenset(),
}

STATUS_LABELS = {
    "issued": "Menunggu jawaban UMKM",
    "accepted": "Diterima UMKM, sedang dikerjakan",
    "declined": "Ditolak UMKM",
    "expired": "Kedaluwarsa (tidak dijawab)",
    "delivered": "Dikirim, menunggu pemeriksaan",
    "received": "Diperiksa dan diserahterimakan",
    "paid": "Lunas",
    "cancelled": "Dibatalkan",
}


def check_transition(current: str, target: str) -> None:
    """Refuse an impossible transition with a message that names both states."""
    if target not in TRANSITIONS.get(current, frozenset()):
        raise RuleError(
            f"Pesanan berstatus \u201c{STATUS_LABELS.get(current, current)}\u201d tidak bisa "
            f"diubah menjadi \u201c{STATUS_LABELS.get(target, target)}\u201d."
        )


def check_value_cap(quantity: int, hps_unit_price: int, cap: int) -> None:
    """A request above the local e-catalog cap must take another route (Blangkon: Rp50 jt)."""
    value = quantity * hps_unit_price
    if value > cap:
        raise RuleError(
            f"Nilai paket Rp {value:,} melebihi batas katalog lokal Rp {cap:,}. Gunakan "
            "e-purchasing katalog nasional/sektoral atau metode pengadaan lain sesuai "
            "Perpres 16/2018 (jangan memecah paket agar di bawah batas).".replace(",", ".")
        )


MIN_EXCESS_REASON = 20


def check_portions(quantity: int, expected_attendees: int | None, excess_reason: str) -> bool:
    """Konsumsi: more portions than attendees needs a reason; True means flag it."""
    if expected_attendees is None or quantity <= expected_attendees:
        return False
    if len(excess_reason.strip()) < MIN_EXCESS_REASON:
        raise RuleError(
            f"Jumlah porsi ({quantity}) melebihi peserta ({expected_attendees}). Tulis alasannya "
            f"(minimal {MIN_EXCESS_REASON} karakter) atau kurangi jumlahnya."
        )
    return True


@dataclass(frozen=True)
class PriorRequest:
    id: int
    value: int
    created_on: dt.date


def split_suspects(
    value: int, created_on: dt.date, prior: list[PriorRequest], cap: int, window_days: int
) -> list[PriorRequest]:
    """Possible pemecahan paket: same OPD and category within ``window_days`` summing over cap.

    Returns the earlier requests that together with this one cross the cap (empty: no flag).
    """
    since = created_on - dt.timedelta(days=window_days)
    near = [p for p in prior if since <= p.created_on <= created_on]
    if near and value + sum(p.value for p in near) > cap:
        return sorted(near, key=lambda p: p.id)
    return []


def add_working_days(start: dt.date, days: int) -> dt.date:
    """``days`` working days after ``start``, skipping Saturdays and Sundays."""
    current = start
    added = 0
    while added < days:
        current += dt.timedelta(days=1)
        if current.weekday() < 5:
            added += 1
    return current


def late_penalty(
    late_value: int, due: dt.date, delivered_on: dt.date | None, today: dt.date
) -> int:
    """1/1000 of the late part's value per day late (rounded half up, whole Rupiah)."""
    end = delivered_on or today
    days = (end - due).days
    if days <= 0:
        return 0
    return int(Fraction(late_value * days, 1000) + Fraction(1, 2))


def days_late(due: dt.date, delivered_on: dt.date | None, today: dt.date) -> int:
    return max(0, ((delivered_on or today) - due).days)


def days_to_payment(
    handed_over_on: dt.date | None, paid_on: dt.date | None, today: dt.date
) -> int | None:
    """Days from handover (BAST) to payment; still counting while unpaid."""
    if handed_over_on is None:
        return None
    return ((paid_on or today) - handed_over_on).days
