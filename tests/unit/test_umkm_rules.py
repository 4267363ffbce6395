"""The pure UMKM rules: identifiers, phone numbers, amounts, product figures."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.umkm.rules import (
    Limits,
    RuleError,
    check_bank_account,
    check_email,
    check_nib,
    check_nik,
    check_npwp,
    check_phone,
    check_product_figures,
    parse_count,
    parse_rupiah,
)

LIMITS = Limits(
    max_unit_price=1_000_000_000, max_monthly_capacity=1_000_000, max_lead_time_days=365
)


def _dotted(n: int) -> str:
    return f"{n:,}".replace(",", ".")


# --- NIB ------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["9120001234567", " 9120001234567 ", "912-000-123-4567"])
def test_nib_accepts_13_digits_with_separators(value: str) -> None:
    assert check_nib(value) == "9120001234567"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("", "NIB wajib diisi"),
        ("912000123456", "NIB harus 13 digit angka; yang diisi 12 digit"),
        ("91200012345678", "NIB harus 13 digit angka; yang diisi 14 digit"),
        ("91200012345AB", "NIB hanya boleh berisi angka"),
        ("９１２０００１２３４５６７", "NIB hanya boleh berisi angka"),  # full-width digits
    ],
)
def test_nib_refuses_with_a_message_that_says_why(value: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        check_nib(value)


@given(
    st.text(alphabet="0123456789", min_size=13, max_size=13).filter(lambda d: len(set(d)) > 1),
    st.sampled_from(["", " ", ".", "-"]),
)
def test_any_13_digits_not_all_one_digit_pass_whatever_the_separator(digits: str, sep: str) -> None:
    spaced = sep.join([digits[:4], digits[4:8], digits[8:]])
    assert check_nib(spaced) == digits


# --- NPWP -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("01.234.567.8-901.000", "012345678901000"),  # classic 15-digit format
        ("012345678901000", "012345678901000"),
        ("3374011204850001", "3374011204850001"),  # 16-digit (NIK-based) NPWP
        ("0123.4567.8901.2345", "0123456789012345"),
    ],
)
def test_npwp_accepts_15_or_16_digits_with_dots(value: str, expected: str) -> None:
    assert check_npwp(value) == expected


@pytest.mark.parametrize(
    "value", ["01.234.567.8-901.00", "01234567890100012", "01.234.567.8-901.0X0"]
)
def test_npwp_refuses_other_lengths_and_letters(value: str) -> None:
    with pytest.raises(RuleError, match="NPWP"):
        check_npwp(value)


# --- NIK ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["3374011204850001", "3374 0152 0485 0001", "33.74.01.1204850001"]
)
def test_nik_accepts_16_digits_with_a_plausible_birth_day(value: str) -> None:
    # 12 is a man's birth day, 52 (12 + 40) a woman's.
    assert len(check_nik(value)) == 16


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("337401120485000", "NIK harus 16 digit angka"),
        ("3374013204850001", "tanggal lahir"),  # day 32
        ("3374010004850001", "tanggal lahir"),  # day 00
        ("3374017204850001", "tanggal lahir"),  # day 72 (women's days stop at 71)
        ("33740112O4850001", "NIK hanya boleh berisi angka"),  # letter O for zero
    ],
)
def test_nik_refuses_impossible_numbers(value: str, message: str) -> None:
    with pytest.raises(RuleError, match=message):
        check_nik(value)


# --- phone ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["081234567890", "0812-3456-7890", "+62 812 3456 7890", "62812 3456 7890", "(0812) 34567890"],
)
def test_phone_is_normalised_to_62(value: str) -> None:
    assert check_phone(value) == "6281234567890"


@pytest.mark.parametrize("value", ["", "0212345678", "08123", "0812345678901234", "telepon saya"])
def test_phone_refuses_non_mobile_numbers(value: str) -> None:
    with pytest.raises(RuleError, match="Nomor HP/WhatsApp tidak valid"):
        check_phone(value)


@given(
    st.builds(
        str.__add__,
        st.sampled_from("1235789"),
        st.text(alphabet="0123456789", min_size=7, max_size=10).filter(
            lambda d: len(set(d[1:])) > 1
        ),
    )
)
def test_any_plausible_mobile_number_round_trips(rest: str) -> None:
    assert check_phone("08" + rest) == "628" + rest
    assert check_phone("+628" + rest) == "628" + rest


# --- e-mail and bank account ----------------------------------------------------------------


def test_email_is_trimmed_and_lower_cased() -> None:
    assert check_email("  Siti.Batik@Contoh.CO.id ") == "siti.batik@contoh.co.id"


@pytest.mark.parametrize(
    "value", ["", "siti", "siti@", "siti@contoh", "si ti@contoh.id", "<a>@b.id"]
)
def test_email_refuses_what_is_not_an_address(value: str) -> None:
    with pytest.raises(RuleError):
        check_email(value)


def test_bank_account_accepts_digits_with_separators() -> None:
    assert check_bank_account("123-456 7890") == "1234567890"


@pytest.mark.parametrize("value", ["", "12345", "1234567890123456789012", "12345ABC90"])
def test_bank_account_refuses_bad_numbers(value: str) -> None:
    with pytest.raises(RuleError, match="rekening"):
        check_bank_account(value)


# --- amounts --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("175.000", 175_000),
        ("175000", 175_000),
        ("Rp 175.000", 175_000),
        ("Rp175.000,00", 175_000),
        ("12.500.000", 12_500_000),
        (" 1.000 ", 1_000),
        (42, 42),
    ],
)
def test_parse_rupiah_reads_what_people_type(value: str | int, expected: int) -> None:
    assert parse_rupiah(value) == expected


@pytest.mark.parametrize("value", ["175,5", "175.50", "1.75.000", "seratus ribu", "", "17 5000"])
def test_parse_rupiah_refuses_fractions_and_words(value: str) -> None:
    with pytest.raises(RuleError, match="angka bulat"):
        parse_rupiah(value)


def test_parse_rupiah_refuses_negative_amounts() -> None:
    with pytest.raises(RuleError, match="tidak boleh negatif"):
        parse_rupiah("-175.000")


@given(st.integers(min_value=0, max_value=10**15))
def test_parse_rupiah_round_trips_dotted_and_plain(amount: int) -> None:
    assert parse_rupiah(_dotted(amount)) == amount
    assert parse_rupiah(str(amount)) == amount
    assert parse_rupiah(f"Rp {_dotted(amount)}") == amount


@given(st.integers(min_value=-(10**9), max_value=10**9))
def test_parse_count_round_trips_and_keeps_the_sign(n: int) -> None:
    text = ("-" if n < 0 else "") + _dotted(abs(n))
    assert parse_count(text, "Jumlah") == n


@pytest.mark.parametrize("value", ["", "1,5", "sepuluh", "1.2"])
def test_parse_count_names_the_field(value: str) -> None:
    with pytest.raises(RuleError, match="Kapasitas"):
        parse_count(value, "Kapasitas")


# --- product figures ------------------------------------------------------------------------


def test_sensible_figures_pass() -> None:
    assert check_product_figures(175_000, 100, 7, 1, LIMITS) == {}


@pytest.mark.parametrize(
    ("figures", "field", "message"),
    [
        ((0, 100, 7, 1), "unit_price", "lebih dari Rp 0"),
        ((-5, 100, 7, 1), "unit_price", "lebih dari Rp 0"),
        ((1_000_000_001, 100, 7, 1), "unit_price", "terlalu besar"),
        ((175_000, 0, 7, 1), "monthly_capacity", "minimal 1"),
        ((175_000, 1_000_001, 7, 1), "monthly_capacity", "tidak masuk akal"),
        ((175_000, 100, -1, 1), "lead_time_days", "tidak boleh negatif"),
        ((175_000, 100, 366, 1), "lead_time_days", "paling lama 365 hari"),
        ((175_000, 100, 7, 0), "min_order", "paling sedikit 1"),
        ((175_000, 100, 7, 101), "min_order", "melebihi kapasitas"),
    ],
)
def test_absurd_figures_are_refused_on_their_field(
    figures: tuple[int, int, int, int], field: str, message: str
) -> None:
    errors = check_product_figures(*figures, LIMITS)
    assert list(errors) == [field]
    assert message in errors[field]
