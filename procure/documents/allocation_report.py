"""The Laporan Alokasi (document 5): the stored run, every candidate and exclusion, the decision.

Built from the ranking's run rows (``procure.ranking.run_rows``, which read the typed stored
run), never from the web page's presenters.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

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
from procure.ranking.run_rows import Decision, RunPage, decision, run_page


def laporan_alokasi(run: AllocationRun, header: Mapping[str, Any]) -> DocumentContent:
    """Laporan Alokasi: the run, every candidate and exclusion, the decision (document 5)."""
    request = run.request
    page = run_page(
        run.id,
        run.result,
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
        kop=kop(request.opd, header["config"]),
        package_name=request.title,
        kode_rekening=request.budget_code,
        paragraphs=(page.summary,),
        verification_url=header["verification_url"],
        allocation=_report(run, page, decision(run)),
    )


def _report(run: AllocationRun, page: RunPage, decided: Decision | None) -> AllocationReport:
    chosen = {p.umkm_id for p in decided.parts} if decided else set()
    return AllocationReport(
        policy_name=page.policy,
        policy_version=str(page.version),
        request=_request_rows(run, page),
        settings=tuple(Row(label, value) for label, value in page.settings),
        figure_labels=("Kebutuhan", "Harga satuan", "Kapasitas bebas"),
        candidates=tuple(
            RankedCandidate(
                rank=row.rank,
                business=row.umkm_name,
                figures=(rupiah(row.need), rupiah(row.unit_price), number(row.free_capacity)),
                explanation=row.explanation,
                is_proposed=row.proposed > 0,
                is_chosen=row.umkm_id in chosen,
            )
            for row in page.ranking
        ),
        exclusions=tuple(
            Exclusion(f"{row.umkm_name} — {row.product_name}", "; ".join(row.reasons))
            for row in page.exclusions
        ),
        proposal=tuple(Award(p.umkm_name, p.quantity, page.unit, p.value) for p in page.proposal),
        final_choice=tuple(
            Award(p.umkm_name, p.quantity, page.unit, p.value)
            for p in (decided.parts if decided else ())
        ),
        decided_by=decided.decided_by_name if decided else "-",
        decided_at_text=waktu(decided.decided_at) if decided else "-",
        is_override=bool(decided and decided.is_override),
        override_reason=decided.override_reason if decided else None,
        shortfall_text=(
            f"Kekurangan {number(page.shortfall)} {page.unit}: kapasitas yang tersedia tidak "
            "mencukupi."
            if page.shortfall
            else None
        ),
    )


def _request_rows(run: AllocationRun, page: RunPage) -> tuple[Row, ...]:
    request = run.request
    more = page.ranking_total - len(page.ranking)
    return (
        (
            Row("Paket", request.title),
            Row("Kategori", request.category.name),
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
