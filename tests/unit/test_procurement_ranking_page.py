"""The ranking page's plain rows (procure/procurement/presenters.py) and the request rules
behind edit, cancel and the needed-by warning (procure/procurement/rules.py). No database."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re

import pytest

from procure.allocation.policy import Offer, Settings, SupplierFacts, evaluate
from procure.input_rules import RuleError
from procure.omzet.rules import Period
from procure.procurement import presenters, rules
from procure.ranking import run_rows
from procure.ranking.stored_run import StoredRun
from tests.allocation_cases import CREATED, batik_offer, batik_request

KIND = 7


def offer(umkm_id: int, price: int = 175_000, lead: int = 7, kind: int = KIND) -> Offer:
    return batik_offer(
        umkm_id,
        product_name=f"Kemeja Lengan Panjang {umkm_id}",
        unit_price=price,
        lead_time_days=lead,
        kind_id=kind,
    )


def run_of(offers: list[Offer], policy: str = "pemerataan-v2", quantity: int = 100) -> StoredRun:
    request = batik_request(quantity, kind_id=KIND)
    facts = [SupplierFacts(o.umkm_id, None) for o in offers]
    facts[0] = SupplierFacts(offers[0].umkm_id, None, {Period(2026, 10): 4_000_000})
    result = evaluate(request, offers, facts, Settings(), policy=policy)
    return StoredRun.from_dict(result.to_dict())


def table(run: StoredRun) -> presenters.RankingTable:
    page = run_rows.run_page(1, run, created_at=CREATED, created_by_name="Sri")
    return presenters.ranking_table(page, run)


def test_a_column_is_shown_only_when_it_differs_between_rows() -> None:
    rows = [{"a": 1, "b": "x"}, {"a": 1, "b": "y"}]
    assert presenters.varying(rows, ["a", "b"]) == ("b",)
    assert presenters.varying(rows[:1], ["a", "b"]) == ()
    assert presenters.varying([], ["a"]) == ()


def test_equal_prices_and_rounds_become_one_sentence() -> None:
    shown = table(run_of([offer(1), offer(2), offer(3)]))
    keys = [c.key for c in shown.columns]
    assert "unit_price" not in keys and "round" not in keys and "free_capacity" not in keys
    assert "tier" in keys and "need" in keys  # UMKM 1 reported, the others did not
    assert "Harga semua penawaran di peringkat ini sama: Rp 175.000 per potong." in shown.same
    assert "Putaran semua UMKM di peringkat ini sama: 0." in shown.same
    assert all(len(line.cells) == len(shown.columns) for line in shown.lines)
    assert [line.product_name for line in shown.lines][0] == "Kemeja Lengan Panjang 1"


def test_different_prices_get_their_column() -> None:
    shown = table(run_of([offer(1), offer(2, price=150_000)]))
    keys = [c.key for c in shown.columns]
    assert "unit_price" in keys
    prices = {line.umkm_id: line.cells[keys.index("unit_price")] for line in shown.lines}
    assert prices == {1: "Rp 175.000", 2: "Rp 150.000"}
    assert not any(s.startswith("Harga") for s in shown.same)


def test_the_rule_and_the_policy_head_the_page() -> None:
    v2 = table(run_of([offer(1), offer(2)]))
    assert v2.policy == "Kebijakan: pemerataan-v2 (versi 2)"
    assert v2.rule.startswith("UMKM yang paling sedikit mendapat pesanan dalam 365 hari")
    v1 = table(run_of([offer(1), offer(2)], policy="pemerataan-v1"))
    assert v1.policy == "Kebijakan: pemerataan-v1 (versi 1)"
    assert v1.rule != v2.rule


def test_no_tie_hash_is_shown_for_any_policy() -> None:
    for policy in ("pemerataan-v1", "pemerataan-v2"):
        run = run_of([offer(1), offer(2), offer(3), offer(4)], policy=policy)
        shown = table(run)
        text = " ".join(line.explanation for line in shown.lines)
        for candidate in run.candidates:
            tie = str(candidate.extra.get("tie", ""))
            assert tie and tie[:8] not in text
        assert "undian" in text


def test_an_old_explanation_with_a_hash_is_worded() -> None:
    old = "Tidak melaporkan omzet Agu–Okt · peringkat 2 · undian 3fa9c2d1"
    assert presenters.without_hash(old) == (
        "Tidak melaporkan omzet Agu–Okt · peringkat 2 · urutan ditentukan undian"
    )
    bare = "tie 9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    assert not re.search(r"[0-9a-f]{8}", presenters.without_hash(bare))
    assert presenters.without_hash("Batik Cafe 2026 · Rp 4.200.000") == (
        "Batik Cafe 2026 · Rp 4.200.000"
    )


def test_exclusions_are_counted_by_their_true_reasons() -> None:
    run = run_of([offer(1), offer(2, lead=60), offer(3, lead=60), offer(4, price=250_000)])
    shown = table(run)
    assert shown.exclusion_summary == (
        "3 produk tidak memenuhi syarat: 1 harga di atas HPS, "
        "2 waktu pengerjaan melewati tanggal kebutuhan."
    ) or shown.exclusion_summary == (
        "3 produk tidak memenuhi syarat: 2 waktu pengerjaan melewati tanggal kebutuhan, "
        "1 harga di atas HPS."
    )
    assert presenters.exclusion_summary([]) is None


def test_a_shortfall_where_every_offer_failed_on_lead_time_says_so() -> None:
    shown = table(run_of([offer(1, lead=60), offer(2, lead=60)]))
    assert shown.shortfall_reason is not None
    assert "waktu pengerjaan melewati tanggal kebutuhan" in shown.shortfall_reason
    assert "kapasitas" not in shown.shortfall_reason
    covered = table(run_of([offer(1), offer(2)]))
    assert covered.shortfall_reason is None


def test_a_shortfall_with_eligible_offers_names_capacity() -> None:
    shown = table(run_of([offer(1), offer(2)], quantity=200))  # 2 x 80 free
    assert shown.shortfall_reason is not None and "kapasitas" in shown.shortfall_reason


# --- the request rules ------------------------------------------------------------------------


def test_needed_by_note_when_no_offer_can_be_ready() -> None:
    today = dt.date(2026, 12, 3)
    note = presenters.needed_by_note(today, dt.date(2026, 12, 12), 14)
    assert note == (
        "Tidak ada produk jenis ini yang dapat selesai sebelum 12 Des 2026: waktu pengerjaan "
        "tercepat 14 hari (paling cepat 17 Des 2026). Ubah tanggal kebutuhan."
    )
    assert presenters.needed_by_note(today, dt.date(2026, 12, 17), 14) is None  # just in time
    assert "Belum ada produk jenis ini" in (presenters.needed_by_note(today, today, None) or "")


def test_a_run_is_current_while_the_terms_the_policy_reads_are_unchanged() -> None:
    stored = {
        "id": 1,
        "category_id": 3,
        "kind_id": 7,
        "quantity": 200,
        "unit": "potong",
        "hps_unit_price": 200_000,
        "needed_by": "2026-12-23",
    }
    current = {k: v for k, v in stored.items() if k != "id"}
    assert rules.run_is_current(stored, current)
    assert rules.changed_terms(stored, current) == ()
    moved = {**current, "needed_by": "2026-12-30", "quantity": 150}
    assert not rules.run_is_current(stored, moved)
    assert rules.changed_terms(stored, moved) == ("quantity", "needed_by")
    v1_run = {k: v for k, v in stored.items() if k != "kind_id"}  # a v1 run has no kind
    assert rules.run_is_current(v1_run, {**current, "kind_id": 8})
    note = presenters.stale_note(rules.changed_terms(stored, moved))
    assert note is not None and "(jumlah, tanggal kebutuhan)" in note
    assert presenters.stale_note(()) is None


def test_a_cancellation_needs_a_reason_of_ten_characters() -> None:
    with pytest.raises(RuleError, match="minimal 10 karakter"):
        rules.check_cancel_reason("  ditunda ")
    assert rules.check_cancel_reason("  Acara   ditunda  ") == "Acara ditunda"


def test_split_note_names_the_requests() -> None:
    assert rules.split_note([]) is None
    assert rules.split_note([3, 5]) == (
        "Kemungkinan pemecahan paket: bersama permintaan #3, #5 dalam 14 hari nilainya "
        "melebihi batas katalog."
    )


def test_request_card_names_the_kind_with_its_category() -> None:
    fields = {f.name: None for f in dataclasses.fields(presenters.RequestCard)}
    card = presenters.RequestCard(
        **{**fields, "kind_name": "Kemeja Batik Lengan Panjang", "category_name": "Batik"}  # type: ignore[arg-type]
    )
    assert card.kind_label == "Kemeja Batik Lengan Panjang (Batik)"
