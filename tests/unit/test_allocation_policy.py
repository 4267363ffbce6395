"""Hand-worked examples for every rule of pemerataan-v1 (ALLOCATION.md).

v2 is the default policy; every example here names v1 (``evaluate`` and ``eligibility`` below).
The examples of the rules where v2 differs are in test_allocation_v2.py; both build their
requests, kitchens and facts with tests/allocation_cases.py.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from fractions import Fraction
from typing import Any

import pytest

from procure.allocation import policy
from procure.allocation.policy import (
    Award,
    PolicyError,
    Result,
    Settings,
    count_365,
    evaluate_override,
    inputs_from_dict,
    level_chunk,
    need_for,
    rank_key,
    tie_for,
    window_for,
)
from procure.omzet.rules import Period
from tests.allocation_cases import (
    AUG,
    DAY,
    JAKARTA,
    OCT,
    SEP,
    V1,
    W,
    facts,
    offer,
    parts,
    ranking,
    request,
)


def evaluate(*args: Any, **kwargs: Any) -> Result:
    """``policy.evaluate`` under pemerataan-v1."""
    return policy.evaluate(*args, policy=V1, **kwargs)


def eligibility(*args: Any) -> tuple[str, ...]:
    """``policy.eligibility`` under pemerataan-v1."""
    return policy.eligibility(*args, policy=V1)


def award(day: dt.date, value: int) -> Award:
    return Award(day, value)


# --- window -------------------------------------------------------------------------------


def test_window_is_the_three_months_before_the_request_month() -> None:
    assert window_for(dt.date(2026, 11, 23)) == (AUG, SEP, OCT)
    assert window_for(dt.date(2026, 11, 1)) == (AUG, SEP, OCT)


def test_window_of_a_january_or_february_request_crosses_the_year() -> None:
    assert window_for(dt.date(2027, 1, 5)) == (Period(2026, 10), Period(2026, 11), Period(2026, 12))
    assert window_for(dt.date(2027, 2, 28)) == (Period(2026, 11), Period(2026, 12), Period(2027, 1))


def test_t_is_the_creation_date_in_jakarta() -> None:
    # 31 Oct 20:00 UTC is already 1 Nov 03:00 in Jakarta: W moves to Aug-Oct.
    late = dt.datetime(2026, 10, 31, 20, 0, tzinfo=dt.UTC)
    early = dt.datetime(2026, 10, 31, 16, 0, tzinfo=dt.UTC)  # 23:00 WIB, still October
    assert evaluate(request(created_at=late), [], []).window == (AUG, SEP, OCT)
    assert evaluate(request(created_at=early), [], []).window == (Period(2026, 7), AUG, SEP)


# --- eligibility ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "reasons"),
    [
        ({"is_product_active": False}, ("produk nonaktif",)),
        ({"umkm_status": "pending"}, ("UMKM belum terverifikasi",)),
        ({"umkm_status": "rejected"}, ("UMKM belum terverifikasi",)),
        ({"umkm_status": "suspended"}, ("UMKM dibekukan",)),
        ({"category_id": 2}, ("kategori berbeda",)),
        ({"unit_price": 30_001}, ("harga di atas HPS",)),
        ({"unit_price": 30_000}, ()),  # at HPS is allowed
        ({"lead_time_days": 18}, ("waktu pengerjaan melewati tanggal kebutuhan",)),
        ({"lead_time_days": 17}, ()),  # 23 Nov + 17 days = 10 Dec = D
        ({"monthly_capacity": 50, "booked_in_due_month": 50}, ("kapasitas penuh",)),
        ({"monthly_capacity": 50, "booked_in_due_month": 60}, ("kapasitas penuh",)),
        ({"monthly_capacity": 50, "booked_in_due_month": 49}, ()),
        ({"min_order": 101}, ("di bawah pesanan minimum",)),
        ({"min_order": 100}, ()),  # Q = 100
    ],
)
def test_each_eligibility_rule_has_its_reason(
    changes: dict[str, Any], reasons: tuple[str, ...]
) -> None:
    assert eligibility(offer(1, **changes), request(), facts(1, 1), Settings()) == reasons


def test_every_failed_rule_is_listed_in_rule_order() -> None:
    bad = offer(
        1,
        is_product_active=False,
        umkm_status="suspended",
        category_id=2,
        unit_price=40_000,
        lead_time_days=30,
        booked_in_due_month=1_000,
        min_order=500,
    )
    capped = facts(1, 1, awards=(award(dt.date(2026, 3, 1), 30_000_000),))
    assert eligibility(bad, request(), capped, Settings(annual_award_cap=30_000_000)) == (
        "produk nonaktif",
        "UMKM dibekukan",
        "kategori berbeda",
        "harga di atas HPS",
        "waktu pengerjaan melewati tanggal kebutuhan",
        "kapasitas penuh",
        "batas tahunan",
        "di bawah pesanan minimum",
    )


def test_annual_cap_counts_this_calendar_year_only_and_only_when_set() -> None:
    cap = Settings(annual_award_cap=30_000_000)
    at_cap = facts(1, 1, awards=(award(dt.date(2026, 1, 5), 20_000_000), award(DAY, 10_000_000)))
    below = facts(1, 1, awards=(award(dt.date(2026, 1, 5), 29_999_999),))
    last_year = facts(1, 1, awards=(award(dt.date(2025, 12, 31), 90_000_000),))
    assert eligibility(offer(1), request(), at_cap, cap) == ("batas tahunan",)
    assert eligibility(offer(1), request(), below, cap) == ()
    assert eligibility(offer(1), request(), last_year, cap) == ()
    assert eligibility(offer(1), request(), at_cap, Settings()) == ()


def test_annual_cap_on_and_off_in_a_run() -> None:
    rich = facts(1, 1_000, awards=(award(dt.date(2026, 6, 1), 30_000_000),))
    offers, all_facts = [offer(1), offer(2)], [rich, facts(2, 5_000_000)]
    off = evaluate(request(), offers, all_facts, Settings())
    on = evaluate(request(), offers, all_facts, Settings(annual_award_cap=30_000_000))
    assert ranking(off) == [1, 2]  # June is before W: it counts for the cap, not for the need
    assert ranking(on) == [2]
    assert on.exclusions[0].reasons == ("batas tahunan",)
    assert on.exclusions[0].details == (
        "Pesanan tahun 2026 sudah Rp 30.000.000 dari batas Rp 30.000.000.",
    )


def test_exclusions_carry_the_numbers_behind_each_reason() -> None:
    result = evaluate(
        request(),
        [offer(1, unit_price=30_001, lead_time_days=18, umkm_status="pending")],
        [facts(1, 1)],
    )
    (excluded,) = result.exclusions
    assert excluded.reasons == (
        "UMKM belum terverifikasi",
        "harga di atas HPS",
        "waktu pengerjaan melewati tanggal kebutuhan",
    )
    assert excluded.details == (
        "Status UMKM: menunggu verifikasi.",
        "Harga Rp 30.001 di atas HPS Rp 30.000.",
        "Waktu pengerjaan 18 hari: paling cepat 11 Desember 2026, dibutuhkan 10 Desember 2026.",
    )
    assert result.candidates == ()
    assert result.shortfall == 100


def test_one_offer_per_umkm_is_its_cheapest_eligible_product() -> None:
    products = [
        offer(1, product_id=11, unit_price=26_000),
        offer(1, product_id=13, unit_price=25_000),
        offer(1, product_id=12, unit_price=25_000),  # tie with 13: the lower id stands
        offer(1, product_id=14, unit_price=20_000, is_product_active=False),
    ]
    result = evaluate(request(), products, [facts(1, 1)])
    assert [c.product_id for c in result.candidates] == [12]
    assert [(e.product_id, e.reasons) for e in result.exclusions] == [(14, ("produk nonaktif",))]


# --- need ------------------------------------------------------------------------------------


def test_a_month_reported_below_platform_orders_is_raised_and_flagged() -> None:
    umkm = facts(
        1,
        {AUG: 5_000_000, SEP: 1_000_000, OCT: 3_000_000},
        awards=(
            award(dt.date(2026, 9, 10), 2_000_000),
            award(dt.date(2026, 9, 20), 500_000),
            award(dt.date(2026, 10, 5), 1_000_000),  # below the report: no floor
            award(dt.date(2026, 11, 3), 700_000),
        ),
    )
    need = need_for(umkm, W, DAY, 60)
    assert [(m.period, m.reported, m.floor, m.used, m.is_floored) for m in need.months] == [
        (AUG, 5_000_000, 0, 5_000_000, False),
        (SEP, 1_000_000, 2_500_000, 2_500_000, True),
        (OCT, 3_000_000, 1_000_000, 3_000_000, False),
    ]
    assert need.reported_avg == 3_500_000
    assert (need.awards_since_on, need.awards_since) == (dt.date(2026, 11, 1), 700_000)
    assert need.value == 4_200_000
    assert need.tier == 0


def test_months_without_report_are_skipped_in_the_mean() -> None:
    need = need_for(facts(1, {AUG: 4_000_000, OCT: 2_000_000}), W, DAY, 60)
    assert [m.period for m in need.months] == [AUG, OCT]
    assert need.reported_avg == 3_000_000


def test_mean_is_an_exact_fraction_so_ties_are_real() -> None:
    need = need_for(facts(1, {AUG: 10, SEP: 10, OCT: 11}), W, DAY, 60)
    assert need.reported_avg == Fraction(31, 3)
    assert isinstance(need.reported_avg, Fraction)
    result = evaluate(
        request(),
        [offer(1), offer(2), offer(3)],
        [
            facts(1, {AUG: 10, SEP: 10, OCT: 11}),
            facts(2, {AUG: 10, SEP: 11, OCT: 10}, awards=()),
            facts(3, {AUG: 10, SEP: 10, OCT: 12}),
        ],
    )
    one, two, three = (result.candidate(i) for i in (1, 2, 3))
    assert one is not None and two is not None and three is not None
    assert one.need == two.need == Fraction(31, 3)  # a real tie, settled by the lottery
    assert ranking(result)[2] == 3
    assert ranking(result)[:2] == sorted([1, 2], key=lambda m: tie_for(7, m))


def test_awards_since_start_after_the_latest_reported_month_of_w() -> None:
    orders = (
        award(dt.date(2026, 7, 31), 1),
        award(dt.date(2026, 8, 1), 10),
        award(dt.date(2026, 9, 30), 100),
        award(dt.date(2026, 10, 1), 1_000),
        award(dt.date(2026, 11, 5), 10_000),
    )
    through_sep = need_for(facts(1, {AUG: 0, SEP: 0}, orders), W, DAY, 60)
    assert (through_sep.awards_since_on, through_sep.awards_since) == (dt.date(2026, 10, 1), 11_000)
    aug_only = need_for(facts(1, {AUG: 0}, orders), W, DAY, 60)
    assert (aug_only.awards_since_on, aug_only.awards_since) == (dt.date(2026, 9, 1), 11_100)
    silent = need_for(facts(1, None, orders), W, DAY, 60)
    assert (silent.awards_since_on, silent.awards_since) == (dt.date(2026, 8, 1), 11_110)


def test_awards_since_has_no_upper_bound_so_a_later_run_sees_new_awards() -> None:
    # A run made days after the request still sees the orders issued in between: that is how
    # the winner of one request moves down for the next.
    later = (award(dt.date(2026, 11, 30), 5_000),)
    assert need_for(facts(1, 0, later), W, DAY, 60).awards_since == 5_000


def test_reporting_puts_a_umkm_in_tier_0_before_every_silent_one() -> None:
    result = evaluate(
        request(), [offer(1), offer(2)], [facts(1, 50_000_000), facts(2, None)], Settings()
    )
    assert [(c.umkm_id, c.tier) for c in result.candidates] == [(1, 0), (2, 1)]
    silent = result.candidates[1]
    assert (silent.reported_avg, silent.need, silent.months) == (Fraction(0), Fraction(0), ())


# --- grace period ---------------------------------------------------------------------------


def test_recently_verified_umkm_is_tier_0_with_average_zero() -> None:
    # 24 Sep 18:00 UTC is 25 Sep in Jakarta: 59 days before 23 Nov, so fewer than 60.
    fresh = dt.datetime(2026, 9, 24, 18, 0, tzinfo=dt.UTC)
    need = need_for(facts(1, None, verified_at=fresh), W, DAY, 60)
    assert (need.tier, need.in_grace, need.reported_avg) == (0, True, Fraction(0))
    assert need.verified_on == dt.date(2026, 9, 25)


def test_verified_exactly_grace_days_before_t_is_out_of_grace() -> None:
    sixty = dt.datetime(2026, 9, 24, 16, 59, tzinfo=dt.UTC)  # 24 Sep 23:59 WIB: 60 days
    need = need_for(facts(1, None, verified_at=sixty), W, DAY, 60)
    assert (need.tier, need.in_grace) == (1, False)


def test_grace_counts_average_zero_even_when_months_were_reported() -> None:
    fresh = dt.datetime(2026, 11, 13, 9, 0, tzinfo=JAKARTA)
    need = need_for(facts(1, {OCT: 8_000_000}, verified_at=fresh), W, DAY, 60)
    assert (need.tier, need.in_grace, need.reported_avg) == (0, True, Fraction(0))
    assert [m.period for m in need.months] == [OCT]  # kept on record
    assert need.awards_since_on == dt.date(2026, 11, 1)


def test_zero_grace_days_turns_the_grace_period_off() -> None:
    fresh = dt.datetime(2026, 11, 23, 8, 0, tzinfo=JAKARTA)
    assert need_for(facts(1, None, verified_at=fresh), W, DAY, 0).tier == 1


# --- ranking --------------------------------------------------------------------------------


def test_count_365_includes_t_and_the_364_days_before() -> None:
    orders = (
        award(dt.date(2025, 11, 23), 1),  # 365 days before t: outside
        award(dt.date(2025, 11, 24), 1),
        award(DAY, 1),
        award(DAY + dt.timedelta(days=1), 1),  # after t: not "up to t"
    )
    assert count_365(facts(1, 0, orders), DAY) == 2


def test_tie_is_the_sha256_hex_of_request_and_umkm_id() -> None:
    assert tie_for(7, 3) == hashlib.sha256(b"7:3").hexdigest()
    assert len(tie_for(7, 3)) == 64


@pytest.mark.parametrize("request_id", range(1, 21))
def test_equal_needs_and_counts_are_ordered_by_the_tie_hash(request_id: int) -> None:
    result = evaluate(
        request(id=request_id),
        [offer(i) for i in (1, 2, 3, 4)],
        [facts(i, 1_000_000) for i in (1, 2, 3, 4)],
    )
    assert ranking(result) == sorted([1, 2, 3, 4], key=lambda m: tie_for(request_id, m))


def test_rank_key_orders_tier_then_need_then_count_then_tie() -> None:
    orders = tuple(award(dt.date(2026, 5, d), 0) for d in (1, 2))
    result = evaluate(
        request(),
        [offer(i) for i in (1, 2, 3, 4)],
        [
            facts(1, None),  # tier 1, need 0
            facts(2, 2_000_000),
            facts(3, 1_000_000, orders),  # same need as 4, two orders in 365 days
            facts(4, 1_000_000),
        ],
    )
    assert ranking(result) == [4, 3, 2, 1]
    assert [c.key for c in result.candidates] == [
        rank_key(0, Fraction(1_000_000), 0, tie_for(7, 4)),
        rank_key(0, Fraction(1_000_000), 2, tie_for(7, 3)),
        rank_key(0, Fraction(2_000_000), 0, tie_for(7, 2)),
        rank_key(1, Fraction(0), 0, tie_for(7, 1)),
    ]
    assert [c.rank for c in result.candidates] == [1, 2, 3, 4]


# --- capacity split -------------------------------------------------------------------------


def test_capacity_split_walks_the_ranking_up_to_k_umkm() -> None:
    result = evaluate(
        request(quantity=100),
        [offer(1, monthly_capacity=30), offer(2, monthly_capacity=50), offer(3)],
        [facts(1, 1), facts(2, 2), facts(3, 3)],
        Settings(max_suppliers=2),
    )
    assert parts(result) == [(1, 30), (2, 50)]
    assert result.shortfall == 20
    assert "batas 2 UMKM tercapai" in result.summary


def test_capacity_split_min_order_skip_does_not_count_toward_k() -> None:
    result = evaluate(
        request(quantity=100),
        [
            offer(1, monthly_capacity=30),
            offer(2, min_order=80),  # its part would be 70
            offer(3, monthly_capacity=50),
            offer(4),
        ],
        [facts(i, i) for i in (1, 2, 3, 4)],
        Settings(max_suppliers=2),
    )
    assert parts(result) == [(1, 30), (3, 50)]
    assert result.shortfall == 20
    assert [(s.kind, s.umkm_id, s.quantity) for s in result.steps] == [
        ("part", 1, 30),
        ("skip", 2, 0),
        ("part", 3, 50),
    ]
    assert result.steps[1].note == (
        "Dapur B dilewati: bagian 70 kotak di bawah pesanan minimum 80 kotak"
    )


def test_capacity_split_shortfall_when_capacity_runs_out() -> None:
    result = evaluate(
        request(quantity=100),
        [
            offer(1, monthly_capacity=30, booked_in_due_month=0),
            offer(2, monthly_capacity=40, booked_in_due_month=20),
        ],
        [facts(1, 1), facts(2, 2)],
    )
    assert parts(result) == [(1, 30), (2, 20)]  # f(p) = capacity - booked
    assert result.shortfall == 50
    assert result.allocated == 50
    assert result.summary == (
        "Terpenuhi 50 dari 100 kotak oleh 2 UMKM; kekurangan 50 kotak: tidak ada penawaran lain "
        "yang dapat menerima bagian (kapasitas atau pesanan minimum). Pejabat dapat menurunkan "
        "jumlah, menaikkan batas UMKM, atau menerima sebagian."
    )


def test_capacity_split_stops_when_covered() -> None:
    result = evaluate(request(quantity=100), [offer(1), offer(2)], [facts(1, 1), facts(2, 2)])
    assert parts(result) == [(1, 100)]
    assert result.shortfall == 0
    assert result.summary == "Terpenuhi 100 kotak oleh 1 UMKM."
    assert result.chunk is None


# --- level split ----------------------------------------------------------------------------

KITCHENS = [offer(i, monthly_capacity=400) for i in (1, 2, 3, 4)]
KITCHEN_FACTS = [facts(1, 1_000_000), facts(2, 1_500_000), facts(3, 2_000_000), facts(4, 9_000_000)]
LEVEL = Settings(split_mode="level")


def test_level_split_spreads_500_meal_boxes_over_three_kitchens() -> None:
    result = evaluate(request(quantity=500), KITCHENS, KITCHEN_FACTS, LEVEL)
    assert result.chunk == level_chunk(500, 3, 1) == 167
    # A chunk of 167 boxes at Rp 25.000 raises a need by Rp 4.175.000: A to 5.175.000, B to
    # 5.675.000, then C (2.000.000) is the lowest and takes the remaining 166.
    assert parts(result) == [(1, 167), (2, 167), (3, 166)]
    assert [(s.umkm_id, int(s.need_before), int(s.need_after)) for s in result.steps] == [
        (1, 1_000_000, 5_175_000),
        (2, 1_500_000, 5_675_000),
        (3, 2_000_000, 6_150_000),
    ]
    assert (
        result.steps[0].note == "Dapur A mendapat 167 kotak; kebutuhan Rp 1.000.000 → Rp 5.175.000"
    )
    capacity = evaluate(request(quantity=500), KITCHENS, KITCHEN_FACTS, Settings())
    assert parts(capacity) == [(1, 400), (2, 100)]


def test_level_split_fills_the_lowest_like_water() -> None:
    # C's need (6M) stays above A's raised need (5.175M): A takes a second chunk.
    result = evaluate(
        request(quantity=500),
        KITCHENS,
        [facts(1, 1_000_000), facts(2, 2_500_000), facts(3, 6_000_000), facts(4, 9_000_000)],
        LEVEL,
    )
    assert [(s.umkm_id, s.quantity) for s in result.steps] == [(1, 167), (2, 167), (1, 166)]
    assert parts(result) == [(1, 333), (2, 167)]


def test_level_split_gives_f_p_when_smaller_than_a_chunk() -> None:
    kitchens = [offer(1, monthly_capacity=100), *KITCHENS[1:]]
    result = evaluate(request(quantity=500), kitchens, KITCHEN_FACTS, LEVEL)
    assert [(s.umkm_id, s.quantity) for s in result.steps] == [
        (1, 100),
        (2, 167),
        (3, 167),
        (2, 66),
    ]
    assert parts(result) == [(1, 100), (2, 233), (3, 167)]


def test_level_split_uses_at_most_k_distinct_umkm() -> None:
    kitchens = [offer(1, monthly_capacity=200), offer(2, monthly_capacity=200), offer(3)]
    result = evaluate(
        request(quantity=500),
        kitchens,
        KITCHEN_FACTS[:3],
        Settings(split_mode="level", max_suppliers=2),
    )
    assert result.chunk == 250
    assert parts(result) == [(1, 200), (2, 200)]
    assert result.shortfall == 100


def test_min_lot_raises_the_chunk() -> None:
    result = evaluate(
        request(quantity=500), KITCHENS, KITCHEN_FACTS, Settings(split_mode="level", min_lot=200)
    )
    assert result.chunk == 200
    assert parts(result) == [(1, 200), (2, 200), (3, 100)]
    close = [facts(i, 1_000_000 + i) for i in (1, 2, 3, 4)]
    small = evaluate(
        request(quantity=10),
        KITCHENS,
        close,
        Settings(split_mode="level", max_suppliers=5, min_lot=4),
    )
    assert small.chunk == 4  # ceil(10 / 5) = 2 < min_lot
    assert parts(small) == [(1, 4), (2, 4), (3, 2)]


def test_level_split_passes_over_an_offer_whose_part_is_below_its_min_order() -> None:
    kitchens = [offer(1, monthly_capacity=400, min_order=200), *KITCHENS[1:]]
    result = evaluate(request(quantity=500), kitchens, KITCHEN_FACTS, LEVEL)
    assert [(s.kind, s.umkm_id, s.quantity) for s in result.steps] == [
        ("skip", 1, 0),
        ("part", 2, 167),
        ("part", 3, 167),
        ("part", 2, 166),  # B raised to 5.675M is still below D's 9M
    ]
    assert parts(result) == [(2, 333), (3, 167)]


def test_level_split_passes_over_when_the_remainder_is_below_the_min_order() -> None:
    kitchens = [*KITCHENS[:2], offer(3, monthly_capacity=400, min_order=170), KITCHENS[3]]
    result = evaluate(request(quantity=500), kitchens, KITCHEN_FACTS, LEVEL)
    assert [(s.kind, s.umkm_id, s.quantity) for s in result.steps] == [
        ("part", 1, 167),
        ("part", 2, 167),
        ("skip", 3, 0),  # its part would be the remaining 166
        ("part", 1, 166),
    ]


def test_level_min_order_applies_to_each_part_literally() -> None:
    # Chunk 4; A (raised to 1.1M) stays below B (1.5M) and takes 4 + 4; the remaining 2 is below
    # both min orders: a shortfall of 2, though A's whole order (10) would meet its minimum.
    # The text says "next part", so the minimum applies to each part.
    kitchens = [offer(1, min_order=4), offer(2, min_order=4)]
    result = evaluate(request(quantity=10), kitchens, KITCHEN_FACTS[:2], LEVEL)
    assert parts(result) == [(1, 8)]
    assert result.shortfall == 2
    assert [(s.kind, s.umkm_id) for s in result.steps[2:]] == [("skip", 1), ("skip", 2)]


# --- explanation ----------------------------------------------------------------------------


def test_explanation_reads_like_the_policy_example() -> None:
    result = evaluate(
        request(),
        [offer(1), offer(2), offer(3)],
        [
            facts(1, 1_000_000),
            facts(2, 2_000_000),
            facts(
                3,
                {AUG: 4_000_000, SEP: 4_200_000, OCT: 4_400_000},
                awards=(award(dt.date(2026, 11, 2), 1_500_000),),
            ),
        ],
    )
    assert result.candidates[2].explanation == (
        "Rata-rata omzet Agu–Okt Rp 4.200.000 + pesanan pemerintah sejak 1 Nov Rp 1.500.000 = "
        "kebutuhan Rp 5.700.000 · peringkat 3"
    )


def test_explanation_of_missing_months_floors_grace_tier_1_and_ties() -> None:
    fresh = dt.datetime(2026, 9, 25, 9, 0, tzinfo=JAKARTA)
    result = evaluate(
        request(),
        [offer(i) for i in (1, 2, 3, 4, 5)],
        [
            facts(1, {AUG: 4_000_000, OCT: 1_000_000}, (award(dt.date(2026, 10, 9), 2_000_000),)),
            facts(2, None, verified_at=fresh),
            facts(3, None),
            facts(4, {AUG: 10_000_000, SEP: 10_000_000, OCT: 11_000_000}),
            facts(5, {AUG: 10_000_000, SEP: 11_000_000, OCT: 10_000_000}),
        ],
    )
    lines = {c.umkm_id: c.explanation for c in result.candidates}
    assert ranking(result)[:2] == [2, 1]
    assert lines[1] == (
        "Rata-rata omzet Agu & Okt (Sep tidak dilaporkan) Rp 3.000.000 (Okt dinaikkan ke "
        "Rp 2.000.000 sesuai pesanan lewat platform) + pesanan pemerintah sejak 1 Nov Rp 0 = "
        "kebutuhan Rp 3.000.000 · peringkat 2"
    )
    assert lines[2] == (
        "UMKM baru (terverifikasi 25 September 2026): omzet dihitung Rp 0 + pesanan pemerintah "
        "sejak 1 Agu Rp 0 = kebutuhan Rp 0 · peringkat 1"
    )
    assert lines[3] == (
        "Tidak melaporkan omzet Agu–Okt (diurutkan setelah UMKM yang melapor) · pesanan "
        "pemerintah sejak 1 Agu Rp 0 = kebutuhan Rp 0 · peringkat 5"
    )
    fourth = result.candidate(4)
    assert fourth is not None
    assert lines[4].startswith("Rata-rata omzet Agu–Okt Rp 10.333.333 + ")
    assert lines[4].endswith(
        f"· kebutuhan sama dengan UMKM lain: 0 pesanan dalam 365 hari · undian {fourth.tie[:8]}"
    )


def test_a_single_reported_month_is_not_called_an_average() -> None:
    result = evaluate(request(), [offer(1)], [facts(1, {SEP: 2_000_000})])
    assert result.candidates[0].explanation.startswith(
        "Omzet Sep (Agu & Okt tidak dilaporkan) Rp 2.000.000 + pesanan pemerintah sejak 1 Okt"
    )


# --- the stored run -------------------------------------------------------------------------


def test_result_names_the_policy_and_stores_its_settings() -> None:
    result = evaluate(request(), [offer(1)], [facts(1, 1)])
    assert (result.policy, result.version) == ("pemerataan-v1", 1)
    assert result.settings == Settings(
        max_suppliers=3,
        annual_award_cap=None,
        new_supplier_grace_days=60,
        split_mode="capacity",
        min_lot=1,
    )


def test_to_dict_is_plain_json_with_exact_fractions() -> None:
    result = evaluate(
        request(),
        [offer(1), offer(2, umkm_status="suspended")],
        [facts(1, {AUG: 10, SEP: 10, OCT: 11}), facts(2, 1)],
        LEVEL,
    )
    data = result.to_dict()
    assert json.loads(json.dumps(data)) == data
    candidate = data["candidates"][0]
    assert candidate["reported_avg"] == "31/3"
    assert candidate["need"] == "31/3"
    assert candidate["awards_since_on"] == "2026-11-01"
    assert candidate["months"][0] == {
        "period": "2026-08",
        "reported": 10,
        "floor": 0,
        "used": 10,
        "is_floored": False,
    }
    assert data["window"] == ["2026-08", "2026-09", "2026-10"]
    assert data["request"]["created_at"] == "2026-11-23T09:00:00+07:00"
    assert data["settings"]["split_mode"] == "level"
    assert data["exclusions"][0]["reasons"] == ["UMKM dibekukan"]
    assert data["allocation"] == [
        {"umkm_id": 1, "product_id": 10, "quantity": 100, "unit_price": 25_000, "value": 2_500_000}
    ]


def test_a_stored_run_recomputes_to_the_same_result() -> None:
    result = evaluate(
        request(),
        [*KITCHENS, offer(5, unit_price=99_000)],
        [*KITCHEN_FACTS, facts(5, 1, (award(dt.date(2026, 9, 1), 3),))],
        LEVEL,
    )
    stored = json.loads(json.dumps(result.to_dict()))
    assert evaluate(*inputs_from_dict(stored)).to_dict() == stored
    assert "kind_id" not in stored["request"] and "policy" not in stored["candidates"][0]


# --- override -------------------------------------------------------------------------------


def _run() -> Result:
    return evaluate(
        request(quantity=100),
        [
            offer(1, monthly_capacity=60),
            offer(2, monthly_capacity=80, min_order=10),
            offer(3, unit_price=31_000),
        ],
        [facts(1, 1), facts(2, 2), facts(3, 3)],
    )


def test_accepting_the_proposal_is_no_override() -> None:
    run = _run()
    assert parts(run) == [(1, 60), (2, 40)]
    check = evaluate_override(run, [(2, 40), (1, 60)])
    assert check.is_valid and not check.is_override
    assert check.shortfall == 0


def test_a_deviation_needs_a_reason_of_twenty_characters() -> None:
    run = _run()
    short = evaluate_override(run, [(2, 80)], reason="dekat kantor")
    assert short.is_override
    assert short.errors == ("Alasan perubahan wajib diisi, minimal 20 karakter.",)
    ok = evaluate_override(run, [(2, 80)], reason="Dapur B sudah terbukti tepat waktu")
    assert ok.is_valid and ok.is_override
    assert ok.shortfall == 20
    assert [(p.umkm_id, p.quantity, p.value) for p in ok.parts] == [(2, 80, 2_000_000)]


def test_override_errors_are_in_indonesian() -> None:
    reason = "alasan yang cukup panjang untuk dicatat"
    run = _run()
    assert evaluate_override(run, [], reason).errors == ("Pilih setidaknya satu UMKM.",)
    assert evaluate_override(run, [(3, 10)], reason).errors == (
        "Dapur C tidak memenuhi syarat: harga di atas HPS.",
    )
    assert evaluate_override(run, [(9, 10)], reason).errors == (
        "UMKM #9 tidak mengajukan penawaran untuk permintaan ini.",
    )
    assert evaluate_override(run, [(1, 10), (1, 20)], reason).errors == (
        "Dapur A dipilih lebih dari sekali; gabungkan jumlahnya dalam satu baris.",
    )
    assert evaluate_override(run, [(1, 0)], reason).errors == (
        "Jumlah untuk Dapur A harus lebih dari 0.",
    )
    assert evaluate_override(run, [(1, 61)], reason).errors == (
        "Jumlah untuk Dapur A (61 kotak) melebihi kapasitas tersisa 60 kotak.",
    )
    assert evaluate_override(run, [(2, 9)], reason).errors == (
        "Jumlah untuk Dapur B (9 kotak) di bawah pesanan minimum 10 kotak.",
    )
    assert evaluate_override(run, [(1, 60), (2, 50)], reason).errors == (
        "Jumlah total 110 kotak melebihi permintaan 100 kotak; kurangi jumlahnya.",
    )


# --- inputs ---------------------------------------------------------------------------------


def test_inputs_are_checked() -> None:
    with pytest.raises(PolicyError, match="zona waktu"):
        request(created_at=dt.datetime(2026, 11, 23, 9, 0))
    with pytest.raises(PolicyError):
        request(quantity=0)
    with pytest.raises(PolicyError):
        Settings(split_mode="equal")  # type: ignore[arg-type]
    with pytest.raises(PolicyError):
        Settings(max_suppliers=0)
    with pytest.raises(PolicyError, match="belum dimuat untuk: 2"):
        evaluate(request(), [offer(1), offer(2)], [facts(1, 1)])
    with pytest.raises(PolicyError, match="lebih dari sekali"):
        evaluate(request(), [offer(1)], [facts(1, 1), facts(1, 2)])
