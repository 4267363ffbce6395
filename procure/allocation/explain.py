"""The officer-facing wording of an allocation run, in Bahasa Indonesia.

Amounts that are Fractions (averages, needs) are shown rounded to whole Rupiah, half up; the
run itself keeps them exact.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from fractions import Fraction

from procure import formatting
from procure.allocation.records import Candidate, Offer, Request, Settings
from procure.formatting import tanggal
from procure.omzet.rules import MONTHS_ID_SHORT, Period

REASON_INACTIVE = "produk nonaktif"
REASON_UNVERIFIED = "UMKM belum terverifikasi"
REASON_SUSPENDED = "UMKM dibekukan"
REASON_CATEGORY = "kategori berbeda"
REASON_PRICE = "harga di atas HPS"
REASON_LEAD_TIME = "waktu pengerjaan melewati tanggal kebutuhan"
REASON_CAPACITY = "kapasitas penuh"
REASON_ANNUAL_CAP = "batas tahunan"
REASON_MIN_ORDER = "di bawah pesanan minimum"

_STATUS_LABELS = {"pending": "menunggu verifikasi", "rejected": "ditolak"}


# Babel takes ~0.2 ms per number and a run formats the same few amounts many times over.
@functools.lru_cache(maxsize=4096)
def rupiah(amount: int | None) -> str:
    """``Rp 1.250.000`` (``procure.formatting.rupiah``, memoised)."""
    return formatting.rupiah(amount)


@functools.lru_cache(maxsize=4096)
def number(value: int) -> str:
    """``12.500`` (``procure.formatting.number``, memoised)."""
    return formatting.number(value)


@functools.lru_cache(maxsize=4096)
def day_text(day: dt.date) -> str:
    """``8 Oktober 2026`` (``procure.formatting.tanggal``, memoised)."""
    return tanggal(day)


def whole(amount: Fraction | int) -> int:
    """Round half up to whole Rupiah, for display only."""
    return math.floor(Fraction(amount) + Fraction(1, 2))


def money(amount: Fraction | int) -> str:
    """``Fraction(12500000, 3)`` -> ``Rp 4.166.667``."""
    return rupiah(whole(amount))


def month_name(period: Period) -> str:
    return MONTHS_ID_SHORT[period.month - 1]


def months_label(periods: Sequence[Period]) -> str:
    """``Agu–Okt`` for three running months, ``Agu & Okt`` for two, ``Okt`` for one."""
    names = [month_name(p) for p in periods]
    if len(periods) >= 3 and periods[-1] - periods[0] == len(periods) - 1:
        return f"{names[0]}–{names[-1]}"
    if len(names) == 2:
        return " & ".join(names)
    return ", ".join(names)


def day_label(day: dt.date) -> str:
    """``1 Nov``."""
    return f"{day.day} {MONTHS_ID_SHORT[day.month - 1]}"


def candidate_line(
    candidate: Candidate,
    window: Sequence[Period],
    *,
    same_need: bool,
    same_count: bool,
    rank: int | None = None,
) -> str:
    """One ranking line: how the need was made up, and the rank it gives (``rank``, or the
    candidate's own)."""
    c = candidate
    awards = f"pesanan pemerintah sejak {day_label(c.awards_since_on)} {rupiah(c.awards_since)}"
    tail = f"kebutuhan {money(c.need)} · peringkat {c.rank if rank is None else rank}"
    if c.in_grace:
        since = f" (terverifikasi {day_text(c.verified_on)})" if c.verified_on else ""
        line = f"UMKM baru{since}: omzet dihitung Rp 0 + {awards} = {tail}"
    elif c.tier == 1:
        line = (
            f"Tidak melaporkan omzet {months_label(window)} (diurutkan setelah UMKM yang "
            f"melapor) · {awards} = {tail}"
        )
    else:
        used = [m.period for m in c.months]
        label = "Omzet" if len(used) == 1 else "Rata-rata omzet"
        missing = [p for p in window if p not in used]
        gap = f" ({months_label(missing)} tidak dilaporkan)" if missing else ""
        raised = [
            f"{month_name(m.period)} dinaikkan ke {rupiah(m.used)}"
            for m in c.months
            if m.is_floored
        ]
        floors = f" ({', '.join(raised)} sesuai pesanan lewat platform)" if raised else ""
        average = f"{label} {months_label(used)}{gap} {money(c.reported_avg)}{floors}"
        line = f"{average} + {awards} = {tail}"
    if same_need:
        line += f" · kebutuhan sama dengan UMKM lain: {c.count_365} pesanan dalam 365 hari"
    if same_count:
        line += f" · undian {c.tie[:8]}"
    return line


def exclusion_details(
    offer: Offer,
    request: Request,
    reasons: Sequence[str],
    *,
    request_date: dt.date,
    awarded_this_year: int,
    settings: Settings,
) -> tuple[str, ...]:
    """The numbers behind each failed rule, in the order of ``reasons``."""
    unit = request.unit

    def detail(reason: str) -> str:
        if reason == REASON_INACTIVE:
            return f"Produk {offer.product_name} sedang nonaktif."
        if reason == REASON_UNVERIFIED:
            return f"Status UMKM: {_STATUS_LABELS.get(offer.umkm_status, offer.umkm_status)}."
        if reason == REASON_SUSPENDED:
            return "UMKM sedang dibekukan."
        if reason == REASON_CATEGORY:
            return "Produk ini berada di kategori lain dari permintaan."
        if reason == REASON_PRICE:
            return f"Harga {rupiah(offer.unit_price)} di atas HPS {rupiah(request.hps_unit_price)}."
        if reason == REASON_LEAD_TIME:
            ready = request_date + dt.timedelta(days=offer.lead_time_days)
            return (
                f"Waktu pengerjaan {offer.lead_time_days} hari: paling cepat {tanggal(ready)}, "
                f"dibutuhkan {tanggal(request.needed_by)}."
            )
        if reason == REASON_CAPACITY:
            return (
                f"Kapasitas {number(offer.monthly_capacity)} {unit} per bulan, sudah terpesan "
                f"{number(offer.booked_in_due_month)} {unit} untuk "
                f"{Period.of(request.needed_by).label}."
            )
        if reason == REASON_ANNUAL_CAP:
            return (
                f"Pesanan tahun {request_date.year} sudah {rupiah(awarded_this_year)} dari "
                f"batas {rupiah(settings.annual_award_cap)}."
            )
        return (
            f"Pesanan minimum {number(offer.min_order)} {unit}, permintaan "
            f"{number(request.quantity)} {unit}."
        )

    return tuple(detail(reason) for reason in reasons)


def part_note(candidate: Candidate, quantity: int, remaining: int, free: int, unit: str) -> str:
    """Capacity mode: one part of the walk."""
    return (
        f"{candidate.offer.umkm_name} mendapat {number(quantity)} {unit} (kapasitas tersisa "
        f"{number(free)}, sisa permintaan {number(remaining)})"
    )


def level_note(
    candidate: Candidate, quantity: int, need_before: Fraction, need_after: Fraction, unit: str
) -> str:
    """Level mode: one chunk, and how it raised the need."""
    return (
        f"{candidate.offer.umkm_name} mendapat {number(quantity)} {unit}; kebutuhan "
        f"{money(need_before)} → {money(need_after)}"
    )


def skip_note(candidate: Candidate, part: int, unit: str) -> str:
    """An offer passed over because its part would be below its minimum order."""
    return (
        f"{candidate.offer.umkm_name} dilewati: bagian {number(part)} {unit} di bawah pesanan "
        f"minimum {number(candidate.min_order)} {unit}"
    )


def summary(quantity: int, allocated: int, suppliers: int, max_suppliers: int, unit: str) -> str:
    """One sentence for the proposal: covered, or the shortfall and what the officer can do."""
    if allocated == quantity:
        return f"Terpenuhi {number(quantity)} {unit} oleh {suppliers} UMKM."
    shortfall = quantity - allocated
    if suppliers == 0:
        head = f"Tidak ada penawaran yang dapat menerima; kekurangan {number(shortfall)} {unit}"
    else:
        cause = (
            f"batas {max_suppliers} UMKM tercapai"
            if suppliers >= max_suppliers
            else "tidak ada penawaran lain yang dapat menerima bagian (kapasitas atau pesanan "
            "minimum)"
        )
        head = (
            f"Terpenuhi {number(allocated)} dari {number(quantity)} {unit} oleh {suppliers} "
            f"UMKM; kekurangan {number(shortfall)} {unit}: {cause}"
        )
    return f"{head}. Pejabat dapat menurunkan jumlah, menaikkan batas UMKM, atau menerima sebagian."


def not_offered(umkm_id: int) -> str:
    return f"UMKM #{umkm_id} tidak mengajukan penawaran untuk permintaan ini."


def not_eligible(name: str, reasons: Sequence[str]) -> str:
    return f"{name} tidak memenuhi syarat: {', '.join(reasons)}."


def chosen_twice(name: str) -> str:
    return f"{name} dipilih lebih dari sekali; gabungkan jumlahnya dalam satu baris."


def not_positive(name: str) -> str:
    return f"Jumlah untuk {name} harus lebih dari 0."


def over_capacity(name: str, quantity: int, free: int, unit: str) -> str:
    return (
        f"Jumlah untuk {name} ({number(quantity)} {unit}) melebihi kapasitas tersisa "
        f"{number(free)} {unit}."
    )


def under_min_order(name: str, quantity: int, minimum: int, unit: str) -> str:
    return (
        f"Jumlah untuk {name} ({number(quantity)} {unit}) di bawah pesanan minimum "
        f"{number(minimum)} {unit}."
    )


def over_request(total: int, quantity: int, unit: str) -> str:
    return (
        f"Jumlah total {number(total)} {unit} melebihi permintaan {number(quantity)} {unit}; "
        "kurangi jumlahnya."
    )


NOTHING_CHOSEN = "Pilih setidaknya satu UMKM."
REASON_TOO_SHORT = "Alasan perubahan wajib diisi, minimal 20 karakter."


def explained(
    ranked: Sequence[Candidate], window: Sequence[Period], count: int
) -> tuple[Candidate, ...]:
    """The first ``count`` candidates, each with its rank and its line. A tie is told by
    looking at every ranked candidate, kept or not."""
    needs = Counter((c.tier, c.need) for c in ranked)
    counts = Counter((c.tier, c.need, c.count_365) for c in ranked)
    explained = []
    for rank, c in enumerate(ranked[:count], start=1):
        line = candidate_line(
            c,
            window,
            same_need=needs[(c.tier, c.need)] > 1,
            same_count=counts[(c.tier, c.need, c.count_365)] > 1,
            rank=rank,
        )
        explained.append(replace(c, rank=rank, explanation=line))
    return tuple(explained)
