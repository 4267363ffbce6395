"""Pure purchase-request rules: value cap, portions, package splitting.

No Flask, no SQLAlchemy. Money is whole Rupiah; dates are Asia/Jakarta calendar dates. The
order rules (transitions, deadlines, penalties, pass-on) are in ``procure.orders.rules``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from procure.umkm.rules import RuleError


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
