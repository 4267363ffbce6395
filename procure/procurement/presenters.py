"""Plain rows for the request pages, built from a request and its stored allocation run.

Pure: no Flask, no SQLAlchemy. Templates get these frozen dataclasses, never ORM objects.
A run's needs are exact Fractions (``"12500000/3"``); here they are rounded half up to whole
Rupiah for display only.
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

# The whole ranking can hold thousands of UMKM: the page shows this many unless asked for all.
RANKING_LIMIT = 50
# A run of a large category stores the top of the ranking and, under this key, a summary of
# the rest (procure/procurement/ranking.py); a run without it stored the whole ranking.
REST_OF_RANKING = "rest_of_ranking"

REQUEST_STATUS_LABELS = {
    "draft": "Belum diputuskan",
    "ordered": "Surat Pesanan terbit",
    "cancelled": "Dibatalkan",
}
SPLIT_MODE_LABELS = {
    "capacity": "menurut kapasitas (capacity)",
    "level": "merata per bagian (level)",
}
TIER_LABELS = {0: "melapor omzet / UMKM baru", 1: "tidak melapor omzet"}


@dataclass(frozen=True)
class RequestCard:
    id: int
    title: str
    opd_name: str
    category_name: str
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


def request_card(request: Any) -> RequestCard:
    """A purchase request (any object with its attributes) as plain data."""
    return RequestCard(
        id=request.id,
        title=request.title,
        opd_name=request.opd.name,
        category_name=request.category.name,
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


def need_rupiah(value: str | int) -> int:
    """A stored need (``"12500000/3"``) rounded half up to whole Rupiah."""
    return whole(Fraction(value))


def settings_lines(settings: Mapping[str, Any], unit: str) -> tuple[tuple[str, str], ...]:
    """The policy's settings as ``(label, value)`` lines in Indonesian."""
    cap = settings.get("annual_award_cap")
    return (
        ("Batas UMKM per permintaan", f"{settings['max_suppliers']} UMKM"),
        ("Batas pesanan tahunan per UMKM", formatting.rupiah(cap) if cap else "tidak ada"),
        ("Masa tenggang UMKM baru", f"{settings['new_supplier_grace_days']} hari"),
        (
            "Cara pembagian",
            SPLIT_MODE_LABELS.get(settings["split_mode"], str(settings["split_mode"])),
        ),
        ("Lot minimum", f"{formatting.number(settings['min_lot'])} {unit}"),
    )


def window_label(window: Sequence[str]) -> str:
    """``["2026-08", "2026-09", "2026-10"]`` -> ``Agustus 2026 – Oktober 2026``."""
    periods = [Period.parse(p) for p in window]
    if not periods:
        return "-"
    if len(periods) == 1:
        return periods[0].label
    return f"{periods[0].label} – {periods[-1].label}"


def _offers_by_umkm(result: Mapping[str, Any]) -> dict[int, Mapping[str, Any]]:
    return {c["offer"]["umkm_id"]: c for c in result["candidates"]}


def part_rows(result: Mapping[str, Any], parts: Sequence[Mapping[str, Any]]) -> tuple[PartRow, ...]:
    """Parts (proposal or final choice) with the UMKM and product names the run saw."""
    by_umkm = _offers_by_umkm(result)
    rows = []
    for part in parts:
        candidate = by_umkm.get(part["umkm_id"])
        offer = candidate["offer"] if candidate else {}
        quantity = part["quantity"]
        value = part["value"]
        product_name = (
            offer["product_name"]
            if offer.get("product_id") == part["product_id"]
            else f"Produk #{part['product_id']}"
        )
        rows.append(
            PartRow(
                rank=candidate["rank"] if candidate else None,
                umkm_id=part["umkm_id"],
                umkm_name=offer.get("umkm_name", f"UMKM #{part['umkm_id']}"),
                product_name=product_name,
                quantity=quantity,
                # A final choice stores the value, not the price: value / quantity is exact.
                unit_price=part.get("unit_price", value // quantity),
                value=value,
            )
        )
    return tuple(rows)


def _candidate_row(candidate: Mapping[str, Any], proposed: int) -> CandidateRow:
    offer = candidate["offer"]
    return CandidateRow(
        rank=candidate["rank"],
        umkm_id=offer["umkm_id"],
        umkm_name=offer["umkm_name"],
        product_name=offer["product_name"],
        unit_price=offer["unit_price"],
        free_capacity=candidate["free_capacity"],
        min_order=offer["min_order"],
        tier=candidate["tier"],
        tier_label=TIER_LABELS.get(candidate["tier"], str(candidate["tier"])),
        need=need_rupiah(candidate["need"]),
        explanation=candidate["explanation"],
        proposed=proposed,
    )


def _exclusion_row(exclusion: Mapping[str, Any]) -> ExclusionRow:
    offer = exclusion["offer"]
    return ExclusionRow(
        umkm_name=offer["umkm_name"],
        product_name=offer["product_name"],
        unit_price=offer["unit_price"],
        reasons=tuple(exclusion["reasons"]),
        details=tuple(exclusion["details"]),
    )


def run_page(
    run_id: int,
    result: Mapping[str, Any],
    *,
    created_at: dt.datetime,
    created_by_name: str,
    show_all: bool = False,
    limit: int | None = None,
) -> RunPage:
    """A stored run (``Result.to_dict()``) as rows: the top ``limit`` (default
    ``RANKING_LIMIT``) of the ranking and of the exclusions unless ``show_all``; proposed UMKM
    are always in the ranking rows."""
    limit = RANKING_LIMIT if limit is None else limit
    proposed = {p["umkm_id"]: p["quantity"] for p in result["allocation"]}
    candidates = result["candidates"]
    exclusions = result["exclusions"]
    shown = [
        _candidate_row(c, proposed.get(c["offer"]["umkm_id"], 0))
        for i, c in enumerate(candidates)
        if show_all or i < limit or c["offer"]["umkm_id"] in proposed
    ]
    unit = result["request"]["unit"]
    proposal = part_rows(result, result["allocation"])
    rest = result.get(REST_OF_RANKING)
    next_need = rest.get("next_need") if rest else None
    return RunPage(
        id=run_id,
        policy=result["policy"],
        version=result["version"],
        created_at=created_at,
        created_by_name=created_by_name,
        settings=settings_lines(result["settings"], unit),
        window_label=window_label(result["window"]),
        summary=result["summary"],
        unit=unit,
        quantity=result["request"]["quantity"],
        shortfall=result["shortfall"],
        proposal=proposal,
        proposal_value=sum(p.value for p in proposal),
        ranking=tuple(shown),
        ranking_total=len(candidates),
        exclusions=tuple(
            _exclusion_row(e) for e in (exclusions if show_all else exclusions[:limit])
        ),
        exclusions_total=len(exclusions),
        limit=limit,
        is_summarised=rest is not None,
        more_candidates=bool(rest and rest.get("more")),
        next_need=need_rupiah(next_need) if next_need is not None else None,
        next_tier=rest.get("next_tier") if rest else None,
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
    parts = part_rows(run.result, run.final_choice or [])
    return Decision(
        parts=parts,
        value=sum(p.value for p in parts),
        is_override=bool(run.is_override),
        override_reason=run.override_reason,
        decided_by_name=run.decided_by.full_name if run.decided_by else "-",
        decided_at=run.decided_at,
    )
