"""Pure rules of the Surat Keterangan Riwayat Pesanan Pemerintah (docs/statements.md).

No Flask, no SQLAlchemy. Money is whole Rupiah (gross: what the Pemda owes before it withholds
taxes); dates are Asia/Jakarta calendar dates.

- the period a UMKM asks for: start <= end, not in the future, at most ``MAX_MONTHS`` months;
- per order, what it is worth to a bank: its value (what was handed over, the received
  quantity at the unit price, once inspected; the Surat Pesanan's value before), what has been
  paid (payments minus reversals), what is still owed to the UMKM; orders that ended without
  delivery (cancelled, declined, expired) are listed with their status and count in no total;
- the receivables outstanding: orders handed over (BAST) and not fully paid;
- the access code a bank types: random, unambiguous, grouped, normalised, stored hashed;
- the comparison of the figures as issued with the figures now.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass
from typing import Any

from procure.formatting import rupiah
from procure.orders.rules import STATUS_LABELS
from procure.umkm.rules import RuleError

MAX_MONTHS = 24
# Orders that ended without delivery: listed with their status, in no total.
ENDED_STATUSES = frozenset({"cancelled", "declined", "expired"})
# Handed over (BAST signed): what is not yet paid is a receivable.
HANDED_OVER_STATUSES = frozenset({"received", "paid"})


def _months_between(start: dt.date, end: dt.date) -> int:
    """Whole months from ``start`` to ``end`` (1 Jan -> 31 Dec is 11; -> 1 Jan next year 12)."""
    months = (end.year - start.year) * 12 + end.month - start.month
    return months - 1 if end.day < start.day else months


def check_period(start: dt.date | None, end: dt.date | None, today: dt.date) -> None:
    """Refuse a period a statement cannot cover, with a message that says why."""
    if start is None or end is None:
        raise RuleError("Isi tanggal awal dan tanggal akhir periode.")
    if start > end:
        raise RuleError("Tanggal awal periode harus sebelum atau sama dengan tanggal akhir.")
    if end > today:
        raise RuleError(
            "Periode tidak boleh melewati hari ini: surat keterangan hanya memuat pesanan "
            "yang sudah ada."
        )
    if _months_between(start, end) >= MAX_MONTHS:
        raise RuleError(f"Periode paling panjang {MAX_MONTHS} bulan. Perpendek periodenya.")


# == Figures ===================================================================================


@dataclass(frozen=True)
class PaymentRow:
    """One payment of an order, or a reversal (its amount negative), as the query reads it."""

    paid_on: dt.date
    amount: int  # gross; negative for a reversal
    reference: str
    is_reversal: bool = False


@dataclass(frozen=True)
class OrderRow:
    """One order whose Surat Pesanan was issued in the period, as the query reads it."""

    order_id: int
    sp_number: str | None
    sp_date: dt.date | None
    opd: str
    item: str
    quantity: int
    unit: str
    unit_price: int
    sp_value: int
    status: str
    received_quantity: int | None = None
    delivered_on: dt.date | None = None
    bast_on: dt.date | None = None
    penalty: int = 0  # the late penalty withheld from what is due (fixed once delivered)
    payments: tuple[PaymentRow, ...] = ()


def order_value(row: OrderRow) -> int:
    """What the order is worth: what was handed over once inspected, else the SP's value."""
    if row.received_quantity is not None and row.status not in ENDED_STATUSES:
        return row.received_quantity * row.unit_price
    return row.sp_value


def order_paid(row: OrderRow) -> int:
    """Payments minus reversals (a reversal row carries a negative amount)."""
    return sum(p.amount for p in row.payments)


def order_line(row: OrderRow) -> dict[str, Any]:
    """One order's line of the statement, as plain JSON-ready data."""
    counts = row.status not in ENDED_STATUSES
    value = order_value(row)
    paid = order_paid(row)
    handed_over = row.status in HANDED_OVER_STATUSES
    due = value - row.penalty if handed_over else None
    owed = max(0, due - paid) if due is not None else 0
    return {
        "order_id": row.order_id,
        "sp_number": row.sp_number,
        "sp_date": _iso(row.sp_date),
        "opd": row.opd,
        "item": row.item,
        "quantity": row.quantity,
        "received_quantity": row.received_quantity,
        "unit": row.unit,
        "unit_price": row.unit_price,
        "status": row.status,
        "status_label": STATUS_LABELS.get(row.status, row.status),
        "counts": counts,
        "value": value,
        "penalty": row.penalty,
        "amount_due": due,
        "paid": paid,
        "owed": owed,
        "delivered_on": _iso(row.delivered_on),
        "bast_on": _iso(row.bast_on),
        "payments": [
            {
                "paid_on": p.paid_on.isoformat(),
                "amount": p.amount,
                "reference": p.reference,
                "is_reversal": p.is_reversal,
            }
            for p in row.payments
        ],
    }


def _iso(day: dt.date | None) -> str | None:
    return day.isoformat() if day is not None else None


@dataclass(frozen=True)
class Totals:
    """The statement's totals over the orders that count (not ended without delivery)."""

    orders: int  # orders that count
    ended: int  # cancelled, declined or expired: listed, in no total
    value: int
    paid: int
    receivables: int  # handed over and not fully paid: what is still owed
    in_progress: int  # value of orders not yet handed over (not yet owed)


def totals(lines: Iterable[Mapping[str, Any]]) -> Totals:
    counted = ended = value = paid = owed = in_progress = 0
    for line in lines:
        if not line["counts"]:
            ended += 1
            continue
        counted += 1
        value += line["value"]
        paid += line["paid"]
        owed += line["owed"]
        if line["amount_due"] is None:
            in_progress += line["value"]
    return Totals(counted, ended, value, paid, owed, in_progress)


def statement_figures(
    rows: Sequence[OrderRow], period_start: dt.date, period_end: dt.date
) -> dict[str, Any]:
    """The statement's figures for these orders: lines (by SP date) and totals, JSON-ready.

    The same function gives the figures stored at issuance and the figures the verification
    page computes now, so the two compare field by field."""
    ordered = sorted(rows, key=lambda r: (r.sp_date or dt.date.min, r.order_id))
    lines = [order_line(r) for r in ordered]
    return {
        "period_start": period_start.isoformat(),
        "period_end": period_end.isoformat(),
        "orders": lines,
        "totals": asdict(totals(lines)),
    }


# == The comparison: as issued vs now ==========================================================

TOTAL_LABELS = {
    "orders": "Jumlah pesanan dihitung",
    "ended": "Pesanan batal/ditolak/kedaluwarsa",
    "value": "Nilai pesanan",
    "paid": "Sudah dibayar",
    "receivables": "Piutang belum dibayar",
    "in_progress": "Pesanan belum diserahterimakan",
}
MONEY_TOTALS = frozenset({"value", "paid", "receivables", "in_progress"})


@dataclass(frozen=True)
class OrderChange:
    """What changed on one order since issuance, in words (``notes``)."""

    order_id: int
    sp_number: str | None
    notes: tuple[str, ...]
    cancelled_since: bool = False
    paid_since: int = 0


@dataclass(frozen=True)
class Comparison:
    orders: tuple[OrderChange, ...]
    totals: tuple[tuple[str, int, int], ...]  # (label, as issued, now) of totals that differ

    @property
    def changed(self) -> bool:
        return bool(self.orders or self.totals)


def _order_notes(before: Mapping[str, Any], after: Mapping[str, Any]) -> OrderChange | None:
    notes: list[str] = []
    cancelled = before["counts"] and not after["counts"]
    if before["status"] != after["status"]:
        notes.append(f"Status berubah: {before['status_label']} \u2192 {after['status_label']}")
    if cancelled:
        notes.append("Pesanan ini berakhir tanpa serah terima sejak surat terbit")
    if before["value"] != after["value"]:
        notes.append(f"Nilai berubah: {rupiah(before['value'])} \u2192 {rupiah(after['value'])}")
    paid_since = after["paid"] - before["paid"]
    if paid_since > 0:
        notes.append(f"Dibayar sejak surat terbit: {rupiah(paid_since)}")
    elif paid_since < 0:
        notes.append(f"Pembayaran dikoreksi (dibatalkan) sejak surat terbit: {rupiah(-paid_since)}")
    if before["owed"] != after["owed"]:
        notes.append(
            f"Sisa yang belum dibayar: {rupiah(before['owed'])} \u2192 {rupiah(after['owed'])}"
        )
    if not notes:
        return None
    return OrderChange(
        after["order_id"],
        after["sp_number"],
        tuple(notes),
        cancelled_since=cancelled,
        paid_since=max(0, paid_since),
    )


def compare(issued: Mapping[str, Any], now: Mapping[str, Any]) -> Comparison:
    """Per order and in total, what differs between the figures as issued and now."""
    before = {line["order_id"]: line for line in issued["orders"]}
    after = {line["order_id"]: line for line in now["orders"]}
    changes: list[OrderChange] = []
    for order_id, line in before.items():
        if order_id not in after:
            changes.append(
                OrderChange(order_id, line["sp_number"], ("Tidak lagi tercantum pada data kini",))
            )
            continue
        change = _order_notes(line, after[order_id])
        if change is not None:
            changes.append(change)
    for order_id, line in after.items():
        if order_id not in before:
            changes.append(
                OrderChange(order_id, line["sp_number"], ("Belum tercantum saat surat terbit",))
            )
    totals_changed = tuple(
        (label, int(issued["totals"][key]), int(now["totals"][key]))
        for key, label in TOTAL_LABELS.items()
        if issued["totals"][key] != now["totals"][key]
    )
    return Comparison(tuple(changes), totals_changed)


def comparison_to_dict(comparison: Comparison) -> dict[str, Any]:
    return {
        "changed": comparison.changed,
        "orders": [asdict(c) | {"notes": list(c.notes)} for c in comparison.orders],
        "totals": [{"label": label, "as_issued": a, "now": b} for label, a, b in comparison.totals],
    }


# == The access code ===========================================================================

# No 0/O, 1/I/L: a code read over the phone or copied from paper cannot be mistyped that way.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 12
CODE_GROUP = 4
_SCRYPT = {"n": 2**14, "r": 8, "p": 1}


def new_access_code() -> str:
    """12 random characters of ``CODE_ALPHABET`` grouped ``XXXX-XXXX-XXXX`` (~59 bits)."""
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(raw[i : i + CODE_GROUP] for i in range(0, CODE_LENGTH, CODE_GROUP))


def normalise_code(typed: str) -> str:
    """The code as typed, without case, spaces or dashes: ``abcd efgh-jkmn`` -> ``ABCDEFGHJKMN``."""
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())[:64]


def hash_code(code: str, salt: bytes | None = None) -> str:
    """``scrypt$<salt hex>$<hash hex>`` of the normalised code (the code itself is never kept)."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(normalise_code(code).encode("ascii", "ignore"), salt=salt, **_SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def code_matches(typed: str, stored: str | None) -> bool:
    """Whether ``typed`` (any case, spaces, dashes) is the code ``stored`` was made from."""
    if not stored:
        return False
    try:
        scheme, salt_hex, digest_hex = stored.split("$")
        salt = bytes.fromhex(salt_hex)
    except ValueError:
        return False
    if scheme != "scrypt":
        return False
    candidate = hash_code(typed, salt).split("$")[2]
    return hmac.compare_digest(candidate, digest_hex)


def throttled(failures_for_statement: int, failures_for_client: int, limit: int) -> bool:
    """Whether another attempt is refused: ``limit`` wrong codes in the window for this
    statement, or from this client address, whichever is reached first."""
    return failures_for_statement >= limit or failures_for_client >= limit
