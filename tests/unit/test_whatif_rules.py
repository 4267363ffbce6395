"""The what-if choices, their checks and what the page compares (pure)."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from procure.allocation.simulation import PolicyMetrics
from procure.spread.whatif_rules import (
    Figures,
    Scenario,
    ScenarioError,
    default_period,
    inputs_key,
    parse_scenarios,
    period_choices,
    runs_in_request,
    sentence,
    table,
)


def row(kind: str = "v2", k: str = "3", split: str = "capacity", cap: str = "") -> dict[str, str]:
    return {"kind": kind, "k": k, "split": split, "cap": cap}


def test_rows_become_scenarios_with_their_replay_names() -> None:
    found = parse_scenarios(
        [row(), row("v1", "2", "level", "30.000.000"), row("random", "4", "level"), row("")]
    )
    assert [s.policy for s in found] == [
        "pemerataan-v2 capacity",
        "pemerataan-v1 level",
        "random",
    ]
    assert found[1].annual_cap == 30_000_000
    assert found[2].split_mode == "capacity"  # a baseline has no split mode of its own
    assert found[1].label == (
        "Pemerataan v1, K = 2, dibagi merata (level), batas tahunan Rp 30.000.000"
    )
    assert found[2].label == "Acak (pembanding), K = 4, tanpa batas tahunan"


@pytest.mark.parametrize(
    ("rows", "field", "message"),
    [
        ([row(k="0")], "k_1", "K (jumlah UMKM per permintaan) harus di antara 1 dan 10."),
        ([row(k="11")], "k_1", "harus di antara 1 dan 10"),
        ([row(k="-1")], "k_1", "harus bilangan bulat"),
        ([row(k="9" * 40)], "k_1", "harus bilangan bulat"),
        ([row(cap="0")], "batas_1", "Batas tahunan harus di antara 1 dan"),
        ([row(cap="1e9")], "batas_1", "Batas tahunan harus bilangan bulat."),
        ([row(kind="v3")], "skenario_1", "Pilih skenario dari daftar."),
        ([row(split="rata")], "bagi_1", "menurut kapasitas atau merata"),
        ([row(), row()], "skenario_2", "sama dengan skenario sebelumnya"),
        ([row(""), row("")], "skenario_1", "Pilih paling sedikit satu skenario."),
    ],
)
def test_wrong_choices_get_a_message_under_their_field(
    rows: list[dict[str, str]], field: str, message: str
) -> None:
    with pytest.raises(ScenarioError) as caught:
        parse_scenarios(rows)
    assert message in caught.value.errors[field]


def test_the_same_inputs_have_the_same_key() -> None:
    a = parse_scenarios([row(), row("always-cheapest")])
    b = parse_scenarios([row(), row("always-cheapest")])
    assert inputs_key("2026-10", a) == inputs_key("2026-10", b)
    assert inputs_key("2026-10", a) != inputs_key("2026-11", a)
    assert inputs_key("2026-10", a) != inputs_key("2026-10", a[:1])


def test_short_replays_run_in_the_request() -> None:
    assert runs_in_request(10, 3)  # 40 request × replays
    assert runs_in_request(750, 1)  # 1,500: the last that stays in the request
    assert not runs_in_request(751, 1)
    assert not runs_in_request(6_000, 1)


def test_periods_offered_have_begun_newest_first() -> None:
    found = period_choices(dt.date(2026, 12, 3))
    values = [v for v, _ in found]
    assert values[:3] == ["2026-12", "2026-11", "2026-10"]
    assert "2026-T4" in values and "2026" in values and "2025-01" in values
    assert dict(found)["2026-T3"] == "Triwulan III 2026"
    assert all(not v.startswith("2027") for v in values)
    assert default_period(dt.date(2026, 1, 15)) == "2025-12"


def metrics(gini: str, served: int, premium: str, fulfilled: str = "1") -> PolicyMetrics:
    return PolicyMetrics(
        policy="x",
        gini=Fraction(gini),
        share_with_orders=Fraction(served, 10),
        umkm_with_orders=served,
        top10_share=Fraction(1, 4),
        bottom_half_share=Fraction(1, 5),
        premium_per_unit=Fraction(premium),
        premium_total=Fraction(premium),
        fulfilled_share=Fraction(fulfilled),
        spend=12_500_000,
    )


def test_the_sentence_says_what_changes() -> None:
    actual = Figures.of("Yang terjadi", metrics("0.6", 4, "0.02"), 10)
    fairer = Figures.of("v2", metrics("0.4", 7, "0.05", "0.9"), 10)
    assert sentence(actual, fairer) == (
        "Dibanding yang terjadi: 3 UMKM lebih banyak mendapat pesanan, belanja lebih merata "
        "(Gini turun 0,20), harga per unit 2,9 % lebih mahal, kebutuhan yang terpenuhi 10,0 "
        "poin persen lebih sedikit."
    )
    same = Figures.of("v2", metrics("0.6", 4, "0.02"), 10)
    assert sentence(actual, same) == (
        "Dibanding yang terjadi: jumlah UMKM yang mendapat pesanan sama, kemerataan belanja "
        "hampir sama, harga per unit hampir sama."
    )


def test_the_table_shows_each_figure_per_column() -> None:
    actual = Figures.of("Yang terjadi", metrics("0.6", 4, "0"), 10)
    rows = dict(table([actual]))
    assert rows["Gini belanja (0 = merata, 1 = satu UMKM mendapat semua)"] == ["0,600"]
    assert rows["UMKM dengan paling sedikit 1 pesanan"] == ["40,0 % (4 dari 10)"]
    assert rows["Belanja"] == ["Rp 12.500.000"]
    assert rows["Selisih harga per unit dibanding selalu termurah"] == ["+0,0 %"]


def test_a_scenario_is_checked_by_kind() -> None:
    assert Scenario("always-cheapest", 3).is_baseline
    assert not Scenario("v1", 3).is_baseline
    with pytest.raises(ScenarioError):
        parse_scenarios([])
