"""Pure purchase-request rules: value cap, portions, package splitting.

No Flask, no SQLAlchemy. Money is whole Rupiah; dates are Asia/Jakarta calendar dates. The
order rules (transitions, deadlines, penalties, pass-on) are in ``procure.orders.rules``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

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


def split_note(suspect_ids: list[int]) -> str | None:
    """The flag's sentence on the request page, naming the earlier requests (None: no flag)."""
    if not suspect_ids:
        return None
    return (
        "Kemungkinan pemecahan paket: bersama permintaan "
        + ", ".join(f"#{i}" for i in suspect_ids)
        + " dalam 14 hari nilainya melebihi batas katalog."
    )


MIN_CANCEL_REASON = 10


def check_cancel_reason(reason: str) -> str:
    """A cancellation needs a reason of at least ``MIN_CANCEL_REASON`` characters; returns it
    stripped."""
    reason = " ".join(reason.split())
    if len(reason) < MIN_CANCEL_REASON:
        raise RuleError(
            f"Tulis alasan pembatalan (minimal {MIN_CANCEL_REASON} karakter), misalnya "
            "\u201cacara ditunda ke tahun depan\u201d."
        )
    return reason


# The request's terms the policy reads: a run made on other terms is stale.
POLICY_TERMS = ("category_id", "kind_id", "quantity", "unit", "hps_unit_price", "needed_by")


def run_is_current(stored: Mapping[str, Any], current: Mapping[str, Any]) -> bool:
    """Whether a stored run's request (``Result.request`` as stored) has the current terms.

    A term the run did not store (a pemerataan-v1 run has no kind) is not compared. Dates are
    compared as ISO text, as runs store them."""
    return all(
        str(stored[name]) == str(current[name])
        for name in POLICY_TERMS
        if name in stored and name in current
    )


def changed_terms(stored: Mapping[str, Any], current: Mapping[str, Any]) -> tuple[str, ...]:
    """The policy terms that differ (names from ``POLICY_TERMS``), for the page's note."""
    return tuple(
        name
        for name in POLICY_TERMS
        if name in stored and name in current and str(stored[name]) != str(current[name])
    )


def earliest_ready(today: dt.date, lead_time_days: int) -> dt.date:
    """The first day an offer with this lead time can deliver (``t + lead time``)."""
    return today + dt.timedelta(days=lead_time_days)


def needed_by_unreachable(
    today: dt.date, needed_by: dt.date, shortest_lead_time: int | None
) -> bool:
    """No listed offer of the kind can be ready by the needed-by date (eligibility rule 4):
    also true when the kind has no listed offer at all."""
    return shortest_lead_time is None or earliest_ready(today, shortest_lead_time) > needed_by
