"""Payments as they happened, worked by hand: methods and references, amounts, partial
payments, overpayment, reversals (no database)."""

from __future__ import annotations

import datetime as dt

import pytest

from procure.payments.rules import (
    CASH_UP,
    KKPD,
    METHODS,
    QRIS,
    SP2D_LS,
    TRANSFER,
    Entry,
    Ledger,
    TaxWithheld,
    check_amounts,
    check_cash_limit,
    check_gross,
    check_paid_on,
    check_reference,
    check_reversal,
    check_taxes,
    default_taxes,
    is_paid_in_full,
    looks_like_card_number,
    outstanding,
)
from procure.umkm.rules import RuleError

DAY = dt.date(2026, 11, 20)
ORDER = 15_000_000  # Rp 15.000.000 handed over, on time (no penalty)
PPH22 = (TaxWithheld("PPh Pasal 22 (1,5%)", 225_000),)  # 1,5 % of 15.000.000


def _entry(id: int, gross: int, tax: int, reverses: int | None = None) -> Entry:
    return Entry(
        id=id,
        is_reversal=reverses is not None,
        gross=gross,
        withheld=tax,
        net=gross - tax,
        taxes=(TaxWithheld(PPH22[0].label, tax),),
        reverses_id=reverses,
    )


def test_every_method_has_an_indonesian_label_and_a_reference() -> None:
    assert set(METHODS) == {SP2D_LS, KKPD, QRIS, TRANSFER, CASH_UP}
    assert METHODS[SP2D_LS].needs_reference_date
    assert METHODS[CASH_UP].is_cash and "UP" in METHODS[CASH_UP].label
    assert all(m.label and m.reference_label for m in METHODS.values())


def test_two_partial_payments_add_up_to_the_order_with_pph22() -> None:
    empty = Ledger(())
    # First: Rp 6.000.000 gross; PPh 22 in proportion: 225.000 x 6/15 = 90.000.
    first = default_taxes(PPH22, ORDER, 6_000_000, empty)
    assert first == (TaxWithheld("PPh Pasal 22 (1,5%)", 90_000),)
    assert check_amounts(6_000_000, first, 5_910_000) == 90_000
    assert check_gross(6_000_000, ORDER, empty, penalty=0) == 0
    ledger = Ledger((_entry(1, 6_000_000, 90_000),))
    assert outstanding(ORDER, ledger) == 9_000_000
    assert not is_paid_in_full(ORDER, ledger.gross)
    # The rest, Rp 9.000.000, withholds the rest of the tax: 225.000 - 90.000 = 135.000.
    second = default_taxes(PPH22, ORDER, 9_000_000, ledger)
    assert second == (TaxWithheld("PPh Pasal 22 (1,5%)", 135_000),)
    assert check_amounts(9_000_000, second, 8_865_000) == 135_000
    ledger = Ledger((*ledger.entries, _entry(2, 9_000_000, 135_000)))
    assert (ledger.gross, ledger.withheld, ledger.net) == (15_000_000, 225_000, 14_775_000)
    assert outstanding(ORDER, ledger) == 0 and is_paid_in_full(ORDER, ledger.gross)
    # One full payment gives exactly the Kuitansi's figures.
    assert default_taxes(PPH22, ORDER, ORDER, Ledger(())) == PPH22


def test_proportional_tax_rounds_half_up() -> None:
    # 225.000 x 1.000.001 / 15.000.000 = 15.000,015 -> 15.000; x 100.002 -> 1.500,03 -> 1.500
    assert default_taxes(PPH22, ORDER, 1_000_001, Ledger(()))[0].amount == 15_000
    # 225.000 x 33.334 / 15.000.000 = 500,01 -> 500; 33.300 -> 499,5 -> 500 (half up)
    assert default_taxes(PPH22, ORDER, 33_300, Ledger(()))[0].amount == 500


def test_a_reversal_then_a_new_payment() -> None:
    paid = _entry(1, 6_000_000, 90_000)
    ledger = Ledger((paid,))
    assert check_reversal(paid, ledger, "  SP2D dicatat pada pesanan yang salah ") == (
        "SP2D dicatat pada pesanan yang salah"
    )
    reversal = _entry(2, 6_000_000, 90_000, reverses=1)
    ledger = Ledger((paid, reversal))
    assert (ledger.gross, ledger.withheld, ledger.net) == (0, 0, 0)
    assert outstanding(ORDER, ledger) == ORDER
    with pytest.raises(RuleError, match="sudah dibatalkan"):
        check_reversal(paid, ledger, "Dibatalkan untuk kedua kalinya")
    with pytest.raises(RuleError, match="tidak bisa dikoreksi lagi"):
        check_reversal(reversal, ledger, "Koreksi atas koreksi tidak boleh")
    # The whole order paid again afterwards withholds the whole tax again.
    assert default_taxes(PPH22, ORDER, ORDER, ledger) == PPH22
    assert check_gross(ORDER, ORDER, ledger, penalty=0) == 0


def test_a_reversal_needs_a_reason() -> None:
    paid = _entry(1, 6_000_000, 90_000)
    with pytest.raises(RuleError, match="minimal 10 karakter"):
        check_reversal(paid, Ledger((paid,)), "salah")


def test_an_overpayment_is_refused_naming_what_is_still_owed() -> None:
    ledger = Ledger((_entry(1, 6_000_000, 90_000),))
    with pytest.raises(RuleError, match="melebihi sisa yang belum dibayar Rp 9.000.000"):
        check_gross(9_000_001, ORDER, ledger, penalty=0)
    with pytest.raises(RuleError, match="sudah dibayar lunas"):
        check_gross(1, ORDER, Ledger((*ledger.entries, _entry(2, 9_000_000, 135_000))), 0)


def test_a_late_penalty_not_withheld_is_kept_once_then_refused() -> None:
    # Due Rp 14.950.000 after a Rp 50.000 penalty: paying the full value exceeds it by the
    # penalty (kept and flagged); a rupiah more is an overpayment.
    due = ORDER - 50_000
    assert check_gross(ORDER, due, Ledger(()), penalty=50_000) == 50_000
    with pytest.raises(RuleError, match="kelebihan bayar"):
        check_gross(ORDER + 1, due, Ledger(()), penalty=50_000)


def test_net_must_be_gross_less_taxes_exactly() -> None:
    with pytest.raises(RuleError, match="Dibayar neto seharusnya Rp 14.775.000"):
        check_amounts(ORDER, PPH22, 15_000_000)
    with pytest.raises(RuleError, match="lebih dari Rp 0"):
        check_amounts(0, (), 0)
    with pytest.raises(RuleError, match="melebihi Nilai bruto"):
        check_amounts(100, (TaxWithheld("PPh", 100),), 0)
    assert check_amounts(ORDER, (), ORDER) == 0


def test_tax_lines_are_named_and_not_negative() -> None:
    assert check_taxes([("PPh Pasal 22", 90_000), ("", None), (" ", 0)]) == (
        TaxWithheld("PPh Pasal 22", 90_000),
    )
    with pytest.raises(RuleError, match="Isi nama pajak ke-1"):
        check_taxes([("", 5_000)])
    with pytest.raises(RuleError, match="tidak boleh negatif"):
        check_taxes([("PPh", -1)])
    with pytest.raises(RuleError, match="dua kali"):
        check_taxes([("PPh", 1), ("PPh", 2)])


@pytest.mark.parametrize(
    "reference",
    [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4111111111111111",
        "Kartu 5500 0000 0000 0004 approval",
        "378282246310005",  # 15 digits
    ],
)
def test_a_card_number_is_refused_as_reference(reference: str) -> None:
    assert looks_like_card_number(reference)
    for method in (KKPD, TRANSFER, None):
        with pytest.raises(RuleError, match="Nomor kartu tidak boleh disimpan"):
            check_reference(method, reference, None, DAY)


@pytest.mark.parametrize(
    "reference",
    [
        "4111 1111 1111 1112",  # Luhn fails
        "412345678901",  # a 12-digit RRN
        "0123/SP2D-LS/1.02.01/2026",
        "12345678901234567890123",  # 23 digits: not a card
    ],
)
def test_other_references_are_not_card_numbers(reference: str) -> None:
    assert not looks_like_card_number(reference)


def test_an_sp2d_needs_its_number_and_its_date() -> None:
    with pytest.raises(RuleError, match="Isi tanggal SP2D"):
        check_reference(SP2D_LS, "0123/SP2D-LS/1.02.01/2026", None, DAY)
    with pytest.raises(RuleError, match="Isi nomor SP2D"):
        check_reference(SP2D_LS, "  ", DAY, DAY)
    with pytest.raises(RuleError, match="tidak boleh setelah tanggal bayar"):
        check_reference(SP2D_LS, "0123/SP2D-LS", DAY + dt.timedelta(days=1), DAY)
    done = check_reference(SP2D_LS, " 0123/SP2D-LS/1.02.01/2026 ", DAY, DAY)
    assert (done.reference, done.reference_date) == ("0123/SP2D-LS/1.02.01/2026", DAY)
    # Other methods keep no reference date.
    assert check_reference(TRANSFER, "TRF-1", DAY, DAY).reference_date is None


def test_qris_takes_an_rrn_or_an_approval_code() -> None:
    assert check_reference(QRIS, "412345678901", None, DAY).reference == "412345678901"
    assert check_reference(QRIS, "A1B2C3", None, DAY).reference == "A1B2C3"
    with pytest.raises(RuleError, match="RRN 12 angka"):
        check_reference(QRIS, "41234567890", None, DAY)
    with pytest.raises(RuleError, match="Pilih cara pembayaran"):
        check_reference("cek", "1", None, DAY)


def test_cash_from_the_up_only_up_to_the_limit() -> None:
    check_cash_limit(CASH_UP, 10_000_000, 10_000_000)
    check_cash_limit(SP2D_LS, 50_000_000, 10_000_000)
    with pytest.raises(RuleError, match="tunai dari UP paling banyak Rp 10.000.000"):
        check_cash_limit(CASH_UP, 10_000_001, 10_000_000)


def test_the_payment_day_is_between_the_handover_and_today() -> None:
    check_paid_on(DAY, DAY, DAY)
    with pytest.raises(RuleError, match="setelah hari ini"):
        check_paid_on(DAY + dt.timedelta(days=1), None, DAY)
    with pytest.raises(RuleError, match="sebelum serah terima"):
        check_paid_on(DAY - dt.timedelta(days=1), DAY, DAY)
