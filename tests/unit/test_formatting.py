import datetime as dt

from hypothesis import given
from hypothesis import strategies as st

from procure.formatting import number, rupiah, tanggal, waktu


def test_rupiah_uses_dots_and_no_cents() -> None:
    assert rupiah(1_250_000) == "Rp 1.250.000"
    assert rupiah(0) == "Rp 0"
    assert rupiah(999) == "Rp 999"
    assert rupiah(-5_000) == "-Rp 5.000"
    assert rupiah(None) == "-"


@given(st.integers(min_value=0, max_value=10**15))
def test_rupiah_round_trips(amount: int) -> None:
    text = rupiah(amount)
    assert text.startswith("Rp ")
    assert int(text[3:].replace(".", "")) == amount


def test_number() -> None:
    assert number(12_500) == "12.500"


def test_dates_in_indonesian_and_jakarta_time() -> None:
    assert tanggal(dt.date(2026, 8, 17)) == "17 Agustus 2026"
    # 20:00 UTC on 23 Nov is already 24 Nov in Jakarta (UTC+7).
    moment = dt.datetime(2026, 11, 23, 20, 0, tzinfo=dt.UTC)
    assert tanggal(moment) == "24 November 2026"
    assert waktu(moment) == "24 November 2026 03.00 WIB"


def test_spreadsheet_text_defuses_formulas_and_keeps_other_values() -> None:
    from procure.formatting import spreadsheet_text

    assert (
        spreadsheet_text('=HYPERLINK("http://evil","klik")') == '\'=HYPERLINK("http://evil","klik")'
    )
    assert spreadsheet_text("+62 812") == "'+62 812"
    assert spreadsheet_text("-1") == "'-1"
    assert spreadsheet_text("@SUM(A1)") == "'@SUM(A1)"
    assert spreadsheet_text("Batik Sekar") == "Batik Sekar"
    assert spreadsheet_text(-1) == -1  # numbers stay numbers
