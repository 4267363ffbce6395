"""The stored run as rows to show: on the request page and in the PDF of the allocation.

Pure: no Flask, no SQLAlchemy. Reads the run through ``stored_run.StoredRun`` (never by string
keys). A run's needs are exact Fractions; here they are rounded half up to whole Rupiah for
display only. The web page (procure/procurement/presenters.py) and the documents
(procure/documents/allocation_report.py) both build from here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from procure import formatting
from procure.allocation.explain import whole
from procure.omzet.rules import Period
from procure.ranking.stored_run import (
    RANKING_LIMIT,
    StoredCandidate,
    StoredExclusion,
    StoredPart,
    StoredRun,
    StoredSettings,
    parts_from,
)

SPLIT_MODE_LABELS = {
    "capacity": "menurut kapasitas (capacity)",
    "level": "merata per bagian (level)",
}
TIER_LABELS = {0: "melapor omzet / UMKM baru", 1: "tidak melapor omzet"}


@dataclass(frozen=True)
class PartRow:
    """One UMKM's part: of the proposal, or of the final choice."""

    rank: int | None
    umkm_id: int
    umkm_name: str
    product_name: str
    quantity: int
    unit_price: int
    value: int


@dataclass(frozen=True)
class CandidateRow:
    rank: int
    umkm_id: int
    umkm_name: str
    product_name: str
    unit_price: int
    free_capacity: int
    min_order: int
    tier: int
    tier_label: str
    need: int  # rounded for display; the run keeps the exact Fraction
    explanation: str
    proposed: int  # the proposal's quantity for this UMKM, 0 when none


@dataclass(frozen=True)
class ExclusionRow:
    umkm_name: str
    product_name: str
    unit_price: int
    reasons: tuple[str, ...]
    details: tuple[str, ...]


@dataclass(frozen=True)
class RunPage:
    """What ``_run.html`` shows of one stored run."""

    id: int
    policy: str
    version: int
    created_at: dt.datetime
    created_by_name: str
    settings: tuple[tuple[str, str], ...]
    window_label: str
    summary: str
    unit: str
    quantity: int
    shortfall: int
    proposal: tuple[PartRow, ...]
    proposal_value: int
    ranking: tuple[CandidateRow, ...]
    ranking_total: int
    exclusions: tuple[ExclusionRow, ...]
    exclusions_total: int
    limit: int  # rows shown of each list unless all are asked for
    # A large category's run stores only the top of the ranking (docs/decisions/0008):
    is_summarised: bool = False
    more_candidates: bool = False  # eligible UMKM exist after the stored ones
    next_need: int | None = None  # the need of the first of them, rounded for display
    next_tier: int | None = None

    @property
    def is_truncated(self) -> bool:
        return (
            len(self.ranking) < self.ranking_total or len(self.exclusions) < self.exclusions_total
        )


def need_rupiah(value: str | int | Fraction) -> int:
    """A stored need (``"12500000/3"``) rounded half up to whole Rupiah."""
    return whole(Fraction(value))


def settings_lines(settings: StoredSettings, unit: str) -> tuple[tuple[str, str], ...]:
    """The policy's settings as ``(label, value)`` lines in Indonesian."""
    cap = settings.annual_award_cap
    return (
        ("Batas UMKM per permintaan", f"{settings.max_suppliers} UMKM"),
        ("Batas pesanan tahunan per UMKM", formatting.rupiah(cap) if cap else "tidak ada"),
        ("Masa tenggang UMKM baru", f"{settings.new_supplier_grace_days} hari"),
        ("Cara pembagian", SPLIT_MODE_LABELS.get(settings.split_mode, str(settings.split_mode))),
        ("Lot minimum", f"{formatting.number(settings.min_lot)} {unit}"),
    )


def window_label(window: Sequence[str]) -> str:
    """``["2026-08", "2026-09", "2026-10"]`` -> ``Agustus 2026 – Oktober 2026``."""
    periods = [Period.parse(p) for p in window]
    if not periods:
        return "-"
    if len(periods) == 1:
        return periods[0].label
    return f"{periods[0].label} – {periods[-1].label}"


def as_run(result: StoredRun | Mapping[str, Any]) -> StoredRun:
    return result if isinstance(result, StoredRun) else StoredRun.from_dict(result)


def part_rows(
    result: StoredRun | Mapping[str, Any], parts: Sequence[StoredPart] | Sequence[Mapping[str, Any]]
) -> tuple[PartRow, ...]:
    """Parts (proposal or final choice) with the UMKM and product names the run saw."""
    by_umkm = as_run(result).by_umkm()
    typed = [p if isinstance(p, StoredPart) else StoredPart.from_dict(p) for p in parts]
    rows = []
    for part in typed:
        candidate = by_umkm.get(part.umkm_id)
        offer = candidate.offer if candidate else None
        product_name = (
            offer.product_name
            if offer is not None and offer.product_id == part.product_id
            else f"Produk #{part.product_id}"
        )
        rows.append(
            PartRow(
                rank=candidate.rank if candidate else None,
                umkm_id=part.umkm_id,
                umkm_name=(offer.umkm_name if offer else None) or f"UMKM #{part.umkm_id}",
                product_name=product_name or f"Produk #{part.product_id}",
                quantity=part.quantity,
                unit_price=part.price,
                value=part.value,
            )
        )
    return tuple(rows)


def _candidate_row(candidate: StoredCandidate, proposed: int) -> CandidateRow:
    offer = candidate.offer
    tier = candidate.tier if candidate.tier is not None else 0
    return CandidateRow(
        rank=candidate.rank or 0,
        umkm_id=offer.umkm_id,
        umkm_name=offer.umkm_name or "",
        product_name=offer.product_name or "",
        unit_price=offer.unit_price or 0,
        free_capacity=candidate.free_capacity or 0,
        min_order=offer.min_order or 0,
        tier=tier,
        tier_label=TIER_LABELS.get(tier, str(tier)),
        need=need_rupiah(candidate.need or 0),
        explanation=candidate.explanation or "",
        proposed=proposed,
    )


def _exclusion_row(exclusion: StoredExclusion) -> ExclusionRow:
    offer = exclusion.offer
    return ExclusionRow(
        umkm_name=offer.umkm_name or "",
        product_name=offer.product_name or "",
        unit_price=offer.unit_price or 0,
        reasons=exclusion.reasons,
        details=exclusion.details,
    )


def run_page(
    run_id: int,
    result: StoredRun | Mapping[str, Any],
    *,
    created_at: dt.datetime,
    created_by_name: str,
    show_all: bool = False,
    limit: int | None = None,
) -> RunPage:
    """A stored run as rows: the top ``limit`` (default ``RANKING_LIMIT``) of the ranking and
    of the exclusions unless ``show_all``; proposed UMKM are always in the ranking rows."""
    run = as_run(result)
    limit = RANKING_LIMIT if limit is None else limit
    proposed = {p.umkm_id: p.quantity for p in run.allocation}
    shown = [
        _candidate_row(c, proposed.get(c.umkm_id, 0))
        for i, c in enumerate(run.candidates)
        if show_all or i < limit or c.umkm_id in proposed
    ]
    proposal = part_rows(run, run.allocation)
    exclusions = run.exclusions if show_all else run.exclusions[:limit]
    rest = run.rest
    return RunPage(
        id=run_id,
        policy=run.policy,
        version=run.version,
        created_at=created_at,
        created_by_name=created_by_name,
        settings=settings_lines(run.settings, run.unit),
        window_label=window_label(run.window),
        summary=run.summary,
        unit=run.unit,
        quantity=run.quantity,
        shortfall=run.shortfall,
        proposal=proposal,
        proposal_value=sum(p.value for p in proposal),
        ranking=tuple(shown),
        ranking_total=len(run.candidates),
        exclusions=tuple(_exclusion_row(e) for e in exclusions),
        exclusions_total=len(run.exclusions),
        limit=limit,
        is_summarised=rest is not None,
        more_candidates=bool(rest and rest.more),
        next_need=need_rupiah(rest.next_need) if rest and rest.next_need is not None else None,
        next_tier=rest.next_tier if rest else None,
    )


@dataclass(frozen=True)
class Decision:
    """The officer's decision on a run."""

    parts: tuple[PartRow, ...]
    value: int
    is_override: bool
    override_reason: str | None
    decided_by_name: str
    decided_at: dt.datetime


def decision(run: Any) -> Decision | None:
    """The decision stored on a run (any object with its attributes), or None if undecided."""
    if run.decided_at is None:
        return None
    parts = part_rows(run.result, parts_from(run.final_choice))
    return Decision(
        parts=parts,
        value=sum(p.value for p in parts),
        is_override=bool(run.is_override),
        override_reason=run.override_reason,
        decided_by_name=run.decided_by.full_name if run.decided_by else "-",
        decided_at=run.decided_at,
    )
