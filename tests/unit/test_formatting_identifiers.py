"""NIP, NPWP, phone numbers and names with academic titles as Indonesians write them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.formatting import akhiri_kalimat, nama_bergelar, nip, npwp, telepon


def digits_of(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("197001011995031001", "19700101 199503 1 001"),
        ("19700101 199503 1 001", "19700101 199503 1 001"),
        ("1970.0101.1995", "1970.0101.1995"),  # not 18 digits: as typed
        ("", ""),
        (None, ""),
    ],
)
def test_nip(raw, shown) -> None:
    assert nip(raw) == shown


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("012345678901000", "01.234.567.8-901.000"),
        ("01.234.567.8-901.000", "01.234.567.8-901.000"),
        ("3374015204850001", "3374 0152 0485 0001"),
        ("0123", "0123"),
    ],
)
def test_npwp(raw, shown) -> None:
    assert npwp(raw) == shown


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("081234567890", "0812-3456-7890"),
        ("0812 3456 7890", "0812-3456-7890"),
        ("08123456789", "0812-3456-789"),
        ("0812345678", "0812-345-678"),
        ("0241234567", "(024) 1234567"),
        ("(024) 1234567", "(024) 1234567"),
        ("0231555012", "(0231) 555012"),
        ("+6281234567890", "0812-3456-7890"),
        ("6281234567890", "0812-3456-7890"),
        # An office line stored as check_contact_phone keeps it (62 and the area code).
        ("62243581234", "(024) 3581234"),
        ("+62 274 512345", "(0274) 512345"),
        ("62285421110", "(0285) 421110"),
        ("6200123456", "6200123456"),  # no Indonesian number after the 62: as typed
        ("hubungi kantor", "hubungi kantor"),
    ],
)
def test_telepon(raw, shown) -> None:
    assert telepon(raw) == shown


@given(st.text(alphabet="0123456789 +-().", max_size=20))
def test_formatting_never_loses_or_adds_a_digit(raw: str) -> None:
    for formatted in (nip(raw), npwp(raw)):
        assert digits_of(formatted) == digits_of(raw)
    # A phone number loses nothing either; only the country code 62 is written as the 0 of a
    # domestic number (6281234567890 -> 0812-3456-7890).
    digits = digits_of(raw)
    domestic = "0" + digits[2:] if digits.startswith("62") else digits
    assert digits_of(telepon(raw)) in {digits, domestic}


@given(st.from_regex(r"\A[0-9]{15,18}\Z"))
def test_identifiers_of_the_right_length_are_grouped(raw: str) -> None:
    assert digits_of(nip(raw)) == raw
    assert digits_of(npwp(raw)) == raw
    if len(raw) == 18:
        assert len(nip(raw).split()) == 4
    if len(raw) == 15:
        assert npwp(raw).count(".") == 4 and npwp(raw).count("-") == 1


def test_a_title_at_the_end_of_a_sentence_takes_no_second_full_stop() -> None:
    assert akhiri_kalimat("Diputuskan oleh Dewi Kartika, A.Md.") == (
        "Diputuskan oleh Dewi Kartika, A.Md."
    )
    assert (
        akhiri_kalimat("Diputuskan oleh Rina Marlina, S.E. ")
        == "Diputuskan oleh Rina Marlina, S.E."
    )
    assert akhiri_kalimat("Diputuskan oleh Budi") == "Diputuskan oleh Budi."
    assert nama_bergelar("Dewi Kartika", "A.Md.") == "Dewi Kartika, A.Md."
    assert nama_bergelar("Bambang,", "S.E.", "M.M.") == "Bambang, S.E., M.M."
