"""Payments as they happened, pure: methods and their references, amounts, partial payments,
overpayment and reversals.

No Flask, no SQLAlchemy. Money is whole Rupiah. A payment's ``gross`` (Nilai bruto) is what it
settles of the order's amount due (the value handed over minus the late penalty); the taxes
the Bendahara withholds from it (Pajak dipotong) are listed one by one; ``net`` (Dibayar neto)
is what was transferred: exactly gross minus the taxes. What an order has been paid is the sum
of its payments minus the payments reversed; a mistaken payment is never edited, only reversed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

from procure.formatting import rupiah, tanggal
from procure.input_rules import written_reason
from procure.orders.rules import check_step_date
from procure.umkm.rules import RuleError

MAX_REFERENCE = 100
MAX_TAX_LABEL = 100
MAX_TAX_LINES = 3
MIN_REVERSAL_REASON = 10


@dataclass(frozen=True)
class Method:
    """How the Pemda paid, and what its reference is."""

    code: str
    label: str
    reference_label: str
    reference_example: str
    needs_reference_date: bool = False
    is_cash: bool = False


SP2D_LS = "sp2d_ls"
KKPD = "kkpd"
QRIS = "qris"
TRANSFER = "transfer"
CASH_UP = "cash_up"

METHODS: dict[str, Method] = {
    m.code: m
    for m in (
        Method(
            SP2D_LS,
            "Transfer SP2D-LS (langsung dari kas daerah)",
            "Nomor SP2D",
            "0123/SP2D-LS/1.02.01/2026",
            needs_reference_date=True,
        ),
        Method(
            KKPD,
            "Kartu Kredit Pemerintah Daerah (KKPD)",
            "Kode persetujuan (approval code) atau nomor transaksi di slip kartu",
            "A1B2C3",
        ),
        Method(
            QRIS,
            "QRIS dengan kartu pemerintah (KKPD)",
            "RRN QRIS (12 angka) atau kode persetujuan (6 huruf/angka)",
            "412345678901",
        ),
        Method(
            TRANSFER,
            "Transfer dari rekening Bendahara Pengeluaran",
            "Nomor referensi transfer",
            "TRF-20260312-0042",
        ),
        Method(
            CASH_UP,
            "Tunai dari Uang Persediaan (UP)",
            "Nomor BKU atau nomor bukti kas",
            "BKU-0187/2026",
            is_cash=True,
        ),
    )
}
# Payments recorded before the method was asked for have none.
NO_METHOD_LABEL = "Tidak dicatat (sebelum metode pembayaran diminta)"

_QRIS = re.compile(r"^(?:\d{12}|[A-Za-z0-9]{6})$")
_DIGIT_RUN = re.compile(r"\d+")


def method_label(code: str | None) -> str:
    if code is None:
        return NO_METHOD_LABEL
    method = METHODS.get(code)
    return method.label if method else code


def luhn_valid(digits: str) -> bool:
    """The Luhn check digit of a card number holds."""
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def looks_like_card_number(text: str) -> bool:
    """Whether ``text`` holds a payment card number: 13 to 19 digits in a row once spaces and
    dashes are dropped, passing the Luhn check."""
    squeezed = re.sub(r"[\s\-]", "", text)
    return any(13 <= len(run) <= 19 and luhn_valid(run) for run in _DIGIT_RUN.findall(squeezed))


@dataclass(frozen=True)
class Reference:
    reference: str
    reference_date: dt.date | None


def check_reference(
    method: str | None,
    reference: str | None,
    reference_date: dt.date | None,
    paid_on: dt.date,
) -> Reference:
    """The payment's reference as its method needs it; never a card number.

    ``method`` None: a payment recorded without a method (data loaded from before methods were
    asked for): any reference that is not a card number."""
    if method is not None and method not in METHODS:
        raise RuleError("Pilih cara pembayaran dari daftar.")
    text = " ".join((reference or "").split())
    kind = METHODS[method] if method is not None else None
    if not text:
        what = kind.reference_label if kind else "nomor referensi pembayaran"
        raise RuleError(f"Isi {what[0].lower() + what[1:]}.")
    if len(text) > MAX_REFERENCE:
        raise RuleError(f"Nomor referensi maksimal {MAX_REFERENCE} karakter.")
    if looks_like_card_number(text):
        raise RuleError(
            "Referensi ini berisi nomor kartu. Nomor kartu tidak boleh disimpan: isi kode "
            "persetujuan (approval code), RRN, atau nomor transaksi dari slip, bukan nomor kartu."
        )
    if kind is None or not kind.needs_reference_date:
        if kind is not None and kind.code == QRIS and not _QRIS.match(text):
            raise RuleError(
                "Referensi QRIS adalah RRN 12 angka (misalnya 412345678901) atau kode "
                "persetujuan 6 huruf/angka (misalnya A1B2C3), seperti di bukti transaksi."
            )
        return Reference(text, None)
    if reference_date is None:
        raise RuleError("Isi tanggal SP2D (pembayaran SP2D-LS memerlukan nomor dan tanggal SP2D).")
    if reference_date > paid_on:
        raise RuleError(
            f"Tanggal SP2D ({tanggal(reference_date)}) tidak boleh setelah tanggal bayar "
            f"({tanggal(paid_on)})."
        )
    return Reference(text, reference_date)


def check_cash_limit(method: str | None, gross: int, limit: int) -> None:
    """Cash from the UP only up to ``limit`` per payment."""
    if method == CASH_UP and gross > limit:
        raise RuleError(
            f"Pembayaran tunai dari UP paling banyak {rupiah(limit)} per pembayaran; "
            f"{rupiah(gross)} harus dibayar dengan SP2D-LS, KKPD/QRIS atau transfer."
        )


def check_paid_on(paid_on: dt.date, handed_over_on: dt.date | None, today: dt.date) -> None:
    """The payment date: not after today, not before the serah terima (Jakarta dates)."""
    check_step_date(paid_on, "Tanggal bayar", handed_over_on, "serah terima", today)


@dataclass(frozen=True)
class TaxWithheld:
    """One tax the Bendahara withheld from a payment: ``PPh Pasal 22 (1,5%)``, Rp 150.000."""

    label: str
    amount: int

    def as_dict(self) -> dict[str, str | int]:
        return {"label": self.label, "amount": self.amount}


def check_taxes(lines: Iterable[tuple[str | None, int | None]]) -> tuple[TaxWithheld, ...]:
    """The tax lines typed: rows left empty are skipped; a row needs a name and an amount >= 0;
    no name twice."""
    taxes: list[TaxWithheld] = []
    for raw_label, amount in lines:
        label = " ".join((raw_label or "").split())
        if not label and amount in (None, 0):
            continue
        number = len(taxes) + 1
        if not label:
            raise RuleError(f"Isi nama pajak ke-{number}, misalnya \u201cPPh Pasal 22\u201d.")
        if len(label) > MAX_TAX_LABEL:
            raise RuleError(f"Nama pajak maksimal {MAX_TAX_LABEL} karakter.")
        if amount is None:
            raise RuleError(f"Isi jumlah {label} yang dipotong (boleh 0).")
        if amount < 0:
            raise RuleError(f"Jumlah {label} yang dipotong tidak boleh negatif.")
        if any(tax.label == label for tax in taxes):
            raise RuleError(f"{label} tercantum dua kali.")
        taxes.append(TaxWithheld(label, amount))
    if len(taxes) > MAX_TAX_LINES:
        raise RuleError(f"Paling banyak {MAX_TAX_LINES} baris pajak.")
    return tuple(taxes)


def check_amounts(gross: int, taxes: Sequence[TaxWithheld], net: int) -> int:
    """Nilai bruto > 0 and Dibayar neto = Nilai bruto - Pajak dipotong exactly; returns the
    sum withheld."""
    if gross <= 0:
        raise RuleError("Nilai bruto harus lebih dari Rp 0.")
    withheld = sum(tax.amount for tax in taxes)
    if withheld >= gross:
        raise RuleError(
            f"Pajak dipotong {rupiah(withheld)} tidak boleh sama dengan atau melebihi Nilai "
            f"bruto {rupiah(gross)}."
        )
    if net != gross - withheld:
        raise RuleError(
            f"Dibayar neto seharusnya {rupiah(gross - withheld)}: Nilai bruto {rupiah(gross)} "
            f"dikurangi Pajak dipotong {rupiah(withheld)}. Jumlah {rupiah(net)} tidak sesuai; "
            "pembayaran belum dicatat."
        )
    return withheld


@dataclass(frozen=True)
class Entry:
    """A payment or reversal row, as the rules need it."""

    id: int
    is_reversal: bool
    gross: int
    withheld: int
    net: int
    taxes: tuple[TaxWithheld, ...] = ()
    reverses_id: int | None = None


@dataclass(frozen=True)
class Ledger:
    """What an order has been paid: payments minus reversals."""

    entries: tuple[Entry, ...]

    @property
    def reversed_ids(self) -> frozenset[int]:
        return frozenset(e.reverses_id for e in self.entries if e.reverses_id is not None)

    def _sum(self, name: str) -> int:
        return sum((-1 if e.is_reversal else 1) * int(getattr(e, name)) for e in self.entries)

    @property
    def gross(self) -> int:
        return self._sum("gross")

    @property
    def withheld(self) -> int:
        return self._sum("withheld")

    @property
    def net(self) -> int:
        return self._sum("net")

    def withheld_by_label(self) -> dict[str, int]:
        totals: dict[str, int] = {}
        for entry in self.entries:
            sign = -1 if entry.is_reversal else 1
            for tax in entry.taxes:
                totals[tax.label] = totals.get(tax.label, 0) + sign * tax.amount
        return totals


def outstanding(amount_due: int, ledger: Ledger) -> int:
    """Sisa yang belum dibayar (gross): the amount due less what was paid, never below 0."""
    return max(0, amount_due - ledger.gross)


def check_gross(gross: int, amount_due: int, ledger: Ledger, penalty: int) -> int:
    """Refuse an overpayment. Returns how much the gross exceeds what is still owed: up to the
    late penalty when the Bendahara did not withhold it (kept, with a warning and the
    inspectors' "late, paid without penalty" flag); anything more is refused."""
    left = outstanding(amount_due, ledger)
    if left <= 0:
        raise RuleError("Pesanan ini sudah dibayar lunas; tidak ada lagi yang harus dibayar.")
    # The penalty not withheld may be paid once, on top of the whole amount due.
    allowance = max(0, penalty - max(0, ledger.gross - amount_due))
    if gross > left + allowance:
        raise RuleError(
            f"Nilai bruto {rupiah(gross)} melebihi sisa yang belum dibayar {rupiah(left)} "
            "(kelebihan bayar). Periksa jumlah nol; pembayaran belum dicatat."
        )
    return max(0, gross - left)


def is_paid_in_full(amount_due: int, paid_gross: int) -> bool:
    return paid_gross >= amount_due > 0


def _half_up(value: Fraction) -> int:
    return int(value + Fraction(1, 2)) if value >= 0 else -int(-value + Fraction(1, 2))


def default_taxes(
    full: Sequence[TaxWithheld], amount_due: int, gross: int, ledger: Ledger
) -> tuple[TaxWithheld, ...]:
    """The taxes to withhold from a payment of ``gross``: each of the order's withheld taxes
    (``full``, as the Kuitansi computes them for the whole order) in proportion to the gross
    paid, rounded half up; a payment that settles the rest withholds the rest of each tax, so
    one full payment (or the payments together) withhold exactly the Kuitansi's figures."""
    settles = gross >= outstanding(amount_due, ledger)
    already = ledger.withheld_by_label()
    lines = []
    for tax in full:
        if settles:
            amount = tax.amount - already.get(tax.label, 0)
        else:
            amount = _half_up(Fraction(tax.amount * gross, amount_due)) if amount_due else 0
        lines.append(TaxWithheld(tax.label, max(0, amount)))
    return tuple(lines)


def check_reversal(entry: Entry, ledger: Ledger, reason: str | None) -> str:
    """A payment may be reversed once, with a reason; a reversal is never reversed."""
    if entry.is_reversal:
        raise RuleError("Koreksi pembayaran tidak bisa dikoreksi lagi.")
    if entry.id in ledger.reversed_ids:
        raise RuleError("Pembayaran ini sudah dibatalkan dengan koreksi.")
    return written_reason(
        reason,
        MIN_REVERSAL_REASON,
        f"Tulis alasan koreksi minimal {MIN_REVERSAL_REASON} karakter, misalnya "
        "\u201cSP2D dicatat pada pesanan yang salah\u201d.",
    )


def taxes_from(data: Iterable[Mapping[str, object]]) -> tuple[TaxWithheld, ...]:
    """Tax lines as stored in ``payment.taxes``."""
    return tuple(
        TaxWithheld(str(line.get("label", "")), int(str(line.get("amount", 0)))) for line in data
    )
