"""Pure rules of the order steps: delivery note, Tim Pemeriksa, handover date, phone text,
and the net payment checked against Nilai bruto minus Pajak dipotong."""

from __future__ import annotations

import datetime as dt

import pytest

from procure.formatting import tel_uri, telepon
from procure.orders.rules import (
    MAX_DELIVERY_NOTE,
    PaymentAmounts,
    check_delivery_note,
    check_handover_date,
    check_inspection_team,
    check_net_payment,
    handover_day,
    nip_problem,
)
from procure.umkm.rules import RuleError

NIP = "198503122010012001"


def test_a_delivery_note_is_required_trimmed_and_bounded() -> None:
    assert check_delivery_note("  SJ-012/2026 ") == "SJ-012/2026"
    with pytest.raises(RuleError, match="surat jalan"):
        check_delivery_note("   ")
    with pytest.raises(RuleError, match="surat jalan"):
        check_delivery_note(None)
    assert check_delivery_note("x" * MAX_DELIVERY_NOTE)
    with pytest.raises(RuleError, match="maksimal 500"):
        check_delivery_note("x" * (MAX_DELIVERY_NOTE + 1))


@pytest.mark.parametrize(
    ("nip", "problem"),
    [
        (NIP, None),
        ("19850312201001200", "18 angka"),  # 17 digits
        ("1985031220100120011", "18 angka"),
        ("19850312 201001200", "18 angka"),
        ("１９８５０３１２２０１００１２００１", "18 angka"),  # full-width digits
        ("0" * 18, "satu angka"),
        ("1" * 18, "satu angka"),
    ],
)
def test_a_nip_has_18_ascii_digits_not_one_repeated(nip: str, problem: str | None) -> None:
    found = nip_problem(nip)
    assert (found is None) if problem is None else (problem in (found or ""))


def test_the_team_has_one_to_five_members_with_names_and_valid_nips() -> None:
    team = check_inspection_team([("  Rina   Wulandari ", " 1985 0312 2010 0120 01"), ("", "")])
    assert team == [{"name": "Rina Wulandari", "nip": NIP}]
    with pytest.raises(RuleError, match="paling sedikit satu"):
        check_inspection_team([("", ""), ("", "")])
    with pytest.raises(RuleError, match="nama anggota tim pemeriksa ke-1"):
        check_inspection_team([("", NIP)])
    with pytest.raises(RuleError, match="ke-1 \\(Rina\\): NIP harus 18 angka"):
        check_inspection_team([("Rina", "12345")])
    with pytest.raises(RuleError, match="dua kali"):
        check_inspection_team([("Rina", NIP), ("Budi", NIP)])
    six = [(f"Anggota {i}", f"19850312201001{i:04d}") for i in range(1, 7)]
    with pytest.raises(RuleError, match="paling banyak 5"):
        check_inspection_team(six)
    assert len(check_inspection_team(six[:5])) == 5


def test_the_handover_date_is_not_in_the_future_nor_before_the_delivery() -> None:
    today = dt.date(2026, 12, 3)
    delivered = dt.date(2026, 11, 30)
    check_handover_date(today, delivered, today)
    check_handover_date(delivered, delivered, today)
    with pytest.raises(RuleError, match="setelah hari ini"):
        check_handover_date(today + dt.timedelta(days=1), delivered, today)
    with pytest.raises(RuleError, match="sebelum barang dikirim \\(30 November 2026\\)"):
        check_handover_date(dt.date(2026, 11, 29), delivered, today)


def test_the_handover_day_is_the_chosen_date_else_the_day_recorded() -> None:
    class Order:
        handover_date: dt.date | None = dt.date(2026, 11, 30)
        handed_over_at = dt.datetime(2026, 12, 2, 20, 0, tzinfo=dt.UTC)  # 3 Dec in Jakarta

    assert handover_day(Order()) == dt.date(2026, 11, 30)
    Order.handover_date = None
    assert handover_day(Order()) == dt.date(2026, 12, 3)


@pytest.mark.parametrize(
    ("phone", "text", "tel"),
    [
        ("081234567890", "0812-3456-7890", "tel:+6281234567890"),
        ("+62 812 3456 789", "0812-3456-789", "tel:+628123456789"),
        ("0224201234", "(022) 4201234", "tel:+62224201234"),
        ("0274-512345", "(0274) 512345", "tel:+62274512345"),
        ("", "", None),
        ("12", "12", None),
    ],
)
def test_phone_numbers_are_written_as_indonesians_write_them(
    phone: str, text: str, tel: str | None
) -> None:
    assert telepon(phone) == text
    assert tel_uri(phone) == tel


def test_the_net_must_be_gross_minus_tax_or_leave_out_at_most_the_penalty() -> None:
    amounts = PaymentAmounts(
        value=10_000_000, penalty=30_000, withheld=150_000, tax_label="PPh Pasal 22 (1,5%)"
    )
    assert (amounts.gross, amounts.net) == (9_970_000, 9_820_000)
    assert check_net_payment(amounts, 9_820_000) == 0
    assert check_net_payment(amounts, 9_850_000) == 30_000  # penalty not withheld: flagged
    for wrong in (9_819_999, 9_850_001, 10_000_000):
        with pytest.raises(RuleError) as refused:
            check_net_payment(amounts, wrong)
        message = str(refused.value)
        assert "Dibayar neto seharusnya Rp 9.820.000" in message
        assert "Nilai bruto Rp 9.970.000" in message and "Pajak dipotong Rp 150.000" in message
        assert "PPh Pasal 22 (1,5%)" in message
    with pytest.raises(RuleError, match="lebih dari Rp 0"):
        check_net_payment(amounts, 0)
    on_time = PaymentAmounts(value=2_000_000, penalty=0, withheld=30_000, tax_label="PPh 22")
    assert check_net_payment(on_time, 1_970_000) == 0
    with pytest.raises(RuleError, match="seharusnya Rp 1.970.000"):
        check_net_payment(on_time, 1_970_001)
