import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.documents.terbilang import (
    bulan_romawi,
    nama_bulan,
    tanggal_terbilang,
    terbilang,
    terbilang_rupiah,
    words_to_number,
)

CASES = [
    # The traps listed in DOMAIN.md.
    (1_001_000, "satu juta seribu"),
    (11, "sebelas"),
    (100, "seratus"),
    (1_100, "seribu seratus"),
    (111_111_111, "seratus sebelas juta seratus sebelas ribu seratus sebelas"),
    (1_000_000_000, "satu miliar"),
    (2_000_000_000_000, "dua triliun"),
    (0, "nol"),
    # And the rest of the usual mistakes.
    (1, "satu"),
    (10, "sepuluh"),
    (12, "dua belas"),
    (19, "sembilan belas"),
    (20, "dua puluh"),
    (21, "dua puluh satu"),
    (99, "sembilan puluh sembilan"),
    (101, "seratus satu"),
    (110, "seratus sepuluh"),
    (115, "seratus lima belas"),
    (199, "seratus sembilan puluh sembilan"),
    (200, "dua ratus"),
    (1_000, "seribu"),
    (1_001, "seribu satu"),
    (1_999, "seribu sembilan ratus sembilan puluh sembilan"),
    (2_000, "dua ribu"),
    (10_000, "sepuluh ribu"),
    (11_000, "sebelas ribu"),
    (21_000, "dua puluh satu ribu"),
    (100_000, "seratus ribu"),
    (101_000, "seratus satu ribu"),
    (1_000_000, "satu juta"),
    (1_000_001, "satu juta satu"),
    (1_250_000, "satu juta dua ratus lima puluh ribu"),
    (1_000_000_000_000, "satu triliun"),
    (1_001_001_001_000, "satu triliun satu miliar satu juta seribu"),
    (
        10**15 - 1,
        "sembilan ratus sembilan puluh sembilan triliun sembilan ratus sembilan puluh sembilan"
        " miliar sembilan ratus sembilan puluh sembilan juta sembilan ratus sembilan puluh"
        " sembilan ribu sembilan ratus sembilan puluh sembilan",
    ),
]


@pytest.mark.parametrize(("number", "words"), CASES)
def test_terbilang(number: int, words: str) -> None:
    assert terbilang(number) == words
    assert words_to_number(words) == number


@pytest.mark.parametrize("number", [-1, 10**15, 10**18])
def test_terbilang_refuses_out_of_range(number: int) -> None:
    with pytest.raises(ValueError):
        terbilang(number)


def test_terbilang_rupiah_is_title_case() -> None:
    assert terbilang_rupiah(1_250_000) == "Satu Juta Dua Ratus Lima Puluh Ribu Rupiah"
    assert terbilang_rupiah(1_001_000) == "Satu Juta Seribu Rupiah"
    assert terbilang_rupiah(0) == "Nol Rupiah"


@pytest.mark.parametrize(
    "words",
    [
        "satu ribu",  # the library trap: 1.000 is "seribu"
        "satu juta satu ribu",
        "satu ratus",
        "satu puluh",
        "satu belas",
        "sepuluh satu",
        "dua ratus tiga ratus",
        "sebelas dua",
        "dua juta tiga miliar",
        "juta",
        "nol satu",
        "sepuluh ribu lima apel",
        "",
    ],
)
def test_words_to_number_refuses_non_canonical_words(words: str) -> None:
    with pytest.raises(ValueError):
        words_to_number(words)


def test_words_to_number_reads_document_text() -> None:
    assert words_to_number("Satu Juta Dua Ratus Lima Puluh Ribu Rupiah") == 1_250_000


# "satu ribu" is right inside a larger group ("dua puluh satu ribu"), wrong on its own.
LONE_SATU_RIBU = re.compile(r"(^|triliun |miliar |juta )satu ribu")


@given(st.integers(min_value=0, max_value=10**15 - 1))
def test_terbilang_round_trips_and_avoids_library_traps(number: int) -> None:
    words = terbilang(number)
    assert words_to_number(words) == number
    assert words == words.lower()
    assert not LONE_SATU_RIBU.search(words)
    for wrong in ("satu ratus", "satu puluh", "satu belas", "sepuluh satu", "  "):
        assert wrong not in words


@given(st.integers(min_value=0, max_value=999))
def test_thousands_of_small_numbers_never_say_satu_ribu(number: int) -> None:
    words = terbilang(1_000 + number)
    assert words.startswith("seribu")
    assert "satu ribu" not in words


@pytest.mark.parametrize(
    ("day", "text"),
    [
        (
            dt.date(2026, 11, 23),
            "Pada hari ini Senin tanggal dua puluh tiga bulan November tahun"
            " dua ribu dua puluh enam",
        ),
        (
            dt.date(2026, 11, 29),
            "Pada hari ini Minggu tanggal dua puluh sembilan bulan November tahun"
            " dua ribu dua puluh enam",
        ),
        (
            dt.date(2025, 1, 1),
            "Pada hari ini Rabu tanggal satu bulan Januari tahun dua ribu dua puluh lima",
        ),
        (
            dt.date(2027, 8, 17),
            "Pada hari ini Selasa tanggal tujuh belas bulan Agustus tahun dua ribu dua puluh tujuh",
        ),
        (
            dt.date(2026, 5, 11),
            "Pada hari ini Senin tanggal sebelas bulan Mei tahun dua ribu dua puluh enam",
        ),
        (
            dt.date(2026, 12, 31),
            "Pada hari ini Kamis tanggal tiga puluh satu bulan Desember tahun"
            " dua ribu dua puluh enam",
        ),
        (
            dt.date(2027, 2, 12),
            "Pada hari ini Jumat tanggal dua belas bulan Februari tahun dua ribu dua puluh tujuh",
        ),
        (
            dt.date(2027, 10, 30),
            "Pada hari ini Sabtu tanggal tiga puluh bulan Oktober tahun dua ribu dua puluh tujuh",
        ),
    ],
)
def test_tanggal_terbilang(day: dt.date, text: str) -> None:
    assert tanggal_terbilang(day) == text


def test_bulan_romawi_and_names() -> None:
    assert [bulan_romawi(m) for m in range(1, 13)] == [
        "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII",
    ]  # fmt: skip
    assert nama_bulan(3) == "Maret"
    for month in (0, 13):
        with pytest.raises(ValueError):
            bulan_romawi(month)
        with pytest.raises(ValueError):
            nama_bulan(month)
