"""Rows for the request pages, built from a real ``Result.to_dict()`` (no database)."""

from __future__ import annotations

from types import SimpleNamespace

from procure.allocation.policy import Offer, Settings, SupplierFacts, evaluate
from procure.omzet.rules import Period
from procure.ranking import run_rows as presenters
from tests.allocation_cases import CREATED, batik_offer, batik_request


def offer(umkm_id: int, price: int = 175_000, capacity: int = 80) -> Offer:
    return batik_offer(umkm_id, unit_price=price, monthly_capacity=capacity)


def stored(quantity: int = 200, umkm_count: int = 4) -> dict:
    request = batik_request(quantity)
    offers = [offer(i) for i in range(1, umkm_count + 1)] + [offer(99, price=250_000)]
    facts = [SupplierFacts(i, None) for i in [*range(1, umkm_count + 1), 99]]
    # Three months of omzet for UMKM 1 whose mean is not whole: 12.500.000 / 3.
    facts[0] = SupplierFacts(
        1,
        None,
        {Period(2026, 8): 4_000_000, Period(2026, 9): 4_000_000, Period(2026, 10): 4_500_000},
    )
    return evaluate(request, offers, facts, Settings(), policy="pemerataan-v1").to_dict()


def test_need_is_rounded_half_up_for_display() -> None:
    assert presenters.need_rupiah("12500000/3") == 4_166_667
    assert presenters.need_rupiah("1/2") == 1
    assert presenters.need_rupiah("0") == 0
    assert presenters.need_rupiah(7) == 7


def test_run_page_has_the_proposal_the_ranking_and_the_exclusions() -> None:
    page = presenters.run_page(5, stored(), created_at=CREATED, created_by_name="Sri")
    assert (page.id, page.policy, page.version) == (5, "pemerataan-v1", 1)
    assert page.window_label == "Agustus 2026 – Oktober 2026"
    assert [p.quantity for p in page.proposal] == [80, 80, 40]
    assert page.proposal_value == 200 * 175_000 and page.shortfall == 0
    first = page.ranking[0]
    assert (first.umkm_id, first.rank, first.need, first.tier) == (1, 1, 4_166_667, 0)
    assert "kebutuhan Rp 4.166.667 · peringkat 1" in first.explanation
    assert first.proposed == 80
    assert page.ranking_total == 4 and not page.is_truncated
    (excluded,) = page.exclusions
    assert excluded.umkm_name == "Batik 99" and excluded.reasons == ("harga di atas HPS",)
    assert ("Batas UMKM per permintaan", "3 UMKM") in page.settings
    assert ("Batas pesanan tahunan per UMKM", "tidak ada") in page.settings


def test_a_long_ranking_is_cut_but_keeps_the_proposed_rows() -> None:
    result = stored(quantity=200, umkm_count=6)
    page = presenters.run_page(1, result, created_at=CREATED, created_by_name="Sri", limit=1)
    assert [c.rank for c in page.ranking] == [1, 2, 3]  # rank 1, then the other proposed two
    assert page.is_truncated and page.ranking_total == 6
    everything = presenters.run_page(
        1, result, created_at=CREATED, created_by_name="Sri", show_all=True, limit=1
    )
    assert len(everything.ranking) == 6 and not everything.is_truncated


def test_shortfall_is_carried() -> None:
    page = presenters.run_page(
        1, stored(quantity=250, umkm_count=2), created_at=CREATED, created_by_name="Sri"
    )
    assert page.shortfall == 90 and sum(p.quantity for p in page.proposal) == 160


def test_decision_rows_read_the_stored_final_choice() -> None:
    result = stored()
    undecided = SimpleNamespace(decided_at=None)
    assert presenters.decision(undecided) is None
    run = SimpleNamespace(
        result=result,
        final_choice=[{"umkm_id": 4, "product_id": 40, "quantity": 30, "value": 5_250_000}],
        decided_at=CREATED,
        is_override=True,
        override_reason="UMKM lain sedang terlambat mengirim.",
        decided_by=SimpleNamespace(full_name="Sri"),
    )
    decided = presenters.decision(run)
    assert decided is not None and decided.is_override
    (part,) = decided.parts
    assert (part.umkm_name, part.product_name, part.unit_price, part.value) == (
        "Batik 4",
        "Kemeja 4",
        175_000,
        5_250_000,
    )
    assert decided.value == 5_250_000 and decided.decided_by_name == "Sri"
