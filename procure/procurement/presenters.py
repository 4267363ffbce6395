"""Plain rows for the request pages, built from a request and its orders.

Pure: no Flask, no SQLAlchemy. Templates get these frozen dataclasses, never ORM objects. The
stored run's rows (ranking, proposal, decision) are built by ``procure.ranking.run_rows``.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from procure import formatting
from procure.allocation import explain
from procure.omzet.rules import MONTHS_ID_SHORT
from procure.procurement.rules import earliest_ready, needed_by_unreachable
from procure.ranking.run_rows import CandidateRow, RunPage
from procure.ranking.stored_run import StoredRun

REQUEST_STATUS_LABELS = {
    "draft": "Belum diputuskan",
    "ordered": "Surat Pesanan terbit",
    "cancelled": "Dibatalkan",
}


@dataclass(frozen=True)
class RequestCard:
    id: int
    title: str
    opd_name: str
    category_name: str
    kind_name: str
    specification: str
    quantity: int
    unit: str
    hps_unit_price: int
    value: int
    needed_by: dt.date
    delivery_address: str
    budget_code: str
    fiscal_year: int
    notes: str | None
    event_name: str | None
    event_date: dt.date | None
    invitation_number: str | None
    expected_attendees: int | None
    excess_reason: str | None
    is_excess_portions: bool
    is_split_suspect: bool
    split_note: str | None
    status: str
    status_label: str
    created_at: dt.datetime
    created_by_name: str

    @property
    def has_event(self) -> bool:
        return bool(self.event_name or self.event_date or self.expected_attendees)

    @property
    def kind_label(self) -> str:
        """``Kemeja Batik Lengan Panjang (Batik)``: the kind asked for and its category."""
        return f"{self.kind_name} ({self.category_name})"

    @property
    def is_draft(self) -> bool:
        return self.status == "draft"


def request_card(request: Any) -> RequestCard:
    """A purchase request (any object with its attributes) as plain data."""
    return RequestCard(
        id=request.id,
        title=request.title,
        opd_name=request.opd.name,
        category_name=request.category.name,
        kind_name=request.kind.name,
        specification=request.specification,
        quantity=request.quantity,
        unit=request.unit,
        hps_unit_price=request.hps_unit_price,
        value=request.quantity * request.hps_unit_price,
        needed_by=request.needed_by,
        delivery_address=request.delivery_address,
        budget_code=request.budget_code,
        fiscal_year=request.fiscal_year,
        notes=request.notes,
        event_name=request.event_name,
        event_date=request.event_date,
        invitation_number=request.invitation_number,
        expected_attendees=request.expected_attendees,
        excess_reason=request.excess_reason,
        is_excess_portions=request.is_excess_portions,
        is_split_suspect=request.is_split_suspect,
        split_note=request.split_note,
        status=request.status,
        status_label=REQUEST_STATUS_LABELS.get(request.status, request.status),
        created_at=request.created_at,
        created_by_name=request.created_by.full_name,
    )


@dataclass(frozen=True)
class RequestRow:
    """One line of the request list."""

    id: int
    title: str
    opd_name: str
    category_name: str
    kind_name: str
    quantity: int
    unit: str
    value: int
    needed_by: dt.date
    status_label: str
    is_excess_portions: bool
    is_split_suspect: bool
    created_at: dt.datetime


def request_row(request: Any) -> RequestRow:
    return RequestRow(
        id=request.id,
        title=request.title,
        opd_name=request.opd.name,
        category_name=request.category.name,
        kind_name=request.kind.name,
        quantity=request.quantity,
        unit=request.unit,
        value=request.quantity * request.hps_unit_price,
        needed_by=request.needed_by,
        status_label=REQUEST_STATUS_LABELS.get(request.status, request.status),
        is_excess_portions=request.is_excess_portions,
        is_split_suspect=request.is_split_suspect,
        created_at=request.created_at,
    )


@dataclass(frozen=True)
class OrderRow:
    """An order created from the request's decision."""

    id: int
    umkm_name: str
    quantity: int
    value: int
    status_label: str
    response_deadline: dt.date


def order_row(order: Any, status_label: str) -> OrderRow:
    return OrderRow(
        order.id,
        order.umkm.business_name,
        order.quantity,
        order.value,
        status_label,
        order.response_deadline,
    )


@dataclass(frozen=True)
class OlderRun:
    """A run superseded by a later one (before the decision)."""

    id: int
    created_at: dt.datetime
    created_by_name: str


@dataclass(frozen=True)
class Cancellation:
    """Who cancelled a request, when, and why (from its audit entry)."""

    at: dt.datetime
    by_name: str
    reason: str


def short_date(day: dt.date) -> str:
    """``12 Des 2026``."""
    return f"{day.day} {MONTHS_ID_SHORT[day.month - 1]} {day.year}"


def needed_by_note(
    request_date: dt.date, needed_by: dt.date, shortest_lead_time: int | None
) -> str | None:
    """Before the allocation: say plainly when no listed offer of the kind can be ready by the
    needed-by date (the policy's rule: request date + lead time ≤ needed-by date)."""
    if not needed_by_unreachable(request_date, needed_by, shortest_lead_time):
        return None
    if shortest_lead_time is None:
        return (
            "Belum ada produk jenis ini di katalog, jadi alokasi tidak akan menemukan penawaran. "
            "Ubah jenis barang, atau tanyakan ke admin Dinas Koperasi & UKM."
        )
    ready = earliest_ready(request_date, shortest_lead_time)
    return (
        f"Tidak ada produk jenis ini yang dapat selesai sebelum {short_date(needed_by)}: "
        f"waktu pengerjaan tercepat {shortest_lead_time} hari (paling cepat "
        f"{short_date(ready)}). Ubah tanggal kebutuhan."
    )


TERM_LABELS = {
    "category_id": "kategori",
    "kind_id": "jenis barang",
    "quantity": "jumlah",
    "unit": "satuan",
    "hps_unit_price": "HPS",
    "needed_by": "tanggal kebutuhan",
}


def stale_note(changed: Sequence[str]) -> str | None:
    """Why the latest run no longer counts after an edit (None: it still does)."""
    if not changed:
        return None
    terms = ", ".join(TERM_LABELS.get(name, name) for name in changed)
    return (
        f"Permintaan diubah ({terms}) setelah alokasi ini dijalankan, jadi hasil di bawah tidak "
        "berlaku lagi. Jalankan ulang alokasi untuk mendapat usulan sesuai permintaan sekarang."
    )


# ---------------------------------------------------------------------------------------------
# The ranking page: the rule in one sentence, the policy that decided, only the columns that
# tell rows apart, and the lottery only where it decided a place (never as a bare hash).


def rule_sentence(policy: str) -> str:
    """What comes first and why, in one sentence, for the policy that made the run."""
    return explain.rule_sentence(policy)


def policy_label(policy: str, version: int) -> str:
    """``Kebijakan: pemerataan-v2 (versi 2)``."""
    return f"Kebijakan: {policy} (versi {version})"


_LOTTERY_HASH = re.compile(r"\bundian\s+[0-9a-f]{6,64}\b", re.IGNORECASE)
_BARE_HEX = re.compile(r"\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,64}\b", re.IGNORECASE)


def without_hash(text: str) -> str:
    """An explanation with the lottery in words: an old run's ``undian 3fa9c2d1`` (the first
    hex digits of the tie hash) becomes ``urutan ditentukan undian``; no bare hash is left."""
    text = _LOTTERY_HASH.sub("urutan ditentukan undian", text)
    return _BARE_HEX.sub("undian", text)


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    numeric: bool = False


@dataclass(frozen=True)
class RankingLine:
    """One line of the ranking: its cells, in the order of ``RankingTable.columns``."""

    rank: int
    umkm_id: int
    umkm_name: str
    product_name: str
    proposed: int
    cells: tuple[str, ...]
    explanation: str

    @property
    def reason(self) -> str:
        """The explanation's first clause: the one sentence a phone shows before the rest."""
        return self.explanation.split(" · ", 1)[0]

    @property
    def more(self) -> tuple[str, ...]:
        """The explanation's other clauses, one per line where a phone opens them."""
        return tuple(self.explanation.split(" · ")[1:])


@dataclass(frozen=True)
class RankingTable:
    """The ranking as the page shows it."""

    rule: str  # what comes first and why
    policy: str  # "Kebijakan: pemerataan-v2 (versi 2)"
    columns: tuple[Column, ...]  # the optional columns that differ between rows
    same: tuple[str, ...]  # one sentence per column left out because every row agrees
    lines: tuple[RankingLine, ...]
    exclusion_summary: str | None  # "12 produk tidak memenuhi syarat: 9 ..., 3 ..."
    shortfall_reason: str | None


def varying(rows: Sequence[Mapping[str, object]], keys: Sequence[str]) -> tuple[str, ...]:
    """The keys whose value differs between rows: a column is shown only when it tells rows
    apart (one row or none: no column differs)."""
    return tuple(k for k in keys if len({row[k] for row in rows}) > 1)


def exclusion_summary(reasons: Sequence[Sequence[str]]) -> str | None:
    """``12 produk tidak memenuhi syarat: 9 waktu pengerjaan melewati tanggal kebutuhan, 3
    harga di atas HPS`` (None: nothing was excluded)."""
    if not reasons:
        return None
    counts = explain.reason_counts(reasons)
    parts = ", ".join(f"{formatting.number(n)} {reason}" for reason, n in counts)
    return f"{formatting.number(len(reasons))} produk tidak memenuhi syarat: {parts}."


def shortfall_reason(run: StoredRun) -> str | None:
    """Why part of the quantity found no UMKM, naming the true cause (the policy's wording)."""
    if not run.shortfall:
        return None
    steps = run.extra.get("steps") or ()
    skipped = {
        step.get("umkm_id")
        for step in steps
        if isinstance(step, Mapping) and step.get("kind") == "skip"
    }
    return (
        explain.shortfall_cause(
            suppliers=len(run.allocation),
            max_suppliers=run.settings.max_suppliers,
            candidates=len(run.candidates),
            skipped=len(skipped),
            excluded=[e.reasons for e in run.exclusions],
        )
        + "."
    )


def ranking_table(page: RunPage, run: StoredRun) -> RankingTable:
    """The ranking of a stored run for the page (any policy, old v1 runs included)."""
    rounds = {c.umkm_id: c.count_365 for c in run.candidates}
    unit = page.unit
    round_label = "Putaran" if run.policy != "pemerataan-v1" else "Pesanan 365 hari"
    optional: tuple[tuple[Column, Callable[[CandidateRow], str]], ...] = (
        (Column("tier", "Kelompok"), lambda c: f"{c.tier} ({c.tier_label})"),
        (Column("round", round_label, numeric=True), lambda c: _number(rounds.get(c.umkm_id))),
        (Column("unit_price", "Harga", numeric=True), lambda c: formatting.rupiah(c.unit_price)),
        (
            Column("free_capacity", "Kapasitas tersisa", numeric=True),
            lambda c: f"{formatting.number(c.free_capacity)} {unit}",
        ),
        (Column("need", "Kebutuhan", numeric=True), lambda c: formatting.rupiah(c.need)),
    )
    # Compared as shown: two needs that differ by a fraction of a Rupiah look the same.
    values = [{col.key: show(c) for col, show in optional} for c in page.ranking]
    shown = set(varying(values, [col.key for col, _ in optional]))
    columns = tuple(col for col, _ in optional if col.key in shown)
    same = tuple(
        _same_sentence(col, values[0][col.key], unit)
        for col, _ in optional
        if col.key not in shown and values
    )
    lines = tuple(
        RankingLine(
            rank=c.rank,
            umkm_id=c.umkm_id,
            umkm_name=c.umkm_name,
            product_name=c.product_name,
            proposed=c.proposed,
            cells=tuple(row[col.key] for col in columns),
            explanation=without_hash(c.explanation),
        )
        for c, row in zip(page.ranking, values, strict=True)
    )
    summary = exclusion_summary([e.reasons for e in run.exclusions])
    return RankingTable(
        rule=rule_sentence(run.policy),
        policy=policy_label(run.policy, run.version),
        columns=columns,
        same=same,
        lines=lines,
        exclusion_summary=summary,
        shortfall_reason=shortfall_reason(run),
    )


def _number(value: int | None) -> str:
    return "-" if value is None else formatting.number(value)


def _same_sentence(column: Column, value: str, unit: str) -> str:
    if column.key == "tier":
        return f"Semua UMKM di peringkat ini: kelompok {value}."
    if column.key == "round":
        return f"{column.label} semua UMKM di peringkat ini sama: {value}."
    if column.key == "unit_price":
        return f"Harga semua penawaran di peringkat ini sama: {value} per {unit}."
    if column.key == "free_capacity":
        return f"Kapasitas tersisa semua penawaran sama: {value}."
    return f"Kebutuhan semua UMKM di peringkat ini sama: {value}."
