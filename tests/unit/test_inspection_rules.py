"""Pure rules of the inspector's portal: filter input, red-flag thresholds and wording."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from procure.inspection import repeats, rules
from procure.inspection.repeats import OverrideChoice, Ranked
from procure.inspection.rules import RedFlag
from procure.umkm.rules import RuleError

D = dt.date


# == Filter input ================================================================================


@pytest.mark.parametrize("text", ["2026-11-05", "05-11-2026", "05/11/2026", " 2026-11-05 "])
def test_filter_dates_accept_iso_and_indonesian_order(text: str) -> None:
    assert rules.parse_filter_date(text, "Tanggal awal") == D(2026, 11, 5)


def test_empty_filter_date_means_no_bound() -> None:
    assert rules.parse_filter_date("", "Tanggal awal") is None
    assert rules.parse_filter_date(None, "Tanggal awal") is None


@pytest.mark.parametrize("text", ["kemarin", "2026-13-01", "31/02/2026", "2026/11/05"])
def test_bad_filter_dates_are_refused_in_indonesian(text: str) -> None:
    with pytest.raises(RuleError, match="Tanggal awal tidak dikenali.*2026-11-05"):
        rules.parse_filter_date(text, "Tanggal awal")


def test_filter_dates_far_from_now_are_refused() -> None:
    with pytest.raises(RuleError, match="Tanggal akhir di luar rentang"):
        rules.parse_filter_date("1899-01-01", "Tanggal akhir")


def test_period_must_not_end_before_it_starts() -> None:
    rules.check_period(D(2026, 1, 1), D(2026, 1, 1))
    rules.check_period(None, D(2026, 1, 1))
    with pytest.raises(RuleError, match="Tukar kedua tanggal"):
        rules.check_period(D(2026, 2, 1), D(2026, 1, 1))


def test_yes_no_filters() -> None:
    assert rules.parse_yes_no("ya", "override") is True
    assert rules.parse_yes_no("Tidak", "override") is False
    assert rules.parse_yes_no("", "override") is None
    with pytest.raises(RuleError, match="Pilihan terlambat harus"):
        rules.parse_yes_no("mungkin", "terlambat")


# == Late orders and the export row ==============================================================


def test_late_means_delivered_after_due_or_undelivered_past_due() -> None:
    due = D(2026, 11, 10)
    today = D(2026, 11, 20)
    assert rules.is_late("received", due, D(2026, 11, 11), today)
    assert not rules.is_late("received", due, D(2026, 11, 10), today)
    assert rules.is_late("accepted", due, None, today)
    assert not rules.is_late("accepted", due, None, D(2026, 11, 10))
    # Orders that ended without delivery carry no lateness.
    assert not rules.is_late("cancelled", due, None, today)
    assert not rules.is_late("expired", due, None, today)


def _order(**changes: object) -> dict[str, object]:
    order: dict[str, object] = {
        "id": 7,
        "sp_number": "000.3.2/014/SP/DISDIK/X/2026",
        "opd": "Dinas Pendidikan",
        "umkm": "Batik Sekar",
        "nib": "9100000000001",
        "category": "Batik",
        "title": "Seragam batik",
        "quantity": 50,
        "unit": "potong",
        "unit_price": 200_000,
        "value": 10_000_000,
        "status": "paid",
        "issued_on": D(2026, 10, 1),
        "due_date": D(2026, 10, 20),
        "delivered_on": D(2026, 10, 25),
        "handed_over_on": D(2026, 10, 27),
        "paid_on": D(2026, 11, 6),
        "is_override": True,
        "override_reason": "UMKM usulan tidak bisa dihubungi sama sekali",
    }
    order.update(changes)
    return order


def test_export_row_follows_the_columns_with_whole_numbers() -> None:
    row = rules.export_row(_order(), D(2026, 12, 1))
    assert len(row) == len(rules.EXPORT_COLUMNS)
    values = dict(zip(rules.EXPORT_COLUMNS, row, strict=True))
    assert values["Nomor pesanan"] == 7
    assert values["Nomor SP"] == "000.3.2/014/SP/DISDIK/X/2026"
    assert rules.export_row(_order(sp_number=None), D(2026, 12, 1))[1] == ""
    assert values["Nilai"] == 10_000_000 and values["Harga satuan"] == 200_000
    assert values["Status"] == "Lunas"
    assert values["Hari sampai bayar"] == 10
    assert values["Terlambat (hari)"] == 5
    assert values["Denda"] == 50_000  # 1/1000 of Rp 10.000.000 for 5 days
    assert values["Override"] == "Ya"
    assert values["Alasan override"].startswith("UMKM usulan")
    assert values["Dikirim"] == D(2026, 10, 25)


def test_export_row_of_an_order_on_time_without_override() -> None:
    row = rules.export_row(
        _order(delivered_on=None, handed_over_on=None, paid_on=None, status="accepted"),
        D(2026, 10, 5),
    )
    values = dict(zip(rules.EXPORT_COLUMNS, row, strict=True))
    assert values["Status"] == "Diterima UMKM, sedang dikerjakan"
    assert values["Hari sampai bayar"] is None
    assert values["Terlambat (hari)"] == 0 and values["Denda"] == 0
    row = rules.export_row(_order(is_override=False, override_reason=None), D(2026, 12, 1))
    values = dict(zip(rules.EXPORT_COLUMNS, row, strict=True))
    assert values["Override"] == "Tidak" and values["Alasan override"] == ""


# == Red flags ===================================================================================


def test_uncharged_penalty_when_paid_in_full_after_a_late_delivery() -> None:
    found = rules.uncharged_penalty(10_000_000, D(2026, 10, 20), D(2026, 10, 25), 10_000_000)
    assert found is not None
    assert (found.days_late, found.penalty, found.expected, found.uncharged) == (
        5,
        50_000,
        9_950_000,
        50_000,
    )
    text = rules.uncharged_penalty_text(found, D(2026, 10, 20), D(2026, 10, 25))
    assert "5 hari setelah jatuh tempo 20 Oktober 2026" in text
    assert "Denda Rp 50.000" in text and "denda tidak dipotong" in text


def test_partly_charged_penalty_names_the_missing_part() -> None:
    found = rules.uncharged_penalty(10_000_000, D(2026, 10, 20), D(2026, 10, 25), 9_980_000)
    assert found is not None and found.uncharged == 30_000
    text = rules.uncharged_penalty_text(found, D(2026, 10, 20), D(2026, 10, 25))
    assert "denda yang tidak dipotong Rp 30.000" in text


@pytest.mark.parametrize(
    ("delivered", "paid"),
    [
        (D(2026, 10, 25), 9_950_000),  # penalty deducted
        (D(2026, 10, 25), 9_000_000),  # deducted more (a different question, not this flag)
        (D(2026, 10, 20), 10_000_000),  # on time
        (None, 10_000_000),  # never delivered
        (D(2026, 10, 25), None),  # not paid yet
    ],
)
def test_no_uncharged_penalty(delivered: dt.date | None, paid: int | None) -> None:
    assert rules.uncharged_penalty(10_000_000, D(2026, 10, 20), delivered, paid) is None


def test_slow_payment_above_the_limit_paid_or_still_waiting() -> None:
    handed = D(2026, 10, 1)
    assert rules.slow_payment_days(handed, D(2026, 10, 15), D(2026, 12, 1), 14) is None
    assert rules.slow_payment_days(handed, D(2026, 10, 16), D(2026, 12, 1), 14) == 15
    assert rules.slow_payment_days(handed, None, D(2026, 10, 15), 14) is None
    assert rules.slow_payment_days(handed, None, D(2026, 10, 21), 14) == 20
    assert rules.slow_payment_days(None, None, D(2026, 10, 21), 14) is None
    assert "Belum dibayar 20 hari" in rules.slow_payment_text(20, handed, None, 14)
    assert "Dibayar 16 Oktober 2026, 15 hari" in rules.slow_payment_text(
        15, handed, D(2026, 10, 16), 14
    )


def test_override_and_request_wording() -> None:
    text = rules.override_text("Alasan yang cukup panjang", "Budi", ["A", "B"], ["C"])
    assert text == (
        "Usulan sistem: A, B. Dipilih: C. Alasan: \u201cAlasan yang cukup panjang\u201d. "
        "Diputuskan oleh Budi."
    )
    # A title ending in a dot does not get a second one.
    assert rules.override_text("x", "Hadi Nugroho, A.Md.", [], []).endswith(
        "oleh Hadi Nugroho, A.Md."
    )
    portions = rules.excess_portions_text(120, "kotak", 100, "Rapat kerja", "Tamu tambahan")
    assert portions.startswith("120 kotak untuk Rapat kerja, peserta undangan 100: lebih 20.")
    assert rules.split_text(30_000_000, "Bersama #3").startswith("Nilai permintaan ini Rp 30")


# -- (f) repeated choices -----------------------------------------------------------------------


def test_stored_ranking_reads_full_and_flat_candidates() -> None:
    result = {
        "candidates": [
            {"rank": 1, "need": "1000/3", "offer": {"umkm_id": 11}},
            {"rank": 2, "need": 500, "umkm_id": 12},
            {"rank": 3, "offer": {"umkm_id": 13}},  # summarised: no need kept
            "not a candidate",
        ]
    }
    assert repeats.stored_ranking(result) == {
        11: Ranked(1, Fraction(1000, 3)),
        12: Ranked(2, Fraction(500)),
        13: Ranked(3, None),
    }
    assert repeats.stored_ranking({}) == {}


def test_passed_over_counts_unchosen_lower_needs() -> None:
    ranking = {
        1: Ranked(1, Fraction(100)),
        2: Ranked(2, Fraction(200)),
        3: Ranked(3, Fraction(300)),
        4: Ranked(4, Fraction(300)),
    }
    assert repeats.passed_over(ranking, {3}, 3) == 2
    assert repeats.passed_over(ranking, {1, 3}, 3) == 1  # the other chosen one is not passed over
    assert repeats.passed_over(ranking, {1}, 1) == 0
    assert repeats.passed_over(ranking, {4}, 4) == 2  # an equal need is not lower


def test_passed_over_falls_back_to_the_order_rank() -> None:
    ranking = {1: Ranked(1, Fraction(100)), 2: Ranked(2, Fraction(200))}
    assert repeats.passed_over(ranking, {9}, 9, rank=40) == 2
    assert repeats.passed_over(ranking, {9}, 9) == 0


def _choice(day: int, request_id: int, umkm_id: int = 5, passed: int = 2) -> OverrideChoice:
    return OverrideChoice(1, umkm_id, request_id, D(2026, 1, 1) + dt.timedelta(days=day), passed)


def test_three_overrides_within_90_days_are_reported_once() -> None:
    found = repeats.repeated_choices([_choice(0, 1), _choice(40, 2), _choice(90, 3)])
    assert len(found) == 1
    assert found[0].request_ids == (1, 2, 3)
    assert (found[0].first_on, found[0].last_on) == (D(2026, 1, 1), D(2026, 4, 1))
    text = repeats.repeated_text(found[0])
    assert "Dipilih 3 kali lewat override dalam 90 hari" in text
    assert "permintaan #1, #2, #3" in text


def test_spread_out_or_fair_choices_are_not_reported() -> None:
    assert repeats.repeated_choices([_choice(0, 1), _choice(40, 2), _choice(91, 3)]) == []
    assert repeats.repeated_choices([_choice(0, 1), _choice(1, 2)]) == []
    # Chosen over nobody with a lower need: an override, but not favouritism.
    assert repeats.repeated_choices([_choice(d, d, passed=0) for d in range(3)]) == []
    # Three different UMKM once each.
    assert repeats.repeated_choices([_choice(d, d, umkm_id=d) for d in range(3)]) == []


def test_a_long_run_of_choices_is_cut_into_groups() -> None:
    days = [0, 10, 20, 200, 210, 220, 400]
    found = repeats.repeated_choices([_choice(d, i) for i, d in enumerate(days)])
    assert [f.request_ids for f in found] == [(0, 1, 2), (3, 4, 5)]


def test_flags_sort_newest_first_and_count_every_kind() -> None:
    old = RedFlag("slow_payment", D(2026, 1, 1), "A", (), "x", order_id=1)
    new = RedFlag("override", D(2026, 3, 1), "A", (), "y", request_id=2)
    same_day = RedFlag("excess_portions", D(2026, 3, 1), "A", (), "z", request_id=1)
    assert rules.sort_flags([old, same_day, new]) == [new, same_day, old]
    counts = rules.count_by_kind([old, new])
    assert set(counts) == set(rules.FLAG_KINDS)
    assert counts["slow_payment"] == 1 and counts["split_suspect"] == 0
    assert new.kind_label == "Override alokasi"


def test_overdue_payment_past_the_due_date_paid_or_still_waiting() -> None:
    due = D(2026, 12, 21)
    assert rules.overdue_payment_days(due, D(2026, 12, 21), D(2027, 1, 5)) is None  # on time
    assert rules.overdue_payment_days(due, D(2026, 12, 24), D(2027, 1, 5)) == 3
    assert rules.overdue_payment_days(due, None, D(2026, 12, 21)) is None  # due today
    assert rules.overdue_payment_days(due, None, D(2026, 12, 28)) == 7
    assert rules.overdue_payment_days(None, None, D(2026, 12, 28)) is None
    assert rules.overdue_payment_text(7, due, None) == (
        "Belum dibayar, 7 hari lewat jatuh tempo bayar 21 Desember 2026."
    )
    assert rules.overdue_payment_text(3, due, D(2026, 12, 24)) == (
        "Dibayar 24 Desember 2026, 3 hari setelah jatuh tempo bayar 21 Desember 2026."
    )
    assert rules.FLAG_KINDS["payment_overdue"] == "Lewat jatuh tempo bayar"
