"""Why the allocation has passed a UMKM over: deciding the reasons and wording them. Pure.

``procure.spread.passed_over`` gathers, for the UMKM of one page only, what the rules look at:
its active products' kinds, the decided requests of those kinds in the last 12 months (the
latest 200 of a busy kind; since it was verified and since the product existed) counted by
the eligibility rule that kept it out (pemerataan-v2's rules,
``procure.allocation.policy.eligibility``: price above HPS, lead time past the needed-by date,
monthly capacity below its own minimum order, minimum order above the quantity asked), its
stored ranking figures per kind (the tier: reported omzet in W or not) and the orders it was
given that did not go on. This module turns those counts into plain Indonesian sentences, in
the order of the rules. Nothing here re-runs an allocation.

A request is "blocked" by a rule when every active product of the UMKM in that kind fails the
rule; a request none of its products could take, but no single rule blocked, is "mixed".
Products are read as they are today (their price and lead time may have differed then).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from procure.formatting import number, rupiah

# Days since verification after which a UMKM without a single live order is on the list.
WAITING_DAYS = 90
# How far back requests of its kinds are read.
LOOKBACK_DAYS = 365

NO_PRODUCT = "no_product"
NO_REQUEST = "no_request"
PRICE = "price"
LEAD_TIME = "lead_time"
CAPACITY = "capacity"
MIN_ORDER = "min_order"
MIXED = "mixed"
NOT_CONTINUED = "not_continued"
UNREPORTED = "unreported"
RANKED_BELOW = "ranked_below"
UNKNOWN = "unknown"

# Reason codes in the order they are told (the rules' order), with the short label the summary
# at the top of the page and the filter show.
REASON_LABELS: dict[str, str] = {
    NO_PRODUCT: "Belum punya produk aktif",
    NO_REQUEST: "Tidak ada permintaan untuk jenis barangnya",
    PRICE: "Harga di atas HPS",
    LEAD_TIME: "Waktu pengerjaan melewati tanggal kebutuhan",
    CAPACITY: "Kapasitas per bulan di bawah pesanan minimumnya",
    MIN_ORDER: "Pesanan minimum di atas jumlah yang diminta",
    MIXED: "Tiap produk gagal satu syarat yang berbeda",
    NOT_CONTINUED: "Pesanan yang diterima tidak berlanjut",
    UNREPORTED: "Omzet tidak dilaporkan",
    RANKED_BELOW: "Kalah peringkat",
    UNKNOWN: "Belum dapat ditentukan",
}
REASON_CODES = tuple(REASON_LABELS)


@dataclass(frozen=True)
class KindFacts:
    """One kind the UMKM has an active product of, and the decided requests of that kind in the
    last 12 months that its products could have been offered to."""

    kind_name: str
    requests: int = 0
    eligible: int = 0  # requests at least one of its products met every rule for
    price: int = 0  # requests every one of its products priced above the HPS
    lead_time: int = 0  # ... could not make by the needed-by date
    capacity: int = 0  # ... has a monthly capacity below its own minimum order
    min_order: int = 0  # ... asks a minimum order above the quantity requested
    # The kind had more requests in the 12 months than were checked: the counts are of the
    # latest ones.
    latest_only: bool = False
    # Stored ranking figures of this (UMKM, kind): 0 reported omzet in W, 1 did not; None: no
    # stored row (the figures are rebuilt on the next allocation).
    tier: int | None = None
    reported_average: int | None = None  # mean reported month of W (raised to the floors)

    @property
    def mixed(self) -> int:
        """Requests none of its products could take although no one rule blocked them all."""
        blocked_by_one = max(self.price, self.lead_time, self.capacity, self.min_order)
        not_eligible = self.requests - self.eligible
        return not_eligible if blocked_by_one == 0 and not_eligible > 0 else 0


@dataclass(frozen=True)
class UmkmFacts:
    kinds: tuple[KindFacts, ...]  # empty: no active product
    orders_not_continued: int = 0  # orders it was given, declined, expired or cancelled


@dataclass(frozen=True)
class Reason:
    code: str
    text: str

    @property
    def label(self) -> str:
        return REASON_LABELS[self.code]


def _names(kinds: Iterable[KindFacts]) -> str:
    names = [k.kind_name for k in kinds]
    if len(names) <= 2:
        return " dan ".join(names)
    return ", ".join(names[:-1]) + " dan " + names[-1]


def _of(count: int, kind: KindFacts) -> str:
    latest = " terakhir" if kind.latest_only else ""
    return f"{number(count)} dari {number(kind.requests)} permintaan{latest} {kind.kind_name}"


def reasons(facts: UmkmFacts) -> tuple[Reason, ...]:
    """Every reason that applies, in the rules' order; never empty."""
    if not facts.kinds:
        none = Reason(
            NO_PRODUCT, "Belum punya produk aktif di katalog, jadi tidak pernah ikut alokasi."
        )
        return (none, *_not_continued(facts))
    found: list[Reason] = []
    quiet = [k for k in facts.kinds if k.requests == 0]
    asked = [k for k in facts.kinds if k.requests > 0]
    if quiet:
        where = "jenis barangnya" if not asked else "jenis"
        found.append(
            Reason(
                NO_REQUEST,
                f"Tidak ada permintaan yang diputuskan untuk {where} {_names(quiet)} dalam "
                "12 bulan terakhir sejak UMKM ini terverifikasi.",
            )
        )
    rules: tuple[tuple[str, str, Callable[[KindFacts], int]], ...] = (
        (PRICE, "harga produknya di atas HPS pada", lambda k: k.price),
        (
            LEAD_TIME,
            "waktu pengerjaannya melewati tanggal kebutuhan pada",
            lambda k: k.lead_time,
        ),
        (
            CAPACITY,
            "kapasitas per bulannya di bawah pesanan minimumnya sendiri, sehingga tidak ada "
            "bagian yang dapat diterimanya, pada",
            lambda k: k.capacity,
        ),
        (
            MIN_ORDER,
            "pesanan minimumnya di atas jumlah yang diminta pada",
            lambda k: k.min_order,
        ),
        (
            MIXED,
            "tiap produknya gagal pada syarat yang berbeda (harga, waktu, kapasitas atau pesanan "
            "minimum) pada",
            lambda k: k.mixed,
        ),
    )
    for code, words, count_of in rules:
        parts = [_of(count_of(k), k) for k in asked if count_of(k) > 0]
        if parts:
            found.append(Reason(code, f"{words[0].upper()}{words[1:]} {'; '.join(parts)}."))
    found += _not_continued(facts)
    found += _ranking(asked)
    if not found:
        found.append(Reason(UNKNOWN, "Alasannya belum dapat ditentukan dari data saat ini."))
    return tuple(found)


def _not_continued(facts: UmkmFacts) -> list[Reason]:
    if facts.orders_not_continued <= 0:
        return []
    return [
        Reason(
            NOT_CONTINUED,
            f"Pernah mendapat {number(facts.orders_not_continued)} pesanan, tetapi ditolak, "
            "kedaluwarsa atau dibatalkan.",
        )
    ]


def _ranking(asked: Sequence[KindFacts]) -> list[Reason]:
    """Kinds where it met every rule on some request and others were still chosen."""
    eligible = [k for k in asked if k.eligible > 0]
    unreported = [k for k in eligible if k.tier == 1]
    ranked = [k for k in eligible if k.tier != 1]
    found = []
    if unreported:
        parts = "; ".join(_of(k.eligible, k) for k in unreported)
        found.append(
            Reason(
                UNREPORTED,
                "Omzet 3 bulan terakhir tidak dilaporkan, sehingga diurutkan setelah UMKM yang "
                f"melapor; memenuhi syarat pada {parts}.",
            )
        )
    if ranked:
        parts = "; ".join(_of(k.eligible, k) for k in ranked)
        averages = [k.reported_average for k in ranked if k.reported_average is not None]
        told = f" (omzetnya rata-rata {rupiah(max(averages))} per bulan)" if averages else ""
        found.append(
            Reason(
                RANKED_BELOW,
                f"Memenuhi syarat pada {parts}, tetapi kalah peringkat dari UMKM yang "
                f"melaporkan omzet lebih kecil{told}.",
            )
        )
    return found


def count_by_reason(lists: Iterable[Sequence[Reason]]) -> list[tuple[str, str, int]]:
    """(code, label, UMKM with that reason) in the rules' order, zeros left out; a UMKM with
    several reasons counts under each."""
    counts: Counter[str] = Counter()
    for found in lists:
        counts.update({r.code for r in found})
    return [(code, REASON_LABELS[code], counts[code]) for code in REASON_CODES if counts[code]]
