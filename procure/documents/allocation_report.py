"""The Laporan Alokasi (document 5): the stored run, every candidate and exclusion, the decision.

Built from the ranking's run rows (``procure.ranking.run_rows``, which read the typed stored
run), never from the web page's presenters. It names the policy and its rule in one sentence,
the product kind the officer asked for, the product each UMKM offered, and the lottery only
where it decided a place: a run stored before the explanations said so in words (pemerataan-v1
wrote ``undian 3f2a9c01``) has the hex replaced by words, so no bare hash reaches the PDF.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from procure.allocation.explain import rule_sentence, shortfall_cause, shortfall_summary
from procure.allocation.policy import POLICY_V2
from procure.documents.builders import kop
from procure.documents.content import (
    AllocationReport,
    Award,
    DocumentContent,
    Exclusion,
    RankedCandidate,
    Row,
)
from procure.formatting import number, rupiah, tanggal, waktu
from procure.procurement.models import AllocationRun
from procure.ranking.run_rows import CandidateRow, Decision, RunPage, decision, run_page
from procure.ranking.stored_run import StoredRun

LOTTERY_NOTE = (
    "Undian: bila dua UMKM sama dalam semua ukuran di atas, urutan mereka ditentukan undian "
    "yang dapat dihitung ulang siapa pun dari nomor permintaan dan nomor UMKM. Undian hanya "
    "disebut pada baris yang urutannya ditentukan olehnya."
)
LOTTERY_WORDS = "urutan ditentukan undian"
# A stored v1 explanation ends a tied line with "undian <first 8 hex digits of the tie hash>".
_LOTTERY_HEX = re.compile(r"\bundian\s+[0-9a-f]{6,64}\b")
# Any other run of hex digits that looks like a hash (a letter and a digit, 8 or more long).
_BARE_HEX = re.compile(r"\b(?=[0-9a-f]*[a-f])(?=[0-9a-f]*[0-9])[0-9a-f]{8,64}\b")


def in_words(explanation: str) -> str:
    """A stored explanation with the lottery in words: no bare hex is printed."""
    text = _LOTTERY_HEX.sub(LOTTERY_WORDS, explanation)
    return _BARE_HEX.sub("", text).replace("  ", " ").strip()


def worded_lottery(explanation: str) -> bool:
    """The line is one of a stored v1 run that named the lottery by its hex only: the report
    then says once what the lottery is (v2's lines say it themselves)."""
    return _LOTTERY_HEX.search(explanation) is not None


def laporan_alokasi(run: AllocationRun, header: Mapping[str, Any]) -> DocumentContent:
    """Laporan Alokasi: the run, every candidate and exclusion, the decision (document 5)."""
    request = run.request
    stored = StoredRun.from_dict(run.result)
    page = run_page(
        run.id,
        stored,
        created_at=run.created_at,
        created_by_name=run.created_by.full_name,
        show_all=True,
    )
    return DocumentContent(
        kind="LA",
        title="Laporan Alokasi Pemerataan",
        number=header["number"],
        place=header["place"],
        date_text=tanggal(header["day"]),
        tahun_anggaran=request.fiscal_year,
        kop=kop(request.opd, header["config"], header.get("emblem")),
        package_name=request.title,
        kode_rekening=request.budget_code,
        paragraphs=(_summary(stored),),
        verification_url=header["verification_url"],
        allocation=_report(run, stored, page, decision(run)),
    )


def _report(
    run: AllocationRun, stored: StoredRun, page: RunPage, decided: Decision | None
) -> AllocationReport:
    chosen = {p.umkm_id for p in decided.parts} if decided else set()
    # pemerataan-v2 ranks by round first: its column leads; a v1 run has no rounds.
    rounds = {c.umkm_id: c.round for c in stored.candidates} if stored.policy == POLICY_V2 else None

    def figures(row: CandidateRow) -> tuple[str, ...]:
        head = () if rounds is None else (_round_text(rounds.get(row.umkm_id)),)
        return (*head, rupiah(row.need), rupiah(row.unit_price), number(row.free_capacity))

    candidates = tuple(
        RankedCandidate(
            rank=row.rank,
            business=row.umkm_name,
            product=row.product_name,
            figures=figures(row),
            explanation=in_words(row.explanation),
            is_proposed=row.proposed > 0,
            is_chosen=row.umkm_id in chosen,
        )
        for row in page.ranking
    )
    return AllocationReport(
        policy_name=page.policy,
        policy_version=str(page.version),
        rule=rule_sentence(page.policy),
        request=_request_rows(run, page),
        settings=tuple(Row(label, value) for label, value in page.settings),
        figure_labels=(
            *(() if rounds is None else ("Putaran",)),
            "Kebutuhan",
            "Harga satuan",
            "Kapasitas bebas",
        ),
        candidates=candidates,
        lottery_note=(
            LOTTERY_NOTE if any(worded_lottery(r.explanation) for r in page.ranking) else None
        ),
        exclusions=tuple(
            Exclusion(f"{row.umkm_name} — {row.product_name}", _reasons(row.reasons, row.details))
            for row in page.exclusions
        ),
        proposal=tuple(
            Award(p.umkm_name, p.quantity, page.unit, p.value, product=p.product_name)
            for p in page.proposal
        ),
        final_choice=tuple(
            Award(p.umkm_name, p.quantity, page.unit, p.value, product=p.product_name)
            for p in (decided.parts if decided else ())
        ),
        decided_by=decided.decided_by_name if decided else "-",
        decided_at_text=waktu(decided.decided_at) if decided else "-",
        is_override=bool(decided and decided.is_override),
        override_reason=decided.override_reason if decided else None,
        shortfall_text=_shortfall_text(stored, page),
    )


def _round_text(count: int | None) -> str:
    """A v2 round: the live orders in the 365 days up to the request."""
    return "-" if count is None else number(count)


def _reasons(reasons: tuple[str, ...], details: tuple[str, ...]) -> str:
    """Every failed rule with the numbers behind it: ``harga di atas HPS (Harga Rp … di atas
    HPS Rp ….)``; a run that stored no details gives the reasons alone."""
    if len(details) != len(reasons):
        return "; ".join(reasons)
    return "; ".join(f"{r} ({d.rstrip('.')})" for r, d in zip(reasons, details, strict=True))


def _shortfall_facts(stored: StoredRun) -> dict[str, Any]:
    """What happened in the run, as ``explain.shortfall_cause`` reads it (as the page does)."""
    steps = stored.extra.get("steps") or ()
    skipped = {
        step.get("umkm_id")
        for step in steps
        if isinstance(step, Mapping) and step.get("kind") == "skip"
    }
    return {
        "suppliers": len(stored.allocation),
        "max_suppliers": stored.settings.max_suppliers,
        "candidates": len(stored.candidates),
        "skipped": len(skipped),
        "excluded": [e.reasons for e in stored.exclusions],
    }


def _summary(stored: StoredRun) -> str:
    """The proposal in one sentence with the true cause of a shortfall, worded now from what
    the run stored (a v1 run's own summary could blame capacity for a lead-time exclusion)."""
    allocated = sum(p.quantity for p in stored.allocation)
    return shortfall_summary(stored.quantity, allocated, stored.unit, **_shortfall_facts(stored))


def _shortfall_text(stored: StoredRun, page: RunPage) -> str | None:
    """What was not covered and its true cause: no eligible offer (and how many each rule
    excluded), the limit of UMKM reached, capacity used up or parts below minimum order."""
    if not page.shortfall:
        return None
    cause = shortfall_cause(**_shortfall_facts(stored))
    return f"{number(page.shortfall)} {page.unit} tidak terpenuhi: {cause}."


def _request_rows(run: AllocationRun, page: RunPage) -> tuple[Row, ...]:
    request = run.request
    more = page.ranking_total - len(page.ranking)
    return (
        (
            Row("Paket", request.title),
            Row("Kategori", request.category.name),
            Row("Jenis barang yang diminta", request.kind.name),
            Row("Volume", f"{number(request.quantity)} {request.unit}"),
            Row("HPS satuan", rupiah(request.hps_unit_price)),
            Row("Dibutuhkan", tanggal(request.needed_by)),
            Row("Bulan omzet yang dipakai", page.window_label),
            Row("Dijalankan", f"{waktu(run.created_at)} oleh {page.created_by_name}"),
        )
        + ((Row("Penawaran lain yang memenuhi syarat", number(more)),) if more > 0 else ())
        + ((Row("Peringkat berikutnya", _rest_text(page)),) if page.more_candidates else ())
    )


def _rest_text(page: RunPage) -> str:
    """What a large category's run did not store in detail (docs/decisions/0008)."""
    whose = (
        "dari UMKM yang tidak melapor omzet"
        if page.next_tier == 1
        else "dengan kebutuhan lebih tinggi"
    )
    start = f" (kebutuhan mulai {rupiah(page.next_need)})" if page.next_need is not None else ""
    return (
        f"{number(page.ranking_total)} UMKM teratas disimpan rinci; penawaran lain yang memenuhi "
        f"syarat menyusul {whose}{start} dan tidak mengubah usulan."
    )
