"""Hand-worked examples for every rule of pemerataan-v2 that differs from v1 (ALLOCATION.md).

Request 7 on 23 Nov 2026 (t), W = Aug-Oct 2026, a product kind 5 of category 1; the kitchens
of tests/allocation_cases.py (shared with v1's examples) sell at Rp 25.000 a unit.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from fractions import Fraction
from typing import Any

import pytest

from procure.allocation import explain
from procure.allocation.policy import (
    DEFAULT_POLICY,
    POLICIES,
    Award,
    Offer,
    PolicyError,
    Request,
    Result,
    Settings,
    SupplierFacts,
    eligibility,
    evaluate,
    inputs_from_dict,
    need_for,
    need_for_v2,
    tie_for,
)
from procure.omzet.rules import Period
from procure.ranking.stored_run import StoredRun
from tests import allocation_cases as cases
from tests.allocation_cases import (
    AUG,
    DAY,
    JAKARTA,
    KIND,
    LONG_AGO,
    NOV,
    OCT,
    SEP,
    V1,
    V2,
    W,
    facts,
    parts,
    ranking,
)

LOTTERY = "urutan ditentukan undian yang dapat dihitung ulang (sha256 nomor permintaan:nomor UMKM)"


def request(**changes: Any) -> Request:
    """A request of kind ``KIND``."""
    return cases.request(**({"kind_id": KIND} | changes))


def offer(umkm_id: int, **changes: Any) -> Offer:
    """A product of kind ``KIND``."""
    return cases.offer(umkm_id, **({"kind_id": KIND} | changes))


def orders(*days: dt.date) -> tuple[Award, ...]:
    return tuple(Award(day, 0) for day in days)


# --- the policy by name -----------------------------------------------------------------------


def test_v2_is_the_default_and_the_result_names_it() -> None:
    assert DEFAULT_POLICY == V2 and POLICIES == (V2, V1)
    result = evaluate(request(), [offer(1)], [facts(1, 1)])
    assert (result.policy, result.version) == (V2, 2)
    assert evaluate(request(), [offer(1)], [facts(1, 1)], policy=V1).version == 1
    with pytest.raises(PolicyError, match="tidak dikenal"):
        evaluate(request(), [offer(1)], [facts(1, 1)], policy="pemerataan-v3")


def test_rule_sentence_is_one_sentence_per_policy() -> None:
    v2 = explain.rule_sentence(V2)
    assert v2.startswith(
        "UMKM yang paling sedikit mendapat pesanan dalam 365 hari terakhir didahulukan; di "
        "antara mereka, omzet terendah"
    )
    assert "melaporkan omzet" in v2
    v1 = explain.rule_sentence(V1)
    assert v1 != v2 and v1.startswith("UMKM dengan kebutuhan terendah")
    for sentence in (v1, v2):
        assert sentence.count(".") == 1 and sentence.endswith(".")


# --- eligibility ------------------------------------------------------------------------------


def test_v2_matches_the_kind_v1_the_category() -> None:
    blouse = offer(1, kind_id=6)  # same category, another kind
    assert eligibility(blouse, request(), facts(1, 1), Settings()) == ("jenis barang lain",)
    assert eligibility(blouse, request(), facts(1, 1), Settings(), policy=V1) == ()
    result = evaluate(request(), [blouse, offer(2)], [facts(1, 1), facts(2, 2)])
    assert ranking(result) == [2]
    assert result.exclusions == ()  # another kind is no offer: not listed


@pytest.mark.parametrize(
    ("capacity", "booked", "min_order", "v2_reasons", "v1_reasons"),
    [
        (50, 45, 10, ("kapasitas penuh",), ()),  # f = 5 < min order 10: v1 let it in
        (50, 40, 10, (), ()),  # f = 10 = min order
        (50, 50, 1, ("kapasitas penuh",), ("kapasitas penuh",)),
        (50, 49, 1, (), ()),
    ],
)
def test_free_capacity_must_reach_the_minimum_order(
    capacity: int,
    booked: int,
    min_order: int,
    v2_reasons: tuple[str, ...],
    v1_reasons: tuple[str, ...],
) -> None:
    o = offer(1, monthly_capacity=capacity, booked_in_due_month=booked, min_order=min_order)
    assert eligibility(o, request(), facts(1, 1), Settings()) == v2_reasons
    assert eligibility(o, request(), facts(1, 1), Settings(), policy=V1) == v1_reasons


def test_annual_cap_counts_orders_from_1_january_through_t() -> None:
    cap = Settings(annual_award_cap=30_000_000)
    later = facts(1, 1, (Award(dt.date(2026, 1, 1), 20_000_000), Award(DAY, 9_999_999)))
    after_t = facts(1, 1, (*later.awards, Award(DAY + dt.timedelta(days=1), 5_000_000)))
    assert eligibility(offer(1), request(), later, cap) == ()
    assert eligibility(offer(1), request(), after_t, cap) == ()  # issued after t
    assert eligibility(offer(1), request(), after_t, cap, policy=V1) == ("batas tahunan",)
    at_cap = facts(1, 1, (Award(dt.date(2026, 1, 1), 20_000_000), Award(DAY, 10_000_000)))
    result = evaluate(request(), [offer(1)], [at_cap], cap)
    assert result.exclusions[0].reasons == ("batas tahunan",)
    assert result.exclusions[0].details == (
        "Pesanan 1 Januari–23 November 2026 sudah Rp 30.000.000 dari batas Rp 30.000.000.",
    )


def test_exclusions_list_only_active_products_of_the_kind_with_every_reason_in_order() -> None:
    capped = facts(1, 1, (Award(dt.date(2026, 3, 1), 30_000_000),))
    bad = offer(
        1,
        umkm_status="pending",
        unit_price=40_000,
        lead_time_days=30,
        monthly_capacity=600,
        booked_in_due_month=500,  # f = 100 < min order 500
        min_order=500,
    )
    result = evaluate(
        request(),
        [
            bad,
            offer(2, product_id=21, kind_id=6, unit_price=40_000),  # another kind
            offer(2, product_id=22, is_product_active=False, unit_price=40_000),  # inactive
            offer(2, product_id=23, umkm_status="suspended"),
            offer(3),
        ],
        [capped, facts(2, 1), facts(3, 1)],
        Settings(annual_award_cap=30_000_000),
    )
    assert [(e.product_id, e.reasons) for e in result.exclusions] == [
        (
            10,
            (
                "UMKM belum terverifikasi",
                "harga di atas HPS",
                "waktu pengerjaan melewati tanggal kebutuhan",
                "kapasitas penuh",
                "batas tahunan",
                "di bawah pesanan minimum",
            ),
        ),
        (23, ("UMKM dibekukan",)),
    ]
    assert result.exclusions[0].details[3] == (
        "Kapasitas bebas 100 kotak untuk Desember 2026 (kapasitas 600, sudah terpesan 500), "
        "kurang dari pesanan minimum 500 kotak."
    )
    assert ranking(result) == [3]


# --- rounds -----------------------------------------------------------------------------------


def test_rounds_come_before_need_and_tier_before_rounds() -> None:
    result = evaluate(
        request(),
        [offer(i) for i in (1, 2, 3, 4)],
        [
            facts(1, 1_000_000, orders(dt.date(2026, 2, 1), dt.date(2026, 6, 1))),  # round 2
            facts(2, 9_000_000),  # round 0, high need
            facts(3, 5_000_000, orders(dt.date(2026, 1, 5))),  # round 1
            facts(4, None),  # tier 1, round 0, need 0
        ],
    )
    assert ranking(result) == [2, 3, 1, 4]
    assert [c.key[:3] for c in result.candidates] == [
        (0, 0, 9_000_000),
        (0, 1, 5_000_000),
        (0, 2, 1_000_000),
        (1, 0, 0),
    ]
    v1 = evaluate(request(), [offer(i) for i in (1, 2, 3, 4)], [
        facts(1, 1_000_000, orders(dt.date(2026, 2, 1), dt.date(2026, 6, 1))),
        facts(2, 9_000_000),
        facts(3, 5_000_000, orders(dt.date(2026, 1, 5))),
        facts(4, None),
    ], policy=V1)  # fmt: skip
    assert ranking(v1) == [1, 3, 2, 4]


def test_the_round_counts_orders_of_any_kind_in_the_365_days_through_t() -> None:
    history = orders(
        dt.date(2025, 11, 23),  # t - 365: outside
        dt.date(2025, 11, 24),  # t - 364
        DAY,
        DAY + dt.timedelta(days=1),  # after t
    )
    result = evaluate(request(), [offer(1)], [facts(1, 1, history)])
    assert result.candidates[0].count_365 == result.candidates[0].round == 2


# --- need: awards of unreported months --------------------------------------------------------


def test_awards_of_unreported_months_are_counted() -> None:
    umkm = facts(
        1,
        {AUG: 5_000_000, OCT: 3_000_000},  # September not reported
        (
            Award(dt.date(2026, 7, 31), 100_000),  # before W
            Award(dt.date(2026, 8, 10), 1_000_000),  # in August's report (no floor needed)
            Award(dt.date(2026, 9, 15), 2_000_000),  # unreported month of W: counted
            Award(dt.date(2026, 10, 5), 500_000),  # in October's report
            Award(dt.date(2026, 11, 3), 700_000),  # t's month: counted
            Award(dt.date(2026, 11, 30), 900_000),  # after t: not yet
        ),
    )
    need = need_for_v2(umkm, W, DAY, 60)
    assert need.reported_avg == 4_000_000
    assert need.awards_since == 2_700_000
    assert need.unreported_months == (SEP, NOV)
    assert need.value == 6_700_000
    # v1 counts from 1 Nov (the month after the latest reported) with no upper bound.
    assert need_for(umkm, W, DAY, 60).value == 4_000_000 + 1_600_000
    candidate = evaluate(request(), [offer(1)], [umkm]).candidates[0]
    assert (candidate.awards_unreported, candidate.unreported_months) == (2_700_000, (SEP, NOV))
    assert candidate.need == 6_700_000
    assert candidate.explanation == (
        "5 pesanan pemerintah dalam 365 hari terakhir (putaran 5) · rata-rata omzet Agu & Okt "
        "2026 (Sep tidak dilaporkan) Rp 4.000.000 + pesanan di bulan yang belum dilaporkan "
        "(Sep & Nov 2026) Rp 2.700.000 = Rp 6.700.000 · peringkat 1"
    )


def test_without_a_report_every_order_from_the_first_day_of_w_counts() -> None:
    umkm = facts(1, None, (Award(dt.date(2026, 7, 31), 1), Award(dt.date(2026, 8, 1), 10)))
    need = need_for_v2(umkm, W, DAY, 60)
    assert (need.tier, need.reported_avg, need.awards_since) == (1, 0, 10)
    assert need.unreported_months == (AUG, SEP, OCT, NOV)


def test_a_report_below_platform_orders_is_raised_in_v2_too() -> None:
    umkm = facts(
        1,
        {AUG: 1_000_000, SEP: 1_000_000, OCT: 1_000_000},
        (Award(dt.date(2026, 9, 9), 4_000_000),),
    )
    need = need_for_v2(umkm, W, DAY, 60)
    assert [m.used for m in need.months] == [1_000_000, 4_000_000, 1_000_000]
    assert need.reported_avg == 2_000_000 and need.awards_since == 0


# --- grace ------------------------------------------------------------------------------------


def test_a_umkm_in_grace_that_reported_uses_its_mean() -> None:
    fresh = dt.datetime(2026, 11, 13, 9, 0, tzinfo=JAKARTA)
    umkm = facts(1, {OCT: 700_000_000}, verified_at=fresh)
    v2 = need_for_v2(umkm, W, DAY, 60)
    assert (v2.tier, v2.in_grace, v2.reported_avg) == (0, True, 700_000_000)
    assert need_for(umkm, W, DAY, 60).reported_avg == 0  # v1 counted it 0
    silent = need_for_v2(facts(2, None, verified_at=fresh), W, DAY, 60)
    assert (silent.tier, silent.in_grace, silent.reported_avg) == (0, True, 0)
    result = evaluate(request(), [offer(1), offer(2)], [umkm, facts(2, 5_000_000)])
    assert ranking(result) == [2, 1]


def test_a_silent_umkm_in_grace_is_told_so() -> None:
    fresh = dt.datetime(2026, 9, 25, 9, 0, tzinfo=JAKARTA)
    result = evaluate(request(), [offer(1)], [facts(1, None, verified_at=fresh)])
    assert result.candidates[0].explanation == (
        "Belum mendapat pesanan pemerintah dalam 365 hari terakhir (putaran 0) · UMKM baru, "
        "terverifikasi 25 September 2026, belum melaporkan omzet Agu–Okt 2026: omzet dihitung "
        "Rp 0 + pesanan pemerintah sejak 1 Agustus 2026 Rp 0 = Rp 0 · peringkat 1"
    )


# --- explanations -----------------------------------------------------------------------------


def test_explanation_reads_like_the_policy_example() -> None:
    result = evaluate(
        request(),
        [offer(1), offer(2), offer(3)],
        [
            facts(1, 1_000_000),
            facts(2, 2_000_000),
            facts(3, {AUG: 4_000_000, SEP: 4_200_000, OCT: 4_400_000}),
        ],
    )
    assert result.candidates[2].explanation == (
        "Belum mendapat pesanan pemerintah dalam 365 hari terakhir (putaran 0) · rata-rata omzet "
        "Agu–Okt 2026 Rp 4.200.000 + pesanan di bulan yang belum dilaporkan Rp 0 = Rp 4.200.000 "
        "· peringkat 3"
    )


def test_the_lottery_is_named_only_where_it_decided_and_never_as_hex() -> None:
    result = evaluate(
        request(),
        [offer(i) for i in (1, 2, 3, 4, 5)],
        [
            facts(1, 1_000_000),
            facts(2, 1_000_000),
            facts(3, 1_000_000),
            facts(4, 1_000_000, orders(dt.date(2026, 5, 1))),  # same need, another round
            facts(5, 2_000_000),
        ],
    )
    tied = sorted([1, 2, 3], key=lambda m: tie_for(7, m))
    assert ranking(result) == [*tied, 5, 4]
    lines = [c.explanation for c in result.candidates]
    assert lines[0].endswith(f"· peringkat 1 · sama dengan UMKM peringkat 2 dan 3; {LOTTERY}")
    assert lines[1].endswith(f"· peringkat 2 · sama dengan UMKM peringkat 1 dan 3; {LOTTERY}")
    assert lines[3].endswith("· peringkat 4") and lines[4].endswith("· peringkat 5")
    for line in lines:
        assert not re.search(r"[0-9a-f]{8}", line)


def test_a_large_tie_names_its_ranks() -> None:
    result = evaluate(
        request(), [offer(i) for i in range(1, 7)], [facts(i, 0) for i in range(1, 7)]
    )
    assert result.candidates[2].explanation.endswith(
        f"· peringkat 3 · sama dengan 5 UMKM lain (peringkat 1–6); {LOTTERY}"
    )


def test_w_across_the_year_names_both_years() -> None:
    january = dt.datetime(2027, 1, 5, 9, 0, tzinfo=JAKARTA)
    window = (Period(2026, 10), Period(2026, 11), Period(2026, 12))
    umkm = SupplierFacts(1, LONG_AGO, dict.fromkeys(window, 3_000_000))
    result = evaluate(
        request(created_at=january, needed_by=dt.date(2027, 1, 30)), [offer(1)], [umkm]
    )
    assert "rata-rata omzet Okt–Des 2026 Rp 3.000.000" in result.candidates[0].explanation
    assert explain.months_with_year((Period(2026, 11), Period(2026, 12), Period(2027, 1))) == (
        "Nov 2026–Jan 2027"
    )


# --- the level split --------------------------------------------------------------------------

LEVEL = Settings(split_mode="level")


def test_level_tops_a_first_part_up_to_the_minimum_order_and_allows_a_smaller_further_part() -> (
    None
):
    # Q = 140, K = 3: chunk 47. A (min order 60) gets max(47, 60) = 60 and moves to round 1;
    # B (round 0) takes 47; of the 33 left A (round 1, Rp 2.500.000) beats B (round 1,
    # Rp 21.175.000) and takes all 33: a further part needs only q > 0.
    kitchens = [offer(1, min_order=60), offer(2)]
    kitchen_facts = [facts(1, 1_000_000), facts(2, 20_000_000)]
    result = evaluate(request(quantity=140), kitchens, kitchen_facts, LEVEL)
    assert result.chunk == 47
    assert [(s.kind, s.umkm_id, s.quantity) for s in result.steps] == [
        ("part", 1, 60),
        ("part", 2, 47),
        ("part", 1, 33),
    ]
    assert parts(result) == [(1, 93), (2, 47)]
    assert result.steps[0].note == (
        "Dapur A mendapat 60 kotak; putaran 0 → 1, kebutuhan Rp 1.000.000 → Rp 2.500.000"
    )
    assert (
        result.steps[2].note == "Dapur A mendapat 33 kotak; kebutuhan Rp 2.500.000 → Rp 3.325.000"
    )
    # v1 passes A over (its part of 47 is below 60) and B takes every chunk.
    v1 = evaluate(request(quantity=140), kitchens, kitchen_facts, LEVEL, policy=V1)
    assert parts(v1) == [(2, 140)]


def test_level_first_part_moves_a_umkm_one_round_down() -> None:
    # Chunk 167. v2: A's first part puts it in round 1, so B (round 0, far higher need) gets
    # the next part; v1 only raises A's need and A takes a second chunk before B.
    kitchens = [offer(1), offer(2)]
    kitchen_facts = [facts(1, 1_000_000), facts(2, 8_000_000)]
    v2 = evaluate(request(quantity=500), kitchens, kitchen_facts, LEVEL)
    assert [(s.umkm_id, s.quantity) for s in v2.steps] == [(1, 167), (2, 167), (1, 166)]
    v1 = evaluate(request(quantity=500), kitchens, kitchen_facts, LEVEL, policy=V1)
    assert [(s.umkm_id, s.quantity) for s in v1.steps] == [(1, 167), (1, 167), (2, 166)]


def test_level_a_first_part_needs_q_at_least_the_minimum_order_and_fewer_than_k() -> None:
    # Q = 100, K = 2, chunk 50. A takes 50; B (min order 60) would take min(60, 50, f) = 50 <
    # 60: passed over; C takes 50; D never gets a first part (K reached).
    kitchens = [offer(1), offer(2, min_order=60), offer(3), offer(4)]
    result = evaluate(
        request(quantity=100),
        kitchens,
        [facts(i, i * 1_000_000) for i in (1, 2, 3, 4)],
        Settings(split_mode="level", max_suppliers=2),
    )
    assert [(s.kind, s.umkm_id, s.quantity) for s in result.steps] == [
        ("part", 1, 50),
        ("skip", 2, 0),
        ("part", 3, 50),
    ]
    assert result.steps[1].note == (
        "Dapur B dilewati: bagian 50 kotak di bawah pesanan minimum 60 kotak"
    )


# --- summaries name the true cause ------------------------------------------------------------


def test_a_request_whose_offers_all_fail_on_lead_time_is_told_so() -> None:
    late = [offer(i, lead_time_days=30) for i in (1, 2, 3)]
    result = evaluate(request(), late, [facts(i, 1) for i in (1, 2, 3)])
    assert result.summary == (
        "Belum ada UMKM yang dapat diusulkan; kekurangan 100 kotak: semua 3 produk yang "
        "ditawarkan tidak memenuhi syarat: waktu pengerjaan melewati tanggal kebutuhan "
        "(3 produk). Pejabat dapat memundurkan tanggal kebutuhan."
    )
    assert "kapasitas" not in result.summary
    # v1's stored summary keeps its wording; the stored run tells the true cause for both.
    v1 = evaluate(request(), late, [facts(i, 1) for i in (1, 2, 3)], policy=V1)
    run = StoredRun.from_dict(json.loads(json.dumps(v1.to_dict())))
    assert run.shortfall_cause == (
        "semua 3 produk yang ditawarkan tidak memenuhi syarat: waktu pengerjaan melewati "
        "tanggal kebutuhan (3 produk)"
    )


def test_a_partial_proposal_names_capacity_k_and_the_excluded_products() -> None:
    result = evaluate(
        request(quantity=100),
        [
            offer(1, monthly_capacity=30),
            offer(2, monthly_capacity=20),
            offer(3, unit_price=31_000),
            offer(4, lead_time_days=30, unit_price=31_000),
        ],
        [facts(i, i) for i in (1, 2, 3, 4)],
    )
    assert result.summary == (
        "Terpenuhi 50 dari 100 kotak oleh 2 UMKM; kekurangan 50 kotak: kapasitas bebas 2 UMKM "
        "yang memenuhi syarat sudah terpakai; 2 produk lain tidak memenuhi syarat: harga di atas "
        "HPS (2 produk), waktu pengerjaan melewati tanggal kebutuhan (1 produk). Pejabat dapat "
        "memundurkan tanggal kebutuhan, meninjau HPS, menurunkan jumlah, atau menerima sebagian."
    )
    capped = evaluate(
        request(quantity=100),
        [offer(1, monthly_capacity=30), offer(2, monthly_capacity=30)],
        [facts(1, 1), facts(2, 2)],
        Settings(max_suppliers=1),
    )
    assert "kekurangan 70 kotak: batas 1 UMKM tercapai." in capped.summary
    assert evaluate(request(), [], []).summary == (
        "Belum ada UMKM yang dapat diusulkan; kekurangan 100 kotak: belum ada produk yang "
        "ditawarkan untuk barang ini."
    )


# --- the stored run ---------------------------------------------------------------------------


def _v2_run(split_mode: str) -> Result:
    fresh = dt.datetime(2026, 10, 30, 9, 0, tzinfo=JAKARTA)
    return evaluate(
        request(quantity=300),
        [
            offer(1, monthly_capacity=120, min_order=50),
            offer(2, monthly_capacity=90),
            offer(3, product_id=31, kind_id=6),
            offer(3, product_id=32, unit_price=24_000),
            offer(4, lead_time_days=40),
            offer(5, monthly_capacity=200),
        ],
        [
            facts(1, {AUG: 10, SEP: 10, OCT: 11}, (Award(dt.date(2026, 9, 1), 3),)),
            facts(2, None, (Award(dt.date(2026, 11, 2), 50_000),)),
            facts(3, {OCT: 4_000_000}, verified_at=fresh),
            facts(4, 1),
            facts(5, {SEP: 900_000}, (Award(dt.date(2026, 3, 3), 1),)),
        ],
        Settings(split_mode=split_mode),  # type: ignore[arg-type]
    )


@pytest.mark.parametrize("split_mode", ["capacity", "level"])
def test_a_stored_v2_run_recomputes_to_the_same_result(split_mode: str) -> None:
    result = _v2_run(split_mode)
    stored = json.loads(json.dumps(result.to_dict()))
    assert stored["policy"] == V2 and stored["version"] == 2
    assert stored["request"]["kind_id"] == KIND
    assert stored["candidates"][0]["policy"] == V2
    again = evaluate(*inputs_from_dict(stored), policy=stored["policy"])
    assert again.to_dict() == stored
    assert again == result


def test_stored_run_reads_a_v2_run_and_round_trips_it() -> None:
    data = json.loads(json.dumps(_v2_run("level").to_dict()))
    run = StoredRun.from_dict(data)
    assert (run.policy, run.version) == (V2, 2)
    assert run.to_dict() == data and list(run.to_dict()) == list(data)
    assert run.rule_sentence == explain.rule_sentence(V2)
    by_umkm = run.by_umkm()
    assert by_umkm[2].round == 1 and by_umkm[2].awards_unreported == 50_000
    assert by_umkm[3].need == Fraction(4_000_000)  # grace with a report: its mean
    assert run.shortfall_cause is None
