"""The officer-facing wording of an allocation run, in Bahasa Indonesia.

Amounts that are Fractions (averages, needs) are shown rounded to whole Rupiah, half up; the
run itself keeps them exact. pemerataan-v1's wording is kept word for word (its stored runs
recompute to what they stored); pemerataan-v2's lines say the round first, name the lottery only
where it decided a place, and never show a hash.
"""

from __future__ import annotations

import datetime as dt
import functools
import math
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import replace
from fractions import Fraction

from procure import formatting
from procure.allocation.records import POLICY_V1, POLICY_V2, Candidate, Offer, Request, Settings
from procure.formatting import tanggal
from procure.omzet.rules import MONTHS_ID_SHORT, Period

REASON_INACTIVE = "produk nonaktif"
REASON_UNVERIFIED = "UMKM belum terverifikasi"
REASON_SUSPENDED = "UMKM dibekukan"
REASON_CATEGORY = "kategori berbeda"
REASON_KIND = "jenis barang lain"
REASON_PRICE = "harga di atas HPS"
REASON_LEAD_TIME = "waktu pengerjaan melewati tanggal kebutuhan"
REASON_CAPACITY = "kapasitas penuh"
REASON_ANNUAL_CAP = "batas tahunan"
REASON_MIN_ORDER = "di bawah pesanan minimum"
# The order of the rules: a product's reasons, and counts per reason, are told in this order.
REASON_ORDER = (
    REASON_INACTIVE,
    REASON_UNVERIFIED,
    REASON_SUSPENDED,
    REASON_CATEGORY,
    REASON_KIND,
    REASON_PRICE,
    REASON_LEAD_TIME,
    REASON_CAPACITY,
    REASON_ANNUAL_CAP,
    REASON_MIN_ORDER,
)
LOTTERY = "undian yang dapat dihitung ulang (sha256 nomor permintaan:nomor UMKM)"

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


def _gap_and_floors(c: Candidate, window: Sequence[Period]) -> tuple[str, str]:
    """What follows the reported months of a need: the months of ``window`` it did not report
    (`` (Sep tidak dilaporkan)``) and the months raised to the platform's orders."""
    used = [m.period for m in c.months]
    missing = [p for p in window if p not in used]
    gap = f" ({months_label(missing)} tidak dilaporkan)" if missing else ""
    raised = [
        f"{month_name(m.period)} dinaikkan ke {rupiah(m.used)}" for m in c.months if m.is_floored
    ]
    floors = f" ({', '.join(raised)} sesuai pesanan lewat platform)" if raised else ""
    return gap, floors


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
        gap, floors = _gap_and_floors(c, window)
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
    policy: str = POLICY_V1,
) -> tuple[str, ...]:
    """The numbers behind each failed rule, in the order of ``reasons``."""
    unit = request.unit
    v2 = policy == POLICY_V2

    def detail(reason: str) -> str:
        if reason == REASON_INACTIVE:
            return f"Produk {offer.product_name} sedang nonaktif."
        if reason == REASON_UNVERIFIED:
            return f"Status UMKM: {_STATUS_LABELS.get(offer.umkm_status, offer.umkm_status)}."
        if reason == REASON_SUSPENDED:
            return "UMKM sedang dibekukan."
        if reason == REASON_CATEGORY:
            return "Produk ini berada di kategori lain dari permintaan."
        if reason == REASON_KIND:
            return "Produk ini jenis barang lain dari yang diminta."
        if reason == REASON_PRICE:
            return f"Harga {rupiah(offer.unit_price)} di atas HPS {rupiah(request.hps_unit_price)}."
        if reason == REASON_LEAD_TIME:
            ready = request_date + dt.timedelta(days=offer.lead_time_days)
            return (
                f"Waktu pengerjaan {offer.lead_time_days} hari: paling cepat {tanggal(ready)}, "
                f"dibutuhkan {tanggal(request.needed_by)}."
            )
        if reason == REASON_CAPACITY and v2:
            return (
                f"Kapasitas bebas {number(offer.free_capacity)} {unit} untuk "
                f"{Period.of(request.needed_by).label} (kapasitas {number(offer.monthly_capacity)}"
                f", sudah terpesan {number(offer.booked_in_due_month)}), kurang dari pesanan "
                f"minimum {number(max(1, offer.min_order))} {unit}."
            )
        if reason == REASON_CAPACITY:
            return (
                f"Kapasitas {number(offer.monthly_capacity)} {unit} per bulan, sudah terpesan "
                f"{number(offer.booked_in_due_month)} {unit} untuk "
                f"{Period.of(request.needed_by).label}."
            )
        if reason == REASON_ANNUAL_CAP and v2:
            return (
                f"Pesanan 1 Januari–{day_text(request_date)} sudah {rupiah(awarded_this_year)} "
                f"dari batas {rupiah(settings.annual_award_cap)}."
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
    candidate: Candidate,
    quantity: int,
    need_before: Fraction,
    need_after: Fraction,
    unit: str,
    turn: str = "",
) -> str:
    """Level mode: one chunk, and how it raised the need (after ``turn``: v2's round)."""
    return (
        f"{candidate.offer.umkm_name} mendapat {number(quantity)} {unit}; {turn}kebutuhan "
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
    ranked: Sequence[Candidate],
    window: Sequence[Period],
    count: int,
    *,
    policy: str = POLICY_V1,
) -> tuple[Candidate, ...]:
    """The first ``count`` candidates, each with its rank and its line. A tie is told by
    looking at every ranked candidate, kept or not."""
    if policy == POLICY_V2:
        return _explained_v2(ranked, window, count)
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


# --- pemerataan-v2 ----------------------------------------------------------------------------


def rule_sentence(policy: str) -> str:
    """What comes first and why, in one sentence (top of the ranking page and the report)."""
    if policy == POLICY_V2:
        return (
            "UMKM yang paling sedikit mendapat pesanan dalam 365 hari terakhir didahulukan; di "
            "antara mereka, omzet terendah (UMKM yang melaporkan omzet atau baru terdaftar "
            "didahulukan dari yang tidak melapor)."
        )
    return (
        "UMKM dengan kebutuhan terendah (rata-rata omzet tiga bulan terakhir ditambah pesanan "
        "pemerintah yang belum masuk laporan) didahulukan; bila sama, yang lebih sedikit "
        "mendapat pesanan dalam 365 hari terakhir (UMKM yang melaporkan omzet atau baru "
        "terdaftar didahulukan dari yang tidak melapor)."
    )


def months_with_year(periods: Sequence[Period]) -> str:
    """``Agu–Okt 2026``, ``Agu & Okt 2026``, ``Nov 2026–Jan 2027``."""
    if not periods:
        return ""
    years = {p.year for p in periods}
    if len(years) == 1:
        return f"{months_label(periods)} {periods[0].year}"
    first, last = periods[0], periods[-1]
    if len(periods) >= 3 and last - first == len(periods) - 1:
        return f"{month_name(first)} {first.year}–{month_name(last)} {last.year}"
    return ", ".join(f"{month_name(p)} {p.year}" for p in periods)


def round_text(count: int) -> str:
    """v2's round, in words: what puts a UMKM first."""
    if count == 0:
        return "Belum mendapat pesanan pemerintah dalam 365 hari terakhir (putaran 0)"
    return f"{number(count)} pesanan pemerintah dalam 365 hari terakhir (putaran {count})"


def _need_text_v2(c: Candidate, window: Sequence[Period]) -> str:
    """How v2's need was made up: mean of the reported months + orders of unreported months."""
    if not c.months:
        since = f"pesanan pemerintah sejak {day_text(c.awards_since_on)} {rupiah(c.awards_since)}"
        if c.in_grace:
            verified = f", terverifikasi {day_text(c.verified_on)}" if c.verified_on else ""
            return (
                f"UMKM baru{verified}, belum melaporkan omzet {months_with_year(window)}: omzet "
                f"dihitung Rp 0 + {since} = {money(c.need)}"
            )
        return (
            f"tidak melaporkan omzet {months_with_year(window)} (diurutkan setelah UMKM yang "
            f"melapor) · {since} = {money(c.need)}"
        )
    used = [m.period for m in c.months]
    label = "omzet" if len(used) == 1 else "rata-rata omzet"
    gap, floors = _gap_and_floors(c, window)
    months = f" ({months_with_year(c.unreported_months)})" if c.awards_unreported else ""
    return (
        f"{label} {months_with_year(used)}{gap} {money(c.reported_avg)}{floors} + pesanan di "
        f"bulan yang belum dilaporkan{months} {rupiah(c.awards_unreported)} = {money(c.need)}"
    )


def _peers_text(first: int, last: int, rank: int) -> str:
    """The other ranks of a tie group ``first``..``last`` that holds ``rank``."""
    others = [r for r in range(first, last + 1) if r != rank]
    if len(others) == 1:
        return f"UMKM peringkat {others[0]}"
    if len(others) == 2:
        return f"UMKM peringkat {others[0]} dan {others[1]}"
    return f"{number(len(others))} UMKM lain (peringkat {first}–{last})"


def candidate_line_v2(
    candidate: Candidate, window: Sequence[Period], rank: int, tied: tuple[int, int] | None
) -> str:
    """One v2 ranking line; ``tied``: the first and last rank of the candidates with the same
    tier, round and need (None when it has none: the lottery decided nothing)."""
    c = candidate
    line = f"{round_text(c.count_365)} · {_need_text_v2(c, window)} · peringkat {rank}"
    if tied is not None:
        line += f" · sama dengan {_peers_text(*tied, rank)}; urutan ditentukan {LOTTERY}"
    return line


def _explained_v2(
    ranked: Sequence[Candidate], window: Sequence[Period], count: int
) -> tuple[Candidate, ...]:
    # A need by its numerator and denominator (a Fraction is kept in lowest terms): the same
    # groups as by the Fraction, without hashing Fractions.
    groups: dict[tuple[int, int, int, int], tuple[int, int]] = {}
    for rank, c in enumerate(ranked, start=1):
        group = (c.tier, c.count_365, c.need.numerator, c.need.denominator)
        first = groups.get(group, (rank, rank))[0]
        groups[group] = (first, rank)  # the ranking is sorted: a group is one run of ranks
    explained = []
    for rank, c in enumerate(ranked[:count], start=1):
        first, last = groups[(c.tier, c.count_365, c.need.numerator, c.need.denominator)]
        tied = (first, last) if last > first else None
        line = candidate_line_v2(c, window, rank, tied)
        explained.append(replace(c, rank=rank, explanation=line))
    return tuple(explained)


def level_note_v2(
    candidate: Candidate,
    quantity: int,
    need_before: Fraction,
    need_after: Fraction,
    first: bool,
    unit: str,
) -> str:
    """v2's level mode: one part, how it raised the need and (a first part) the round."""
    c = candidate
    turn = f"putaran {c.count_365} → {c.count_365 + 1}, " if first else ""
    return level_note(c, quantity, need_before, need_after, unit, turn)


def reason_counts(excluded: Iterable[Sequence[str]]) -> list[tuple[str, int]]:
    """How many excluded products failed each rule, in the order of the rules."""
    counted: Counter[str] = Counter()
    for reasons in excluded:
        counted.update(set(reasons))
    known = [(r, counted[r]) for r in REASON_ORDER if counted[r]]
    return known + sorted((r, n) for r, n in counted.items() if r not in REASON_ORDER)


def _counts_text(counts: Sequence[tuple[str, int]]) -> str:
    return ", ".join(f"{reason} ({number(n)} produk)" for reason, n in counts)


def shortfall_cause(
    *,
    suppliers: int,
    max_suppliers: int,
    candidates: int,
    skipped: int,
    excluded: Sequence[Sequence[str]],
) -> str:
    """Why a request is not covered, from what actually happened: K reached, the eligible
    offers' capacity used up or their parts below minimum order, and how many products each
    eligibility rule excluded."""
    counts = _counts_text(reason_counts(excluded))
    if suppliers == 0 and candidates == 0:
        if not excluded:
            return "belum ada produk yang ditawarkan untuk barang ini"
        return (
            f"semua {number(len(excluded))} produk yang ditawarkan tidak memenuhi syarat: {counts}"
        )
    if suppliers >= max_suppliers:
        cause = f"batas {max_suppliers} UMKM tercapai"
    elif suppliers == 0:
        cause = (
            f"bagian untuk {number(candidates)} UMKM yang memenuhi syarat di bawah pesanan "
            "minimum mereka"
        )
    else:
        cause = f"kapasitas bebas {number(candidates)} UMKM yang memenuhi syarat sudah terpakai"
        if skipped:
            cause += f" ({number(skipped)} UMKM dilewati karena bagiannya di bawah pesanan minimum)"
    if not excluded:
        return cause
    return f"{cause}; {number(len(excluded))} produk lain tidak memenuhi syarat: {counts}"


def _options(suppliers: int, max_suppliers: int, excluded: Sequence[Sequence[str]]) -> str:
    """What the officer can do about a shortfall, given its causes."""
    failed = {reason for reasons in excluded for reason in reasons}
    options = []
    if suppliers >= max_suppliers:
        options.append("menaikkan batas UMKM")
    if REASON_LEAD_TIME in failed:
        options.append("memundurkan tanggal kebutuhan")
    if REASON_PRICE in failed:
        options.append("meninjau HPS")
    if suppliers:
        options += ["menurunkan jumlah", "menerima sebagian"]
    if not options:
        return ""
    listed = options[0] if len(options) == 1 else f"{', '.join(options[:-1])}, atau {options[-1]}"
    return f" Pejabat dapat {listed}."


def shortfall_summary(
    quantity: int,
    allocated: int,
    unit: str,
    *,
    suppliers: int,
    max_suppliers: int,
    candidates: int,
    skipped: int,
    excluded: Sequence[Sequence[str]],
) -> str:
    """v2's one sentence for the proposal: covered, or the shortfall and its true cause."""
    if allocated == quantity:
        return f"Terpenuhi {number(quantity)} {unit} oleh {suppliers} UMKM."
    cause = shortfall_cause(
        suppliers=suppliers,
        max_suppliers=max_suppliers,
        candidates=candidates,
        skipped=skipped,
        excluded=excluded,
    )
    shortfall = number(quantity - allocated)
    if suppliers == 0:
        head = f"Belum ada UMKM yang dapat diusulkan; kekurangan {shortfall} {unit}: {cause}"
    else:
        head = (
            f"Terpenuhi {number(allocated)} dari {number(quantity)} {unit} oleh {suppliers} "
            f"UMKM; kekurangan {shortfall} {unit}: {cause}"
        )
    return f"{head}.{_options(suppliers, max_suppliers, excluded)}"
