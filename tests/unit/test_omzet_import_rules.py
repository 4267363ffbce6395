"""Pure rules of the omzet import and the compliance list: no database, no Flask."""

from __future__ import annotations

import datetime as dt
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from hypothesis import given
from hypothesis import strategies as st

from procure.omzet.compliance_rules import (
    Reminder,
    ReminderContext,
    missing_streak,
    reporting_month,
    wa_number,
)
from procure.omzet.imports.rules import (
    PLAIN_RUPIAH,
    RowError,
    clean_nib,
    decode_text,
    errors_csv,
    map_columns,
    missing_columns_message,
    nib_message,
    normalise_period,
    period_refusal,
    pick_separator,
    size_message,
    sniff_format,
    template_csv,
)
from procure.omzet.rules import Period
from procure.umkm.rules import RuleError, parse_rupiah


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2026-10", "2026-10"),
        (" 2026-10 ", "2026-10"),
        ("2026/10", "2026-10"),
        ("10/2026", "2026-10"),
        ("1/2026", "2026-01"),
        ("10-2026", "2026-10"),
        ("2026-10-01 00:00:00", "2026-10"),
        ("2026-10-31", "2026-10"),
        ("Oktober 2026", "2026-10"),
        ("okt 2026", "2026-10"),
        ("Des-2026", "2026-12"),
    ],
)
def test_periods_as_people_write_them(text: str, expected: str) -> None:
    assert normalise_period(text) == expected


@pytest.mark.parametrize("text", ["2026-13", "13/2026", "2026", "kemarin", "Oct 2026", "26-10"])
def test_wrong_periods_say_how_to_write_them(text: str) -> None:
    with pytest.raises(RuleError, match="TTTT-BB"):
        normalise_period(text)


def test_an_empty_period_is_required() -> None:
    with pytest.raises(RuleError, match="Periode wajib diisi"):
        normalise_period("  ")


def test_headers_match_without_case_spaces_or_underscores() -> None:
    assert map_columns(["No", "N I B", "Periode_Lapor", "Bulan", "Omset"]) == {
        "nib": 1,
        "period": 3,
        "amount": 4,
    }
    assert map_columns(["\ufeffNIB", "PERIOD", "Jumlah"]) == {"nib": 0, "period": 1, "amount": 2}
    assert map_columns(["NIB", "omzet"]) is None


def test_missing_columns_are_named_with_those_present() -> None:
    message = missing_columns_message(["NIB", "omzet", "Unnamed: 3"])
    assert message.startswith("Kolom wajib tidak ada: periode. Kolom yang ada: NIB, omzet.")


def test_formats_are_told_by_content() -> None:
    assert sniff_format(b"PK\x03\x04rest") == "xlsx"
    assert sniff_format(b"NIB;periode;omzet\n") == "csv"
    for data, hint in [
        (b"\xd0\xcf\x11\xe0", "Excel 97-2003"),
        (b"%PDF-1.7", "PDF"),
        (b"\x89PNG\x00", "bukan CSV"),
    ]:
        with pytest.raises(RuleError, match=hint):
            sniff_format(data)


def test_text_is_utf8_without_bom_or_windows_1252() -> None:
    assert decode_text("\ufeffNIB;café".encode()) == "NIB;café"
    assert decode_text("NIB;café".encode("cp1252")) == "NIB;café"
    with pytest.raises(RuleError, match="UTF-8"):
        decode_text(b"\x81\x8d\x8f\x90\x9d")


@pytest.mark.parametrize(
    ("header", "sep"),
    [("NIB;periode;omzet", ";"), ("NIB,periode,omzet", ","), ("NIB\tperiode\tomzet", "\t")],
)
def test_separator_is_the_one_in_the_header(header: str, sep: str) -> None:
    assert pick_separator(header + "\n1,2;3\n") == sep


@given(st.integers(0, 10**15 - 1))
def test_plain_rupiah_pattern_agrees_with_parse_rupiah(amount: int) -> None:
    for text in (str(amount), f"{amount:,}".replace(",", ".")):
        if re.fullmatch(PLAIN_RUPIAH, text):
            assert parse_rupiah(text) == int(text.replace(".", "")) == amount


@given(st.text(alphabet="0123456789.,Rp -", max_size=20))
def test_whatever_the_fast_path_takes_parse_rupiah_takes_the_same(text: str) -> None:
    if re.fullmatch(PLAIN_RUPIAH, text):
        assert parse_rupiah(text) == int(text.replace(".", ""))


def test_nib_messages_explain_excel_mishaps() -> None:
    assert nib_message("") == "NIB wajib diisi (13 digit angka)."
    assert "angka ilmiah" in nib_message("1,23457E+12")
    assert "hanya 12 digit" in nib_message("123456789012")
    assert "format kolom NIB sebagai Teks" in nib_message("123456789012")
    assert nib_message("ABC") == "NIB ABC tidak valid: NIB harus 13 digit angka."
    assert clean_nib(" 9120-001.234 5678 ") == "91200012345678"


def test_row_errors_read_like_the_spreadsheet() -> None:
    assert str(RowError(17, "NIB", "NIB 12345 tidak terdaftar")) == (
        "baris 17, kolom NIB: NIB 12345 tidak terdaftar"
    )
    assert str(RowError(4, "", "muncul lebih dari sekali")) == "baris 4: muncul lebih dari sekali"
    assert str(RowError(0, "", "Berkas kosong")) == "Berkas kosong"


def test_errors_csv_opens_in_indonesian_excel() -> None:
    data = errors_csv([RowError(3, "omzet", 'a; "b"'), RowError(0, "", "Berkas kosong")])
    assert data.startswith(b"\xef\xbb\xbf")
    assert data.decode("utf-8-sig").splitlines() == [
        "baris;kolom;kesalahan",
        '3;omzet;"a; ""b"""',
        ";;Berkas kosong",
    ]


def test_template_has_the_header_and_an_example() -> None:
    lines = template_csv("0123456789012", Period(2026, 10)).decode("utf-8-sig").splitlines()
    assert lines == ["NIB;periode;omzet", "0123456789012;2026-10;12.500.000"]


def test_size_message() -> None:
    mb = 1024 * 1024
    assert size_message(int(10.5 * mb), 10 * mb).startswith(
        "Berkas melebihi 10 MB (ukurannya 10,5 MB)."
    )


# -- compliance ------------------------------------------------------------------------------


def test_reporting_month_is_the_last_completed_one() -> None:
    assert reporting_month(dt.date(2026, 11, 1)) == Period(2026, 10)
    assert reporting_month(dt.date(2027, 1, 31)) == Period(2026, 12)


@pytest.mark.parametrize(
    ("last_filed", "registered", "expected"),
    [
        (None, Period(2026, 8), 3),  # Aug, Sep, Oct
        (Period(2026, 6), Period(2025, 1), 4),  # Jul..Oct
        (Period(2026, 9), Period(2025, 1), 1),
        (None, Period(2026, 10), 1),
        (Period(2026, 2), Period(2026, 5), 6),  # counted from registration, not from the report
    ],
)
def test_missing_streak(last_filed: Period | None, registered: Period, expected: int) -> None:
    assert missing_streak(last_filed, registered, Period(2026, 10)) == expected


CTX = ReminderContext("Sukamaju", "https://procure.sukamaju.go.id/omzet/", 10, dt.date(2026, 11, 3))


def test_reminder_before_the_deadline() -> None:
    text = Reminder(Period(2026, 10), CTX).message("Siti Aminah", "Keripik Bu Siti")
    assert text == (
        "Yth. Bapak/Ibu Siti Aminah, pemilik Keripik Bu Siti: omzet bulan Oktober 2026 belum "
        "dilaporkan di Procure Sukamaju. Mohon dilaporkan paling lambat tanggal 10 November "
        "2026 melalui https://procure.sukamaju.go.id/omzet/. Terima kasih."
    )


def test_reminder_after_the_deadline_asks_for_it_now() -> None:
    late = ReminderContext(CTX.city, CTX.filing_url, 10, dt.date(2026, 11, 11))
    text = Reminder(Period(2026, 10), late).message("Siti", "Keripik")
    assert "Batas tanggal 10 November 2026 sudah lewat; mohon segera dilaporkan" in text


def test_whatsapp_link_carries_the_exact_message() -> None:
    reminder = Reminder(Period(2026, 10), CTX)
    owner, business = "Dewi & Sari", "Batik 100% Tulis #1"
    link = reminder.link("6281234567890", owner, business)
    assert link is not None
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "wa.me", "/6281234567890")
    assert parse_qs(parts.query) == {"text": [reminder.message(owner, business)]}


@pytest.mark.parametrize(
    ("phone", "expected"),
    [
        ("6281234567890", "6281234567890"),
        ("0812-3456-7890", "6281234567890"),
        ("+62 812 3456 7890", "6281234567890"),
        ("0211234567", None),  # a landline has no WhatsApp
        ("", None),
    ],
)
def test_wa_numbers(phone: str, expected: str | None) -> None:
    assert wa_number(phone) == expected


def test_an_import_row_may_name_the_months_the_form_accepts() -> None:
    today = dt.date(2026, 11, 15)
    assert period_refusal("2025-01", 202601, today) == ""  # twelve months before registration
    assert period_refusal("2026-10", 202601, today) == ""
    assert period_refusal("2024-12", 202601, today).startswith(
        "Omzet Desember 2024 tidak bisa dilaporkan: usaha terdaftar Januari 2026"
    )
    assert period_refusal("2026-11", 202601, today).startswith(
        "Omzet November 2026 belum bisa dilaporkan"
    )
