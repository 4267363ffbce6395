"""Pure rules of the inspector's portal: filter input, red-flag thresholds and their wording.

No Flask, no SQLAlchemy, no pandas. Money is whole Rupiah; dates are Asia/Jakarta calendar
dates. The queries that feed these functions live in ``services`` and ``red_flags``; the rule
for the same UMKM chosen again and again is in ``repeats``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from procure.formatting import number, rupiah, tanggal
from procure.input_rules import parse_date
from procure.orders.rules import (
    NO_PENALTY_STATUSES,
    STATUS_LABELS,
    days_late,
    late_penalty,
    order_summary,
)
from procure.payments.calendar import days_overdue
from procure.umkm.rules import RuleError

# Kinds in the order the list and the home page show them.
FLAG_KINDS = {
    "override": "Override alokasi",
    "excess_portions": "Porsi melebihi undangan",
    "split_suspect": "Kemungkinan pemecahan paket",
    "late_no_penalty": "Terlambat tanpa denda",
    "slow_payment": "Pembayaran lambat",
    "payment_overdue": "Lewat jatuh tempo bayar",
    "repeat_umkm": "UMKM yang sama berulang",
    "omzet_below_sales": "Omzet di bawah penjualan platform",
}
PAYMENT_DAYS_FLAG_DEFAULT = 14  # SIPLah pays within a day; two weeks is already a burden
EXPORT_XLSX_MAX_ROWS = 50_000  # an XLSX is built in memory; the CSV streams any size

YES_NO = {"ya": True, "tidak": False}

EXPORT_COLUMNS = (
    "Nomor pesanan",
    "Nomor SP",
    "OPD",
    "UMKM",
    "NIB",
    "Kategori",
    "Paket",
    "Volume",
    "Satuan",
    "Harga satuan",
    "Nilai",
    "Status",
    "Diterbitkan",
    "Jatuh tempo",
    "Dikirim",
    "Diserahterimakan",
    "Dibayar",
    "Hari sampai bayar",
    "Terlambat (hari)",
    "Denda",
    "Override",
    "Alasan override",
)


# == Filter input ================================================================================


# One date rule for every filter (formats, and a range that never overflows in UTC).
parse_filter_date = parse_date


def check_period(start: dt.date | None, end: dt.date | None) -> None:
    """The period filter must not end before it starts."""
    if start is not None and end is not None and start > end:
        raise RuleError(
            f"Tanggal awal ({tanggal(start)}) setelah tanggal akhir ({tanggal(end)}). "
            "Tukar kedua tanggal itu."
        )


def parse_yes_no(text: str | None, label: str) -> bool | None:
    """``ya`` / ``tidak`` / empty (both) from a filter select."""
    cleaned = (text or "").strip().lower()
    if not cleaned:
        return None
    if cleaned not in YES_NO:
        raise RuleError(f"Pilihan {label} harus \u201cya\u201d, \u201ctidak\u201d atau kosong.")
    return YES_NO[cleaned]


# == Orders: late, export row ====================================================================


def is_late(status: str, due: dt.date, delivered_on: dt.date | None, today: dt.date) -> bool:
    """Delivered after the due date, or not delivered and past it (ended orders never are)."""
    return status not in NO_PENALTY_STATUSES and days_late(due, delivered_on, today) > 0


def export_row(order: Mapping[str, Any], today: dt.date) -> list[Any]:
    """One order as the values of ``EXPORT_COLUMNS``: amounts and counts as int, dates as dates.

    ``order`` is plain data with the keys ``id, sp_number, opd, umkm, nib, category, title,
    quantity, unit, unit_price, value, status, issued_on, due_date, delivered_on,
    handed_over_on, paid_on, is_override, override_reason``.
    """
    figures = order_summary(order, today)
    return [
        order["id"],
        order["sp_number"] or "",
        order["opd"],
        order["umkm"],
        order["nib"],
        order["category"],
        order["title"],
        order["quantity"],
        order["unit"],
        order["unit_price"],
        order["value"],
        STATUS_LABELS.get(order["status"], order["status"]),
        order["issued_on"],
        order["due_date"],
        order["delivered_on"],
        order["handed_over_on"],
        order["paid_on"],
        figures["days_to_payment"],
        figures["days_late"],
        figures["penalty"],
        "Ya" if order["is_override"] else "Tidak",
        order["override_reason"] or "",
    ]


# == Red flags ===================================================================================


@dataclass(frozen=True)
class RedFlag:
    """One thing an auditor should look at, with the evidence in words."""

    kind: str
    on: dt.date
    opd: str | None
    umkms: tuple[str, ...]
    evidence: str
    request_id: int | None = None
    order_id: int | None = None
    umkm_id: int | None = None  # omzet flags link to the UMKM's omzet history
    earlier_request_ids: tuple[int, ...] = ()  # a repeated choice links every request

    @property
    def kind_label(self) -> str:
        return FLAG_KINDS.get(self.kind, self.kind)


def sort_flags(flags: Iterable[RedFlag]) -> list[RedFlag]:
    """Newest first; within a day by kind (as in ``FLAG_KINDS``), then by request and order."""
    order = {kind: i for i, kind in enumerate(FLAG_KINDS)}
    return sorted(
        flags,
        key=lambda f: (
            -f.on.toordinal(),
            order.get(f.kind, len(order)),
            f.request_id or 0,
            f.order_id or 0,
            f.umkm_id or 0,
        ),
    )


def count_by_kind(flags: Iterable[RedFlag]) -> dict[str, int]:
    """How many flags of each kind (every kind present, zero included)."""
    counts = dict.fromkeys(FLAG_KINDS, 0)
    for flag in flags:
        counts[flag.kind] = counts.get(flag.kind, 0) + 1
    return counts


def _names(names: Sequence[str]) -> str:
    return ", ".join(names) if names else "tidak ada"


def override_text(
    reason: str | None, decided_by: str, proposed: Sequence[str], chosen: Sequence[str]
) -> str:
    """(a) The officer chose other offers than the policy proposed."""
    return (
        f"Usulan sistem: {_names(proposed)}. Dipilih: {_names(chosen)}. "
        f"Alasan: \u201c{reason or '-'}\u201d. Diputuskan oleh {decided_by.rstrip('.')}."
    )


def excess_portions_text(
    quantity: int, unit: str, attendees: int, event_name: str | None, reason: str | None
) -> str:
    """(b) More portions than expected attendees."""
    event = f" untuk {event_name}" if event_name else ""
    return (
        f"{number(quantity)} {unit}{event}, peserta undangan {number(attendees)}: "
        f"lebih {number(quantity - attendees)}. Alasan: \u201c{reason or '-'}\u201d."
    )


def split_text(value: int, note: str | None) -> str:
    """(c) Requests of one OPD and category close together that cross the cap together."""
    return f"Nilai permintaan ini {rupiah(value)}. " + (
        note or "Bersama permintaan lain yang berdekatan, nilainya melebihi batas katalog."
    )


@dataclass(frozen=True)
class UnchargedPenalty:
    days_late: int
    penalty: int
    expected: int  # the value minus the penalty: the most that should have been paid
    paid: int
    uncharged: int  # the part of the penalty that was not deducted


def uncharged_penalty(
    value: int, due: dt.date, delivered_on: dt.date | None, paid: int | None
) -> UnchargedPenalty | None:
    """(d) A late delivery paid more than its value minus the penalty (None: nothing wrong)."""
    if delivered_on is None or paid is None:
        return None
    late = days_late(due, delivered_on, delivered_on)
    if late <= 0:
        return None
    penalty = late_penalty(value, due, delivered_on, delivered_on)
    expected = value - penalty
    if penalty <= 0 or paid <= expected:
        return None
    return UnchargedPenalty(late, penalty, expected, paid, min(penalty, paid - expected))


def uncharged_penalty_text(found: UnchargedPenalty, due: dt.date, delivered_on: dt.date) -> str:
    what = (
        "denda tidak dipotong"
        if found.uncharged == found.penalty
        else f"denda yang tidak dipotong {rupiah(found.uncharged)}"
    )
    return (
        f"Dikirim {tanggal(delivered_on)}, {found.days_late} hari setelah jatuh tempo "
        f"{tanggal(due)}. Denda {rupiah(found.penalty)}; dibayar {rupiah(found.paid)}, "
        f"seharusnya paling banyak {rupiah(found.expected)}: {what}."
    )


def slow_payment_days(
    handed_over_on: dt.date | None, paid_on: dt.date | None, today: dt.date, limit: int
) -> int | None:
    """(e) Days from handover to payment (still counting while unpaid) when above ``limit``."""
    if handed_over_on is None:
        return None
    days = ((paid_on or today) - handed_over_on).days
    return days if days > limit else None


def overdue_payment_days(
    due: dt.date | None, paid_on: dt.date | None, today: dt.date
) -> int | None:
    """(e2) Calendar days past the order's payment due date: until paid, or until today while
    unpaid; None when paid on time, not yet due, or without a due date."""
    days = days_overdue(due, paid_on, today)
    return days if days > 0 else None


def overdue_payment_text(days: int, due: dt.date, paid_on: dt.date | None) -> str:
    if paid_on is None:
        return f"Belum dibayar, {days} hari lewat jatuh tempo bayar {tanggal(due)}."
    return f"Dibayar {tanggal(paid_on)}, {days} hari setelah jatuh tempo bayar {tanggal(due)}."


def slow_payment_text(
    days: int, handed_over_on: dt.date, paid_on: dt.date | None, limit: int
) -> str:
    if paid_on is None:
        return (
            f"Belum dibayar {days} hari sejak serah terima {tanggal(handed_over_on)} "
            f"(batas {limit} hari)."
        )
    return (
        f"Dibayar {tanggal(paid_on)}, {days} hari setelah serah terima "
        f"{tanggal(handed_over_on)} (batas {limit} hari)."
    )
