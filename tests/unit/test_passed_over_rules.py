"""Why a UMKM has been passed over: the reasons decided and worded from its counts."""

from __future__ import annotations

from procure.spread import passed_over_rules as rules
from procure.spread.passed_over_rules import KindFacts, UmkmFacts

BATIK = "Kemeja Batik Lengan Panjang"


def codes(facts: UmkmFacts) -> list[str]:
    return [r.code for r in rules.reasons(facts)]


def test_no_active_product() -> None:
    (reason,) = rules.reasons(UmkmFacts(()))
    assert reason.code == rules.NO_PRODUCT
    assert "Belum punya produk aktif" in reason.text


def test_no_request_for_its_kinds_names_them() -> None:
    facts = UmkmFacts((KindFacts(BATIK), KindFacts("Kain Batik Tulis")))
    (reason,) = rules.reasons(facts)
    assert reason.code == rules.NO_REQUEST
    assert f"jenis barangnya {BATIK} dan Kain Batik Tulis" in reason.text
    assert "12 bulan terakhir" in reason.text


def test_price_above_hps_says_how_many_of_how_many() -> None:
    facts = UmkmFacts((KindFacts(BATIK, requests=7, price=5, eligible=2, tier=0),))
    found = rules.reasons(facts)
    assert [r.code for r in found] == [rules.PRICE, rules.RANKED_BELOW]
    assert found[0].text == f"Harga produknya di atas HPS pada 5 dari 7 permintaan {BATIK}."


def test_lead_time_capacity_and_min_order_each_told() -> None:
    facts = UmkmFacts((KindFacts(BATIK, requests=4, lead_time=4, capacity=1, min_order=2),))
    found = rules.reasons(facts)
    assert [r.code for r in found] == [rules.LEAD_TIME, rules.CAPACITY, rules.MIN_ORDER]
    assert "4 dari 4 permintaan" in found[0].text
    assert "pesanan minimumnya sendiri" in found[1].text
    assert "2 dari 4 permintaan" in found[2].text


def test_a_request_no_single_rule_blocked_is_mixed() -> None:
    kind = KindFacts(BATIK, requests=3, eligible=1)
    assert kind.mixed == 2
    assert codes(UmkmFacts((kind,))) == [rules.MIXED, rules.RANKED_BELOW]
    assert KindFacts(BATIK, requests=3, eligible=1, price=2).mixed == 0


def test_unreported_omzet_ranked_after_those_who_report() -> None:
    facts = UmkmFacts((KindFacts(BATIK, requests=3, eligible=3, tier=1),))
    (reason,) = rules.reasons(facts)
    assert reason.code == rules.UNREPORTED
    assert "diurutkan setelah UMKM yang melapor" in reason.text
    assert f"3 dari 3 permintaan {BATIK}" in reason.text


def test_ranked_below_tells_its_reported_average() -> None:
    facts = UmkmFacts(
        (KindFacts(BATIK, requests=2, eligible=2, tier=0, reported_average=45_000_000),)
    )
    (reason,) = rules.reasons(facts)
    assert reason.code == rules.RANKED_BELOW
    assert reason.text == (
        f"Memenuhi syarat pada 2 dari 2 permintaan {BATIK}, tetapi kalah peringkat dari UMKM "
        "yang melaporkan omzet lebih kecil (omzetnya rata-rata Rp 45.000.000 per bulan)."
    )


def test_orders_that_did_not_go_on() -> None:
    facts = UmkmFacts((), orders_not_continued=2)
    assert codes(facts) == [rules.NO_PRODUCT, rules.NOT_CONTINUED]
    assert "2 pesanan" in rules.reasons(facts)[1].text


def test_a_kind_without_requests_beside_one_with() -> None:
    facts = UmkmFacts((KindFacts("Kain Batik Tulis"), KindFacts(BATIK, requests=1, price=1)))
    found = rules.reasons(facts)
    assert [r.code for r in found] == [rules.NO_REQUEST, rules.PRICE]
    assert "untuk jenis Kain Batik Tulis" in found[0].text


def test_counts_per_reason_in_rule_order_each_umkm_once() -> None:
    lists = [
        rules.reasons(UmkmFacts(())),
        rules.reasons(UmkmFacts((), orders_not_continued=1)),
        rules.reasons(UmkmFacts((KindFacts(BATIK, requests=2, price=1, lead_time=2),))),
    ]
    assert rules.count_by_reason(lists) == [
        (rules.NO_PRODUCT, rules.REASON_LABELS[rules.NO_PRODUCT], 2),
        (rules.PRICE, rules.REASON_LABELS[rules.PRICE], 1),
        (rules.LEAD_TIME, rules.REASON_LABELS[rules.LEAD_TIME], 1),
        (rules.NOT_CONTINUED, rules.REASON_LABELS[rules.NOT_CONTINUED], 1),
    ]


def test_counts_of_the_latest_requests_say_so() -> None:
    kind = KindFacts(BATIK, requests=200, price=37, latest_only=True)
    (reason,) = rules.reasons(UmkmFacts((kind,)))
    assert f"37 dari 200 permintaan terakhir {BATIK}" in reason.text
