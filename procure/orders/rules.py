"""Pure order rules: transitions, working-day deadlines, late penalties, payment days, pass-on.

No Flask, no SQLAlchemy. Money is whole Rupiah; dates are Asia/Jakarta calendar dates.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from procure.clock import jakarta_date_or_none
from procure.formatting import rupiah, tanggal
from procure.input_rules import written_reason
from procure.umkm.rules import RuleError

# Which order transitions are possible: from -> {to}. Anything else is refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    "issued": frozenset({"accepted", "declined", "expired", "cancelled"}),
    "accepted": frozenset({"delivered", "cancelled"}),
    "delivered": frozenset({"received", "cancelled"}),
    "received": frozenset({"paid"}),
    "declined": frozenset(),
    "expired": frozenset(),
    # Only a reversal of a payment (procure.payments.services.reverse_payment) takes a paid
    # order back: it is owed again what the reversed payment had settled.
    "paid": frozenset({"received"}),
    "cancelled": frozenset(),
}
# Transitions that are not a step forward, named for the history and the audit log.
TRANSITION_LABELS = {("paid", "received"): "Pembayaran dikoreksi: belum lunas lagi"}

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


# == Orders: figures shown on an order and summed per OPD ======================================

# Orders that ended without delivery carry no late penalty.
NO_PENALTY_STATUSES = frozenset({"declined", "expired", "cancelled"})
CONDITIONS = ("baik", "kurang baik")
MIN_ORDER_REASON = 10


def check_order_reason(reason: str, what: str) -> str:
    """A decline or cancellation reason: at least ``MIN_ORDER_REASON`` characters."""
    return written_reason(
        reason,
        MIN_ORDER_REASON,
        f"Tulis alasan {what} minimal {MIN_ORDER_REASON} karakter agar bisa dipahami pihak lain.",
    )


def order_summary(order: Mapping[str, Any], today: dt.date) -> dict[str, int | None]:
    """Days late, late penalty, amount due and days to payment of one order.

    ``order`` is plain data: ``status``, ``value``, ``due_date``, ``delivered_on``,
    ``handed_over_on``, ``paid_on`` (dates or None). The late part is the whole order value.
    """
    due: dt.date = order["due_date"]
    delivered_on: dt.date | None = order.get("delivered_on")
    if order["status"] in NO_PENALTY_STATUSES:
        late, penalty = 0, 0
    else:
        late = days_late(due, delivered_on, today)
        penalty = late_penalty(order["value"], due, delivered_on, today)
    return {
        "days_late": late,
        "penalty": penalty,
        "amount_due": order["value"] - penalty,
        "days_to_payment": days_to_payment(
            order.get("handed_over_on"), order.get("paid_on"), today
        ),
    }


def order_figures(order: Any, today: dt.date) -> dict[str, int | None]:
    """Days late, penalty, amount due and days to payment of an order (any object with an
    order's attributes): ``order_summary`` of its dates in Jakarta."""
    return order_summary(
        {
            "status": order.status,
            "value": order.value,
            "due_date": order.due_date,
            "delivered_on": jakarta_date_or_none(order.delivered_at),
            "handed_over_on": handover_day(order),
            "paid_on": order.paid_on,
        },
        today,
    )


@dataclass(frozen=True)
class PaymentDays:
    """Days from handover to payment over a set of orders (one OPD)."""

    paid_count: int
    total_days: int
    waiting_count: int  # handed over, not yet paid
    longest_wait: int  # days the oldest unpaid handover has waited (0 when none)

    @property
    def average(self) -> Fraction | None:
        return Fraction(self.total_days, self.paid_count) if self.paid_count else None


def payment_days(rows: Iterable[tuple[dt.date, dt.date | None]], today: dt.date) -> PaymentDays:
    """Sum the days from handover to payment of paid orders; count the ones still waiting."""
    paid = waiting = total = longest = 0
    for handed_over_on, paid_on in rows:
        days = (paid_on or today) - handed_over_on
        if paid_on is None:
            waiting += 1
            longest = max(longest, days.days)
        else:
            paid += 1
            total += days.days
    return PaymentDays(paid, total, waiting, longest)


def pass_on_refusal(
    *,
    is_product_active: bool,
    umkm_status: str,
    unit_price: int,
    hps_unit_price: int,
    lead_time_days: int,
    today: dt.date,
    needed_by: dt.date,
) -> str | None:
    """Why a ranked offer can no longer take a passed-on part today (None: it can)."""
    if not is_product_active:
        return "produk nonaktif"
    if umkm_status != "verified":
        return "UMKM tidak lagi terverifikasi"
    if unit_price > hps_unit_price:
        return "harga sekarang di atas HPS"
    if today + dt.timedelta(days=lead_time_days) > needed_by:
        return "waktu pengerjaan melewati tanggal kebutuhan"
    return None


def pass_on_quantity(remaining: int, free_capacity: int, min_order: int) -> int:
    """What a ranked offer takes of a passed-on part: all it can, never below its minimum."""
    quantity = min(remaining, free_capacity)
    return quantity if quantity > 0 and quantity >= min_order else 0


# == Delivery, inspection team, handover date, payment amounts (issue 14) ======================

MAX_DELIVERY_NOTE = 500
MAX_TEAM = 5
MAX_MEMBER_NAME = 100
NIP_LENGTH = 18


def check_delivery_note(note: str | None) -> str:
    """The delivery note (surat jalan number or a short text): required, at most 500 chars."""
    cleaned = (note or "").strip()
    if not cleaned:
        raise RuleError(
            "Isi nomor surat jalan atau keterangan pengiriman, misalnya \u201cSJ-012/2026, "
            "dikirim dengan mobil boks\u201d."
        )
    if len(cleaned) > MAX_DELIVERY_NOTE:
        raise RuleError(f"Keterangan pengiriman maksimal {MAX_DELIVERY_NOTE} karakter.")
    return cleaned


def nip_problem(nip: str) -> str | None:
    """Why a NIP (Nomor Induk Pegawai, 18 digits) cannot be real (None: it can)."""
    if len(nip) != NIP_LENGTH or not (nip.isascii() and nip.isdigit()):
        return f"NIP harus {NIP_LENGTH} angka tanpa spasi atau titik."
    if len(set(nip)) == 1:
        return "NIP tidak boleh berisi satu angka yang diulang."
    return None


def check_inspection_team(members: Iterable[tuple[str, str]]) -> list[dict[str, str]]:
    """Tim Pemeriksa: 1 to 5 members, each a name and an 18-digit NIP, no NIP twice.

    Rows left entirely empty are skipped; the result is what ``inspection_team`` stores."""
    team: list[dict[str, str]] = []
    for raw_name, raw_nip in members:
        name = " ".join((raw_name or "").split())
        nip = "".join((raw_nip or "").split())
        if not name and not nip:
            continue
        number = len(team) + 1
        if not name:
            raise RuleError(f"Isi nama anggota tim pemeriksa ke-{number}.")
        if len(name) > MAX_MEMBER_NAME:
            raise RuleError(f"Nama anggota tim ke-{number} maksimal {MAX_MEMBER_NAME} karakter.")
        problem = nip_problem(nip)
        if problem:
            raise RuleError(f"Anggota tim ke-{number} ({name}): {problem}")
        if any(member["nip"] == nip for member in team):
            raise RuleError(f"NIP {nip} tercantum dua kali di tim pemeriksa.")
        team.append({"name": name, "nip": nip})
    if not team:
        raise RuleError("Isi paling sedikit satu anggota tim pemeriksa (nama dan NIP).")
    if len(team) > MAX_TEAM:
        raise RuleError(f"Tim pemeriksa paling banyak {MAX_TEAM} orang.")
    return team


def check_step_date(
    day: dt.date, label: str, previous: dt.date | None, previous_what: str, today: dt.date
) -> None:
    """An order step's date (``label``): not after today, not before the step it follows
    (``previous``, named ``previous_what``), in Jakarta dates."""
    if day > today:
        raise RuleError(f"{label} tidak boleh setelah hari ini.")
    if previous is not None and day < previous:
        raise RuleError(f"{label} tidak boleh sebelum {previous_what} ({tanggal(previous)}).")


def check_handover_date(chosen: dt.date, delivered_on: dt.date | None, today: dt.date) -> None:
    """The serah terima date: not after today, not before the delivery (Jakarta dates)."""
    check_step_date(chosen, "Tanggal serah terima", delivered_on, "barang dikirim", today)


def handover_day(order: Any) -> dt.date | None:
    """The serah terima date: the one the officer chose, else the day it was recorded."""
    chosen: dt.date | None = getattr(order, "handover_date", None)
    return chosen or jakarta_date_or_none(order.handed_over_at)


@dataclass(frozen=True)
class PaymentAmounts:
    """What an order's payment should be: Nilai bruto, Pajak dipotong, Dibayar neto.

    ``gross`` is the value handed over minus the late penalty (the amount due); ``withheld``
    is the PPh the Bendahara withholds (its line named ``tax_label``); ``net`` what is
    transferred. A penalty settled separately may leave up to ``penalty`` more in the net."""

    value: int  # what was handed over (received quantity x unit price)
    penalty: int
    withheld: int
    tax_label: str

    @property
    def gross(self) -> int:
        return self.value - self.penalty

    @property
    def net(self) -> int:
        return self.gross - self.withheld


def check_net_payment(amounts: PaymentAmounts, net: int) -> int:
    """Check the net amount transferred; returns how much more than the expected net it is
    (0 when equal; up to the penalty when the penalty was not withheld: allowed, flagged)."""
    if net <= 0:
        raise RuleError("Jumlah dibayar neto harus lebih dari Rp 0.")
    difference = net - amounts.net
    if difference == 0 or 0 < difference <= amounts.penalty:
        return difference
    penalty = f" \u2212 denda {rupiah(amounts.penalty)}" if amounts.penalty else ""
    raise RuleError(
        f"Dibayar neto seharusnya {rupiah(amounts.net)}: nilai {rupiah(amounts.value)}"
        f"{penalty} = Nilai bruto {rupiah(amounts.gross)}, dikurangi Pajak dipotong "
        f"{rupiah(amounts.withheld)} ({amounts.tax_label}). Jumlah {rupiah(net)} tidak "
        "sesuai; pembayaran belum dicatat."
    )
