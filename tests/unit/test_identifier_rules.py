"""Identifiers that cannot be real are refused: all zeros, one digit repeated, a NIK whose
province or birth date cannot exist, a phone number of no Indonesian shape."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.input_rules import RuleError, check_contact_phone, check_phone, one_repeated_digit
from procure.umkm.rules import check_nib, check_nik, check_npwp


@pytest.mark.parametrize("digits", [d * 13 for d in "0123456789"])
def test_nib_of_one_repeated_digit_is_refused(digits: str) -> None:
    with pytest.raises(RuleError, match="angkanya sama semua"):
        check_nib(digits)


@pytest.mark.parametrize("digits", [d * n for d in "0123456789" for n in (15, 16)])
def test_npwp_of_one_repeated_digit_is_refused(digits: str) -> None:
    with pytest.raises(RuleError, match="angkanya sama semua"):
        check_npwp(digits)


def test_npwp_with_a_zero_serial_is_refused() -> None:
    with pytest.raises(RuleError, match="nomor urut"):
        check_npwp("01.000.000.0-901.000")


@pytest.mark.parametrize(
    "npwp", ["01.234.567.8-901.000", "012345678901000", "0012345678901000", "3374015204850001"]
)
def test_real_looking_npwp_pass(npwp: str) -> None:
    digits = npwp.replace(".", "").replace("-", "")
    assert check_npwp(npwp) == digits


def test_a_16_digit_npwp_that_is_no_nik_is_refused() -> None:
    with pytest.raises(RuleError, match="bukan NIK yang sah"):
        check_npwp("9974015204850001")


@pytest.mark.parametrize(
    ("nik", "reason"),
    [
        ("0000000000000000", "angkanya sama semua"),
        ("1111111111111111", "angkanya sama semua"),
        ("1074015204850001", "kode provinsi"),
        ("9574015204850001", "kode provinsi"),
        ("3300015204850001", "kabupaten/kota"),
        ("3374005204850001", "kabupaten/kota"),
        ("3374013204850001", "tanggal lahir"),  # day 32
        ("3374017204850001", "tanggal lahir"),  # day 72 (women: 32)
        ("3374010004850001", "tanggal lahir"),  # day 00
        ("3374013002850001", "tanggal lahir"),  # 30 February
        ("3374011213850001", "bulan lahir"),  # month 13
        ("3374011200850001", "bulan lahir"),  # month 00
    ],
)
def test_nik_that_cannot_exist_is_refused_with_the_reason(nik: str, reason: str) -> None:
    with pytest.raises(RuleError, match=reason) as refused:
        check_nik(nik)
    assert str(refused.value).startswith("NIK tidak valid")


@given(
    province=st.integers(11, 94),
    regency=st.integers(1, 99),
    district=st.integers(1, 99),
    day=st.integers(1, 28),
    woman=st.booleans(),
    month=st.integers(1, 12),
    year=st.integers(0, 99),
    serial=st.integers(1, 9999),
)
def test_any_plausible_nik_passes(
    province: int,
    regency: int,
    district: int,
    day: int,
    woman: bool,
    month: int,
    year: int,
    serial: int,
) -> None:
    nik = (
        f"{province:02d}{regency:02d}{district:02d}{day + (40 if woman else 0):02d}"
        f"{month:02d}{year:02d}{serial:04d}"
    )
    if one_repeated_digit(nik):
        return
    assert check_nik(nik) == nik


@pytest.mark.parametrize(
    "phone",
    ["0812 0000 0000", "0812-1111-1111", "+62 813 2222 2222", "6281999999999"],
)
def test_mobile_number_of_one_repeated_digit_is_refused(phone: str) -> None:
    with pytest.raises(RuleError, match="angkanya sama semua"):
        check_phone(phone)


@pytest.mark.parametrize(
    "phone", ["0801 2345 6789", "0841 2345 6789", "0861 2345 6789", "0812345", "021 555 1234"]
)
def test_only_mobile_shapes_are_whatsapp_numbers(phone: str) -> None:
    with pytest.raises(RuleError, match="HP/WhatsApp tidak valid"):
        check_phone(phone)


@pytest.mark.parametrize(
    ("phone", "stored"),
    [
        ("0812 3456 7890", "6281234567890"),
        ("+62 857-1234-5678", "6285712345678"),
        ("(024) 358 1234", "62243581234"),
        ("0274 512345", "62274512345"),
    ],
)
def test_contact_phone_takes_mobile_and_landline(phone: str, stored: str) -> None:
    assert check_contact_phone(phone) == stored


@pytest.mark.parametrize("phone", ["024 000 0000", "0000000000", "1234567", "0812 0000 0000"])
def test_contact_phone_refuses_what_cannot_be_dialled(phone: str) -> None:
    with pytest.raises(RuleError):
        check_contact_phone(phone)


@given(st.text(alphabet="0123456789", min_size=1, max_size=20))
def test_one_repeated_digit_means_a_single_distinct_digit(digits: str) -> None:
    assert one_repeated_digit(digits) == (len(set(digits)) == 1)
