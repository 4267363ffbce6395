"""The pure input rules: hidden characters, bounded whole numbers, pages and dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.input_rules import (
    BIGINT_MAX,
    INT32_MAX,
    MAX_PAGE,
    MAX_RUPIAH,
    RuleError,
    bounded_int,
    clean_text,
    forbidden_character,
    has_control,
    parse_date,
    parse_id,
    parse_page,
    written_reason,
)
from procure.umkm.rules import parse_count, parse_rupiah


@pytest.mark.parametrize(
    "bad", ["\x00", "\x07", "\x1b", "\x7f", "\x85", "\x9b", "\u202e", "\u2066"]
)
def test_control_and_bidi_characters_are_refused_with_their_code(bad: str) -> None:
    message = forbidden_character(f"Batik{bad}Tulis")
    assert message is not None and f"U+{ord(bad):04X}" in message
    with pytest.raises(RuleError, match="karakter tersembunyi"):
        clean_text(f"Batik{bad}Tulis", multiline=True)


def test_line_breaks_only_in_text_areas_and_tabs_everywhere() -> None:
    assert forbidden_character("baris\r\nkedua") is not None
    assert clean_text("baris\r\nkedua", multiline=True) == "baris\r\nkedua"
    assert clean_text("kolom\tkolom") == "kolom\tkolom"


def test_zero_width_characters_are_dropped_and_joiners_kept() -> None:
    assert clean_text("\ufeffBatik\u200b Tulis\u2060") == "Batik Tulis"
    assert clean_text("👩\u200d💻") == "👩\u200d💻"


@given(st.text(alphabet=st.characters(categories=["L", "N", "P", "Zs"])))
def test_ordinary_text_passes_unchanged(text: str) -> None:
    assert clean_text(text) == text and not has_control(text)


def test_whole_numbers_are_bounded_before_int_is_called() -> None:
    assert bounded_int("2147483647", "Jumlah") == INT32_MAX
    assert bounded_int("0002147483647", "Jumlah") == INT32_MAX
    for digits in ("2147483648", "9" * 400, "9" * 5000):
        with pytest.raises(RuleError, match="Jumlah terlalu besar .paling banyak 2.147.483.647"):
            bounded_int(digits, "Jumlah")
    assert bounded_int(str(BIGINT_MAX), "Nilai", BIGINT_MAX) == BIGINT_MAX


def test_rupiah_and_counts_fit_their_columns() -> None:
    assert parse_rupiah("1.000.000.000.000.000") == MAX_RUPIAH
    for typed in ("9.223.372.036.854.775.808", "9223372036854775808", "1" + "0" * 400):
        with pytest.raises(RuleError, match="Jumlah rupiah terlalu besar"):
            parse_rupiah(typed)
    assert parse_count("-2.147.483.647", "Jumlah") == -INT32_MAX
    with pytest.raises(RuleError, match="Jumlah terlalu besar"):
        parse_count("-2147483648", "Jumlah")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("7", 7),
        (" 12 ", 12),
        ("2147483647", INT32_MAX),
        ("2147483648", None),
        ("0", None),
        ("-1", None),
        ("١٢", None),
        ("9" * 5000, None),
        ("", None),
        (None, None),
        ("1e3", None),
    ],
)
def test_ids_are_positive_integers_of_the_column(text: str | None, expected: int | None) -> None:
    assert parse_id(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3", 3),
        (None, 1),
        ("0", 1),
        ("-2", 1),
        ("٣", 1),
        ("abc", 1),
        (str(MAX_PAGE), MAX_PAGE),
        (str(MAX_PAGE + 1), 1),
        ("9223372036854775808", 1),
        ("9" * 5000, 1),
    ],
)
def test_page_numbers(text: str | None, expected: int) -> None:
    assert parse_page(text) == expected


def test_dates_are_parsed_within_a_range_that_never_overflows() -> None:
    assert parse_date("2026-11-05", "Tanggal") == dt.date(2026, 11, 5)
    assert parse_date("05/11/2026", "Tanggal") == dt.date(2026, 11, 5)
    assert parse_date(" ", "Tanggal") is None
    for text in ("0001-01-01", "9999-12-31", "31-12-9999", "1999-12-31", "2100-01-01"):
        with pytest.raises(RuleError, match="Tanggal di luar rentang yang bisa diproses"):
            parse_date(text, "Tanggal")
    with pytest.raises(RuleError, match="tidak dikenali"):
        parse_date("2026-02-30", "Tanggal")


def test_a_written_reason_is_trimmed_and_long_enough() -> None:
    assert written_reason("  Salah nomor SP2D  ", 10, "terlalu pendek") == "Salah nomor SP2D"
    assert written_reason("0123456789", 10, "terlalu pendek") == "0123456789"
    for short in (None, "", "   ", " 012345678 "):
        with pytest.raises(RuleError, match="^terlalu pendek$"):
            written_reason(short, 10, "terlalu pendek")
